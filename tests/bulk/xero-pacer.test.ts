// The per-organisation pacer on its own, with a fake Xero: never more than
// `concurrent` calls in flight, never more than `perMinute` starts in a
// rolling minute, a 429 waited out (Retry-After) and retried without reaching
// the caller, 5xx retried, a 400 passed on at once, and the daily allowance
// stopping with DayLimitReached — after the call that reported it succeeded.
import { describe, expect, it } from 'vitest';
import { DayLimitReached, XeroPacer, XeroRejected } from '../../server/bulk/xero-pacer.js';

const ok = (headers: Record<string, string> = {}) => ({ response: { headers }, body: {} });
const rejection = (statusCode: number, headers: Record<string, string> = {}, body: unknown = {}) => JSON.stringify({ response: { statusCode, headers, body } });

describe('XeroPacer', () => {
  it('keeps within the concurrent limit', async () => {
    const pacer = new XeroPacer({ concurrent: 3, perMinute: 1000, dayReserve: 0 });
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        pacer.call('x', async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
          return ok();
        }),
      ),
    );
    expect(most).toBe(3);
    expect(pacer.calls).toBe(20);
  });

  it('holds a rolling window of starts', async () => {
    // 5 a "minute" of 60 s would take too long: the window is the library's; check it delays the 6th.
    const pacer = new XeroPacer({ concurrent: 5, perMinute: 5, dayReserve: 0 });
    const starts: number[] = [];
    const t0 = Date.now();
    const calls = Array.from({ length: 6 }, () => pacer.call('x', async () => (starts.push(Date.now() - t0), ok())));
    await Promise.race([Promise.all(calls), new Promise((r) => setTimeout(r, 400))]);
    expect(starts.length).toBe(5); // the sixth waits for the first to leave the minute
  });

  it('waits out a 429 and retries without the caller seeing it; reports the wait', async () => {
    const slept: number[] = [];
    const pacer = new XeroPacer({ concurrent: 5, perMinute: 60, dayReserve: 0 }, async (ms) => void slept.push(ms));
    const waits: string[] = [];
    pacer.onWait = (w) => waits.push(w.reason);
    let n = 0;
    const r = await pacer.call('invoices', async () => {
      n++;
      if (n <= 2) throw rejection(429, { 'retry-after': '7', 'x-rate-limit-problem': 'minute' });
      return ok();
    });
    expect(r.body).toEqual({});
    expect(n).toBe(3);
    expect(slept.filter((ms) => ms >= 7000).length).toBeGreaterThanOrEqual(2);
    expect(waits).toContain('minute');
    expect(pacer.rateLimited).toBe(2);
  });

  it('retries 5xx and passes a 400 on at once', async () => {
    const pacer = new XeroPacer({ concurrent: 5, perMinute: 60, dayReserve: 0 });
    let n = 0;
    await pacer.call('x', async () => {
      if (++n < 3) throw rejection(503);
      return ok();
    });
    expect(n).toBe(3);
    let m = 0;
    const err = await pacer
      .call('x', async () => {
        m++;
        throw rejection(400, {}, { Message: 'bad' });
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XeroRejected);
    expect((err as XeroRejected).statusCode).toBe(400);
    expect(m).toBe(1);
  });

  it('stops for the day after the call that reported the allowance at the reserve, or on a 429 "day"', async () => {
    const pacer = new XeroPacer({ concurrent: 5, perMinute: 60, dayReserve: 10 });
    const first = await pacer.call('x', async () => ok({ 'x-daylimit-remaining': '10', 'x-minlimit-remaining': '40' }));
    expect(first.body).toEqual({});
    expect(pacer.minuteRemaining).toBe(40);
    let called = false;
    const err = await pacer.call('x', async () => ((called = true), ok())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DayLimitReached);
    expect(called).toBe(false);
    expect((err as DayLimitReached).message).toMatch(/resumes tomorrow/);

    const other = new XeroPacer({ concurrent: 5, perMinute: 60, dayReserve: 0 });
    const e2 = await other.call('x', async () => Promise.reject(rejection(429, { 'retry-after': '3600', 'x-rate-limit-problem': 'day' }))).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(DayLimitReached);
    expect((e2 as DayLimitReached).resumeAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
  });
});
