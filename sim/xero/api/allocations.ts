// Allocating credit (credit notes, overpayments) to invoices, and undoing it.
import { z } from 'zod';
import type { OrgState } from '../records.js';
import { newId } from '../ids.js';
import { dec } from '../money.js';
import { parseRequestDay, startOfUtcDay } from '../wire-dates.js';
import { notFound, validationException, validationMessage } from './errors.js';
import { lockDateErrors } from './lock-dates.js';
import { idRef, issueMessages, numeric } from './input.js';
import { amountDue, renderAllocation } from './render.js';
import { addAmount, settle } from './documents.js';
import type { ElementOutcome } from './batch.js';

const allocationInput = z.object({
  Invoice: z.object({ InvoiceID: idRef.optional(), InvoiceNumber: z.string().optional() }, { message: 'Invoice is required' }),
  Amount: numeric,
  Date: z.string().optional(),
});

export function allocate(org: OrgState, source: { kind: 'creditnote' | 'overpayment'; id: string; remaining: () => ReturnType<typeof dec>; currency: string; sales: boolean }, raw: unknown, now: number): ElementOutcome {
  const echo = raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : {};
  const parsed = allocationInput.safeParse(raw);
  if (!parsed.success) return { ok: false, wire: echo, errors: issueMessages(parsed.error) };
  const input = parsed.data;
  const errors: string[] = [];
  const inv = input.Invoice.InvoiceID
    ? org.documents.get(input.Invoice.InvoiceID.toLowerCase())
    : [...org.documents.values()].find((d) => d.kind === 'invoice' && d.Number === input.Invoice.InvoiceNumber);
  const amount = dec(input.Amount);
  if (!inv || inv.kind !== 'invoice') errors.push('Invoice: the invoice could not be found');
  else {
    if (inv.Status !== 'AUTHORISED') errors.push(`Invoice: allocations can only be made to AUTHORISED invoices (this one is ${inv.Status})`);
    if ((inv.Type === 'ACCREC') !== source.sales) errors.push('Invoice: the invoice type does not match the credit (sales credit to sales invoice, purchase credit to bill)');
    if (inv.CurrencyCode !== source.currency) errors.push('Invoice: the invoice and the credit must be in the same currency');
    if (amount.gt(amountDue(inv))) errors.push(`Amount: the amount ${amount.toFixed(2)} is more than the invoice's amount due ${amountDue(inv).toFixed(2)}`);
  }
  if (amount.decimalPlaces() > 2) errors.push('Amount: at most 2 decimal places');
  if (amount.lte(0)) errors.push('Amount: must be greater than zero');
  if (amount.gt(source.remaining())) errors.push(`Amount: the amount ${amount.toFixed(2)} is more than the remaining credit ${source.remaining().toFixed(2)}`);
  const date = input.Date !== undefined ? parseRequestDay(input.Date) : startOfUtcDay(now);
  if (date === null) errors.push(`Date: '${input.Date}' is not a valid date (use YYYY-MM-DD)`);
  else errors.push(...lockDateErrors(org, date));
  if (errors.length) return { ok: false, wire: echo, errors };
  const rec = { AllocationID: newId(), source: { kind: source.kind, id: source.id }, InvoiceID: inv!.id, Amount: amount.toFixed(2), Date: date!, deleted: false, updatedAt: now };
  org.allocations.set(rec.AllocationID, rec);
  inv!.AmountCredited = addAmount(inv!.AmountCredited, amount);
  settle(inv!, date!, now);
  if (source.kind === 'creditnote') {
    const cn = org.documents.get(source.id)!;
    cn.AmountCredited = addAmount(cn.AmountCredited, amount);
    settle(cn, date!, now);
  } else {
    const op = org.overpayments.get(source.id)!;
    op.updatedAt = now;
    if (source.remaining().lte(0)) op.Status = 'PAID';
  }
  return { ok: true, wire: renderAllocation(org, rec.AllocationID) };
}

/** Deleting an allocation gives the credit back and puts the amount due back on the invoice. */
export function unallocate(org: OrgState, source: { kind: 'creditnote' | 'overpayment'; id: string }, allocationId: string, now: number) {
  const a = org.allocations.get(allocationId.toLowerCase());
  if (!a || a.source.kind !== source.kind || a.source.id !== source.id) throw notFound('Allocation');
  if (a.deleted) throw validationMessage('This allocation has already been deleted');
  const locked = lockDateErrors(org, a.Date);
  if (locked.length) throw validationException([{ ...renderAllocation(org, a.AllocationID), ValidationErrors: locked.map((m) => ({ Message: m })) }]);
  const inv = org.documents.get(a.InvoiceID)!;
  if (inv.Status !== 'AUTHORISED' && inv.Status !== 'PAID') throw validationMessage(`Invoice not of valid status for modification`);
  a.deleted = true;
  a.updatedAt = now;
  const amount = dec(a.Amount);
  inv.AmountCredited = addAmount(inv.AmountCredited, amount.negated());
  settle(inv, a.Date, now);
  if (source.kind === 'creditnote') {
    const cn = org.documents.get(source.id)!;
    cn.AmountCredited = addAmount(cn.AmountCredited, amount.negated());
    settle(cn, a.Date, now);
  } else {
    const op = org.overpayments.get(source.id)!;
    if (op.Status === 'PAID') op.Status = 'AUTHORISED';
    op.updatedAt = now;
  }
  return renderAllocation(org, a.AllocationID);
}
