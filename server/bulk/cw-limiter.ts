// ConnectWise throttling for bulk work: per tenant (one ConnectWise site), at
// most 4 calls in flight and 20 started a second. ConnectWise publishes no
// fixed limit; these keep a month-end run polite while the CwClient still
// retries a 429 with its Retry-After.
import Bottleneck from 'bottleneck';

const limiters = new Map<string, Bottleneck>();

export function cwLimiterFor(tenantId: string): Bottleneck {
  let l = limiters.get(tenantId);
  if (!l) {
    l = new Bottleneck({ maxConcurrent: 4, reservoir: 20, reservoirRefreshAmount: 20, reservoirRefreshInterval: 1000 });
    limiters.set(tenantId, l);
  }
  return l;
}
