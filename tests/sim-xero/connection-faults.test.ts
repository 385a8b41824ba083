// The Xero simulator's injected 429s, dropped connections and held answers
// (sim/net-faults.ts), before and after the work, and their counts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HARBOUR_TENANT_ID, apiFetch, startXeroSim, userTokens, type Sim, type TokenSet } from './helpers.js';

let sim: Sim;
let tokens: TokenSet;
const T = HARBOUR_TENANT_ID;
const post = (path: string, body: unknown) => fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const contactNames = () => [...sim.sim.ctx.orgs.get(T)!.contacts.values()].map((c) => c.Name);
const createContact = (name: string, init: RequestInit = {}) => apiFetch(sim.url, tokens.access_token, T, '/Contacts', { method: 'PUT', body: JSON.stringify({ Contacts: [{ Name: name }] }), ...init });

beforeAll(async () => {
  sim = await startXeroSim({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await post('/__sim/reset', {});
  tokens = await userTokens(sim.url);
});

describe('connection faults', () => {
  it('a dropped connection before the work: no answer, nothing written', async () => {
    await post('/__sim/faults', { dropRate: 1, errorPhase: 'before' });
    await expect(createContact('Dropped Before Co')).rejects.toThrow();
    await post('/__sim/faults', { dropRate: 0 });
    expect(contactNames()).not.toContain('Dropped Before Co');
    expect(sim.sim.ctx.injected.drop).toBe(1);
  });

  it('a dropped connection after the work: no answer, the contact exists (a lost answer)', async () => {
    await post('/__sim/faults', { dropRate: 1, errorPhase: 'after' });
    await expect(createContact('Dropped After Co')).rejects.toThrow();
    await post('/__sim/faults', { dropRate: 0 });
    expect(contactNames()).toContain('Dropped After Co');
    // The simulator keeps serving after dropping a connection.
    expect((await apiFetch(sim.url, tokens.access_token, T, '/Organisation')).status).toBe(200);
  });

  it('a held answer: a client that waits less gives up; held before the work, the write still lands after the hold', async () => {
    await post('/__sim/faults', { timeoutRate: 1, timeoutMs: 600, errorPhase: 'before' });
    await expect(createContact('Held Before Co', { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(contactNames()).not.toContain('Held Before Co');
    await expect.poll(contactNames, { timeout: 5_000 }).toContain('Held Before Co');
    await post('/__sim/faults', { timeoutRate: 0 });
    expect(sim.sim.ctx.injected.timeout).toBe(1);
  });

  it('a held answer after the work: done at once, answered late (a patient client gets it)', async () => {
    await post('/__sim/faults', { timeoutRate: 1, timeoutMs: 300, errorPhase: 'after' });
    const t0 = Date.now();
    const r = await createContact('Held After Co');
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(contactNames()).toContain('Held After Co');
  });

  it('throttleRate answers a share of calls 429 with Retry-After, counted; "either" picks a phase per fault', async () => {
    await post('/__sim/faults', { throttleRate: 1, throttleRetryAfter: 3 });
    const r = await apiFetch(sim.url, tokens.access_token, T, '/Organisation');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(r.headers.get('x-rate-limit-problem')).toBe('minute');
    await post('/__sim/faults', { throttleRate: 0, errorRate5xx: 1, errorPhase: 'either' });
    const names = Array.from({ length: 40 }, (_, i) => `Either Co ${i}`);
    for (const n of names) expect((await createContact(n)).status).toBe(500);
    await post('/__sim/faults', { errorRate5xx: 0 });
    const landed = names.filter((n) => contactNames().includes(n)).length;
    // 40 coin flips: all on one side has odds of 1 in 2^39.
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(40);
    const state = await (await fetch(`${sim.url}/__sim/state`)).json();
    expect(state.injected).toEqual({ status5xx: 40, status429: 1, drop: 0, timeout: 0, afterWork: landed });
  });

  it('refuses bad fault settings, naming the field', async () => {
    for (const [body, field] of [[{ dropRate: 2 }, 'dropRate'], [{ timeoutMs: 0 }, 'timeoutMs'], [{ errorPhase: 'during' }, 'errorPhase'], [{ throttleRate: -1 }, 'throttleRate']] as const) {
      const r = await post('/__sim/faults', body);
      expect(r.status).toBe(400);
      expect((await r.json()).field).toBe(field);
    }
  });
});
