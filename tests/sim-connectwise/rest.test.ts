import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, API_AUTH, basic, CLIENT_ID, startSim, type Sim } from './helpers.js';

let sim: Sim;
let clock = new Date('2026-05-04T09:00:00Z');
beforeAll(async () => {
  sim = await startSim({ now: () => clock });
});
afterAll(() => sim.close());

describe('health and auth', () => {
  it('GET /healthz answers 200 without credentials', async () => {
    const r = await fetch(`${sim.url}/healthz`);
    expect(r.status).toBe(200);
  });

  it('refuses a missing Authorization with ConnectWise error JSON', async () => {
    const r = await sim.get('/system/info', { authorization: '' });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ code: 'Unauthorized', message: expect.stringMatching(/Basic/) });
  });

  it('refuses a wrong private key, a wrong company and a wrong public key', async () => {
    for (const auth of [basic('democo+simPublicKey', 'nope'), basic('otherco+simPublicKey', 'simPrivateKey'), basic('democo+other', 'simPrivateKey'), 'Bearer abc']) {
      const r = await sim.get('/system/info', { authorization: auth });
      expect(r.status, auth).toBe(401);
      expect(typeof r.json.code).toBe('string');
      expect(typeof r.json.message).toBe('string');
    }
  });

  it('needs a clientId header that is a UUID', async () => {
    const missing = await fetch(`${sim.url}${API}/system/info`, { headers: { authorization: API_AUTH } });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { message: string }).message).toMatch(/clientId/);
    const bad = await sim.get('/system/info', { clientId: 'not-a-uuid' });
    expect(bad.status).toBe(401);
    expect(bad.json.message).toMatch(/clientId/);
  });

  it('accepts the API member keys, company id in any case', async () => {
    const r = await sim.get('/system/info', { authorization: basic('DemoCo+simPublicKey', 'simPrivateKey') });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ isCloud: true, version: expect.any(String) });
  });
});

describe('member-hash credentials', () => {
  const memberAuth = (member: string, hash: string) => basic(`democo+${member}`, hash);

  it('a fresh hash reads as that member; writes are refused', async () => {
    const hash = sim.sim.issueMemberHash('accountant');
    const r = await sim.get('/system/members?conditions=identifier="accountant"', { authorization: memberAuth('accountant', hash) });
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(1);
    expect(r.json[0]).toMatchObject({ identifier: 'accountant', firstName: 'Ana', lastName: 'Accountant', securityRole: { name: 'Finance' } });
    const w = await sim.call('POST', '/finance/accounting/batches', { processedRecordIds: [5001], exportInvoicesFlag: true }, { authorization: memberAuth('accountant', hash) });
    expect(w.status).toBe(403);
  });

  it('the host page endpoint issues hashes that work the same way', async () => {
    const r = await fetch(`${sim.url}/__sim/member-hash`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ member: 'admin' }) });
    const auth = (await r.json()) as { memberHash: string; memberid: string; companyid: string; site: string; memberEmail: string };
    expect(auth).toMatchObject({ memberid: 'admin', companyid: 'democo', memberEmail: 'admin@democo.example', site: new URL(sim.url).host });
    const ok = await sim.get('/system/members?conditions=identifier="admin"', { authorization: memberAuth('admin', auth.memberHash) });
    expect(ok.status).toBe(200);
  });

  it('an expired hash is refused (by the sim clock)', async () => {
    const hash = sim.sim.issueMemberHash('accountant');
    clock = new Date(clock.getTime() + 899_000);
    expect((await sim.get('/system/info', { authorization: memberAuth('accountant', hash) })).status).toBe(200);
    clock = new Date(clock.getTime() + 2_000);
    const r = await sim.get('/system/info', { authorization: memberAuth('accountant', hash) });
    expect(r.status).toBe(401);
    expect(r.json.message).toMatch(/expired/);
  });

  it('a forged hash and another member’s hash are refused', async () => {
    expect((await sim.get('/system/info', { authorization: memberAuth('accountant', 'forged-hash-value') })).status).toBe(401);
    const techHash = sim.sim.issueMemberHash('tech');
    expect((await sim.get('/system/info', { authorization: memberAuth('accountant', techHash) })).status).toBe(401);
    expect((await sim.get('/system/info', { authorization: memberAuth('tech', techHash) })).status).toBe(200);
  });

  it('a hash on the wrong company is refused', async () => {
    const hash = sim.sim.issueMemberHash('tech');
    expect((await sim.get('/system/info', { authorization: basic('otherco+tech', hash) })).status).toBe(401);
  });
});

describe('list semantics', () => {
  it('pages with Link headers while more remain', async () => {
    const p1 = await sim.get('/finance/invoices?pageSize=5');
    expect(p1.status).toBe(200);
    expect(p1.json.map((i: { id: number }) => i.id)).toEqual([1001, 1002, 1003, 1004, 1005]);
    const link1 = p1.headers.get('link')!;
    const rel = (name: string) => new URL(new RegExp(`<([^>]+)>; rel="${name}"`).exec(link1)![1]!);
    expect(rel('next').searchParams.get('page')).toBe('2');
    expect(rel('next').searchParams.get('pageSize')).toBe('5');
    expect(rel('last').searchParams.get('page')).toBe('4');
    expect(rel('next').origin).toBe(sim.url);
    expect(link1).not.toMatch(/rel="prev"/);
    const p4 = await sim.get('/finance/invoices?pageSize=5&page=4');
    expect(p4.json.map((i: { id: number }) => i.id)).toEqual([1016]);
    expect(p4.headers.get('link')).not.toMatch(/rel="next"/);
    expect(p4.headers.get('link')).toMatch(/rel="prev"/);
    const beyond = await sim.get('/finance/invoices?pageSize=5&page=9');
    expect(beyond.json).toEqual([]);
  });

  it('defaults to 25 a page, clamps pageSize above 1000, refuses bad paging', async () => {
    const all = await sim.get('/finance/invoices');
    expect(all.json).toHaveLength(16);
    expect(all.headers.get('link')).toBeNull();
    const big = await sim.get('/finance/invoices?pageSize=5000');
    expect(big.status).toBe(200);
    expect(big.json).toHaveLength(16);
    for (const q of ['pageSize=0', 'page=0', 'page=abc', 'pageSize=2.5']) {
      const r = await sim.get(`/finance/invoices?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.errors[0].field).toBe(q.split('=')[0]);
    }
  });

  it('filters with conditions and says where a malformed one breaks', async () => {
    const r = await sim.get(`/finance/invoices?conditions=${encodeURIComponent('company/id=250 and total>1000')}&fields=id`);
    expect(r.json).toEqual([{ id: 1001 }, { id: 1003 }]);
    const like = await sim.get(`/company/companies?conditions=${encodeURIComponent('name like "*ltd" and country/name="New Zealand"')}&fields=identifier`);
    expect(like.json).toEqual([{ identifier: 'KauriEng' }, { identifier: 'TasmanRetail' }]);
    const bad = await sim.get(`/finance/invoices?conditions=${encodeURIComponent('total>')}`);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/conditions: .*position 6/);
  });

  it('answers reads by id or identifier as any other condition does (the simulator builds only those records)', async () => {
    const byIds = await sim.get(`/finance/invoices?conditions=${encodeURIComponent('id in (1003, 1001, 999999)')}&fields=id`);
    expect(byIds.json).toEqual([{ id: 1001 }, { id: 1003 }]);
    const one = await sim.get(`/finance/invoices?conditions=${encodeURIComponent('ID = 1001')}&fields=id`);
    expect(one.json).toEqual([{ id: 1001 }]);
    const unposted = await sim.get(`/finance/accounting/unpostedinvoices?conditions=${encodeURIComponent('id in (5011)')}&fields=id,billingLogId`);
    expect(unposted.json).toEqual([{ id: 5011, billingLogId: 1011 }]);
    const created = await sim.post('/finance/accounting/batches', { batchIdentifier: 'Narrow-Check', exportInvoicesFlag: true, processedRecordIds: [5011] });
    expect(created.status).toBe(201);
    // ConnectWise compares text in any case.
    const batch = await sim.get(`/finance/accounting/batches?conditions=${encodeURIComponent('batchIdentifier in ("narrow-check", "none")')}&fields=batchIdentifier`);
    expect(batch.json).toEqual([{ batchIdentifier: 'Narrow-Check' }]);
    expect((await sim.get(`/finance/accounting/unpostedinvoices?conditions=${encodeURIComponent('id in (5011)')}`)).json).toEqual([]);
    const again = await sim.post('/finance/accounting/batches', { batchIdentifier: 'NARROW-CHECK', exportInvoicesFlag: true, processedRecordIds: [5012] });
    expect(again.status).toBe(400);
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
  });

  it('orders by one or more fields', async () => {
    const r = await sim.get('/finance/invoices?orderBy=total desc&fields=id,total&pageSize=3');
    const totals = r.json.map((i: { total: number }) => i.total);
    expect(totals).toEqual([...totals].sort((a: number, b: number) => b - a));
    const two = await sim.get('/company/companies?orderBy=territory/name asc, name desc&fields=name');
    expect(two.json.map((c: { name: string }) => c.name)).toEqual([
      'Tasman Retail Ltd', 'Kauri Engineering Ltd', 'Exeed Distribution',
      'Sunrise Physiotherapy', 'Pacific Rim Exports Inc', 'Northside Community Trust', 'Ingram Micro Australia Pty Ltd', 'Harbour Dental Group', 'Dicker Data Limited', 'Blue Gum Logistics Pty Ltd',
    ]);
    expect((await sim.get('/finance/invoices?orderBy=total sideways')).status).toBe(400);
  });

  it('trims with fields, nested a/b', async () => {
    const r = await sim.get('/company/contacts/2501?fields=firstName,company/identifier,communicationItems');
    expect(Object.keys(r.json).sort()).toEqual(['communicationItems', 'company', 'firstName']);
    expect(r.json.company).toEqual({ identifier: 'HarbourDental' });
    expect(r.json.communicationItems).toContainEqual(expect.objectContaining({ communicationType: 'Email', value: 'accounts@harbourdental.example' }));
  });

  it('counts, with conditions', async () => {
    expect((await sim.get('/finance/invoices/count')).json).toEqual({ count: 16 });
    expect((await sim.get(`/finance/invoices/count?conditions=${encodeURIComponent('locationId=2')}`)).json).toEqual({ count: 4 });
    expect((await sim.get('/system/members/count')).json).toEqual({ count: 3 });
  });

  it('404 with ConnectWise error JSON for an unknown record or path', async () => {
    const r = await sim.get('/company/companies/9999');
    expect(r.status).toBe(404);
    expect(r.json.code).toBe('NotFound');
    expect((await sim.get('/no/such/thing')).status).toBe(404);
  });
});

describe('seeded records', () => {
  it('members per the contract', async () => {
    const r = await sim.get('/system/members?fields=identifier,firstName,lastName,securityRole/name,officeEmail,defaultLocation/id');
    expect(r.json).toEqual([
      { identifier: 'admin', firstName: 'Alex', lastName: 'Admin', officeEmail: 'admin@democo.example', securityRole: { name: 'Admin' }, defaultLocation: { id: 1 } },
      { identifier: 'accountant', firstName: 'Ana', lastName: 'Accountant', officeEmail: 'accountant@democo.example', securityRole: { name: 'Finance' }, defaultLocation: { id: 1 } },
      { identifier: 'tech', firstName: 'Tom', lastName: 'Technician', officeEmail: 'tech@democo.example', securityRole: { name: 'Technician' }, defaultLocation: { id: 1 } },
    ]);
  });
  it('two billing locations', async () => {
    expect((await sim.get('/system/locations?fields=id,name')).json).toEqual([{ id: 1, name: 'Sydney' }, { id: 2, name: 'Auckland' }]);
  });
  it('companies carry account numbers, billing and default contacts, terms and tax codes', async () => {
    const c = (await sim.get('/company/companies/252')).json;
    expect(c).toMatchObject({ name: 'Northside Community Trust', accountNumber: 'NCT003', taxCode: { name: 'EXEMPT' }, billingTerms: { name: 'Net 30' }, billingContact: { id: 2521 }, defaultContact: { id: 2522 } });
    const nz = (await sim.get('/company/companies/253')).json;
    expect(nz).toMatchObject({ currency: { currencyCode: 'NZD' }, taxCode: { name: 'NZGST' }, territory: { id: 2 } });
  });
  it('invoices carry PO, terms, bill-to address, location and currency; amounts add up', async () => {
    const inv = (await sim.get('/finance/invoices/1006')).json;
    expect(inv).toMatchObject({ invoiceNumber: 'INV-1006', customerPO: 'KE-2026-031', billingTerms: { name: 'Net 20' }, billingSiteCity: 'Auckland', locationId: 2, currency: { currencyCode: 'NZD' }, date: '2026-03-09T00:00:00Z', dueDate: '2026-03-29T00:00:00Z' });
    // 6 × 185 = 1110.00; 4 × 329 = 1316.00; 10 × 12.9565 = 129.565 → 129.57 (half up)
    expect(inv.subtotal).toBe(2555.57);
    // tax per line: 166.50 + 197.40 + 19.4355→19.44 = 383.34
    expect(inv.salesTax).toBe(383.34);
    expect(inv.total).toBe(2938.91);
  });
});

describe('sim controls', () => {
  it('faults: 429 with Retry-After, then 500/503, validated', async () => {
    const set = (b: unknown) => fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    expect((await set({ rate429: 2 })).status).toBe(400);
    expect((await set({ surprise: 1 })).status).toBe(400);
    expect((await set({ rate429: 1, retryAfterSeconds: 7 })).status).toBe(200);
    const r = await sim.get('/system/info');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.json.code).toBe('TooManyRequests');
    await set({ rate429: 0, errorRate: 1 });
    const e = await sim.get('/system/info');
    expect([500, 503]).toContain(e.status);
    expect(typeof e.json.message).toBe('string');
    await set({ errorRate: 0, latencyMs: 150 });
    const t0 = Date.now();
    expect((await sim.get('/system/info')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    expect((await sim.get('/system/info')).status).toBe(200);
  });

  it('counts API calls and the most in flight at once, latency included (the benchmark reads them)', async () => {
    const set = (b: unknown) => fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    await set({ latencyMs: 300 });
    await Promise.all(Array.from({ length: 3 }, () => sim.get('/system/info')));
    await sim.get('/system/info');
    const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as { traffic: { calls: number; inFlight: number; peakInFlight: number } };
    expect(state.traffic.calls).toBe(4);
    expect(state.traffic.inFlight).toBe(0);
    // Three sent at once, each waiting 300 ms: at least two overlapped even on a busy machine; never more than three.
    expect(state.traffic.peakInFlight).toBeGreaterThanOrEqual(2);
    expect(state.traffic.peakInFlight).toBeLessThanOrEqual(3);
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    const after = (await (await fetch(`${sim.url}/__sim/state`)).json()) as { traffic: { calls: number; peakInFlight: number } };
    expect(after.traffic).toMatchObject({ calls: 0, peakInFlight: 0 });
  });

  it('edits an invoice line for "changed since sync" and reset restores it', async () => {
    const before = (await sim.get('/finance/invoices/1011')).json;
    const line = (await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: [5011] })).json.transactions[0].detail[0];
    const r = await fetch(`${sim.url}/__sim/invoices/1011`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines: [{ id: line.id, quantity: '21' }] }) });
    expect(r.status).toBe(200);
    const after = (await sim.get('/finance/invoices/1011')).json;
    expect(after.subtotal).toBe(762.3); // 21 × 36.30
    expect(after._info.lastUpdated).not.toBe(before._info.lastUpdated);
    const bad = await fetch(`${sim.url}/__sim/invoices/1011`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines: [{ id: 1, quantity: 'two' }] }) });
    expect(bad.status).toBe(400);
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    expect((await sim.get('/finance/invoices/1011')).json.subtotal).toBe(before.subtotal);
  });
});

void CLIENT_ID;
