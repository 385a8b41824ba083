// The expense tab's words (pod/expense/words.ts) and the problem merge it
// shares with the invoice dialog: ConnectWise's statuses as its screens say
// them, classifications as an accountant says them, one date format, who
// owes what after the Wise-Pay payments, and the agreement with ConnectWise.
import { formatDate } from '../../pod/lib/dates.js';
import { describe, expect, it } from 'vitest';
import {
  agreementWords,
  calendarDate,
  classificationWords,
  cwReportStatusWords,
  documentKindWords,
  owedLabel,
  paymentStateWords,
  periodWords,
} from '../../pod/expense/words.js';
import { mergeProblems } from '../../pod/invoice/ProblemList.js';

const payment = { glEntryId: '7003', account: 'Company Visa (091)', amount: '198.00', date: '2026-05-06', paymentType: 'Company Visa', state: 'planned' as const };
const bill = {
  documentKind: 'bill' as const,
  contactName: 'Tom Technician',
  currency: 'AUD',
  amountDue: '1350.00',
  totalsAgree: true,
  payments: [] as (typeof payment)[],
};

describe('expense tab words', () => {
  it("says ConnectWise's approval statuses as its screens do, and spells out one it does not know", () => {
    expect(cwReportStatusWords('ApprovedByTierTwo')).toBe('Approved by tier 2');
    expect(cwReportStatusWords('PendingApproval')).toBe('Pending approval');
    expect(cwReportStatusWords('RejectBySecondTier')).toBe('Rejected by tier 2');
    expect(cwReportStatusWords('SomethingNewInManage')).toBe('Something new in manage');
  });

  it('names the classifications, payment states and document kinds in an accountant’s words', () => {
    expect(['Reimbursable', 'NonReimbursable', 'Personal'].map((c) => classificationWords(c as 'Reimbursable'))).toEqual(['Reimbursable', 'Company-paid', 'Personal']);
    expect(paymentStateWords('applied')).toBe('Paid in Xero');
    expect(paymentStateWords('waiting_approval')).toMatch(/approved in Xero/);
    expect(documentKindWords('billCredit')).toBe('Bill credit note');
    expect(documentKindWords('bill')).toBe('Bill');
  });

  it('shows calendar dates as YYYY-MM-DD and never moves an instant to another day', () => {
    // In the one date format (pod/lib/dates.ts; its own test fixes the locale).
    expect(calendarDate('2026-05-04')).toBe(formatDate('2026-05-04'));
    expect(calendarDate('2026-05-04T00:00:00Z')).toBe(formatDate('2026-05-04'));
    // Local midnight in Sydney as a UTC instant: its day is the server's to say, so it is shown as sent.
    expect(calendarDate('2026-05-03T14:00:00Z')).toBe('2026-05-03T14:00:00Z');
    expect(calendarDate(null)).toBe('—');
    expect(periodWords('2026-05-04', '2026-05-10')).toBe(`${formatDate('2026-05-04')} – ${formatDate('2026-05-10')}`);
    expect(periodWords(null, null)).toBe('—');
  });

  it('says who is owed what after the payments, with the amount in its currency and thousands grouped', () => {
    expect(owedLabel(bill)).toBe('Stays owed to Tom Technician');
    expect(owedLabel({ ...bill, documentKind: 'billCredit' })).toBe('Still owed by Tom Technician');
    expect(owedLabel({ ...bill, amountDue: '0.00' })).toMatch(/^Nothing stays owed/);
    expect(agreementWords(bill)).toBe('Total AUD 1,350.00 owed to Tom Technician: equal to ConnectWise’s total to the cent.');
    expect(agreementWords({ ...bill, documentKind: 'billCredit' })).toMatch(/owed by Tom Technician/);
    expect(agreementWords({ ...bill, payments: [payment] })).toMatch(/^What stays owed after the payments equals ConnectWise’s total to the cent\.$/);
    expect(agreementWords({ ...bill, totalsAgree: false })).toMatch(/differs/);
    expect(agreementWords({ ...bill, totalsAgree: false, payments: [payment] })).toMatch(/differs/);
  });
});

describe('problems as a surface lists them', () => {
  it("puts a record's blocking problems first, a document's own after, each text once", () => {
    const shown = mergeProblems(
      [{ code: 'not-approved', message: 'Held until approved.', where: 'ConnectWise → Time & Expense' }],
      [
        { severity: 'warning', text: 'The personal charge is taken off what is owed.', fixWhere: '' },
        { severity: 'blocking', text: 'Held until approved.', fixWhere: 'elsewhere' },
        { severity: 'blocking', text: 'Account 493 is not in Xero.', fixWhere: 'Settings → account map' },
      ],
    );
    expect(shown).toEqual([
      { blocking: true, text: 'Held until approved.', where: 'ConnectWise → Time & Expense' },
      { blocking: true, text: 'Account 493 is not in Xero.', where: 'Settings → account map' },
      { blocking: false, text: 'The personal charge is taken off what is owed.', where: null },
    ]);
  });
});
