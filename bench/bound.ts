// The month-end bound: the least time Xero's limits allow for the fewest calls
// the work needs — computed, never taken from what a run happened to do.
//
// The fewest calls: the organisation's six reads (organisation, accounts, tax
// rates, items, tracking categories, currencies), then one write per 50
// customers (their contacts) and one per 50 invoices. Each call lasts the
// injected latency: `perCallMs`, plus `perElementMs` for each element of its
// body (reads carry none). They start in that order, each as early as both of
// Xero's per-organisation limits allow: at most `concurrent` in flight, and
// at most `perMinute` started in any rolling minute (the k-th call no sooner
// than a minute after the (k − perMinute)-th). The bound is when the last ends.

export interface XeroLimits {
  concurrent: number;
  perMinute: number;
}

export interface Latency {
  perCallMs: number;
  perElementMs: number;
}

export interface BoundInput {
  customers: number;
  invoices: number;
  latency: Latency;
  limits: XeroLimits;
  /** Reads of the organisation's set-up before anything is mapped. */
  orgReads?: number;
  /** Elements Xero takes in one write. */
  batchSize?: number;
}

export interface Bound {
  calls: number;
  seconds: number;
}

const MINUTE_MS = 60_000;

/** Sizes of the writes of `n` elements, `size` a call. */
function writes(n: number, size: number): number[] {
  const out: number[] = [];
  for (let left = n; left > 0; left -= size) out.push(Math.min(size, left));
  return out;
}

/** When the last of these calls (durations in ms, started in this order) ends, in ms, at the limits. */
export function leastTimeMs(durationsMs: readonly number[], limits: XeroLimits): number {
  const slots = Array.from({ length: limits.concurrent }, () => 0);
  const starts: number[] = [];
  let end = 0;
  for (const [k, duration] of durationsMs.entries()) {
    let slot = 0;
    for (let i = 1; i < slots.length; i++) if (slots[i]! < slots[slot]!) slot = i;
    const minuteFree = k >= limits.perMinute ? starts[k - limits.perMinute]! + MINUTE_MS : 0;
    const start = Math.max(slots[slot]!, minuteFree);
    starts.push(start);
    slots[slot] = start + duration;
    end = Math.max(end, start + duration);
  }
  return end;
}

export function monthEndBound(input: BoundInput): Bound {
  const size = input.batchSize ?? 50;
  const reads = Array.from({ length: input.orgReads ?? 6 }, () => 0);
  const elements = [...reads, ...writes(input.customers, size), ...writes(input.invoices, size)];
  const durations = elements.map((e) => input.latency.perCallMs + e * input.latency.perElementMs);
  return { calls: durations.length, seconds: leastTimeMs(durations, input.limits) / 1000 };
}
