// When the next Xero call of one organisation may start: at most `concurrent`
// in flight, at most `perMinute` started in any rolling minute, none while
// Xero has told us to pause — and a person's call goes ahead of queued run
// work, so nobody waits behind month end. Bottleneck and p-throttle each do
// half of this, but a call waiting for the minute inside Bottleneck's slot
// would hold the slot a person needs, and p-throttle's queue knows no
// priority; the rule is Xero's, so it is written here, once.

export type Priority = 'person' | 'run';

/**
 * Xero counts a call in its minute when the call arrives; we cannot see that moment, only that it came
 * before the call's answer. So a call counts here from its answer (from its start while it is in
 * flight): a call let go a minute after its 60th predecessor's ANSWER can never reach Xero inside that
 * predecessor's minute, however late the predecessor arrived (counting from our start, a predecessor
 * that reached Xero late — a busy network, a busy Xero — earned the next window's first calls 429s,
 * each a pause of seconds). The margin covers the clocks' granularity.
 */
export const MINUTE_MARGIN_MS = 100;

export interface Limits {
  concurrent: number;
  perMinute: number;
}

interface Waiter {
  start: (release: () => void) => void;
}

export class OrgScheduler {
  private inFlight = 0;
  /** The calls of the last minute: when each counts from (its start while in flight, then its answer). */
  private lastMinute: { at: number }[] = [];
  private readonly queues: Record<Priority, Waiter[]> = { person: [], run: [] };
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Most calls seen in flight at once (the benchmark and tests read it). */
  peakInFlight = 0;

  constructor(
    readonly limits: Limits,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Resolves with a release function once a call of this priority may start. */
  acquire(priority: Priority): Promise<() => void> {
    return new Promise((resolve) => {
      this.queues[priority].push({ start: resolve });
      this.pump();
    });
  }

  /** No call starts before `untilMs` (Xero said the minute is spent). */
  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
    this.pump();
  }

  /** Calls waiting to start. */
  get waiting(): number {
    return this.queues.person.length + this.queues.run.length;
  }

  private pump(): void {
    for (;;) {
      if (this.waiting === 0 || this.inFlight >= this.limits.concurrent) return;
      const now = this.clock();
      const minute = 60_000 + MINUTE_MARGIN_MS;
      if (this.lastMinute.some((c) => c.at <= now - minute)) this.lastMinute = this.lastMinute.filter((c) => c.at > now - minute);
      let wakeAt = 0;
      if (now < this.pausedUntil) wakeAt = this.pausedUntil;
      else if (this.lastMinute.length >= this.limits.perMinute) wakeAt = Math.min(...this.lastMinute.map((c) => c.at)) + minute;
      if (wakeAt) {
        this.wakeAt(wakeAt - now);
        return;
      }
      const next = (this.queues.person.shift() ?? this.queues.run.shift())!;
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      const call = { at: now };
      this.lastMinute.push(call);
      let released = false;
      next.start(() => {
        if (released) return;
        released = true;
        call.at = Math.max(call.at, this.clock());
        this.inFlight--;
        this.pump();
      });
    }
  }

  private wakeAt(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(1, ms));
    this.timer.unref?.();
  }
}
