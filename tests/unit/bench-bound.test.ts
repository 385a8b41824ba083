// The benchmark's bound: the least time Xero's limits allow for the fewest calls a month end needs.
import { describe, expect, it } from 'vitest';
import { leastTimeMs, monthEndBound } from '../../bench/bound.js';

const XERO = { concurrent: 5, perMinute: 60 };
const LATENCY = { perCallMs: 300, perElementMs: 10 };

describe('month-end bound', () => {
  it('counts the fewest calls: six reads, a write per 50 customers and per 50 invoices', () => {
    expect(monthEndBound({ customers: 1500, invoices: 5000, latency: LATENCY, limits: XERO }).calls).toBe(6 + 30 + 100);
    expect(monthEndBound({ customers: 51, invoices: 1, latency: LATENCY, limits: XERO }).calls).toBe(6 + 2 + 1);
  });

  it('5,000 invoices for 1,500 customers: the third rolling minute starts at 120 s, and its 16 writes of 0.8 s go 5 at a time', () => {
    // Calls 120–135 may start no sooner than a minute after calls 60–75, two after calls 0–15;
    // 16 calls at 5 at once are four rounds of 0.8 s: the last starts at 122.4 s.
    expect(monthEndBound({ customers: 1500, invoices: 5000, latency: LATENCY, limits: XERO }).seconds).toBeCloseTo(123.2, 6);
  });

  it('one invoice for one customer: five reads at once, then the sixth beside the two writes', () => {
    expect(monthEndBound({ customers: 1, invoices: 1, latency: LATENCY, limits: XERO }).seconds).toBeCloseTo(0.3 + 0.31, 6);
  });

  it('the minute is rolling: the 61st call starts a minute after the first, not at the next clock minute', () => {
    expect(leastTimeMs(Array.from({ length: 61 }, () => 0), XERO)).toBe(60_000);
    // One at a time: the first call lasts 30 s, the next 59 all start at 30 s. The 61st may start a minute
    // after the first (60 s), the 62nd only a minute after the second (90 s), not at the next clock minute.
    const calls = [30_000, ...Array.from({ length: 59 }, () => 0)];
    expect(leastTimeMs([...calls, 0], { concurrent: 1, perMinute: 60 })).toBe(60_000);
    expect(leastTimeMs([...calls, 0, 0], { concurrent: 1, perMinute: 60 })).toBe(90_000);
  });

  it('five at once: ten one-second calls take two seconds', () => {
    expect(leastTimeMs(Array.from({ length: 10 }, () => 1000), XERO)).toBe(2000);
    expect(leastTimeMs(Array.from({ length: 11 }, () => 1000), XERO)).toBe(3000);
  });
});
