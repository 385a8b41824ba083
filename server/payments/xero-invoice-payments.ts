// What Xero says was paid on one sales invoice, read from the invoice itself
// (xero-node model, validated here: it crosses a boundary). Cash is payments,
// overpayment and prepayment allocations; credit-note allocations are not cash
// and ConnectWise cannot take them through its API, so they are kept apart
// for a person. Pure: no I/O. Amounts are Decimals and live only in memory.
import Decimal from 'decimal.js';
import { z } from 'zod';

const when = z.union([z.date(), z.string()]).optional().nullable();
const num = z.union([z.number(), z.string()]).optional().nullable();

export const xeroInvoiceForPayments = z
  .object({
    invoiceID: z.string(),
    invoiceNumber: z.string().optional().nullable(),
    type: z.unknown(),
    status: z.unknown(),
    total: num,
    amountPaid: num,
    amountDue: num,
    amountCredited: num,
    currencyCode: z.unknown().optional(),
    payments: z.array(z.object({ paymentID: z.string().optional().nullable(), date: when, amount: num }).loose()).optional().nullable(),
    overpayments: z.array(z.object({ overpaymentID: z.string().optional().nullable(), date: when, appliedAmount: num }).loose()).optional().nullable(),
    prepayments: z.array(z.object({ prepaymentID: z.string().optional().nullable(), date: when, appliedAmount: num }).loose()).optional().nullable(),
    creditNotes: z
      .array(z.object({ creditNoteID: z.string().optional().nullable(), creditNoteNumber: z.string().optional().nullable(), date: when, appliedAmount: num }).loose())
      .optional()
      .nullable(),
  })
  .loose();
export type XeroInvoiceForPayments = z.infer<typeof xeroInvoiceForPayments>;

export interface CashItem {
  /** "p:<PaymentID>", "o:<OverpaymentID>", "pp:<PrepaymentID>" */
  id: string;
  kind: 'payment' | 'overpayment' | 'prepayment';
  amount: Decimal;
  /** yyyy-mm-dd */
  date: string | null;
}

export interface CreditApplied {
  creditNoteId: string;
  number: string;
  amount: Decimal;
  date: string | null;
}

export interface XeroPaid {
  xeroInvoiceId: string;
  number: string;
  type: string;
  status: string;
  total: Decimal;
  /** Payments + overpayment + prepayment allocations. */
  cash: Decimal;
  cashItems: CashItem[];
  /** Date of the latest cash item, yyyy-mm-dd. */
  latestDate: string | null;
  credits: CreditApplied[];
  creditTotal: Decimal;
  amountDue: Decimal;
  /** The invoice's currency code ('' when Xero did not say): amounts in words carry it. */
  currency?: string;
}

export function dayOf(v: Date | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  const ms = /\/Date\((-?\d+)/.exec(v);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null;
}

export function money(v: number | string | null | undefined): Decimal {
  if (v === null || v === undefined || v === '') return new Decimal(0);
  // String(n) gives back exactly the digits Xero sent for a 2-decimal amount.
  return new Decimal(String(v));
}

export function xeroPaidFrom(raw: unknown): XeroPaid {
  const inv = xeroInvoiceForPayments.parse(raw);
  const cashItems: CashItem[] = [];
  for (const p of inv.payments ?? []) if (p.paymentID) cashItems.push({ id: `p:${p.paymentID}`, kind: 'payment', amount: money(p.amount), date: dayOf(p.date) });
  for (const o of inv.overpayments ?? []) if (o.overpaymentID) cashItems.push({ id: `o:${o.overpaymentID}`, kind: 'overpayment', amount: money(o.appliedAmount), date: dayOf(o.date) });
  for (const o of inv.prepayments ?? []) if (o.prepaymentID) cashItems.push({ id: `pp:${o.prepaymentID}`, kind: 'prepayment', amount: money(o.appliedAmount), date: dayOf(o.date) });
  const credits: CreditApplied[] = (inv.creditNotes ?? [])
    .filter((c) => c.creditNoteID)
    .map((c) => ({ creditNoteId: c.creditNoteID!, number: c.creditNoteNumber ?? '', amount: money(c.appliedAmount), date: dayOf(c.date) }));
  const dates = cashItems.map((c) => c.date).filter((d): d is string => !!d).sort();
  return {
    xeroInvoiceId: inv.invoiceID,
    number: inv.invoiceNumber ?? '',
    type: String(inv.type ?? ''),
    status: String(inv.status ?? ''),
    total: money(inv.total),
    cash: cashItems.reduce((s, c) => s.plus(c.amount), new Decimal(0)),
    cashItems,
    latestDate: dates.length ? dates[dates.length - 1]! : null,
    credits,
    creditTotal: credits.reduce((s, c) => s.plus(c.amount), new Decimal(0)),
    amountDue: money(inv.amountDue),
    currency: typeof inv.currencyCode === 'string' ? inv.currencyCode : '',
  };
}

/** ConnectWise's payment record has one free-text field, appliedBy (≤ 30 characters): name the Xero payments by short id. */
export function paymentReference(items: Pick<CashItem, 'id'>[]): string {
  const shorts = items.map((i) => i.id.split(':')[1]!.replace(/-/g, '').slice(0, 6));
  let text = 'Xero';
  for (let i = 0; i < shorts.length; i++) {
    const rest = shorts.length - i - 1;
    const next = `${text} ${shorts[i]}`;
    const suffix = rest > 0 ? ` +${rest}` : '';
    if ((next + suffix).length > 30) return `${text} +${shorts.length - i}`;
    text = next;
  }
  return text;
}

/**
 * Whether a ConnectWise appliedBy is one paymentReference wrote ("Xero 1a2b3c
 * 4d5e6f +2", "Xero +7"): how a record we wrote is known when the ledger
 * never heard of it (a crash between the ConnectWise write and the ledger's).
 */
export function isPaymentReference(appliedBy: string | null): boolean {
  return appliedBy !== null && /^Xero(?:(?: [0-9a-f]{6})+(?: \+\d+)?| \+\d+)$/i.test(appliedBy);
}
