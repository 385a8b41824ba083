// What to do with one invoice, given what Xero says was paid and what
// ConnectWise's payment record holds. Pure. ConnectWise is brought UP to
// Xero's cash; it is never silently brought down (a payment deleted or
// reversed in Xero after it reached ConnectWise is for a person), and credit
// notes applied in Xero are reported, since ConnectWise's API cannot apply
// credits. Messages come twice: with amounts for the person now, and without
// amounts for the ledger (no accounting data at rest).
import Decimal from 'decimal.js';
import type { CwInvoicePayments } from './cw-invoice-payment.js';
import { paymentReference, type XeroPaid } from './xero-invoice-payments.js';

export interface AttentionNote {
  code: 'xero_below_cw' | 'credit_note_allocation' | 'exceeds_cw_balance' | 'xero_document_void';
  /** For the person, now (may name amounts). */
  message: string;
  /** For the ledger: the same advice without amounts. */
  storedMessage: string;
}

export type PaymentAction =
  | { kind: 'none' }
  | { kind: 'create'; amount: Decimal; date: string; appliedBy: string }
  | { kind: 'update'; paymentId: number; amount: Decimal; date: string; appliedBy: string };

export interface PaymentDecision {
  action: PaymentAction;
  /** The Xero items that make up ConnectWise's amount once the action is done. */
  itemIds: string[];
  notes: AttentionNote[];
}

const f = (d: Decimal) => d.toFixed(2);

function short(id: string): string {
  return id.split(':')[1]!.slice(0, 8);
}

/** `previousItemIds`: what the ledger says made up ConnectWise's amount last time. */
export function decidePayment(xero: XeroPaid, cw: CwInvoicePayments, previousItemIds: string[]): PaymentDecision {
  const notes: AttentionNote[] = [];
  const cwAmount = cw.payment?.amount ?? new Decimal(0);
  const current = xero.cashItems.map((c) => c.id);
  const n = cw.invoiceNumber;

  if (xero.status === 'VOIDED' || xero.status === 'DELETED') {
    if (cwAmount.gt(0)) {
      const advice = `Xero invoice ${xero.number} is ${xero.status}, but ConnectWise still records a payment on invoice ${n}. We have not changed ConnectWise: if the invoice was cancelled, remove the payment in ConnectWise (Finance › Invoices › ${n} › Payments) and credit the invoice there.`;
      notes.push({ code: 'xero_document_void', message: `${advice} (ConnectWise payment ${f(cwAmount)})`, storedMessage: advice });
    }
    return { action: { kind: 'none' }, itemIds: previousItemIds, notes };
  }

  // Credits applied in Xero beyond what ConnectWise already applied itself (a credit memo pushed from ConnectWise is allocated in both).
  const creditExcess = xero.creditTotal.minus(cw.credits);
  if (creditExcess.gt(0)) {
    const names = xero.credits.map((c) => c.number || c.creditNoteId.slice(0, 8)).join(', ');
    const advice = `Xero applies credit note ${names} to invoice ${n}. ConnectWise cannot take a credit application through its API, so we have not recorded it: in ConnectWise, apply the matching credit memo to invoice ${n} by hand (Finance › Invoices › ${n} › Payments › Apply credit), or create one if there is none.`;
    notes.push({ code: 'credit_note_allocation', message: `${advice} Credited in Xero: ${f(xero.creditTotal)}; credits in ConnectWise: ${f(cw.credits)}.`, storedMessage: advice });
  }

  let action: PaymentAction = { kind: 'none' };
  let itemIds = previousItemIds;
  const date = xero.latestDate;
  const appliedBy = paymentReference(xero.cashItems);

  if (xero.cash.lt(cwAmount)) {
    const removed = previousItemIds.filter((id) => !current.includes(id));
    const which = removed.length ? `Xero payment ${removed.map(short).join(', ')} was deleted or reversed` : 'a payment was deleted or reversed in Xero, or one was entered in ConnectWise by hand,';
    const advice = `On invoice ${n}, ${which} after it reached ConnectWise, so Xero now holds less cash than ConnectWise's payment record. We have not changed ConnectWise. If Xero is right, open invoice ${n} › Payments in ConnectWise and lower the payment to Xero's amount (delete it if nothing is paid); if the payment did happen, enter it again in Xero.`;
    notes.push({ code: 'xero_below_cw', message: `${advice} Paid in Xero: ${f(xero.cash)}; ConnectWise shows ${f(cwAmount)}.`, storedMessage: advice });
  } else if (xero.cash.gt(cwAmount) && date) {
    const open = cw.total.minus(cw.credits);
    if (xero.cash.gt(open)) {
      const advice = `Xero shows more paid in cash on invoice ${n} than ConnectWise's open balance, so ConnectWise would refuse the payment. The invoices differ: open the Reconcile tab to see where, and correct one side.`;
      notes.push({ code: 'exceeds_cw_balance', message: `${advice} Paid in Xero: ${f(xero.cash)}; open in ConnectWise: ${f(open)}.`, storedMessage: advice });
    } else {
      action = cw.payment
        ? { kind: 'update', paymentId: cw.payment.id, amount: xero.cash, date, appliedBy }
        : { kind: 'create', amount: xero.cash, date, appliedBy };
      itemIds = current;
    }
  } else if (xero.cash.eq(cwAmount)) {
    // In step by amount: after a crash between our ConnectWise write and our
    // ledger write, this is where the next run lands — it only records.
    itemIds = current;
    if (cw.payment && date && cw.payment.date !== date) {
      action = { kind: 'update', paymentId: cw.payment.id, amount: xero.cash, date, appliedBy };
    }
  }
  return { action, itemIds, notes };
}
