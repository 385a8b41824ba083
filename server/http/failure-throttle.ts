// Token buckets of *failures*, keyed by whatever a route names (a company, a
// client address). An attempt reserves one token from each of its buckets
// before it does anything costly and gives it back when it turns out well, so
// only failures use the allowance and a good attempt is never slowed; an
// attempt finding a bucket empty is refused at once with the seconds until it
// refills. In memory, per server instance: with several instances each keeps
// its own counts, so the allowance is per instance (fine for a throttle whose
// job is to make guessing slow and cheap to refuse, not to count exactly).
// None of bottleneck or p-throttle fits: both queue work and delay it, and we
// must refuse with a Retry-After instead.

export interface BucketRule {
  /** Failures allowed in a burst. */
  capacity: number;
  /** Failures given back per minute, continuously. */
  refillPerMinute: number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Past this many keys, buckets that have refilled (as good as absent) are forgotten, then the oldest. */
const MAX_KEYS = 10_000;

export class FailureBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly rule: BucketRule,
    private readonly nowMs: () => number = Date.now,
  ) {}

  private read(key: string, now: number): Bucket {
    const b = this.buckets.get(key) ?? { tokens: this.rule.capacity, atMs: now };
    const refilled = ((now - b.atMs) / 60_000) * this.rule.refillPerMinute;
    return { tokens: Math.min(this.rule.capacity, b.tokens + Math.max(0, refilled)), atMs: now };
  }

  /** Seconds until `key` has a token again; 0 if it has one now. */
  waitSeconds(key: string): number {
    const b = this.read(key, this.nowMs());
    return b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) / this.rule.refillPerMinute) * 60);
  }

  take(key: string): void {
    const b = this.read(key, this.nowMs());
    this.buckets.set(key, { tokens: b.tokens - 1, atMs: b.atMs });
    if (this.buckets.size > MAX_KEYS) this.sweep();
  }

  giveBack(key: string): void {
    const b = this.read(key, this.nowMs());
    if (b.tokens + 1 >= this.rule.capacity) this.buckets.delete(key);
    else this.buckets.set(key, { tokens: b.tokens + 1, atMs: b.atMs });
  }

  private sweep(): void {
    const now = this.nowMs();
    for (const key of this.buckets.keys()) if (this.read(key, now).tokens >= this.rule.capacity) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= MAX_KEYS) break;
      this.buckets.delete(key);
    }
  }
}

export type Reservation = { ok: true; settle(outcome: 'success' | 'failure'): void } | { ok: false; retryAfterSeconds: number };

/**
 * Reserves one failure in every named bucket, or none if any is empty. The
 * caller settles the reservation: a success gives the tokens back.
 */
export function reserveFailure(entries: readonly (readonly [FailureBuckets, string])[]): Reservation {
  const wait = Math.max(0, ...entries.map(([b, key]) => b.waitSeconds(key)));
  if (wait > 0) return { ok: false, retryAfterSeconds: wait };
  for (const [b, key] of entries) b.take(key);
  let settled = false;
  return {
    ok: true,
    settle(outcome) {
      if (settled) return;
      settled = true;
      if (outcome === 'success') for (const [b, key] of entries) b.giveBack(key);
    },
  };
}
