// The organisation's call scheduler: at most N in flight, at most M started in
// any rolling minute, a pause when Xero says so, and a person's call ahead of
// queued run work. Bounds, not exact counts (the machine may be busy).
import { describe, expect, it } from 'vitest';
import { MINUTE_MARGIN_MS, OrgScheduler } from '../../server/engine/scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('OrgScheduler', () => {
  it('never has more than the concurrent limit in flight', async () => {
    const s = new OrgScheduler({ concurrent: 3, perMinute: 1000 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const release = await s.acquire('run');
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(15);
        inFlight--;
        release();
      }),
    );
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(s.peakInFlight).toBeLessThanOrEqual(3);
  });

  it("counts a call in the minute from its answer: a call that reached Xero late cannot make the next window's first call early", async () => {
    let now = 0;
    const s = new OrgScheduler({ concurrent: 10, perMinute: 1 }, () => now);
    const release = await s.acquire('run');
    now = 800; // its answer comes 800 ms after we let it go; Xero counted it somewhere in between
    release();
    let second = false;
    const p = s.acquire('run').then((r) => {
      second = true;
      r();
    });
    now = 60_001 + MINUTE_MARGIN_MS; // a minute after its start, not after its answer: not yet
    s.pauseUntil(0);
    await sleep(20);
    expect(second).toBe(false);
    now = 60_801 + MINUTE_MARGIN_MS; // a minute after its answer
    s.pauseUntil(0);
    await p;
    expect(second).toBe(true);
  });

  it('holds a rolling minute of starts: the next call waits for the oldest to leave the window', async () => {
    let now = 0;
    const s = new OrgScheduler({ concurrent: 10, perMinute: 2 }, () => now);
    (await s.acquire('run'))();
    (await s.acquire('run'))();
    let third = false;
    const p = s.acquire('run').then((r) => {
      third = true;
      r();
    });
    await sleep(20);
    expect(third).toBe(false);
    now = 59_999 + MINUTE_MARGIN_MS; // not yet: our minute has a margin (Xero counts a start when it arrives)
    s.pauseUntil(0); // nudge the pump (as any release or new call would)
    await sleep(20);
    expect(third).toBe(false);
    now = 60_001 + MINUTE_MARGIN_MS; // the first start leaves the window
    s.pauseUntil(0); // nudge the pump (as any release or new call would)
    await p;
    expect(third).toBe(true);
  });

  it("a person's call goes ahead of queued run work", async () => {
    const s = new OrgScheduler({ concurrent: 1, perMinute: 1000 });
    const order: string[] = [];
    const first = await s.acquire('run');
    const runs = [1, 2, 3].map((i) => s.acquire('run').then((r) => (order.push(`run${i}`), r())));
    const person = s.acquire('person').then((r) => (order.push('person'), r()));
    first();
    await Promise.all([...runs, person]);
    expect(order[0]).toBe('person');
    expect(order).toHaveLength(4);
  });

  it('starts nothing while paused (Xero said the minute is spent)', async () => {
    const s = new OrgScheduler({ concurrent: 5, perMinute: 1000 });
    const until = Date.now() + 150;
    s.pauseUntil(until);
    const started = await s.acquire('person').then((r) => (r(), Date.now()));
    expect(started).toBeGreaterThanOrEqual(until - 5);
  });
});
