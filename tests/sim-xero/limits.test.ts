// Rate limits, injected faults and the sim-only controls.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Invoice } from 'xero-node';
import { bodyElementCount } from '../../sim/xero/api/guard.js';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID, apiFetch, sdkClient, sdkFailure, startXeroSim, userTokens, type Sim, type TokenSet } from './helpers.js';

let sim: Sim;
let tokens: TokenSet;
const T = HARBOUR_TENANT_ID;
const post = (path: string, body: unknown) => fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => { sim = await startXeroSim({ port: 0 }); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => {
  await post('/__sim/reset', {});
  tokens = await userTokens(sim.url);
});

describe('rate limits', () => {
  it('counts down X-MinLimit-Remaining / X-DayLimit-Remaining and answers the 61st call in a minute with 429', async () => {
    const first = await apiFetch(sim.url, tokens.access_token, T, '/Organisation');
    expect(first.headers.get('x-minlimit-remaining')).toBe('59');
    expect(first.headers.get('x-daylimit-remaining')).toBe('4999');
    expect(first.headers.get('x-appminlimit-remaining')).toBe('9999');
    for (let i = 2; i <= 60; i++) {
      const r = await apiFetch(sim.url, tokens.access_token, T, '/Currencies');
      expect(r.status).toBe(200);
      expect(r.headers.get('x-minlimit-remaining')).toBe(String(60 - i));
    }
    // the other organisation has its own budget
    const kiwi = await apiFetch(sim.url, tokens.access_token, KIWI_TENANT_ID, '/Organisation');
    expect(kiwi.headers.get('x-minlimit-remaining')).toBe('59');
    expect(kiwi.headers.get('x-appminlimit-remaining')).toBe('9939');

    const xero = sdkClient(sim.url, tokens);
    const limited = await sdkFailure(xero.accountingApi.getOrganisations(T));
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['x-rate-limit-problem']).toBe('minute');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers['x-minlimit-remaining']).toBe('0');

    await post('/__sim/clock', { advanceSeconds: retryAfter });
    const after = await apiFetch(sim.url, tokens.access_token, T, '/Organisation');
    expect(after.status).toBe(200);
  });

  it('the minute is rolling: a call frees its place a minute after it started, not at the next clock minute', async () => {
    const call = () => apiFetch(sim.url, tokens.access_token, T, '/Currencies');
    for (let i = 0; i < 30; i++) expect((await call()).status).toBe(200);
    await post('/__sim/clock', { advanceSeconds: 40 });
    for (let i = 0; i < 30; i++) expect((await call()).status).toBe(200);
    const full = await call();
    expect(full.status).toBe(429);
    // 25 s on, the first 30 are over a minute old (their places are free), the second 30 are not.
    await post('/__sim/clock', { advanceSeconds: 25 });
    for (let i = 0; i < 30; i++) expect((await call()).status).toBe(200);
    const again = await call();
    expect(again.status).toBe(429);
    expect(again.headers.get('x-rate-limit-problem')).toBe('minute');
    // The oldest call in the window started 25 s ago: its place frees in 35 s, not 60.
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(34);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(36);
  });

  it('stops at the daily limit with X-Rate-Limit-Problem: day', async () => {
    expect((await post('/__sim/faults', { limits: { perDay: 3 } })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await apiFetch(sim.url, tokens.access_token, T, '/Organisation')).status).toBe(200);
    const r = await apiFetch(sim.url, tokens.access_token, T, '/Organisation');
    expect(r.status).toBe(429);
    expect(r.headers.get('x-rate-limit-problem')).toBe('day');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(3600);
    await post('/__sim/clock', { advanceSeconds: 86_400 });
    // a day later the access token has long expired too; a fresh one gets through
    expect((await apiFetch(sim.url, tokens.access_token, T, '/Organisation')).status).toBe(401);
    const fresh = await userTokens(sim.url);
    expect((await apiFetch(sim.url, fresh.access_token, T, '/Organisation')).status).toBe(200);
  });

  it('allows 5 calls at once per organisation; the 6th concurrent call gets 429 concurrent', async () => {
    await post('/__sim/faults', { latencyMs: 1000 }); // long enough that all six overlap even on a busy machine
    const results = await Promise.all(Array.from({ length: 6 }, () => apiFetch(sim.url, tokens.access_token, T, '/Organisation')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.headers.get('x-rate-limit-problem')).toBe('concurrent');
    expect(refused.headers.get('retry-after')).toBeTruthy();
  });
});

describe('faults', () => {
  it('latencyPerElementMs adds to a write for each element of its body; a read carries none', async () => {
    expect(bodyElementCount('')).toBe(0);
    expect(bodyElementCount(JSON.stringify({ Invoices: [{}, {}, {}] }))).toBe(3);
    expect(bodyElementCount(JSON.stringify({ Type: 'ACCREC', LineItems: [{}, {}] }))).toBe(1);
    expect(bodyElementCount(JSON.stringify([{}, {}]))).toBe(2);
    expect(bodyElementCount('not json')).toBe(0);
    await post('/__sim/faults', { latencyPerElementMs: 200 });
    const contacts = Array.from({ length: 5 }, (_, i) => ({ Name: `Per Element ${i}` }));
    const t0 = Date.now();
    const r = await apiFetch(sim.url, tokens.access_token, T, '/Contacts', { method: 'PUT', body: JSON.stringify({ Contacts: contacts }) });
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5 * 200 - 20);
    expect((await (await fetch(`${sim.url}/__sim/state`)).json()).faults.latencyPerElementMs).toBe(200);
    expect((await post('/__sim/faults', { latencyPerElementMs: -1 })).status).toBe(400);
  });

  it('failNext answers 500 before doing anything; the retry succeeds', async () => {
    await post('/__sim/faults', { failNext: 1 });
    const xero = sdkClient(sim.url, tokens);
    const fail = await sdkFailure(xero.accountingApi.createContacts(T, { contacts: [{ name: 'Flaky Co' }] }));
    expect(fail.statusCode).toBe(500);
    expect((await xero.accountingApi.getContacts(T)).body.contacts).toHaveLength(0);
    await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Flaky Co' }] });
    expect((await xero.accountingApi.getContacts(T)).body.contacts).toHaveLength(1);
  });

  it('errorPhase "after" loses the response of a completed write; an idempotent retry replays it', async () => {
    const xero = sdkClient(sim.url, tokens);
    const contactID = (await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Lost Response Co' }] })).body.contacts![0]!.contactID!;
    await post('/__sim/faults', { failNext: 1, errorPhase: 'after' });
    const body = { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID }, lineItems: [{ description: 'Support', quantity: 1, unitAmount: 10, accountCode: '200' }] }] };
    const fail = await sdkFailure(xero.accountingApi.createInvoices(T, body, undefined, undefined, 'lost-1'));
    expect(fail.statusCode).toBe(500);
    const retry = await xero.accountingApi.createInvoices(T, body, undefined, undefined, 'lost-1');
    const all = (await xero.accountingApi.getInvoices(T)).body.invoices!;
    expect(all).toHaveLength(1);
    expect(retry.body.invoices![0]!.invoiceID).toBe(all[0]!.invoiceID);
    expect(retry.body.invoices![0]!.total).toBe(11);
  });

  it('throttleNext injects 429s with Retry-After that do not count against the minute', async () => {
    await post('/__sim/faults', { throttleNext: 2, throttleRetryAfter: 7 });
    const a = await apiFetch(sim.url, tokens.access_token, T, '/Organisation');
    const b = await apiFetch(sim.url, tokens.access_token, T, '/Organisation');
    expect([a.status, b.status]).toEqual([429, 429]);
    expect(b.headers.get('retry-after')).toBe('7');
    expect(b.headers.get('x-rate-limit-problem')).toBe('minute');
    expect(b.headers.get('x-minlimit-remaining')).toBe('60');
    const c = await apiFetch(sim.url, tokens.access_token, T, '/Organisation');
    expect(c.status).toBe(200);
    expect(c.headers.get('x-minlimit-remaining')).toBe('59');
  });

  it('errorRate5xx=1 fails every call, 0 none', async () => {
    await post('/__sim/faults', { errorRate5xx: 1 });
    expect((await apiFetch(sim.url, tokens.access_token, T, '/Organisation')).status).toBe(500);
    await post('/__sim/faults', { errorRate5xx: 0 });
    expect((await apiFetch(sim.url, tokens.access_token, T, '/Organisation')).status).toBe(200);
  });
});

describe('sim controls', () => {
  it('validate their bodies with a 400 naming the field', async () => {
    const bad = await post('/__sim/faults', { errorRate5xx: 2 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).field).toBe('errorRate5xx');
    const unknown = await post('/__sim/clock', { advance: 5 });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).field).toBe('advance');
    const neg = await post('/__sim/clock', { speed: -1 });
    expect((await neg.json()).field).toBe('speed');
  });

  it('state reports counts and ids only, and reset clears everything', async () => {
    const xero = sdkClient(sim.url, tokens);
    await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Secret Name Pty Ltd' }] });
    const state = await (await fetch(`${sim.url}/__sim/state`)).json();
    const harbour = state.organisations.find((o: { tenantId: string }) => o.tenantId === T);
    expect(harbour.contacts).toBe(1);
    expect(harbour.apiCalls).toBe(1);
    expect(JSON.stringify(state)).not.toContain('Secret Name');
    await post('/__sim/reset', {});
    const after = await (await fetch(`${sim.url}/__sim/state`)).json();
    expect(after.organisations.find((o: { tenantId: string }) => o.tenantId === T).contacts).toBe(0);
    expect(after.grants).toEqual([]);
    // tokens from before the reset no longer work
    expect((await apiFetch(sim.url, tokens.access_token, T, '/Organisation')).status).toBe(401);
  });

  it('clock speed makes sim time run faster', async () => {
    const r = await (await post('/__sim/clock', { speed: 3600 })).json();
    expect(r.speed).toBe(3600);
    await new Promise((res) => setTimeout(res, 600)); // ≈ 36 sim minutes
    expect((await apiFetch(sim.url, tokens.access_token, T, '/Organisation')).status).toBe(401);
  });
});
