// When the next Xero call of one organisation may start: at most `concurrent`
// in flight, at most `perMinute` started in any rolling minute, none while
// Xero has told us to pause — and a person's call goes ahead of queued run
// work, so nobody waits behind month end. Bottleneck and p-throttle each do
// half of this, but a call waiting for the minute inside Bottleneck's slot
// would hold the slot a person needs, and p-throttle's queue knows no
// priority; the rule is Xero's, so it is written here, once.

export type Priority = 'person' | 'run';

/**
 * A minute here is this much longer than Xero's: we count a start when we let the call go, Xero when it
 * arrives, a little later and not always equally so; a call let go exactly a minute after its 60th
 * predecessor may reach Xero a moment early and earn a 429, which pauses the organisation for a second.
 */
export const MINUTE_MARGIN_MS = 250;

export interface Limits {
  concurrent: number;
  perMinute: number;
}

interface Waiter {
  start: (release: () => void) => void;
}

export class OrgScheduler {
  private inFlight = 0;
  /** Start times in the last minute, oldest first. */
  private readonly starts: number[] = [];
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
      while (this.starts.length && this.starts[0]! <= now - minute) this.starts.shift();
      let wakeAt = 0;
      if (now < this.pausedUntil) wakeAt = this.pausedUntil;
      else if (this.starts.length >= this.limits.perMinute) wakeAt = this.starts[0]! + minute;
      if (wakeAt) {
        this.wakeAt(wakeAt - now);
        return;
      }
      const next = (this.queues.person.shift() ?? this.queues.run.shift())!;
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      this.starts.push(now);
      let released = false;
      next.start(() => {
        if (released) return;
        released = true;
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
