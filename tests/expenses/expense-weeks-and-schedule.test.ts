// Enhanced Expenses (one bill per member per week) and the scheduled push of
// approved reports, over HTTP against both simulators, read back with xero-node.
//   - a report spanning two weeks lands in two bills; a later report of the same
//     week joins the week's bill while Xero holds it as a draft (one bill, both
//     reports' lines, totals to the cent); pushing again bills nothing twice
//   - once the week's bill is approved, a later report makes a further bill (-2)
//   - with "push approved reports automatically", the schedule's tick pushes the
//     released reports and holds the rest; a report approved later goes next time
import Decimal from 'decimal.js';
import { afterAll, describe, expect, it } from 'vitest';
import { expensePushResponse, expenseReportView } from '../../shared/expense-api.js';
import { pushApprovedExpenses } from '../../server/expenses/auto-push.js';
import { startPaymentSchedule } from '../../server/payments/payment-schedule.js';
import { http } from '../support/stack.js';
import { AU_ORG, signIn, startSyncStack, type SyncStack } from '../sync/helpers.js';

const BASE = { wisePay: true, wisePayAccounts: { tech: { '2': '091' } }, inputTaxMap: { NZGST: 'BASEXCLUDED' } };

async function stackWith(expenses: Record<string, unknown>): Promise<{ s: SyncStack; admin: string }> {
  const s = await startSyncStack();
  const admin = await signIn(s, 'admin');
  const r = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { invoiceMapping: { accountMap: { '091': '805' } }, expenses: { ...BASE, ...expenses } } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { s, admin };
}
const view = async (s: SyncStack, token: string, id: number) => {
  const r = await http(`${s.server.url}/api/expenses/reports/${id}/sync`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return expenseReportView.parse(r.body);
};
const push = async (s: SyncStack, token: string, id: number) => {
  const r = await http(`${s.server.url}/api/expenses/reports/${id}/push`, { method: 'POST', token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return expensePushResponse.parse(r.body);
};
const approve = async (s: SyncStack, id: number) => {
  await s.cwPost(`expense/reports/${id}/approve`, {});
  await s.cwPost(`expense/reports/${id}/approve`, {});
};
async function xeroBills(s: SyncStack, prefix: string) {
  const api = await s.xeroApi(AU_ORG);
  const all = (await api.getInvoices(AU_ORG, undefined, `Type=="ACCPAY"`)).body.invoices ?? [];
  return all.filter((i) => (i.invoiceNumber ?? '').startsWith(prefix) && String(i.status) !== 'DELETED');
}
const stacks: SyncStack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.close();
});

describe('Enhanced Expenses: one bill per member per week', () => {
  /** Report 2004 (admin, open; its ticket lets it into the unposted list) submitted and approved. */
  const approve2004 = async (s: SyncStack) => {
    await s.cwPost('expense/reports/2004/submit', {});
    await approve(s, 2004);
  };

  it('a report spanning two weeks makes a document per week; a later report joins the week’s draft bill; nothing is billed twice', async () => {
    const { s, admin } = await stackWith({ enhancedExpenses: true, billStatus: 'DRAFT', wisePay: false });
    stacks.push(s);
    const first = await view(s, admin, 2001);
    // The week of 27 April; the week of 4 May in AUD (the personal coffee outweighs what is owed: a credit note) and in NZD.
    expect(first.bills.map((b) => [b.number, b.documentKind, b.week])).toEqual([
      ['EXP-tech-2026-04-27', 'bill', '2026-04-27 – 2026-05-03'],
      ['EXP-tech-2026-05-04-AUD', 'billCredit', '2026-05-04 – 2026-05-10'],
      ['EXP-tech-2026-05-04-NZD', 'bill', '2026-05-04 – 2026-05-10'],
    ]);
    const pushed = await push(s, admin, 2001);
    expect(pushed.outcome, pushed.message).toBe('synced');

    // Admin's week: report 2003 (approved at both tiers), then 2004 of the same week.
    await s.cwPost('expense/reports/2003/approve', {});
    const one = await view(s, admin, 2003);
    expect(one.bills.map((b) => b.number)).toEqual(['EXP-admin-2026-05-04']);
    expect((await push(s, admin, 2003)).outcome).toBe('synced');
    const before = await xeroBills(s, 'EXP-admin-2026-05-04');
    expect(before.map((b) => String(b.status))).toEqual(['DRAFT']);

    await approve2004(s);
    const later = await view(s, admin, 2004);
    expect(later.bills.map((b) => b.number)).toEqual(['EXP-admin-2026-05-04']);
    const joined = await push(s, admin, 2004);
    expect(joined.outcome, joined.message).toBe('synced');
    const week = await xeroBills(s, 'EXP-admin-2026-05-04');
    expect(week).toHaveLength(1);
    const full = (await (await s.xeroApi(AU_ORG)).getInvoice(AU_ORG, week[0]!.invoiceID!)).body.invoices![0]!;
    const marks = (full.lineItems ?? []).map((l) => /CW expense entry (\d+)$/.exec(l.description ?? '')?.[1]);
    expect(marks).toHaveLength(2);
    expect(new Set(marks).size).toBe(2);
    expect(new Decimal(full.total!).toFixed(2)).toBe(new Decimal(one.bills[0]!.total).plus(later.bills[0]!.lines.reduce((t, l) => t.plus(l.amount).plus(l.taxAmount), new Decimal(0))).toFixed(2));

    // Again: nothing new to bill, the week's bill unchanged.
    await push(s, admin, 2004);
    const after = (await (await s.xeroApi(AU_ORG)).getInvoice(AU_ORG, week[0]!.invoiceID!)).body.invoices![0]!;
    expect([after.lineItems?.length, new Decimal(after.total!).toFixed(2)]).toEqual([2, new Decimal(full.total!).toFixed(2)]);
    expect(await xeroBills(s, 'EXP-admin-2026-05-04')).toHaveLength(1);
  }, 120_000);

  it('once the week’s bill is approved, a later report of that week makes a further bill', async () => {
    const { s, admin } = await stackWith({ enhancedExpenses: true, billStatus: 'AUTHORISED', wisePay: false });
    stacks.push(s);
    await s.cwPost('expense/reports/2003/approve', {});
    const p1 = await push(s, admin, 2003);
    expect(p1.outcome, p1.message).toBe('synced');
    await approve2004(s);
    const v = await view(s, admin, 2004);
    expect(v.bills.map((b) => b.number)).toEqual(['EXP-admin-2026-05-04-2']);
    expect((await push(s, admin, 2004)).outcome).toBe('synced');
    const week = (await xeroBills(s, 'EXP-admin-2026-05-04')).map((b) => [b.invoiceNumber, String(b.status)]);
    expect(week.sort()).toEqual([
      ['EXP-admin-2026-05-04', 'AUTHORISED'],
      ['EXP-admin-2026-05-04-2', 'AUTHORISED'],
    ]);
  }, 120_000);
});

describe('approved reports are pushed by the schedule', () => {
  it('the tick pushes released reports, holds the others, and takes a report once it is approved', async () => {
    const { s, admin } = await stackWith({ autoPushApproved: true });
    stacks.push(s);
    const scans: unknown[] = [];
    const schedule = startPaymentSchedule(s.server.deps, { tickMs: 0, onExpenses: (_t, r) => scans.push(r) });
    const realNow = s.server.deps.now;
    try {
      // A tenant's first slot starts one interval after the schedule first sees it.
      await schedule.tick();
      s.server.deps.now = () => new Date(realNow().getTime() + 24 * 3600_000);
      expect(await schedule.tick()).toBe(1);
    } finally {
      schedule.stop();
      s.server.deps.now = realNow;
    }
    // 2001 and 2005 are approved; 2004 is open (its ticket let it into the unposted list); 2003 waits for its
    // second tier, so ConnectWise does not list it as unposted yet.
    expect(scans).toEqual([{ reports: 3, pushed: 2, held: 1, needsAttention: 0 }]);
    expect(await xeroBills(s, 'ER-2001')).toHaveLength(2);
    const held = await view(s, admin, 2003);
    expect([held.release.released, held.autoPush]).toEqual([false, true]);

    await s.cwPost('expense/reports/2003/approve', {});
    expect(await pushApprovedExpenses(s.server.deps, 'democo')).toEqual({ reports: 2, pushed: 1, held: 1, needsAttention: 0 });
    const v = await view(s, admin, 2003);
    expect(v.chip).toBe('synced');
    expect(await xeroBills(s, 'ER-2003')).toHaveLength(1);
    expect(await xeroBills(s, 'ER-2001')).toHaveLength(2);
  }, 120_000);
});

describe('Wise-Pay payments Xero refuses', () => {
  it('a payment inside the lock date leaves the bill unpaid and needing attention with Xero’s reason; once unlocked, it is paid once', async () => {
    const { s, admin } = await stackWith({});
    stacks.push(s);
    // The card payment is dated 4 May (the day spent); the bill 5 May: only the payment falls in the locked period.
    const lock = await http(`${s.xero!.url}/__sim/lock-dates`, { json: { tenantId: AU_ORG, periodLockDate: '2026-05-04' } });
    expect(lock.status).toBe(200);
    const refused = await push(s, admin, 2001);
    expect(refused.outcome).toBe('needs_attention');
    expect(refused.message).toMatch(/refused its card payment: .*lock date/);
    const bill = (await xeroBills(s, 'ER-2001-AUD'))[0]!;
    expect([String(bill.status), new Decimal(bill.amountPaid!).toFixed(2)]).toEqual(['AUTHORISED', '0.00']);
    const v = await view(s, admin, 2001);
    const aud = v.bills.find((b) => b.number === 'ER-2001-AUD')!;
    expect([aud.chip, aud.payments.map((p) => p.state)]).toEqual(['needs_attention', ['planned']]);
    expect(aud.lastProblem).toMatch(/card payment/);

    await http(`${s.xero!.url}/__sim/lock-dates`, { json: { tenantId: AU_ORG, periodLockDate: null } });
    const again = await push(s, admin, 2001);
    expect(again.outcome, again.message).toBe('synced');
    const bills = await xeroBills(s, 'ER-2001-AUD');
    expect(bills).toHaveLength(1);
    const full = (await (await s.xeroApi(AU_ORG)).getInvoice(AU_ORG, bills[0]!.invoiceID!)).body.invoices![0]!;
    expect((full.payments ?? []).map((p) => new Decimal(p.amount!).toFixed(2))).toEqual([aud.payments[0]!.amount]);
  }, 120_000);
});
