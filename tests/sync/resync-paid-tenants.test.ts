// After the first sync: an invoice edited in ConnectWise shows "changed" and a
// re-sync updates the same Xero document; a Xero invoice paid in Xero shows
// "paid" and a re-sync is refused in words; tenants are walls; the invoice
// mapping settings are admin-only and reach the preview; bad input is a 4xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import { registerTenant } from '../../server/tenants.js';
import { apiMemberAuthorization } from '../../server/cw/client.js';
import { startCwSim } from '../../sim/connectwise/index.js';
import { http } from '../support/stack.js';
import { AU_ORG, CW_CLIENT_ID, NZ_ORG, cwBatchesHolding, ledgerRows, money, signIn, startSyncStack, xeroInvoicesByNumber, type SyncStack } from './helpers.js';

let s: SyncStack;
let other: Awaited<ReturnType<typeof startCwSim>>;
beforeAll(async () => {
  s = await startSyncStack();
  other = await startCwSim({ port: 0, companyId: 'otherco', publicKey: 'otherPub', privateKey: 'otherPriv' });
  await registerTenant(s.server.deps, { companyId: 'OtherCo', siteUrl: other.url, clientId: CW_CLIENT_ID, publicKey: 'otherPub', privateKey: 'otherPriv' });
}, 60_000);
afterAll(async () => {
  await other?.close();
  await s?.close();
});

async function editCwInvoice(id: number, edit: unknown) {
  const r = await http(`${s.cw.url}/__sim/invoices/${id}`, { json: edit });
  expect(r.status).toBe(200);
  return r.body as { total: number };
}

async function firstRevenueLineId(invoiceId: number): Promise<number> {
  const batch = (await cwBatchesHolding(s, 5000 + (invoiceId - 1000)))[0]!;
  const exp = await s.cwPost(`finance/accounting/batches/${batch.id}/export`, {});
  return exp.transactions[0].detail.find((d: { glTypeId: string }) => d.glTypeId !== 'AR' && d.glTypeId !== 'ST').id;
}

describe('changed since sync', () => {
  it('an edit in ConnectWise shows "changed", and a re-sync updates the same Xero document to the new total', async () => {
    expect((await s.push(1012)).body.outcome).toBe('synced');
    const api = await s.xeroApi(AU_ORG);
    const before = (await xeroInvoicesByNumber(api, AU_ORG, 'INV-1012'))[0]!;
    const hashBefore = (await ledgerRows(s, 1012))[0]!.content_hash;

    const lineId = await firstRevenueLineId(1012);
    const edited = await editCwInvoice(1012, { lines: [{ id: lineId, quantity: '2.5' }] });
    const v = await s.view(1012);
    expect(v.body).toMatchObject({ chip: 'changed', canPush: true, pushLabel: 'Re-sync' });
    expect(v.body.headline).toMatch(/changed since it was synced/);
    expect(v.body.preview.connectwiseTotal).toBe(new Decimal(String(edited.total)).toFixed(2));

    const p = await s.push(1012);
    expect(p.body.outcome).toBe('synced');
    expect(p.body.view.chip).toBe('synced');
    const after = await xeroInvoicesByNumber(api, AU_ORG, 'INV-1012');
    expect(after).toHaveLength(1);
    expect(after[0]!.invoiceID).toBe(before.invoiceID);
    expect(money(after[0]!.total)).toBe(new Decimal(String(edited.total)).toFixed(2));
    expect(money(after[0]!.total)).not.toBe(money(before.total));
    // Still one closed batch holding exactly this GL entry; the ledger holds the new hash.
    expect((await cwBatchesHolding(s, 5012)).map((b) => b.recordIds)).toEqual([[5012]]);
    const rows = await ledgerRows(s, 1012);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.content_hash).not.toBe(hashBefore);
  });
});

describe('paid in Xero', () => {
  it('shows "paid", and a re-sync after a ConnectWise edit is refused in words, leaving Xero as it was', async () => {
    expect((await s.push(1013)).body.outcome).toBe('synced');
    const api = await s.xeroApi(NZ_ORG);
    const inv = (await xeroInvoicesByNumber(api, NZ_ORG, 'INV-1013'))[0]!;
    await api.createPayment(NZ_ORG, { invoice: { invoiceID: inv.invoiceID }, account: { code: '090' }, amount: Number(inv.amountDue), date: '2026-05-01' });
    const v = await s.view(1013);
    expect(v.body.chip).toBe('paid');
    expect(v.body.canPush).toBe(false);
    expect(v.body.xero).toMatchObject({ status: 'PAID', amountDue: '0.00' });

    const lineId = await firstRevenueLineId(1013);
    await editCwInvoice(1013, { lines: [{ id: lineId, quantity: '3' }] });
    const changed = await s.view(1013);
    expect(changed.body.chip).toBe('paid');
    expect(changed.body.problems.map((p: { message: string }) => p.message).join(' ')).toMatch(/is paid/);
    const p = await s.push(1013);
    expect(p.body.outcome).toBe('needs_attention');
    expect(p.body.message).toMatch(/INV-1013 is paid/);
    const after = (await xeroInvoicesByNumber(api, NZ_ORG, 'INV-1013'))[0]!;
    expect(money(after.total)).toBe(money(inv.total));
    expect(String(after.status)).toBe('PAID');
  });
});

describe('tenants are walls', () => {
  it("tenant B's session reads its own ConnectWise only and cannot view or push tenant A's synced invoice", async () => {
    expect((await s.push(1016)).body.outcome).toBe('synced');
    const rowA = (await ledgerRows(s, 1016))[0]!;
    const b = await signIn(s, 'accountant', 'otherco', other.sim);
    const v = await s.view(1016, b);
    expect(v.status).toBe(200);
    // B's ConnectWise, B's (absent) Xero: nothing of A's document shows.
    expect(v.body.xero).toBeNull();
    expect(v.body.organisation).toBeNull();
    expect(v.body.chip).toBe('needs_attention');
    expect(v.body.problems.map((p: { code: string }) => p.code)).toContain('location_not_mapped');
    const p = await s.push(1016, b);
    expect(p.body.outcome).toBe('needs_attention');
    // A's ledger and Xero untouched; B has no ledger rows.
    expect((await ledgerRows(s, 1016))[0]).toEqual(rowA);
    const bRows = await s.server.deps.db.k.selectFrom('sync_ledger').selectAll().where('tenant_id', '=', 'otherco').execute();
    expect(bRows).toHaveLength(0);
    const api = await s.xeroApi(AU_ORG);
    expect(await xeroInvoicesByNumber(api, AU_ORG, 'INV-1016')).toHaveLength(1);
    // B's own ConnectWise was the one read: its batch list is still empty.
    const otherState = await http(`${other.url}/__sim/state`);
    expect(otherState.body.batches).toEqual([]);
  });

  it('without a session, or with a bad id, the API answers 401 / 400 naming the field', async () => {
    expect((await http(`${s.server.url}/api/invoices/1001/sync`)).status).toBe(401);
    expect((await http(`${s.server.url}/api/invoices/1001/push`, { method: 'POST' })).status).toBe(401);
    const bad = await s.push(Number.NaN);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('id');
    const missing = await s.view(999999);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/invoice 999999/);
  });
});

describe('invoice mapping settings', () => {
  it('an admin sets them (non-admins get 403, bad values a 400 naming the field), and the preview follows', async () => {
    const admin = await signIn(s, 'admin');
    const url = `${s.server.url}/api/settings`;
    const denied = await http(url, { method: 'PUT', token: s.token, json: { invoiceMapping: { status: 'DRAFT' } } });
    expect(denied.status).toBe(403);
    const bad = await http(url, { method: 'PUT', token: admin, json: { invoiceMapping: { status: 'SENT' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('invoiceMapping.status');
    const unknown = await http(url, { method: 'PUT', token: admin, json: { invoiceMapping: { colour: 'red' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toMatch(/^invoiceMapping/);
    const ok = await http(url, { method: 'PUT', token: admin, json: { invoiceMapping: { status: 'DRAFT', invoiceNumberPrefix: 'CW-' } } });
    expect(ok.status).toBe(200);
    expect(ok.body.settings.invoiceMapping).toMatchObject({ status: 'DRAFT', invoiceNumberPrefix: 'CW-', lineAmountTypes: 'Exclusive' });
    // A second partial change keeps the first.
    const ok2 = await http(url, { method: 'PUT', token: admin, json: { invoiceMapping: { createMissingItems: false } } });
    expect(ok2.body.settings.invoiceMapping).toMatchObject({ status: 'DRAFT', invoiceNumberPrefix: 'CW-', createMissingItems: false });
    const v = await s.view(1009);
    expect(v.body.preview).toMatchObject({ status: 'Draft', number: 'CW-INV-1009' });
    await http(url, { method: 'PUT', token: admin, json: { invoiceMapping: { status: 'AUTHORISED', invoiceNumberPrefix: '', createMissingItems: true } } });
  });
});

describe('a token Xero refuses before our expiry', () => {
  it('is renewed once and the push goes through', async () => {
    // Xero's clock runs ahead of ours: the access token we think is fresh is expired for Xero.
    const before = await s.server.deps.db.k.selectFrom('xero_connections').select(['id', 'token_set_jwe', 'access_expires_at']).execute();
    const clock = await http(`${s.xero!.url}/__sim/clock`, { json: { advanceSeconds: 1801 } });
    expect(clock.status).toBe(200);
    const p = await s.push(1010);
    expect(p.status).toBe(200);
    expect(p.body.outcome).toBe('synced');
    const after = await s.server.deps.db.k.selectFrom('xero_connections').select(['id', 'token_set_jwe', 'access_expires_at']).execute();
    // The connection's token set was replaced (renewed), not marked for reconnecting.
    expect(after.find((r) => r.id === before[0]!.id)!.token_set_jwe).not.toBe(before[0]!.token_set_jwe);
    const api = await s.xeroApi(NZ_ORG);
    expect(await xeroInvoicesByNumber(api, NZ_ORG, 'INV-1010')).toHaveLength(1);
  });
});

describe('our ConnectWise batch deleted after the sync', () => {
  it('shows the invoice as needing a push, and the push posts it again without a second Xero document', async () => {
    const first = await s.push(1009);
    expect(first.body.outcome, JSON.stringify(first.body)).toBe('synced');
    const [batch] = await cwBatchesHolding(s, 5009);
    const del = await http(`${s.cw.url}/v4_6_release/apis/3.0/finance/accounting/batches/${batch!.id}`, {
      method: 'DELETE',
      headers: { authorization: apiMemberAuthorization('democo', 'simPublicKey', 'simPrivateKey'), clientid: CW_CLIENT_ID },
    });
    expect(del.status).toBe(204);
    const v = await s.view(1009);
    expect(v.body).toMatchObject({ chip: 'ready', canPush: true, pushLabel: 'Re-sync' });
    expect(v.body.headline).toMatch(/batch was deleted/);
    const p = await s.push(1009);
    expect(p.body.outcome).toBe('synced');
    const api = await s.xeroApi(AU_ORG);
    expect(await xeroInvoicesByNumber(api, AU_ORG, 'INV-1009')).toHaveLength(1);
    const batches = await cwBatchesHolding(s, 5009);
    expect(batches.map((b) => b.recordIds)).toEqual([[5009]]);
    expect((await ledgerRows(s, 1009))[0]).toMatchObject({ state: 'synced', cw_batch_id: batches[0]!.id });
  });
});
