// ConnectWise expense reports → Xero bills, to the cent. The inputs are what
// the ConnectWise simulator's API answers for its seed (export, unposted list,
// entries, members), read in-process.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CwExpenseEntry, CwGLExport, CwMember, CwUnpostedExpense } from '../../shared/cw-types.js';
import { type ExpenseSettingsInput, parseExpenseSettings } from '../../shared/expense-settings.js';
import { parseInvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { decideWeeklyBill, expenseRelease, groupExpenseItems } from '../../server/domain/expense-grouping.js';
import { classificationPosting, readExpenseItems } from '../../server/domain/expense-items.js';
import { type ExpenseMappingResult, mapExpenseBill, mapExpenseExport } from '../../server/domain/expense-mapping.js';
import { localDate, weekStartOf } from '../../server/domain/expense-weeks.js';
import { mapMemberContact, matchMemberContact } from '../../server/domain/member-contact.js';
import { checkWisePayMatrix } from '../../server/domain/wise-pay.js';
import type { XeroBillCreditPayload, XeroBillPayload } from '../../server/domain/xero-wire.js';
import { createCwSim } from '../../sim/connectwise/index.js';
import { expenseOrg } from './fixtures/expense-org.js';

const TZ = 'Australia/Sydney';
const AUTH = { authorization: `Basic ${Buffer.from('democo+simPublicKey:simPrivateKey').toString('base64')}`, clientId: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d', 'content-type': 'application/json' };

interface CwExpenses {
  exp: CwGLExport;
  unposted: CwUnpostedExpense[];
  entries: CwExpenseEntry[];
  members: CwMember[];
}

/** What the engine reads from ConnectWise, for the simulator's seed (optionally after approving report 2002). */
async function readCw(opts: { approve2002?: boolean } = {}): Promise<CwExpenses> {
  const sim = createCwSim({ now: () => new Date('2026-05-18T00:00:00Z') });
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await sim.app.request(`/v4_6_release/apis/3.0${path}`, { method, headers: AUTH, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    expect(r.status, path).toBeLessThan(300);
    return r.json();
  };
  if (opts.approve2002) {
    await call('POST', '/expense/reports/2002/approve', {});
    await call('POST', '/expense/reports/2002/approve', {});
  }
  return {
    exp: await call('POST', '/finance/accounting/export', { exportExpensesFlag: true }),
    unposted: await call('GET', '/finance/accounting/unpostedexpenses?pageSize=1000'),
    entries: await call('GET', '/expense/entries?pageSize=1000'),
    members: await call('GET', '/system/members?pageSize=1000'),
  };
}

const accounts = (accountMap: Record<string, string> = { '091': '805' }) => {
  const s = parseInvoiceMappingSettings({ accountMap, taxMap: { GST: 'OUTPUT' } });
  return { accountMap: s.accountMap, taxMap: s.taxMap };
};
const WISE = { wisePay: true, wisePayAccounts: { tech: { '2': '091' } } } satisfies ExpenseSettingsInput;

function map(cw: CwExpenses, settings: ExpenseSettingsInput = {}, accountMap?: Record<string, string>): ExpenseMappingResult[] {
  return mapExpenseExport({
    expenseBills: cw.exp.expenseBills ?? [],
    unposted: cw.unposted,
    entries: cw.entries,
    members: cw.members,
    timeZone: TZ,
    settings: parseExpenseSettings(settings),
    accounts: accounts(accountMap),
    xeroRefs: expenseOrg,
    urls: { 2001: 'https://cw.example/expensereport/2001' },
  });
}
const byNumber = (rs: ExpenseMappingResult[], n: string) => rs.find((r) => r.number === n)!;
const codes = (r: ExpenseMappingResult) => r.problems.map((p) => p.code);

let cw: CwExpenses;
let cwWeek: CwExpenses;
beforeAll(async () => {
  cw = await readCw();
  cwWeek = await readCw({ approve2002: true });
});

describe('one bill per report and currency, each classification', () => {
  it('reimbursable, company-paid (Wise-Pay) and personal entries: an ACCPAY bill to the member, to the cent', () => {
    const r = byNumber(map(cw, WISE), 'ER-2001-AUD');
    const doc = r.document as XeroBillPayload;
    expect(r.kind).toBe('bill');
    expect(doc).toMatchObject({
      Type: 'ACCPAY',
      InvoiceNumber: 'ER-2001-AUD',
      Url: 'https://cw.example/expensereport/2001',
      Contact: { ContactNumber: 'CWM-tech' },
      Date: '2026-05-05',
      DueDate: '2026-05-12',
      CurrencyCode: 'AUD',
      LineAmountTypes: 'Exclusive',
      Status: 'AUTHORISED',
    });
    expect(doc).not.toHaveProperty('Reference');
    expect(doc.LineItems).toEqual([
      {
        Description: '2026-04-30 Travel: Taxi to Harbour Dental for the printer call — Client: Harbour Dental Group · Ticket #3101 Printer queue failing at reception — CW expense entry 8001',
        Quantity: 1, UnitAmount: 50, LineAmount: 50, AccountCode: '493', TaxType: 'INPUT', TaxAmount: 5,
      },
      {
        Description: '2026-05-01 Meals: Lunch on site during the Gold review — Client: Harbour Dental Group · Agreement: Managed Services - Gold covers 38.50 — CW expense entry 8002',
        Quantity: 1, UnitAmount: 35, LineAmount: 35, AccountCode: '420', TaxType: 'INPUT', TaxAmount: 3.5,
      },
      {
        Description: '2026-05-04 Office Supplies: Cables and adapters for the Parramatta depot — Client: Blue Gum Logistics Pty Ltd — Company-paid (Company Visa) — CW expense entry 8003',
        Quantity: 1, UnitAmount: 118, LineAmount: 118, AccountCode: '453', TaxType: 'INPUT', TaxAmount: 11.8,
      },
      {
        Description: '2026-05-05 Meals: Personal coffee order on the company card, to be repaid — Client: Harbour Dental Group — Personal, paid by Company Visa: owed back by the member — CW expense entry 8004',
        Quantity: 1, UnitAmount: -24, LineAmount: -24, AccountCode: '805', TaxType: 'EXEMPTEXPENSES', TaxAmount: 0,
      },
    ]);
    // The Visa purchase is paid from the Visa's account at once, so the member is owed exactly ConnectWise's 69.50.
    expect(r.payments).toEqual([{ glEntryId: '7003', accountCode: '091', amount: '129.80', date: '2026-05-04', paymentTypeId: 2, paymentTypeName: 'Company Visa' }]);
    expect(r.totals).toEqual({
      cwTotal: '69.50',
      cwTax: '20.30',
      xeroSubtotal: '179.00',
      xeroTax: '20.30',
      xeroTotal: '199.30',
      paymentsTotal: '129.80',
      xeroAmountDue: '69.50',
      difference: '0.00',
      taxDifference: '0.00',
    });
    expect(r.lines.map((l) => [l.kind, l.classification, l.glEntryId])).toEqual([
      ['expense', 'Reimbursable', '7001'],
      ['expense', 'Reimbursable', '7002'],
      ['expense', 'NonReimbursable', '7003'],
      ['personal', 'Personal', '7004'],
    ]);
    expect(r.problems).toEqual([]);
    expect(r.ready).toBe(true);
    expect(r.glEntryIds).toEqual(['7001', '7002', '7003', '7004']);
    expect(r.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.postings.map((p) => p.classification)).toEqual(['Reimbursable', 'NonReimbursable', 'Personal']);
    expect(r.contact).toEqual({ Name: 'Tom Technician', ContactNumber: 'CWM-tech', FirstName: 'Tom', LastName: 'Technician', EmailAddress: 'tech@democo.example' });
  });

  it('without Wise-Pay, a company-paid expense is taken off again on the card clearing account', () => {
    const r = byNumber(map(cw), 'ER-2001-AUD');
    const lines = (r.document as XeroBillPayload).LineItems;
    expect(lines.map((l) => [l.AccountCode, l.LineAmount, l.TaxType, l.TaxAmount])).toEqual([
      ['493', 50, 'INPUT', 5],
      ['420', 35, 'INPUT', 3.5],
      ['453', 118, 'INPUT', 11.8],
      ['805', -129.8, 'EXEMPTEXPENSES', 0],
      ['805', -24, 'EXEMPTEXPENSES', 0],
    ]);
    expect(lines[3]!.Description).toContain('Paid by Company Visa: not owed to the member');
    expect(r.payments).toEqual([]);
    expect(r.totals).toMatchObject({ cwTotal: '69.50', xeroTotal: '69.50', xeroAmountDue: '69.50', difference: '0.00' });
    expect(r.ready).toBe(true);
    expect(classificationPosting('NonReimbursable', false)).toContain('offset account');
  });

  it('an offset on the Visa itself (no clearing account mapped) is refused: a bill line cannot use a bank account', () => {
    const r = byNumber(map(cw, {}, {}), 'ER-2001-AUD');
    expect(r.ready).toBe(false);
    expect(r.problems.filter((p) => p.code === 'expense-line-bank-account').map((p) => p.line)).toEqual([4, 5]);
  });

  it('a foreign-currency entry makes its own bill in that currency', () => {
    const rs = map(cw, { inputTaxMap: { NZGST: 'BASEXCLUDED' } });
    const r = byNumber(rs, 'ER-2001-NZD');
    expect(r.document).toMatchObject({ Type: 'ACCPAY', InvoiceNumber: 'ER-2001-NZD', CurrencyCode: 'NZD', Date: '2026-05-06' });
    // New Zealand GST is not claimable in an Australian organisation: it stays in the expense.
    expect((r.document as XeroBillPayload).LineItems).toEqual([
      expect.objectContaining({ UnitAmount: 210, LineAmount: 210, AccountCode: '493', TaxType: 'BASEXCLUDED', TaxAmount: 0 }),
    ]);
    expect(r.totals).toMatchObject({ cwTotal: '210.00', xeroTotal: '210.00', difference: '0.00', taxDifference: '-27.39' });
    expect(codes(r)).toEqual(['expense-tax-not-claimable']);
    expect(r.ready).toBe(true);
    // Unmapped, an AU organisation has no 15% purchase rate for it.
    expect(codes(byNumber(map(cw), 'ER-2001-NZD'))).toEqual(['tax-code-unmapped']);
    expect(rs.map((x) => x.number)).toEqual(['ER-2001-AUD', 'ER-2001-NZD', 'ER-2004', 'ER-2005']);
  });

  it('a report that nets below zero (personal owed back) is a bill credit note', () => {
    const r = byNumber(map(cw), 'ER-2005');
    const doc = r.document as XeroBillCreditPayload;
    expect(r.kind).toBe('billCredit');
    expect(doc).toMatchObject({ Type: 'ACCPAYCREDIT', CreditNoteNumber: 'ER-2005', Contact: { ContactNumber: 'CWM-tech' }, Date: '2026-05-13', CurrencyCode: 'AUD' });
    expect(doc).not.toHaveProperty('DueDate');
    expect(doc.LineItems.map((l) => [l.AccountCode, l.LineAmount, l.TaxType, l.TaxAmount])).toEqual([
      ['805', 150, 'EXEMPTEXPENSES', 0],
      ['493', -18.18, 'INPUT', -1.82],
    ]);
    expect(r.totals).toMatchObject({ cwTotal: '130.00', xeroTotal: '130.00', xeroTax: '-1.82', xeroAmountDue: '130.00', difference: '0.00' });
    expect(r.ready).toBe(true);
  });
});

describe('Wise-Pay', () => {
  it('a member without a mapping gets a readiness problem, not a silent unpaid bill', () => {
    const r = byNumber(map(cw, { wisePay: true }), 'ER-2001-AUD');
    expect(r.ready).toBe(false);
    const p = r.problems.find((x) => x.code === 'wise-pay-unmapped')!;
    expect(p).toMatchObject({ severity: 'blocking', area: 'settings', line: 3, field: 'wisePayAccounts.tech.2' });
    expect(p.message).toContain('member tech paying by "Company Visa"');
    expect(r.payments).toEqual([]);
  });

  it('a draft bill warns that its payments wait for approval; an account that is not a bank is refused', () => {
    expect(codes(byNumber(map(cw, { ...WISE, billStatus: 'DRAFT' }), 'ER-2001-AUD'))).toEqual(['wise-pay-needs-approval']);
    const wrong = byNumber(map(cw, { wisePay: true, wisePayAccounts: { TECH: { '2': '453' } } }), 'ER-2001-AUD');
    expect(codes(wrong)).toEqual(['wise-pay-account-invalid']);
    expect(checkWisePayMatrix({ tech: { '2': '091', '1': '453' }, admin: { '2': '999' } }, expenseOrg).map((p) => p.field)).toEqual(['wisePayAccounts.tech.1', 'wisePayAccounts.admin.2']);
  });
});

describe('Enhanced Expenses: one bill per member per week', () => {
  const weekly = { enhancedExpenses: true } satisfies ExpenseSettingsInput;

  it('a report spanning two weeks lands in two bills; a later report joins its week', () => {
    const rs = map(cwWeek, weekly);
    expect(rs.map((r) => [r.key, r.number, r.glEntryIds, r.totals.cwTotal, r.kind])).toEqual([
      ['m1-w2026-05-04-AUD', 'EXP-admin-2026-05-04', ['7009'], '14.20', 'bill'],
      ['m3-w2026-04-27-AUD', 'EXP-tech-2026-04-27', ['7001', '7002'], '93.50', 'bill'],
      ['m3-w2026-05-04-AUD', 'EXP-tech-2026-05-04-AUD', ['7003', '7004', '7006', '7007'], '89.20', 'bill'],
      ['m3-w2026-05-04-NZD', 'EXP-tech-2026-05-04-NZD', ['7005'], '210.00', 'bill'],
      ['m3-w2026-05-11-AUD', 'EXP-tech-2026-05-11', ['7010', '7011'], '130.00', 'billCredit'],
    ]);
    const week = byNumber(rs, 'EXP-tech-2026-05-04-AUD');
    // 113.20 from report 2002 − 24 personal from 2001; the Visa purchase is taken off on the clearing account.
    expect(week.lines.map((l) => [l.date, l.glEntryId, l.lineAmount, l.taxAmount])).toEqual([
      ['2026-05-04', '7003', '118.00', '11.80'],
      ['2026-05-04', '7003', '-129.80', '0.00'],
      ['2026-05-05', '7004', '-24.00', '0.00'],
      ['2026-05-07', '7006', '62.00', '6.20'],
      ['2026-05-08', '7007', '40.91', '4.09'],
    ]);
    expect(week.totals).toMatchObject({ xeroTotal: '89.20', difference: '0.00' });
    expect(week.document).toMatchObject({ Date: '2026-05-08', DueDate: '2026-05-15' });
  });

  it('weeks follow ConnectWise’s time zone and the configured first day', () => {
    const items = readExpenseItems({ expenseBills: cwWeek.exp.expenseBills!, unposted: cwWeek.unposted, entries: cwWeek.entries, timeZone: 'UTC' });
    // In UTC, 4 May in Sydney is still Sunday 3 May: the Visa purchase falls into the week before.
    const utc = groupExpenseItems(items, { enhancedExpenses: true, weekStart: 'Monday' }).find((g) => g.key === 'm3-w2026-04-27-AUD')!;
    expect(utc.glEntryIds).toEqual(['7001', '7002', '7003']);
    const sunday = groupExpenseItems(readExpenseItems({ expenseBills: cwWeek.exp.expenseBills!, unposted: cwWeek.unposted, entries: cwWeek.entries, timeZone: TZ }), { enhancedExpenses: true, weekStart: 'Sunday' });
    expect(sunday.filter((g) => g.memberIdentifier === 'tech' && g.currency === 'AUD').map((g) => [g.week?.start, g.glEntryIds])).toEqual([
      ['2026-04-26', ['7001', '7002']],
      ['2026-05-03', ['7003', '7004', '7006', '7007']],
      ['2026-05-10', ['7010', '7011']],
    ]);
    expect(localDate('2026-05-03T14:00:00Z', TZ)).toBe('2026-05-04');
    expect(localDate('2026-05-03T14:00:00Z', 'Nowhere/Else')).toBeNull();
    expect(weekStartOf('2026-05-10', 'Monday')).toBe('2026-05-04');
  });

  it('a later report is added to the week’s draft bill; after approval it makes a further bill; nothing is billed twice', () => {
    const week = ['7003', '7004', '7006', '7007'];
    expect(decideWeeklyBill([], week)).toEqual({ action: 'create', sequence: 1, glEntryIds: week });
    expect(decideWeeklyBill([{ sequence: 1, xeroStatus: 'DRAFT', glEntryIds: ['7003', '7004'] }], week)).toEqual({ action: 'update', sequence: 1, glEntryIds: week, added: ['7006', '7007'] });
    const further = decideWeeklyBill([{ sequence: 1, xeroStatus: 'AUTHORISED', glEntryIds: ['7003', '7004'] }], week);
    expect(further).toEqual({ action: 'create', sequence: 2, glEntryIds: ['7006', '7007'] });
    expect(decideWeeklyBill([{ sequence: 1, xeroStatus: 'PAID', glEntryIds: ['7003', '7004'] }, { sequence: 2, xeroStatus: 'DRAFT', glEntryIds: ['7006', '7007'] }], week)).toMatchObject({ action: 'none' });

    // The further bill holds only the new entries, numbered -2.
    const items = readExpenseItems({ expenseBills: cwWeek.exp.expenseBills!, unposted: cwWeek.unposted, entries: cwWeek.entries, timeZone: TZ });
    const group = groupExpenseItems(items.filter((i) => ['7006', '7007'].includes(i.glEntryId)), { enhancedExpenses: true, weekStart: 'Monday' })[0]!;
    const r = mapExpenseBill({ group, member: cwWeek.members.find((m) => m.identifier === 'tech')!, settings: parseExpenseSettings({ enhancedExpenses: true }), accounts: accounts(), xeroRefs: expenseOrg, sequence: 2 });
    expect(r.number).toBe('EXP-tech-2026-05-04-2');
    expect(r.totals).toMatchObject({ cwTotal: '113.20', xeroTotal: '113.20', difference: '0.00' });
  });
});

describe('release, contact and export shape', () => {
  it('approval releases a report: tier two, or tier one without a second tier', () => {
    expect(expenseRelease('ApprovedByTierTwo', true)).toEqual({ released: true });
    expect(expenseRelease('ApprovedByTierOne', false)).toEqual({ released: true });
    expect(expenseRelease('ApprovedByTierOne', true)).toMatchObject({ released: false, code: 'expense-not-approved' });
    expect(expenseRelease('Open', true)).toMatchObject({ released: false });
  });

  it('the member is a supplier contact of its own, never a customer with the same name', () => {
    const tech = cw.members.find((m) => m.identifier === 'tech')!;
    const settings = parseExpenseSettings({});
    const same = mapMemberContact({ member: tech, settings, existing: { Name: 'Tom Technician', ContactNumber: 'CWM-tech', FirstName: 'Tom', LastName: 'Technician', EmailAddress: 'tech@democo.example', Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '123' }] } });
    expect(same.changed).toBe(false);
    expect(matchMemberContact([{ ContactID: 'c1', Name: 'Tom Technician', ContactNumber: 'TomTechCo' }], tech, settings).kind).toBe('conflict');
    expect(matchMemberContact([{ ContactID: 'c2', Name: 'T. Technician', ContactNumber: 'CWM-tech' }], tech, settings)).toMatchObject({ kind: 'number' });
  });

  it('a summarised export is refused: each entry needs its own detail', async () => {
    const sim = createCwSim();
    const res = await sim.app.request('/v4_6_release/apis/3.0/finance/accounting/export', { method: 'POST', headers: AUTH, body: JSON.stringify({ exportExpensesFlag: true, summarizeExpenses: true }) });
    const exp = (await res.json()) as CwGLExport;
    const rs = mapExpenseExport({ expenseBills: exp.expenseBills!, unposted: cw.unposted, entries: cw.entries, members: cw.members, timeZone: TZ, settings: parseExpenseSettings({}), accounts: accounts(), xeroRefs: expenseOrg });
    expect(rs.some((r) => codes(r).includes('expense-export-summarized'))).toBe(true);
  });
});
