// Invoices and CreditNotes (and the credit-note allocation endpoints).
import { Hono, type Context } from 'hono';
import type { SimContext } from '../context.js';
import type { ApiEnv } from './env.js';
import { sendEnvelope } from './envelope.js';
import { listQuery } from './listing.js';
import { notFound } from './errors.js';
import { amountDue, renderCreditNote, renderInvoice } from './render.js';
import { allocate, unallocate } from './allocations.js';
import { boolQuery, elementsOf, jsonBody, unitdp4 } from './input.js';
import { runBatch } from './batch.js';
import { upsertDocument, type DocKind } from './documents.js';
import type { DocumentRec, OrgState } from '../records.js';

const META = {
  invoice: { path: '/Invoices', key: 'Invoices', idField: 'InvoiceID', numberField: 'InvoiceNumber', label: 'Invoice' },
  creditnote: { path: '/CreditNotes', key: 'CreditNotes', idField: 'CreditNoteID', numberField: 'CreditNoteNumber', label: 'Credit Note' },
} as const;

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
