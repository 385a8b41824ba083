// Our server against the ConnectWise simulator over HTTP: the memberHash
// exchange (good, forged, expired, unregistered, ConnectWise down), admin
// rights from the security role, the invoice read, and tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import { startStack, http, type TestStack } from '../support/stack.js';
import { startCwSim } from '../../sim/connectwise/index.js';
import { registerTenant } from '../../server/tenants.js';
import { apiMemberAuthorization } from '../../server/cw/client.js';

let stack: TestStack;
let other: Awaited<ReturnType<typeof startCwSim>>;
let simNow = Date.now();
const CLIENT_ID = '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d';

beforeAll(async () => {
  stack = await startStack({ cwSimOptions: { now: () => new Date(simNow) } });
  // A second ConnectWise company on its own simulator, registered on the same server.
  other = await startCwSim({ port: 0, companyId: 'otherco', publicKey: 'otherPub', privateKey: 'otherPriv' });
  await registerTenant(stack.server.deps, { companyId: 'OtherCo', siteUrl: other.url, clientId: CLIENT_ID, publicKey: 'otherPub', privateKey: 'otherPriv' });
});
afterAll(async () => {
  await other?.close();
  await stack?.close();
});

const api = (path: string) => `${stack.server.url}${path}`;

async function signIn(member: string, sim = stack.cwSim, companyid = 'democo') {
  return http(api('/api/session'), { json: { companyid, memberid: member, memberHash: sim.issueMemberHash(member) } });
}

/** The invoice as the simulated ConnectWise itself serves it to an API member. */
async function cwInvoice(id: number) {
  const r = await http(`${stack.cw.url}/v4_6_release/apis/3.0/finance/invoices/${id}`, {
    headers: { authorization: apiMemberAuthorization('democo', 'simPublicKey', 'simPrivateKey'), clientid: CLIENT_ID },
  });
  expect(r.status).toBe(200);
  return r.body as { id: number; invoiceNumber: string; total: number; company: { name: string }; currency?: { currencyCode?: string } };
}

describe('POST /api/session', () => {
  it('exchanges a good memberHash for a token naming the verified member (not an admin)', async () => {
    const r = await signIn('accountant');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ member: { identifier: 'accountant', name: 'Ana Accountant' }, tenant: 'democo', isAdmin: false });
    expect(r.body.token.split('.')).toHaveLength(3);
    expect(Date.parse(r.body.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('makes a member whose ConnectWise security role is Admin an admin', async () => {
    const r = await signIn('admin');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ member: { name: 'Alex Admin' }, isAdmin: true });
  });

  it('refuses a forged memberHash with 401 in words', async () => {
    const r = await http(api('/api/session'), { json: { companyid: 'democo', memberid: 'accountant', memberHash: 'forged-hash' } });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'member_not_verified' });
    expect(r.body.error.message).toMatch(/invalid or has expired/);
  });

  it('refuses a hash issued to another member', async () => {
    const r = await http(api('/api/session'), { json: { companyid: 'democo', memberid: 'admin', memberHash: stack.cwSim.issueMemberHash('tech') } });
    expect(r.status).toBe(401);
  });

  it('refuses an expired memberHash with 401', async () => {
    const memberHash = stack.cwSim.issueMemberHash('accountant');
    simNow += 901_000;
    try {
      const r = await http(api('/api/session'), { json: { companyid: 'democo', memberid: 'accountant', memberHash } });
      expect(r.status).toBe(401);
    } finally {
      simNow = Date.now();
    }
  });

  it('answers 404 "not registered" for an unknown company', async () => {
    const r = await http(api('/api/session'), { json: { companyid: 'nosuchco', memberid: 'accountant', memberHash: 'x' } });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('tenant_not_registered');
    expect(r.body.error.message).toMatch(/"nosuchco" is not registered/);
  });

  it('answers 400 naming the field for bad input', async () => {
    const r = await http(api('/api/session'), { json: { companyid: 'democo', memberid: 'x" or 1=1', memberHash: 'h' } });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('memberid');
    const r2 = await http(api('/api/session'), { json: { companyid: 'democo', memberid: 'accountant' } });
    expect(r2.status).toBe(400);
    expect(r2.body.error.field).toBe('memberHash');
    const r3 = await http(api('/api/session'), { method: 'POST', body: 'not json', headers: { 'content-type': 'application/json' } });
    expect(r3.status).toBe(400);
  });

  it('answers 503 in words when ConnectWise is failing', async () => {
    await http(`${stack.cw.url}/__sim/faults`, { json: { errorRate: 1 } });
    try {
      const r = await signIn('accountant');
      expect(r.status).toBe(503);
      expect(r.body.error.message).toMatch(/ConnectWise is not answering/);
    } finally {
      await http(`${stack.cw.url}/__sim/faults`, { json: { errorRate: 0 } });
    }
  });

  it('records sign-ins in the audit log with ids only', async () => {
    const rows = await stack.server.deps.db.k.selectFrom('audit_log').selectAll().where('tenant_id', '=', 'democo').execute();
    expect(rows.some((r) => r.action === 'session.created' && r.member_id === 'accountant')).toBe(true);
    expect(rows.some((r) => r.action === 'session.refused' && r.outcome === 'failure')).toBe(true);
  });
});

describe('GET /api/invoices/:id', () => {
  it('returns the invoice summary read live from ConnectWise, total exact to the cent', async () => {
    const { body: s } = await signIn('accountant');
    const cw = await cwInvoice(1001);
    const r = await http(api('/api/invoices/1001'), { token: s.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 1001, invoiceNumber: cw.invoiceNumber, customer: { name: cw.company.name } });
    expect(r.body.total).toBe(new Decimal(String(cw.total)).toFixed(2));
    expect(r.body.total).toMatch(/^-?\d+\.\d{2}$/);
    expect(r.body.currency).toBe(cw.currency?.currencyCode ?? '');
  });

  it('needs a session, and says so', async () => {
    const r = await http(api('/api/invoices/1001'));
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('no_session');
    const bad = await http(api('/api/invoices/1001'), { token: 'a.b.c' });
    expect(bad.status).toBe(401);
  });

  it('answers 404 naming the invoice, 400 for a bad id', async () => {
    const { body: s } = await signIn('accountant');
    const r = await http(api('/api/invoices/999999'), { token: s.token });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toMatch(/invoice 999999/);
    const bad = await http(api('/api/invoices/abc'), { token: s.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('id');
  });

  it("keeps tenants apart: a tenant's token reads only its own ConnectWise", async () => {
    const a = (await signIn('accountant')).body;
    const b = (await signIn('accountant', other.sim, 'otherco')).body;
    expect(b.tenant).toBe('otherco');
    // Tenant B's ConnectWise goes down: B's token now fails, whatever it asks for, while A's works.
    await http(`${other.url}/__sim/faults`, { json: { errorRate: 1 } });
    try {
      const viaB = await http(api('/api/invoices/1001?tenant=democo'), { token: b.token, headers: { 'x-tenant': 'democo' } });
      expect(viaB.status).toBe(503);
      const viaA = await http(api('/api/invoices/1001'), { token: a.token });
      expect(viaA.status).toBe(200);
    } finally {
      await http(`${other.url}/__sim/faults`, { json: { errorRate: 0 } });
    }
    // And a hash from one company's ConnectWise does not sign in to the other.
    const cross = await http(api('/api/session'), { json: { companyid: 'democo', memberid: 'accountant', memberHash: other.sim.issueMemberHash('accountant') } });
    expect(cross.status).toBe(401);
  });
});
