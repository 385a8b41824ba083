// Expense reports → Xero bills through the one engine, over HTTP: the tab's
// view and push against both simulators, read back from Xero with xero-node.
// Each classification to the cent, the foreign-currency bill, a Wise-Pay
// payment applied exactly once, a report held until approved, a member who may
// not push, and a push crashed at each step converging on one bill and one payment.
import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expensePushResponse, expenseReportView } from '../../shared/expense-api.js';
import type { XeroEnginePort } from '../../server/engine/ports.js';
import { setEngineFaults } from '../support/engine-faults.js';
import { http } from '../support/stack.js';
import { AU_ORG, signIn, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;
let admin: string;

const view = async (id: number, token = admin) => {
  const r = await http(`${s.server.url}/api/expenses/reports/${id}/sync`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return expenseReportView.parse(r.body);
};
const push = async (id: number, token = admin) => {
  const r = await http(`${s.server.url}/api/expenses/reports/${id}/push`, { method: 'POST', token });
  return r;
};
const bills = async (org: string, number: string) => {
  const api = await s.xeroApi(org);
  const r = await api.getInvoices(org, undefined, undefined, undefined, undefined, [number]);
  return (r.body.invoices ?? []).filter((i) => String(i.status) !== 'DELETED' && String(i.type) === 'ACCPAY');
};
const billById = async (org: string, id: string) => (await (await s.xeroApi(org)).getInvoice(org, id)).body.invoices![0]!;

beforeAll(async () => {
  s = await startSyncStack();
  admin = await signIn(s, 'admin');
  // The demo organisation's card clearing account for ConnectWise's offset account 091, and Wise-Pay for tech's Company Visa.
  const r = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { invoiceMapping: { accountMap: { '091': '805' } }, expenses: { wisePay: true, wisePayAccounts: { tech: { '2': '091' } }, inputTaxMap: { NZGST: 'BASEXCLUDED' } } } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}, 60_000);
afterAll(async () => {
  await s?.close();
});
beforeEach(() => setEngineFaults(s.server.deps, undefined));

describe('the expense tab over HTTP', () => {
  it('previews report 2001 as one bill per currency, to the cent, with the Wise-Pay payment planned', async () => {
    const v = await view(2001);
    expect(v.release.released).toBe(true);
    expect(v.bills.map((b) => b.number).sort()).toEqual(['ER-2001-AUD', 'ER-2001-NZD']);
    for (const b of v.bills) {
      expect(b.totalsAgree, b.number).toBe(true);
      expect(new Decimal(b.subtotal).plus(b.tax).toFixed(2)).toBe(b.total);
    }
    const aud = v.bills.find((b) => b.number === 'ER-2001-AUD')!;
    // Tax rates by Xero's names with the rate, never a bare code.
    for (const l of aud.lines.filter((x) => x.tax)) expect(l.tax).toMatch(/^(GST on Expenses 10%|GST Free Expenses 0%|BAS Excluded 0%)$/);
    expect(aud.lines.some((x) => x.tax === 'GST on Expenses 10%')).toBe(true);
    expect(aud.payments.map((p) => [p.account, p.state])).toEqual([['091', 'planned']]);
    expect(new Decimal(aud.total).minus(aud.payments[0]!.amount).toFixed(2)).toBe(aud.amountDue);
    expect(v.canPush).toBe(true);
    expect(v.howItPosts.map((h) => h.classification).sort()).toEqual(['NonReimbursable', 'Personal', 'Reimbursable']);
  });

  it('a member who may not push sees the preview read-only and is refused by the server', async () => {
    const tech = await signIn(s, 'tech');
    const v = await view(2001, tech);
    expect([v.mayPush, v.canPush]).toEqual([false, false]);
    expect(v.whoCanPush).toMatch(/Finance/);
    const r = await push(2001, tech);
    expect(r.status).toBe(403);
    expect(await bills(AU_ORG, 'ER-2001-AUD')).toEqual([]);
  });

  it('a report waiting for approval is held, and says why', async () => {
    const v = await view(2002);
    expect(v.release.released).toBe(false);
    expect(v.headline).toMatch(/Held: .*approved/);
    expect(v.canPush).toBe(false);
    const r = await push(2002);
    expect(r.status).toBe(200);
    expect(expensePushResponse.parse(r.body).outcome).toBe('needs_attention');
  });

  it('a push crashed after Xero made the bills, then again after the payment, converges on one bill and one payment each', async () => {
    const before = await view(2001);
    class Crash extends Error {}
    let crashes = 1;
    setEngineFaults(s.server.deps, {
      xero: (port: XeroEnginePort): XeroEnginePort => ({
        ...port,
        createDocuments: async (...a) => {
          const made = await port.createDocuments(...a);
          if (crashes-- > 0) throw new Crash('answer lost after the bills were made');
          return made;
        },
      }),
    });
    expect((await push(2001)).status).toBe(503);
    let paid = 1;
    setEngineFaults(s.server.deps, {
      xero: (port: XeroEnginePort): XeroEnginePort => ({
        ...port,
        createPayments: async (...a) => {
          const made = await port.createPayments(...a);
          if (paid-- > 0) throw new Crash('answer lost after the payment was made');
          return made;
        },
      }),
    });
    expect((await push(2001)).status).toBe(503);
    setEngineFaults(s.server.deps, undefined);
    const r = await push(2001);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const res = expensePushResponse.parse(r.body);
    expect(res.outcome, res.message).toBe('synced');

    const aud = await bills(AU_ORG, 'ER-2001-AUD');
    const nzd = await bills(AU_ORG, 'ER-2001-NZD');
    expect([aud.length, nzd.length]).toEqual([1, 1]);
    const preview = (n: string) => before.bills.find((b) => b.number === n)!;
    expect(new Decimal(aud[0]!.total!).toFixed(2)).toBe(preview('ER-2001-AUD').total);
    expect(new Decimal(nzd[0]!.total!).toFixed(2)).toBe(preview('ER-2001-NZD').total);
    expect(String(aud[0]!.currencyCode)).toBe('AUD');
    expect(String(nzd[0]!.currencyCode)).toBe('NZD');
    const full = await billById(AU_ORG, aud[0]!.invoiceID!);
    const payments = (full.payments ?? []).filter((p) => String(p.status ?? 'AUTHORISED') !== 'DELETED');
    expect(payments).toHaveLength(1);
    expect(new Decimal(payments[0]!.amount!).toFixed(2)).toBe(preview('ER-2001-AUD').payments[0]!.amount);
    expect(new Decimal(full.amountDue!).toFixed(2)).toBe(preview('ER-2001-AUD').amountDue);
    // The bill's Url leads back to the report in ConnectWise.
    expect(full.url).toMatch(/openrecord\.rails\?.*recordType=ExpenseFV/);
    const back = await fetch(full.url!);
    expect([back.status, new URL(back.url).pathname]).toEqual([200, '/expensereport/2001']);
    // The member is a supplier contact of its own.
    const contact = (await (await s.xeroApi(AU_ORG)).getContact(AU_ORG, full.contact!.contactID!)).body.contacts![0]!;
    expect(contact.contactNumber).toBe('CWM-tech');

    const after = await view(2001);
    expect(after.chip).toBe('synced');
    expect(after.bills.find((b) => b.number === 'ER-2001-AUD')!.xero?.status).toBe('AUTHORISED');
    // Pushing again changes nothing: no second bill, no second payment.
    expect((await push(2001)).status).toBe(200);
    expect((await bills(AU_ORG, 'ER-2001-AUD')).length).toBe(1);
    expect(((await billById(AU_ORG, aud[0]!.invoiceID!)).payments ?? []).length).toBe(1);
    // ConnectWise posted the entries: none of report 2001 is unposted any more.
    const unposted = (await s.cwGet('finance/accounting/unpostedexpenses?pageSize=1000')) as { expenseDetailId: number; id: number }[];
    const entries = (await s.cwGet('expense/entries?conditions=expenseReport/id=2001&pageSize=1000')) as { id: number }[];
    expect(unposted.filter((u) => entries.some((e) => e.id === u.expenseDetailId))).toEqual([]);
  });

  it('a report that nets below zero becomes a bill credit note from the member', async () => {
    const v = await view(2005);
    expect(v.bills).toHaveLength(1);
    expect(v.bills[0]!.documentKind).toBe('billCredit');
    const r = await push(2005);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const res = expensePushResponse.parse(r.body);
    expect(res.outcome, res.message).toBe('synced');
    const api = await s.xeroApi(AU_ORG);
    const notes = (await api.getCreditNotes(AU_ORG, undefined, `CreditNoteNumber=="${v.bills[0]!.number}"`)).body.creditNotes ?? [];
    expect(notes.map((n) => [String(n.type), new Decimal(n.total!).toFixed(2)])).toEqual([['ACCPAYCREDIT', new Decimal(v.bills[0]!.total).abs().toFixed(2)]]);
  });
});
