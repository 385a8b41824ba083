// The Xero document as read back through xero-node → the neutral shape the
// pure reconcile diff compares (decimal strings, yyyy-mm-dd). Validated with
// zod: it crosses a boundary.
import Decimal from 'decimal.js';
import { z } from 'zod';
import type { ReconcileXeroSide } from '../domain/reconcile.js';
import { dayOf, money, xeroPaidFrom } from './xero-invoice-payments.js';

const when = z.union([z.date(), z.string()]).optional().nullable();
const num = z.union([z.number(), z.string()]).optional().nullable();

const line = z
  .object({
    description: z.string().optional().nullable(),
    quantity: num,
    unitAmount: num,
    lineAmount: num,
    accountCode: z.string().optional().nullable(),
    taxType: z.string().optional().nullable(),
    taxAmount: num,
  })
  .loose();

const doc = z
  .object({
    invoiceNumber: z.string().optional().nullable(),
    creditNoteNumber: z.string().optional().nullable(),
    date: when,
    dueDate: when,
    contact: z.object({ name: z.string().optional().nullable() }).loose().optional().nullable(),
    status: z.unknown(),
    lineItems: z.array(line).optional().nullable(),
    subTotal: num,
    totalTax: num,
    total: num,
    amountDue: num,
    remainingCredit: num,
    allocations: z.array(z.object({ amount: num }).loose()).optional().nullable(),
  })
  .loose();

const text = (v: number | string | null | undefined) => money(v).toString();

export function xeroSideFromModel(kind: 'invoice' | 'creditNote', documentId: string, raw: unknown): ReconcileXeroSide {
  const m = doc.parse(raw);
  const base = {
    documentId,
    number: (kind === 'invoice' ? m.invoiceNumber : m.creditNoteNumber) ?? '',
    date: dayOf(m.date),
    dueDate: dayOf(m.dueDate),
    contactName: m.contact?.name ?? '',
    status: String(m.status ?? ''),
    lines: (m.lineItems ?? []).map((l) => ({
      description: l.description ?? '',
      quantity: text(l.quantity),
      unitAmount: text(l.unitAmount),
      lineAmount: text(l.lineAmount),
      accountCode: l.accountCode ?? null,
      taxType: l.taxType ?? null,
      taxAmount: text(l.taxAmount),
    })),
    subTotal: text(m.subTotal),
    totalTax: text(m.totalTax),
    total: text(m.total),
  };
  if (kind === 'invoice') {
    const paid = xeroPaidFrom(raw);
    return { ...base, paidInCash: paid.cash.toFixed(2), credited: paid.creditTotal.toFixed(2), amountDue: money(m.amountDue).toFixed(2) };
  }
  // A credit note: what it has given out is "credited"; what is left is "due".
  const allocated = (m.allocations ?? []).reduce((s, a) => s.plus(money(a.amount)), new Decimal(0));
  return { ...base, paidInCash: '0.00', credited: allocated.toFixed(2), amountDue: money(m.remainingCredit).toFixed(2) };
}
