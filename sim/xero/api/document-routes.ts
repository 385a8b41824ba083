// Invoices and CreditNotes (and credit-note allocations to invoices).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { SimContext } from '../context.js';
import type { ApiEnv } from './env.js';
import { sendEnvelope } from './envelope.js';
import { listQuery } from './listing.js';
import { notFound, validationMessage } from './errors.js';
import { amountDue, renderAllocation, renderCreditNote, renderInvoice } from './render.js';
import { boolQuery, elementsOf, idRef, issueMessages, jsonBody, numeric, unitdp4 } from './input.js';
import { runBatch, type ElementOutcome } from './batch.js';
import { addAmount, settle, upsertDocument, type DocKind } from './documents.js';
import type { DocumentRec, OrgState } from '../records.js';
import { newId } from '../ids.js';
import { dec } from '../money.js';
import { parseRequestDay, startOfUtcDay } from '../wire-dates.js';

const META = {
  invoice: { path: '/Invoices', key: 'Invoices', idField: 'InvoiceID', numberField: 'InvoiceNumber', label: 'Invoice' },
  creditnote: { path: '/CreditNotes', key: 'CreditNotes', idField: 'CreditNoteID', numberField: 'CreditNoteNumber', label: 'Credit Note' },
} as const;

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

export function documentRoutes(ctx: SimContext, kind: DocKind): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const m = META[kind];
  const render = (org: OrgState, d: DocumentRec, lines: boolean, dp4: boolean) =>
    kind === 'invoice' ? renderInvoice(org, d, { lines, unitdp4: dp4 }) : renderCreditNote(org, d, { lines, unitdp4: dp4 });
  const find = (org: OrgState, key: string) =>
    [org.documents.get(key.toLowerCase())].find((d) => d?.kind === kind) ?? [...org.documents.values()].find((d) => d.kind === kind && d.Number === key);

  app.get(m.path, (c) => {
    const org = c.get('org');
    const dp4 = unitdp4(c);
    const summaryOnly = boolQuery(c, 'summaryOnly') ?? false;
    let docs = [...org.documents.values()].filter((d) => d.kind === kind);
    const numbers = c.req.query(`${m.numberField}s`);
    if (numbers) { const set = new Set(numbers.split(',').map((s) => s.trim())); docs = docs.filter((d) => d.Number !== undefined && set.has(d.Number)); }
    const statuses = c.req.query('Statuses');
    if (statuses) { const set = new Set(statuses.split(',').map((s) => s.trim().toUpperCase())); docs = docs.filter((d) => set.has(d.Status)); }
    const contactIds = c.req.query('ContactIDs');
    if (contactIds) { const set = new Set(contactIds.split(',').map((s) => s.trim().toLowerCase())); docs = docs.filter((d) => set.has(d.ContactID)); }
    // Like Xero: line items come with a list only when it is paged.
    const withLines = c.req.query('page') !== undefined && !summaryOnly;
    const r = listQuery(c, docs.map((d) => render(org, d, withLines, dp4)), { idField: m.idField, pageable: true, pageSizeAllowed: true, defaultOrder: 'UpdatedDateUTC' });
    return sendEnvelope(c, ctx.now(), m.key, r.items, r.pagination ? { pagination: r.pagination } : {});
  });

  app.get(`${m.path}/:id`, (c) => {
    const org = c.get('org');
    const d = find(org, c.req.param('id'));
    if (!d) throw notFound(m.label);
    return sendEnvelope(c, ctx.now(), m.key, [render(org, d, true, unitdp4(c))]);
  });

  const write = (mode: 'create' | 'upsert', byPath: boolean) => async (c: Context<ApiEnv>) => {
    const org = c.get('org');
    const dp4 = unitdp4(c);
    const pathId = byPath ? c.req.param('id') : undefined;
    if (pathId && !find(org, pathId)) throw notFound(m.label);
    const out = runBatch(c, org, elementsOf(await jsonBody(c), m.key), (raw) =>
      upsertDocument(org, kind, raw, { now: ctx.now(), mode, unitdp4: dp4, ...(pathId ? { pathId: find(org, pathId)!.id } : {}), render: (d) => render(org, d, true, dp4) }),
    );
    return sendEnvelope(c, ctx.now(), m.key, out);
  };
  app.put(m.path, write('create', false));
  app.post(m.path, write('upsert', false));
  app.post(`${m.path}/:id`, write('upsert', true));

  if (kind === 'creditnote') {
    app.put('/CreditNotes/:id/Allocations', async (c) => {
      const org = c.get('org');
      const cn = find(org, c.req.param('id'));
      if (!cn) throw notFound('Credit Note');
      const out = runBatch(c, org, elementsOf(await jsonBody(c), 'Allocations'), (raw) => {
        if (cn.Status !== 'AUTHORISED') return { ok: false, wire: raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : {}, errors: [`Credit Note: only an AUTHORISED credit note can be allocated (this one is ${cn.Status})`] };
        return allocate(org, { kind: 'creditnote', id: cn.id, remaining: () => amountDue(cn), currency: cn.CurrencyCode, sales: cn.Type === 'ACCRECCREDIT' }, raw, ctx.now());
      });
      return sendEnvelope(c, ctx.now(), 'Allocations', out);
    });
    // Xero answers with the bare Allocation, IsDeleted true.
    app.delete('/CreditNotes/:id/Allocations/:allocationId', (c) => {
      const org = c.get('org');
      const cn = find(org, c.req.param('id'));
      if (!cn) throw notFound('Credit Note');
      return c.json(unallocate(org, { kind: 'creditnote', id: cn.id }, c.req.param('allocationId'), ctx.now()), 200);
    });
  }
  return app;
}
