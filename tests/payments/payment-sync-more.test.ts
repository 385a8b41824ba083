// More of the payment sync over HTTP: few Xero calls when nothing changed
// (If-Modified-Since watermarks), paging, Xero's 429 honoured, a credit memo
// ConnectWise applied itself is not reported again, tenants isolated, and
// the interval setting validated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AU_ORG, startPaymentStack, type PaymentStack } from './helpers.js';
import { http } from '../support/stack.js';
import { signIn } from '../support/connect-xero.js';
import { issueSession } from '../../server/session.js';
import { registerTenant, DEFAULT_CW_CLIENT_ID } from '../../server/tenants.js';
import { xeroTransport } from '../../server/engine/transport.js';
import { scanChanges } from '../../server/payments/xero-payment-reads.js';
import { paymentIntervalMinutes } from '../../server/payments/payment-settings.js';

let s: PaymentStack;
const ids = new Map<number, string>();

beforeAll(async () => {
  s = await startPaymentStack();
  for (const id of [1002, 1004, 1009, 1011]) ids.set(id, (await s.push(id)).xeroInvoiceId);
}, 120_000);
afterAll(async () => {
  await s?.close();
});

async function auCalls(): Promise<number> {
  const st = (await (await fetch(`${s.stack.xero!.url}/__sim/state`)).json()) as { organisations: { tenantId: string; apiCalls: number }[] };
  return st.organisations.find((o) => o.tenantId.toLowerCase() === AU_ORG.toLowerCase())!.apiCalls;
}

async function faults(body: Record<string, unknown>) {
  const r = await fetch(`${s.stack.xero!.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(r.status).toBe(200);
}

describe('payment sync: calls, limits, credits, tenants, settings', () => {
  it('a credit memo ConnectWise applied itself (and the push allocated in Xero) is not reported again', async () => {
    const first = await s.syncAll();
    expect(first.body.errors).toEqual([]);
    expect(first.body.needsAttention.filter((n: { cwInvoiceId: number }) => n.cwInvoiceId === 1002)).toEqual([]);
    const inv = (await (await s.xero()).getInvoice(AU_ORG, ids.get(1002)!)).body.invoices![0]!;
    expect(inv.creditNotes?.length).toBe(1); // the allocation is there in Xero
    expect(s.cwPayments(1002).filter((p) => p.type === 'Payment')).toEqual([]);
  });

  it('when nothing changed, a run reads only the three change lists per organisation', async () => {
    await s.syncAll(); // settle every first check
    const before = await auCalls();
    const r = await s.syncAll();
    expect(r.body).toMatchObject({ checked: 0, updated: 0, needsAttention: [], errors: [], message: 'No payment changed in Xero since the last sync.' });
    expect((await auCalls()) - before).toBe(3); // Payments, Overpayments, CreditNotes since the watermark

    // A payment on one invoice: the scans find it, and one read of that invoice follows.
    await s.pay(ids.get(1009)!, '10.00', '2026-05-10');
    const mark = await auCalls();
    const again = await s.syncAll();
    expect(again.body).toMatchObject({ checked: 1, updated: 1 });
    expect((await auCalls()) - mark).toBe(4);
  });

  it('pages through Payments changed since a watermark', async () => {
    for (const amount of ['1.00', '2.00', '3.00', '4.00']) await s.pay(ids.get(1011)!, amount, '2026-05-11');
    const x = xeroTransport(s.stack.server.deps, 'democo', AU_ORG);
    const all = await scanChanges(x, {}, 2);
    expect(all.touchedInvoices).toContain(ids.get(1011)!.toLowerCase());
    expect(all.touchedInvoices).toContain(ids.get(1009)!.toLowerCase());
    expect(all.calls).toBeGreaterThanOrEqual(3 + 2); // at least three pages of payments
    const none = await scanChanges(x, { payments: new Date(Date.now() + 3_600_000), overpayments: new Date(Date.now() + 3_600_000), creditnotes: new Date(Date.now() + 3_600_000) }, 2);
    expect(none.touchedInvoices.size).toBe(0);
    expect(none.next).toEqual({});
  });

  it("honours Xero's 429 with Retry-After and still syncs", async () => {
    await faults({ throttleNext: 2, throttleRetryAfter: 1 });
    const started = Date.now();
    const r = await s.syncInvoice(1011);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.errors).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(s.cwPayments(1011).map((p) => p.amount)).toEqual([10]);
  });

  it('another tenant sees none of these invoices', async () => {
    await registerTenant(s.stack.server.deps, { companyId: 'otherco', siteUrl: s.stack.cw.url, clientId: DEFAULT_CW_CLIENT_ID, publicKey: 'k1', privateKey: 'k2' });
    const other = (await issueSession(s.stack.server.deps.keys.sessionKey, { tenantId: 'otherco', memberRecId: 9, memberIdentifier: 'ops', memberName: 'Ops', isAdmin: true }, 600)).token;
    const one = await http(`${s.url}/api/invoices/1009/payments/sync`, { method: 'POST', token: other, json: {} });
    expect(one.status).toBe(409);
    const all = await http(`${s.url}/api/payments/sync`, { method: 'POST', token: other, json: {} });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ checked: 0, updated: 0 });
    const rows = await s.stack.server.deps.db.k.selectFrom('payment_ledger').select('tenant_id').distinct().execute();
    expect(rows).toEqual([{ tenant_id: 'democo' }]);
  });

  it('the interval is a setting: at least 5 minutes, named when refused', async () => {
    const admin = await signIn(s.stack, 'admin');
    const bad = await http(`${s.url}/api/settings`, { method: 'PUT', token: admin, json: { paymentSyncIntervalMinutes: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('paymentSyncIntervalMinutes');
    expect(await paymentIntervalMinutes(s.stack.server.deps.db, 'democo')).toBe(15);
    const ok = await http(`${s.url}/api/settings`, { method: 'PUT', token: admin, json: { paymentSyncIntervalMinutes: 30 } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(await paymentIntervalMinutes(s.stack.server.deps.db, 'democo')).toBe(30);
  });
});
