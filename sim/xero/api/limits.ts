// Xero's rate limits per organisation (concurrent, per minute, per day) and
// app-wide per minute. The windows are rolling and read the sim clock; a call
// refused with 429 does not count against the windows.
import type { RateLimits } from '../options.js';

export type LimitProblem = 'concurrent' | 'minute' | 'day' | 'appminute';

export interface Admission {
  ok: boolean;
  problem?: LimitProblem;
  retryAfterSeconds?: number;
  headers: Record<string, string>;
  release: () => void;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

export class RateLimiter {
  private inFlight = new Map<string, number>();
  private minute = new Map<string, number[]>();
  private day = new Map<string, number[]>();
  private app: number[] = [];

  constructor(
    public limits: RateLimits,
    private now: () => number,
  ) {}

  reset(): void {
    this.inFlight.clear();
    this.minute.clear();
    this.day.clear();
    this.app = [];
  }

  setLimits(limits: RateLimits): void {
    this.limits = limits;
  }

  admit(tenantId: string): Admission {
    const t = this.now();
    const minute = prune(this.minute.get(tenantId) ?? [], t - MINUTE);
    const day = prune(this.day.get(tenantId) ?? [], t - DAY);
    this.app = prune(this.app, t - MINUTE);
    this.minute.set(tenantId, minute);
    this.day.set(tenantId, day);
    const inFlight = this.inFlight.get(tenantId) ?? 0;
    const L = this.limits;

    const refuse = (problem: LimitProblem, retryAfterSeconds: number): Admission => ({
      ok: false,
      problem,
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)),
      headers: this.headers(minute.length, day.length),
      release: () => {},
    });
    if (day.length >= L.perDay) return refuse('day', (day[0]! + DAY - t) / 1000);
    if (this.app.length >= L.appPerMinute) return refuse('appminute', (this.app[0]! + MINUTE - t) / 1000);
    if (minute.length >= L.perMinute) return refuse('minute', (minute[0]! + MINUTE - t) / 1000);
    if (inFlight >= L.concurrent) return refuse('concurrent', 1);

    minute.push(t);
    day.push(t);
    this.app.push(t);
    this.inFlight.set(tenantId, inFlight + 1);
    let released = false;
    return {
      ok: true,
      headers: this.headers(minute.length, day.length),
      release: () => {
        if (released) return;
        released = true;
        this.inFlight.set(tenantId, Math.max(0, (this.inFlight.get(tenantId) ?? 1) - 1));
      },
    };
  }

  snapshot(tenantId: string): { inFlight: number; lastMinute: number; lastDay: number } {
    const t = this.now();
    return {
      inFlight: this.inFlight.get(tenantId) ?? 0,
      lastMinute: prune(this.minute.get(tenantId) ?? [], t - MINUTE).length,
      lastDay: prune(this.day.get(tenantId) ?? [], t - DAY).length,
    };
  }

  /** The remaining-calls headers as they stand, without counting a call. */
  currentHeaders(tenantId: string): Record<string, string> {
    const u = this.snapshot(tenantId);
    this.app = prune(this.app, this.now() - MINUTE);
    return this.headers(u.lastMinute, u.lastDay);
  }

  private headers(minuteUsed: number, dayUsed: number): Record<string, string> {
    return {
      'X-MinLimit-Remaining': String(Math.max(0, this.limits.perMinute - minuteUsed)),
      'X-DayLimit-Remaining': String(Math.max(0, this.limits.perDay - dayUsed)),
      'X-AppMinLimit-Remaining': String(Math.max(0, this.limits.appPerMinute - this.app.length)),
    };
  }
}

function prune(times: number[], after: number): number[] {
  let i = 0;
  while (i < times.length && times[i]! <= after) i++;
  return i ? times.slice(i) : times;
}
