// ConnectWise's side of a payment sync: the invoice's number and total, its
// payment records, and writes of its ONE payment record (ConnectWise takes a
// single "Payment" record per invoice through the API: POST when there is
// none, PATCH to change it, DELETE when nothing is paid any more). Credit
// records are read, never written: the API cannot apply credit memos.
import Decimal from 'decimal.js';
import { z } from 'zod';
import type { CwClient } from '../cw/client.js';

const cwInvoice = z
  .object({
    id: z.number().int(),
    invoiceNumber: z.string(),
    type: z.string().nullish(),
    total: z.number().nullish(),
  })
  .loose();

const cwPayment = z
  .object({
    id: z.number().int(),
    type: z.string().nullish(),
    amount: z.number().nullish(),
    paymentDate: z.string().nullish(),
    appliedBy: z.string().nullish(),
    credit: z.object({ id: z.number().int().nullish(), identifier: z.string().nullish() }).loose().nullish(),
  })
  .loose();

export interface CwPaymentRecord {
  id: number;
  amount: Decimal;
  /** yyyy-mm-dd */
  date: string | null;
  appliedBy: string | null;
}

export interface CwInvoicePayments {
  invoiceId: number;
  invoiceNumber: string;
  type: string;
  total: Decimal;
  /** Every payment record (not credits), ours or entered by a person: which one is ours is payment-decision's rule. */
  payments: CwPaymentRecord[];
  /** Credits applied inside ConnectWise (type Credit): read-only. */
  credits: Decimal;
}

/** What ConnectWise shows as paid on the invoice: every payment record, whoever wrote it. */
export function paidInCw(cw: Pick<CwInvoicePayments, 'payments'>): Decimal {
  return cw.payments.reduce((s, p) => s.plus(p.amount), new Decimal(0));
}

const dec = (n: number | null | undefined) => new Decimal(String(n ?? 0));

export async function readCwInvoicePayments(cw: CwClient, invoiceId: number): Promise<CwInvoicePayments> {
  const inv = await cw.get(`finance/invoices/${invoiceId}`, cwInvoice, { what: `invoice ${invoiceId}` });
  const records = await cw.list(`finance/invoices/${invoiceId}/payments`, cwPayment);
  return {
    invoiceId,
    invoiceNumber: inv.invoiceNumber,
    type: inv.type ?? 'Standard',
    total: dec(inv.total),
    payments: records
      .filter((p) => p.type !== 'Credit')
      .map((p) => ({ id: p.id, amount: dec(p.amount), date: p.paymentDate ? p.paymentDate.slice(0, 10) : null, appliedBy: p.appliedBy ?? null })),
    credits: records.filter((p) => p.type === 'Credit').reduce((s, p) => s.plus(dec(p.amount)), new Decimal(0)),
  };
}

export interface CwPaymentWrite {
  amount: Decimal;
  /** yyyy-mm-dd */
  date: string;
  appliedBy: string;
}

function body(w: CwPaymentWrite) {
  // ConnectWise's API types amounts as doubles; a 2-decimal amount survives the round trip exactly.
  return { type: 'Payment', amount: Number(w.amount.toFixed(2)), paymentDate: `${w.date}T00:00:00Z`, appliedBy: w.appliedBy };
}

export async function createCwPayment(cw: CwClient, invoiceId: number, w: CwPaymentWrite): Promise<number> {
  const r = await cw.post(`finance/invoices/${invoiceId}/payments`, body(w), cwPayment, { what: `payment on invoice ${invoiceId}` });
  return r.id;
}

/** ConnectWise PATCH (JSON-Patch-like list): only the fields we own change. */
export async function updateCwPayment(cw: CwClient, invoiceId: number, paymentId: number, w: CwPaymentWrite): Promise<void> {
  const b = body(w);
  await cw.patch(
    `finance/invoices/${invoiceId}/payments/${paymentId}`,
    [
      { op: 'replace', path: 'amount', value: b.amount },
      { op: 'replace', path: 'paymentDate', value: b.paymentDate },
      { op: 'replace', path: 'appliedBy', value: b.appliedBy },
    ],
    cwPayment,
    { what: `payment ${paymentId} on invoice ${invoiceId}` },
  );
}

/** Nothing is paid in Xero any more: our record goes (ConnectWise refuses a payment of 0). */
export async function deleteCwPayment(cw: CwClient, invoiceId: number, paymentId: number): Promise<void> {
  await cw.delete(`finance/invoices/${invoiceId}/payments/${paymentId}`, { what: `payment ${paymentId} on invoice ${invoiceId}` });
}
