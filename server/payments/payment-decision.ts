// What to do with one invoice, given what Xero says was paid and what
// ConnectWise's payment records hold. Pure.
//
// The payment record the product wrote follows Xero's net cash on the
// document, both ways: up when a payment arrives, down when one is deleted,
// moved to another invoice or refunded, and removed when nothing is paid.
// Cash is Xero's AmountPaid plus overpayments and prepayments allocated to
// the invoice (money the customer paid, which Xero's API counts under
// AmountCredited); credit notes allocated in Xero are not cash: they are
// reported (ConnectWise's API cannot apply credits) and the Reconcile tab
// shows them beside it. A payment record the product did not write is never
// changed: it is reported, and while one is there ConnectWise is not written
// (it takes one payment record per invoice through the API anyway).
// Messages come twice: with amounts for the person now, and without amounts
// (or names) for the ledger (no accounting data at rest).
import Decimal from 'decimal.js';
import { paidInCw, type CwInvoicePayments, type CwPaymentRecord } from './cw-invoice-payment.js';
import { isPaymentReference, paymentReference, type XeroPaid } from './xero-invoice-payments.js';
import { formatMoney } from '../../shared/money-format.js';
import { xeroStatusWords } from '../../shared/xero-status.js';

export interface AttentionNote {
  code: 'cw_payment_not_ours' | 'credit_note_allocation' | 'exceeds_cw_balance' | 'xero_document_void';
  /** For the person, now (may name amounts). */
  message: string;
  /** For the ledger: the same advice without amounts. */
  storedMessage: string;
}

export type PaymentAction =
  | { kind: 'none' }
  | { kind: 'create'; amount: Decimal; date: string; appliedBy: string }
  | { kind: 'update'; paymentId: number; amount: Decimal; date: string; appliedBy: string }
  | { kind: 'delete'; paymentId: number };

export interface PaymentDecision {
  action: PaymentAction;
  /** The Xero items that make up our record's amount once the action is done. */
  itemIds: string[];
  /** Our record once the action is done (null: there is none). */
  ours: { id: number | null; amount: Decimal; date: string | null } | null;
  notes: AttentionNote[];
}

/** What the payment ledger remembers of the last check. */
export interface PreviousPayment {
  itemIds: string[];
  /** The ConnectWise payment record we wrote (or found ours). */
  cwPaymentId: number | null;
}


/**
 * The one rule of which ConnectWise payment record is ours: the one the
 * ledger names; with none named, one whose appliedBy is our reference (we
 * wrote it and crashed before the ledger heard of it).
 */
export function ourPaymentRecord(payments: CwPaymentRecord[], ledgerPaymentId: number | null): CwPaymentRecord | undefined {
  if (ledgerPaymentId !== null) return payments.find((p) => p.id === ledgerPaymentId);
  return payments.find((p) => isPaymentReference(p.appliedBy));
}

export function decidePayment(xero: XeroPaid, cw: CwInvoicePayments, previous: PreviousPayment): PaymentDecision {
  // Amounts in the person's words carry the currency, thousands grouped (shared/money-format.ts).
  const f = (d: Decimal) => formatMoney(d.toFixed(2), xero.currency ?? '');
  const notes: AttentionNote[] = [];
  const n = cw.invoiceNumber;
  const current = xero.cashItems.map((c) => c.id);
  const mine = ourPaymentRecord(cw.payments, previous.cwPaymentId);
  const others = cw.payments.filter((p) => p !== mine);
  const ours = mine ? { id: mine.id, amount: mine.amount, date: mine.date } : null;
  const keep: PaymentDecision = { action: { kind: 'none' }, itemIds: mine ? previous.itemIds : [], ours, notes };
  const voided = xero.status === 'VOIDED' || xero.status === 'DELETED';
  // Xero refuses to void an invoice that has payments, so a void's net is nothing.
  const target = voided ? new Decimal(0) : xero.cash;

  if (voided && paidInCw(cw).gt(0)) {
    const advice = `Xero invoice ${xero.number} is ${xeroStatusWords(xero.status).toLowerCase()}, but ConnectWise's invoice ${n} is still open. If the invoice was cancelled, credit it in ConnectWise (and remove any payment there that the sync did not write).`;
    notes.push({ code: 'xero_document_void', message: `${advice} (ConnectWise payments: ${f(paidInCw(cw))})`, storedMessage: advice });
  }

  // Credits applied in Xero beyond what ConnectWise already applied itself (a credit memo pushed from ConnectWise is allocated in both).
  const creditExcess = xero.creditTotal.minus(cw.credits);
  if (!voided && creditExcess.gt(0)) {
    const names = xero.credits.map((c) => c.number || c.creditNoteId.slice(0, 8)).join(', ');
    const advice = `Xero applies credit note ${names} to invoice ${n}. ConnectWise cannot take a credit application through its API, so we have not recorded it: in ConnectWise, apply the matching credit memo to invoice ${n} by hand (Finance › Invoices › ${n} › Payments › Apply credit), or create one if there is none.`;
    notes.push({ code: 'credit_note_allocation', message: `${advice} Credited in Xero: ${f(xero.creditTotal)}; credits in ConnectWise: ${f(cw.credits)}.`, storedMessage: advice });
  }

  if (others.length > 0) {
    const othersPaid = others.reduce((s, p) => s.plus(p.amount), new Decimal(0));
    const cwPaid = othersPaid.plus(ours?.amount ?? 0);
    // A person recorded exactly what Xero holds: nothing to do, nothing to tell.
    if (!mine && cwPaid.eq(target)) return { ...keep, itemIds: current, notes };
    const advice = `ConnectWise invoice ${n} has a payment record the sync did not write. We never change such a record, so ConnectWise was not brought to what Xero holds. If Xero is right, remove that payment in ConnectWise (Finance › Invoices › ${n} › Payments) and sync again; if the payment did happen, enter it in Xero.`;
    const who = others.map((p) => `${f(p.amount)}${p.date ? ` on ${p.date}` : ''}${p.appliedBy ? ` by ${p.appliedBy}` : ''}`).join('; ');
    notes.push({ code: 'cw_payment_not_ours', message: `${advice} Paid in Xero: ${f(target)}; ConnectWise shows ${f(cwPaid)} (not written by the sync: ${who}).`, storedMessage: advice });
    return keep;
  }

  const have = ours?.amount ?? new Decimal(0);
  const date = xero.latestDate;
  const appliedBy = paymentReference(xero.cashItems);

  if (target.lt(have)) {
    // Down: a payment deleted, moved or refunded in Xero. `mine` exists (have > 0).
    if (target.isZero()) return { action: { kind: 'delete', paymentId: mine!.id }, itemIds: [], ours: null, notes };
    const on = date ?? mine!.date;
    if (on) return { action: { kind: 'update', paymentId: mine!.id, amount: target, date: on, appliedBy }, itemIds: current, ours: { id: mine!.id, amount: target, date: on }, notes };
  }
  if (target.gt(have) && date) {
    const open = cw.total.minus(cw.credits);
    if (target.gt(open)) {
      const advice = `Xero shows more paid in cash on invoice ${n} than ConnectWise's open balance, so ConnectWise would refuse the payment. The invoices differ: open the Reconcile tab to see where, and correct one side.`;
      notes.push({ code: 'exceeds_cw_balance', message: `${advice} Paid in Xero: ${f(target)}; open in ConnectWise: ${f(open)}.`, storedMessage: advice });
      return keep;
    }
    const action: PaymentAction = mine ? { kind: 'update', paymentId: mine.id, amount: target, date, appliedBy } : { kind: 'create', amount: target, date, appliedBy };
    return { action, itemIds: current, ours: { id: mine?.id ?? null, amount: target, date }, notes };
  }
  if (target.eq(have)) {
    // In step by amount: after a crash between our ConnectWise write and our
    // ledger write, this is where the next run lands — it only records. A
    // payment replaced by another of the same amount moves the date.
    if (mine && date && mine.date !== date) {
      return { action: { kind: 'update', paymentId: mine.id, amount: target, date, appliedBy }, itemIds: current, ours: { id: mine.id, amount: target, date }, notes };
    }
    return { ...keep, itemIds: current };
  }
  return keep;
}
