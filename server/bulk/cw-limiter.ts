// ConnectWise throttling: per tenant (one ConnectWise site), at most 8 calls in
// flight and 100 started a second. ConnectWise publishes no fixed limit; these
// keep a month-end run polite while the CwClient still retries a 429 with its
// Retry-After.
//
// p-queue, not Bottleneck: a month end's tail is one ConnectWise batch after
// another, 8 at once, each answer followed by a few ledger writes. p-queue
// starts the next call as soon as one ends; Bottleneck starts it from a timer,
// after every answer that arrived meanwhile has been written, so the 8 calls
// went out in waves and ConnectWise ran at ~64 a second instead of the ~80
// that 8 at once of 100 ms allow (measured with BENCH_TIMELINE=1).
import PQueue from 'p-queue';

/** People's pushes and reads; a run's lanes queue behind (higher numbers), as 0–9 with the lowest first. */
export const CW_DEFAULT_PRIORITY = 5;
/** The last to go. */
export const CW_LOWEST_PRIORITY = 9;

export interface CwLimiter {
  /** Runs `fn` when a place is free; `priority` 0–9, lower first (CW_DEFAULT_PRIORITY when absent). */
  schedule<T>(fn: () => Promise<T>): Promise<T>;
  schedule<T>(opts: { priority: number }, fn: () => Promise<T>): Promise<T>;
}

const limiters = new Map<string, CwLimiter>();

export function cwLimiterFor(tenantId: string): CwLimiter {
  let l = limiters.get(tenantId);
  if (!l) {
    const queue = new PQueue({ concurrency: 8, intervalCap: 100, interval: 1000 });
    l = {
      schedule<T>(a: { priority: number } | (() => Promise<T>), b?: () => Promise<T>): Promise<T> {
        const [priority, fn] = typeof a === 'function' ? [CW_DEFAULT_PRIORITY, a] : [a.priority, b!];
        // p-queue runs higher numbers first.
        return queue.add(fn, { priority: -priority, throwOnTimeout: true });
      },
    };
    limiters.set(tenantId, l);
  }
  return l;
}
