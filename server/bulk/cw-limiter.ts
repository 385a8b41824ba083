// ConnectWise throttling for bulk work: per tenant (one ConnectWise site), at most
// 8 calls in flight and 100 started a second. ConnectWise publishes no
// fixed limit; these keep a month-end run polite while the CwClient still
// retries a 429 with its Retry-After.
import Bottleneck from 'bottleneck';

const limiters = new Map<string, Bottleneck>();

/** Bottleneck's default priority: people's pushes and reads; a run's lanes queue behind (higher numbers). */
export const CW_DEFAULT_PRIORITY = 5;
/** Bottleneck's lowest. */
export const CW_LOWEST_PRIORITY = 9;

export function cwLimiterFor(tenantId: string): Bottleneck {
  let l = limiters.get(tenantId);
  if (!l) {
    l = new Bottleneck({ maxConcurrent: 8, reservoir: 100, reservoirRefreshAmount: 100, reservoirRefreshInterval: 1000 });
    limiters.set(tenantId, l);
  }
  return l;
}
