// Pacing of Xero calls for one organisation, so a bulk run stays inside
// Xero's per-organisation limits (5 in flight, 60 a rolling minute, 5000 a day).
//
// Across server instances the job engine lets only ONE worker hold an
// organisation at a time (a pg-boss singleton per organisation, or the
// embedded queue's one chain per organisation), so pacing in that worker's
// process paces the organisation. Within it:
//   - bottleneck caps calls in flight (5);
//   - p-throttle in strict mode keeps any rolling minute at ≤ 60 starts;
//   - Xero's own word wins: a 429 (e.g. the minute spent by someone else)
//     waits its Retry-After and goes again (a person never sees a 429), and
//     X-DayLimit-Remaining at the reserve (or a 429 "day") stops the run with
//     DayLimitReached, to resume when the day's window opens;
//   - 5xx and dropped connections are retried with back-off (p-retry).
import Bottleneck from 'bottleneck';
import pRetry, { AbortError } from 'p-retry';
import pThrottle from 'p-throttle';
import { parseXeroError } from '../xero/accounting.js';

export interface PacerLimits {
  concurrent: number;
  perMinute: number;
  /** Calls kept back from the daily allowance for people's own single pushes. */
  dayReserve: number;
}

export const XERO_LIMITS: PacerLimits = { concurrent: 5, perMinute: 60, dayReserve: 50 };

/** Xero's daily allowance is spent: the run stops cleanly and resumes at `resumeAt`. */
export class DayLimitReached extends Error {
  constructor(readonly resumeAt: Date) {
    super("Xero's daily call limit for this organisation is reached; the run resumes tomorrow.");
  }
}

/** Xero answered with an HTTP error that is not about limits or availability (400, 401, 403, 404, 409…). */
export class XeroRejected extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`Xero answered ${statusCode} to ${what}`);
  }
}

export interface WaitNotice {
  reason: 'minute' | 'concurrent' | 'retry';
  untilMs: number;
}

interface Headers {
  [k: string]: unknown;
}

function header(h: Headers | undefined, name: string): string | undefined {
  if (!h) return undefined;
  const v = h[name] ?? h[name.toLowerCase()] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return v == null ? undefined : String(Array.isArray(v) ? v[0] : v);
}

export class XeroPacer {
  private readonly slots: Bottleneck;
  private readonly throttle: <T>(fn: () => Promise<T>) => Promise<T>;
  /** While Xero says the minute is spent: no new call starts before this time. */
  private pausedUntil = 0;
  /** Xero calls answered (including retried ones): the benchmark reads it. */
  calls = 0;
  rateLimited = 0;
  /** What Xero last said of this minute's allowance. */
  minuteRemaining: number | undefined;
  onWait: ((w: WaitNotice) => void) | undefined;

  constructor(
    readonly limits: PacerLimits = XERO_LIMITS,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.slots = new Bottleneck({ maxConcurrent: limits.concurrent });
    const t = pThrottle({ limit: limits.perMinute, interval: 60_000, strict: true });
    const gate = t(async () => undefined);
    this.throttle = async (fn) => {
      await gate();
      return fn();
    };
  }

  /** Set when Xero reports the day's allowance down to the reserve: the next call stops the run. */
  private dayResumeAt: Date | undefined;

  /** Runs one SDK call within the limits; resolves with its result or rejects with XeroRejected / DayLimitReached. */
  async call<T extends { response?: unknown }>(what: string, fn: () => Promise<T>): Promise<T> {
    // A 429 is waited out and tried again without counting as a failure; only
    // 5xx and network faults spend p-retry's bounded retries.
    for (;;) {
      try {
        return await pRetry(() => this.attempt(what, fn), { retries: 6, minTimeout: 250, maxTimeout: 4_000, factor: 2 });
      } catch (err) {
        if (err instanceof LimitWaited) continue;
        throw err;
      }
    }
  }

  private async attempt<T extends { response?: unknown }>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.dayResumeAt && this.dayResumeAt.getTime() > Date.now()) throw new AbortError(new DayLimitReached(this.dayResumeAt));
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) {
      this.onWait?.({ reason: 'minute', untilMs: this.pausedUntil });
      await this.sleep(wait);
    }
    try {
      const r = await this.slots.schedule(() => this.throttle(fn));
      this.calls++;
      this.observe((r.response as { headers?: Headers } | undefined)?.headers);
      return r;
    } catch (err) {
      const e = parseXeroError(err);
      if (e.statusCode === 0) throw err instanceof Error ? err : new Error(`Xero did not answer ${what}`); // network: retry
      this.calls++;
      if (e.statusCode === 429) {
        this.rateLimited++;
        const retryAfter = Math.max(1, Number(header(e.headers, 'retry-after')) || 1);
        const problem = header(e.headers, 'x-rate-limit-problem');
        if (problem === 'day') {
          this.dayResumeAt = new Date(Date.now() + retryAfter * 1000);
          throw new AbortError(new DayLimitReached(this.dayResumeAt));
        }
        const until = Date.now() + retryAfter * 1000;
        if (problem !== 'concurrent') this.pausedUntil = Math.max(this.pausedUntil, until);
        this.onWait?.({ reason: problem === 'concurrent' ? 'concurrent' : 'minute', untilMs: until });
        await this.sleep(retryAfter * 1000);
        throw new AbortError(new LimitWaited());
      }
      if (e.statusCode >= 500) throw new Error(`Xero answered ${e.statusCode} to ${what}`);
      throw new AbortError(new XeroRejected(e.statusCode, e.body, what));
    }
  }

  private observe(h: Headers | undefined): void {
    // X-MinLimit-Remaining: our own starts are already held to the rolling
    // minute; when others (single pushes, another app) spend it, Xero's 429
    // names the exact wait, which attempt() honours. Remaining is kept for display.
    const min = Number(header(h, 'x-minlimit-remaining'));
    if (Number.isFinite(min)) this.minuteRemaining = min;
    const day = Number(header(h, 'x-daylimit-remaining'));
    if (Number.isFinite(day) && day <= this.limits.dayReserve) {
      // Xero does not say when the oldest call leaves the day's window; a day from now is the safe bound.
      // The call that told us succeeded; the next one stops the run.
      this.dayResumeAt = new Date(Date.now() + 86_400_000);
    }
  }
}

/** A 429 was waited out; the call goes again. */
class LimitWaited extends Error {}

const pacers = new Map<string, XeroPacer>();

/** The process's pacer of one organisation (all bulk work of this process for the org goes through it). */
export function pacerFor(xeroTenantId: string, limits: PacerLimits = XERO_LIMITS): XeroPacer {
  let p = pacers.get(xeroTenantId);
  if (!p) {
    p = new XeroPacer(limits);
    pacers.set(xeroTenantId, p);
  }
  return p;
}
