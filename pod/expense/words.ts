// The expense tab's words: ConnectWise's report statuses as its screens say
// them, the three classifications as an accountant says them, a Wise-Pay
// payment's state, what stays owed and whether the bill agrees with
// ConnectWise. Pure, so tests/pod checks them without a browser.
import type { ExpenseBillView } from '../../shared/expense-api.js';
import { formatMoney } from '../lib/money.js';
import { formatDate } from '../lib/dates.js';

type Classification = ExpenseBillView['lines'][number]['classification'];
type PaymentState = ExpenseBillView['payments'][number]['state'];

const CW_STATUS_WORDS: Record<string, string> = {
  Open: 'Open',
  PendingApproval: 'Pending approval',
  PendingProjectApproval: 'Pending project approval',
  ErrorsCorrected: 'Errors corrected',
  ApprovedByTierOne: 'Approved by tier 1',
  ApprovedByTierTwo: 'Approved by tier 2',
  Rejected: 'Rejected',
  RejectBySecondTier: 'Rejected by tier 2',
  ReadyToBill: 'Ready to bill',
  Billed: 'Billed',
  WrittenOff: 'Written off',
  BilledAgreement: 'Billed (agreement)',
};

/** ConnectWise's approval status (an enum name) as its screens word it; an unknown one spelt out from its name. */
export function cwReportStatusWords(status: string): string {
  const known = CW_STATUS_WORDS[status];
  if (known) return known;
  const spaced = status.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const CLASSIFICATION_WORDS: Record<Classification, string> = {
  Reimbursable: 'Reimbursable',
  NonReimbursable: 'Company-paid',
  Personal: 'Personal',
};

export function classificationWords(c: Classification): string {
  return CLASSIFICATION_WORDS[c];
}

const PAYMENT_STATE_WORDS: Record<PaymentState, string> = {
  planned: 'Paid when pushed',
  applied: 'Paid in Xero',
  waiting_approval: 'Waits until the bill is approved in Xero',
};

export function paymentStateWords(state: PaymentState): string {
  return PAYMENT_STATE_WORDS[state];
}

export function documentKindWords(kind: ExpenseBillView['documentKind']): string {
  return kind === 'billCredit' ? 'Bill credit note' : 'Bill';
}

const YMD = /^\d{4}-\d{2}-\d{2}$/;
const UTC_MIDNIGHT = /^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?Z?$/;

/**
 * A calendar date as every pod shows it (pod/lib/dates.ts: the browser's
 * locale). The server sends calendar dates; a ConnectWise midnight
 * ("…T00:00:00Z") is the same day. Any other instant is shown as sent: its day
 * depends on ConnectWise's time zone, which only the server knows.
 */
export function calendarDate(value: string | null): string {
  if (!value) return '—';
  if (YMD.test(value)) return formatDate(value);
  const day = UTC_MIDNIGHT.exec(value)?.[1];
  return day ? formatDate(day) : value;
}

/** "4 May 2026 – 10 May 2026"; one end missing shows a dash. */
export function periodWords(start: string | null, end: string | null): string {
  if (!start && !end) return '—';
  return `${calendarDate(start)} – ${calendarDate(end)}`;
}

function isZero(amount: string): boolean {
  return !/[1-9]/.test(amount);
}

/** What stays owed after the Wise-Pay payments, and to whom: the label beside the amount. */
export function owedLabel(bill: Pick<ExpenseBillView, 'documentKind' | 'amountDue' | 'contactName'>): string {
  if (isZero(bill.amountDue)) return 'Nothing stays owed: the payments settle it';
  return bill.documentKind === 'billCredit' ? `Still owed by ${bill.contactName}` : `Stays owed to ${bill.contactName}`;
}

/**
 * The bill against ConnectWise, whose total for these entries is what it owes
 * the member after the company-paid part: so the comparison is with what
 * stays owing in Xero once the Wise-Pay payments are applied.
 */
export function agreementWords(bill: Pick<ExpenseBillView, 'totalsAgree' | 'payments' | 'amountDue' | 'currency' | 'contactName' | 'documentKind'>): string {
  if (bill.payments.length) {
    return bill.totalsAgree ? 'What stays owed after the payments equals ConnectWise’s total to the cent.' : 'What stays owed after the payments differs from ConnectWise’s total.';
  }
  if (!bill.totalsAgree) return 'The total differs from ConnectWise’s.';
  const owed = formatMoney(bill.amountDue, bill.currency);
  const who = bill.documentKind === 'billCredit' ? `owed by ${bill.contactName}` : `owed to ${bill.contactName}`;
  return `Total ${owed} ${who}: equal to ConnectWise’s total to the cent.`;
}
