// The simulator's expenses: reports and entries over REST, approval as
// ConnectWise's time & expense setup runs it, the unposted list, the export's
// expenses and expenseBills to the cent, and batches that post them.
import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CwExpenseEntry, CwExpenseReport, CwGLExport, CwUnpostedExpense } from '../../shared/cw-types.js';
import { startSim, type Sim } from './helpers.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
});

const d = (n: number | null | undefined) => new Decimal(n ?? 0);
const sumOf = (xs: (number | null | undefined)[]) => xs.reduce<Decimal>((a, x) => a.plus(d(x)), new Decimal(0));
const unpostedIds = async () => ((await sim.get('/finance/accounting/unpostedexpenses?pageSize=1000')).json as CwUnpostedExpense[]).map((u) => u.id);
const report = async (id: number) => (await sim.get(`/expense/reports/${id}`)).json as CwExpenseReport;
const exportExpenses = async (body: Record<string, unknown>) => {
  const r = await sim.post('/finance/accounting/export', { exportExpensesFlag: true, ...body });
  expect(r.status).toBe(200);
  return r.json as CwGLExport;
};

describe('expense REST', () => {
  it('lists reports and their entries, each classification, with conditions and paging', async () => {
    const reports = (await sim.get('/expense/reports?pageSize=100')).json as CwExpenseReport[];
    expect(reports.map((r) => [r.id, r.member?.identifier, r.status])).toEqual([
      [2001, 'tech', 'ApprovedByTierTwo'],
      [2002, 'tech', 'PendingApproval'],
      [2003, 'admin', 'ApprovedByTierOne'],
      [2004, 'admin', 'Open'],
      [2005, 'tech', 'ApprovedByTierTwo'],
    ]);
    const entries = (await sim.get('/expense/entries?conditions=expenseReport/id=2001')).json as CwExpenseEntry[];
    expect(entries.map((e) => [e.id, e.classification?.name, e.paymentMethod?.name, e.amount, e.currency?.currencyCode])).toEqual([
      [8001, 'Reimbursable', 'Cash / own card', 55, 'AUD'],
      [8002, 'Reimbursable', 'Cash / own card', 38.5, 'AUD'],
      [8003, 'Non-Reimbursable', 'Company Visa', 129.8, 'AUD'],
      [8004, 'Personal', 'Company Visa', 24, 'AUD'],
      [8005, 'Reimbursable', 'Cash / own card', 210, 'NZD'],
    ]);
    // Entries carry their charge-to, agreement cover and taxes; dates are the local midnight in Sydney.
    expect(entries[0]).toMatchObject({ chargeToType: 'ServiceTicket', chargeToId: 3101, ticket: { id: 3101 }, company: { identifier: 'HarbourDental' }, taxes: [{ amount: 5, type: { name: 'GST' } }], date: '2026-04-29T14:00:00Z', status: 'ApprovedByTierTwo' });
    expect(entries[1]).toMatchObject({ agreement: { id: 81 }, agreementAmount: 38.5 });
    expect(entries[4]).toMatchObject({ taxes: [{ amount: 27.39, type: { name: 'NZGST' } }] });
    // The report's total is the sum of its entries as entered.
    expect((await report(2001)).total).toBe(457.3);

    const page = await sim.get('/expense/entries?pageSize=4&page=1&orderBy=id desc');
    expect(page.json.map((e: CwExpenseEntry) => e.id)).toEqual([8011, 8010, 8009, 8008]);
    expect(page.headers.get('link')).toContain('rel="next"');
    expect((await sim.get('/expense/entries/count?conditions=classification/name="Personal"')).json).toEqual({ count: 2 });
    expect((await sim.get('/expense/entries/99')).status).toBe(404);
  });

  it('serves expense types, payment types (a company card), classifications and tax types', async () => {
    const pts = (await sim.get('/expense/paymentTypes')).json;
    expect(pts).toEqual([
      { id: 1, name: 'Cash / own card', classification: { id: 1, name: 'Reimbursable' }, defaultFlag: true, companyFlag: false },
      { id: 2, name: 'Company Visa', classification: { id: 2, name: 'Non-Reimbursable' }, defaultFlag: false, companyFlag: true },
    ]);
    expect((await sim.get('/expense/types?conditions=mileageFlag=true')).json).toMatchObject([{ id: 3, name: 'Mileage', amountCaption: 'Kilometres' }]);
    expect((await sim.get('/expense/classifications')).json.map((c: { name: string; companyFlag: boolean }) => [c.name, c.companyFlag])).toEqual([
      ['Reimbursable', false],
      ['Non-Reimbursable', true],
      ['Personal', true],
    ]);
    expect((await sim.get('/expense/info/taxTypes')).json.map((t: { name: string }) => t.name)).toEqual(['GST', 'NZGST', 'GST Free']);
  });
});

describe('approval', () => {
  it('moves a report through tier one and tier two; only final approval reaches the unposted list', async () => {
    expect(await unpostedIds()).not.toContain(7006);
    const t1 = await sim.post('/expense/reports/2002/approve', { approvalType: 'Tier1Update' });
    expect(t1.status).toBe(200);
    expect(t1.json).toMatchObject({ success: true });
    expect((await report(2002)).status).toBe('ApprovedByTierOne');
    expect(await unpostedIds()).not.toContain(7006);
    expect((await sim.post('/expense/reports/2002/approve', {})).status).toBe(200); // the next tier due
    expect((await report(2002)).status).toBe('ApprovedByTierTwo');
    expect(await unpostedIds()).toEqual(expect.arrayContaining([7006, 7007]));
    // Entries follow their report's status.
    expect((await sim.get('/expense/entries/8006')).json.status).toBe('ApprovedByTierTwo');
  });

  it('rejects at each tier, resubmits, and refuses moves the state does not allow, naming the field', async () => {
    expect((await sim.post('/expense/reports/2002/reject', {})).status).toBe(200);
    expect((await report(2002)).status).toBe('Rejected');
    expect((await sim.post('/expense/reports/2002/submit', {})).status).toBe(200);
    expect((await report(2002)).status).toBe('PendingApproval');
    expect((await sim.post('/expense/reports/2003/reject', {})).status).toBe(200);
    expect((await report(2003)).status).toBe('RejectBySecondTier');

    const wrongTier = await sim.post('/expense/reports/2002/approve', { approvalType: 'Tier2Update' });
    expect(wrongTier.status).toBe(400);
    expect(wrongTier.json.errors[0]).toMatchObject({ field: 'status' });
    const badType = await sim.post('/expense/reports/2002/approve', { approvalType: 'Billing' });
    expect(badType.status).toBe(400);
    expect(badType.json.errors[0]).toMatchObject({ field: 'approvalType' });
    expect((await sim.post('/expense/reports/2001/reject', {})).status).toBe(400); // finally approved: reverse, not reject
    expect((await sim.post('/expense/reports/2004/approve', {})).status).toBe(400); // still open
    expect((await sim.post('/expense/reports/9999/approve', {})).status).toBe(404);
  });

  it('with one approval tier, tier one is final', async () => {
    expect(await unpostedIds()).not.toContain(7008);
    await fetch(`${sim.url}/__sim/expense-setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secondTierApproval: false }) });
    expect(await unpostedIds()).toContain(7008);
    const t2 = await sim.post('/expense/reports/2002/approve', { approvalType: 'Tier2Update' });
    expect(t2.status).toBe(400);
    expect(t2.json.errors[0]).toMatchObject({ field: 'approvalType' });
  });

  it('a member may read but not approve', async () => {
    const auth = await (await fetch(`${sim.url}/__sim/member-hash`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ member: 'accountant' }) })).json();
    const member = `Basic ${Buffer.from(`democo+accountant:${auth.memberHash}`).toString('base64')}`;
    expect((await sim.call('GET', '/expense/reports/2001', undefined, { authorization: member })).status).toBe(200);
    expect((await sim.call('POST', '/expense/reports/2002/approve', {}, { authorization: member })).status).toBe(403);
  });
});

describe('unposted expenses', () => {
  it('lists finally approved entries and those on a ticket that bills unapproved expenses', async () => {
    const list = (await sim.get('/finance/accounting/unpostedexpenses?pageSize=100')).json as CwUnpostedExpense[];
    expect(list.map((u) => u.id)).toEqual([7001, 7002, 7003, 7004, 7005, 7009, 7010, 7011]);
    const byId = new Map(list.map((u) => [u.id, u]));
    expect(byId.get(7001)).toMatchObject({ expenseDetailId: 8001, classification: 'Reimbursable', accountNumber: '493', creditAccount: '800', total: 55, salesTaxAmount: 5, billableAmount: 55, member: { identifier: 'tech' }, paymentMethod: { name: 'Cash / own card' } });
    expect(byId.get(7003)).toMatchObject({ classification: 'NonReimbursable', accountNumber: '453', creditAccount: '091', total: 129.8 });
    expect(byId.get(7004)).toMatchObject({ classification: 'Personal', accountNumber: '800', creditAccount: '091', total: 24, salesTaxAmount: 0 });
    expect(byId.get(7005)).toMatchObject({ currency: { currencyCode: 'NZD' }, total: 210, salesTaxAmount: 27.39 });
    // Report 2004 is still open: its entry is there only because ticket 3102 bills unapproved expenses.
    expect(byId.get(7009)).toMatchObject({ ticket: { id: 3102 } });
    expect((await sim.get('/finance/accounting/unpostedexpenses/count?conditions=member/identifier="tech"')).json).toEqual({ count: 7 });
  });
});

describe('the export of expenses, to the cent', () => {
  it('expenseBills: one per report and currency, what is owed to the member', async () => {
    const exp = await exportExpenses({});
    expect(exp.transactions).toEqual([]);
    expect(exp.expenseBills!.map((b) => [b.id, b.documentNumber, b.currency?.currencyCode, b.total])).toEqual([
      [2001, 'ER-2001', 'AUD', 69.5], // 55 + 38.50 − 24 (personal); the Visa purchase nets to zero
      [2001, 'ER-2001', 'NZD', 210],
      [2004, 'ER-2004', 'AUD', 14.2],
      [2005, 'ER-2005', 'AUD', -130], // 20 − 150: the member owes the company
    ]);
    for (const b of exp.expenseBills!) expect(sumOf(b.detail!.map((x) => x.total)).equals(d(b.total)), b.documentNumber).toBe(true);
    const aud = exp.expenseBills![0]!.detail!;
    const line = (id: number) => aud.filter((x) => x.id?.includes(id)).map((x) => [x.glTypeId, x.accountNumber, x.total, x.reimbursable, x.companyAdvance]);
    expect(line(7001)).toEqual([['EE', '493', 50, true, false], ['ET', '820', 5, true, false]]);
    expect(line(7003)).toEqual([['EE', '453', 118, false, true], ['ET', '820', 11.8, false, true], ['EO', '091', -129.8, false, true]]);
    expect(line(7004)).toEqual([['EO', '091', -24, false, true]]);
    expect(exp.vendors).toEqual([expect.objectContaining({ vendorNumber: 'admin' }), expect.objectContaining({ vendorNumber: 'tech' })]);
  });

  it('expenses: each entry’s rows (net, tax, offset) balance to zero', async () => {
    const exp = await exportExpenses({});
    const ids = [...new Set(exp.expenses!.map((x) => x.id))];
    expect(ids).toEqual([7001, 7002, 7003, 7004, 7005, 7009, 7010, 7011]);
    for (const id of ids) {
      const rows = exp.expenses!.filter((x) => x.id === id);
      expect(sumOf(rows.flatMap((x) => [x.total, x.offset?.total])).isZero(), String(id)).toBe(true);
    }
    expect(exp.expenses!.find((x) => x.id === 7003 && x.glTypeId !== 'ET')).toMatchObject({ accountNumber: '453', total: 118, offset: { accountNumber: '091', total: -129.8 }, vendorNumber: 'tech', periodStartDate: '2026-04-27T00:00:00Z' });
  });

  it('includedExpenseIds, excludedExpenseIds and summarizeExpenses (same totals, GL entries listed)', async () => {
    const one = await exportExpenses({ includedExpenseIds: [7005] });
    expect(one.expenseBills!.map((b) => [b.id, b.currency?.currencyCode, b.total])).toEqual([[2001, 'NZD', 210]]);
    expect(one.expenseBills![0]!.detail!.map((x) => [x.glTypeId, x.total])).toEqual([['EE', 182.61], ['ET', 27.39]]);
    const without = await exportExpenses({ excludedExpenseIds: [7005, 7009, 7010, 7011] });
    expect(without.expenseBills!.map((b) => b.currency?.currencyCode)).toEqual(['AUD']);
    const both = await sim.post('/finance/accounting/export', { exportExpensesFlag: true, includedExpenseIds: [7001], excludedExpenseIds: [7001] });
    expect(both.status).toBe(400);
    expect(both.json.errors[0].field).toBe('includedExpenseIds');

    const detailed = await exportExpenses({});
    const summarized = await exportExpenses({ summarizeExpenses: true });
    expect(summarized.expenseBills!.map((b) => b.total)).toEqual(detailed.expenseBills!.map((b) => b.total));
    const aud = summarized.expenseBills![0]!;
    expect(aud.detail!.map((x) => [x.glTypeId, x.accountNumber, x.expenseClass?.name, x.id, x.total, x.billable])).toEqual([
      ['EE', '493', 'Reimbursable', [7001], 50, true],
      ['ET', '820', 'Reimbursable', [7001, 7002], 8.5, false],
      ['EE', '420', 'Reimbursable', [7002], 35, false],
      ['EE', '453', 'Non-Reimbursable', [7003], 118, false],
      ['ET', '820', 'Non-Reimbursable', [7003], 11.8, false],
      ['EO', '091', 'Non-Reimbursable', [7003], -129.8, false],
      ['EO', '091', 'Personal', [7004], -24, false],
    ]);
    expect(aud.detail!.flatMap((x) => x.id).sort()).toEqual(detailed.expenseBills![0]!.detail!.flatMap((x) => x.id).sort());
  });

  it('an export without exportExpensesFlag holds no expenses', async () => {
    const r = await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: [5001] });
    expect(r.json.expenses).toEqual([]);
    expect(r.json.expenseBills).toEqual([]);
  });
});

describe('batches post expense GL entries', () => {
  it('closes the entries: they leave the unposted list and the export; deleting the batch brings them back', async () => {
    const r = await sim.post('/finance/accounting/batches', { batchIdentifier: 'cwxs-exp-2001', exportExpensesFlag: true, processedRecordIds: [7001, 7002, 7003, 7004, 7005], summarizeExpenses: true });
    expect(r.status).toBe(201);
    expect((r.json as CwGLExport).expenseBills!.map((b) => b.total)).toEqual([69.5, 210]);
    expect(await unpostedIds()).toEqual([7009, 7010, 7011]);
    expect((await exportExpenses({ includedExpenseIds: [7001] })).expenseBills).toEqual([]);

    const again = await sim.post('/finance/accounting/batches', { batchIdentifier: 'cwxs-exp-2001-b', exportExpensesFlag: true, processedRecordIds: [7001] });
    expect(again.status).toBe(400);
    expect(again.json.errors[0]).toMatchObject({ code: 'AlreadyPosted', field: 'processedRecordIds' });
    // A report with posted entries is neither rejected nor reversed.
    expect((await sim.post('/expense/reports/2001/reverse', {})).json.errors[0]).toMatchObject({ code: 'AlreadyPosted' });

    const batch = (await sim.get('/finance/accounting/batches?conditions=batchIdentifier="cwxs-exp-2001"')).json[0];
    expect(batch).toMatchObject({ exportExpensesFlag: true, closedFlag: true });
    const entries = (await sim.get(`/finance/accounting/batches/${batch.id}/entries?pageSize=100`)).json as { debit: number; credit: number }[];
    expect(sumOf(entries.map((e) => e.debit)).equals(sumOf(entries.map((e) => e.credit)))).toBe(true);
    const reexport = (await sim.post(`/finance/accounting/batches/${batch.id}/export`, {})).json as CwGLExport;
    expect(reexport.expenseBills!.map((b) => b.total)).toEqual([69.5, 210]);

    expect((await sim.call('DELETE', `/finance/accounting/batches/${batch.id}`)).status).toBe(204);
    expect(await unpostedIds()).toEqual([7001, 7002, 7003, 7004, 7005, 7009, 7010, 7011]);
  });

  it('needs exportExpensesFlag, and refuses an entry whose report is not approved', async () => {
    const noFlag = await sim.post('/finance/accounting/batches', { exportInvoicesFlag: true, processedRecordIds: [7001] });
    expect(noFlag.status).toBe(400);
    expect(noFlag.json.errors[0].field).toBe('exportExpensesFlag');
    const unapproved = await sim.post('/finance/accounting/batches', { exportExpensesFlag: true, processedRecordIds: [7006] });
    expect(unapproved.status).toBe(400);
    expect(unapproved.json.errors[0]).toMatchObject({ code: 'NotFound', field: 'processedRecordIds' });
  });
});

describe('the expense report screen', () => {
  it('shows the report and its entries', async () => {
    const html = await (await fetch(`${sim.url}/expensereport/2001?member=accountant`)).text();
    expect(html).toContain('Tom Technician');
    expect(html).toContain('ApprovedByTierTwo');
    expect(html).toContain('Hotel in Auckland, one night');
    expect(html).toContain('NZD 210.00');
    expect(html.match(/data-entry="/g)).toHaveLength(5);
  });
});
