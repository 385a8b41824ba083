// The Accounting Interface: finance/accounting/unpostedinvoices, /export and
// /batches. A record (GL entry id) is unposted until a closed batch holds it;
// every batch the API creates is closed at once, as ConnectWise's are.
// includedInvoiceIds / excludedInvoiceIds take the UnpostedInvoice ids (the
// GL entry ids), the same ids processedRecordIds takes. Procurement (receipts,
// adjustments, transfers: procurement/gl-export.ts) is exported with
// exportProductsFlag; includedProductIds / excludedProductIds take its
// UnpostedProcurement `unpostedProductId`s (the GL entry ids as text).
// Expenses (expenses/accounting.ts) are exported with exportExpensesFlag;
// includedExpenseIds / excludedExpenseIds take UnpostedExpense ids (GL entry ids).
import { Hono } from 'hono';
import { z } from 'zod';
import type { CwAccountingBatch, CwBatchEntry, CwGLExport } from '../../../shared/cw-types.js';
import type { SimContext, SimEnv } from '../context.js';
import { fromZod, invalidField, notFound, readJson } from '../errors.js';
import { buildGlExport } from '../gl-export.js';
import { countResponse, idsAskedFor, listResponse, trimRecord, valuesAskedFor } from '../list.js';
import type { SimBatch, SimInvoice } from '../model.js';
import { batchHolding, batchNamed, isPosted, toUnposted } from '../views.js';
import { batchExpenseExport, checkExpenseRecord, expenseBatchEntries, expenseExport, expenseRecord, withExpenses } from '../expenses/accounting.js';
import { batchProcurementEntries, procurementEntry, procurementExport, unpostedProcurementEntries } from '../procurement/gl-export.js';
import { procurementBatchEntries } from '../procurement/batch-entries.js';

const ids = z.array(z.number().int().positive().nullable()).optional();
const flag = z.boolean().nullable().optional();

const exportSchema = z
  .object({
    batchIdentifier: z.string().max(50, 'batchIdentifier must be at most 50 characters').optional(),
    glInterfaceIdentifier: z.string().optional(),
    thruDate: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    locationId: z.number().int().nullable().optional(),
    summarizeInvoices: z.enum(['Default', 'Condensed', 'Detailed']).optional(),
    exportInvoicesFlag: flag,
    exportExpensesFlag: flag,
    exportProductsFlag: flag,
    includedInvoiceIds: ids,
    excludedInvoiceIds: ids,
    includedExpenseIds: ids,
    excludedExpenseIds: ids,
    // Not in the published request (it is a batch-create field); the sim takes it here too, to preview a summarised export.
    summarizeExpenses: z.boolean().nullable().optional(),
    includedProductIds: z.array(z.string()).optional(),
    excludedProductIds: z.array(z.string()).optional(),
  })
  .strict();

const createBatchSchema = z
  .object({
    id: z.number().optional(),
    batchIdentifier: z.string().min(1).max(50, 'batchIdentifier must be at most 50 characters').optional(),
    glInterfaceIdentifier: z.string().optional(),
    exportInvoicesFlag: flag,
    exportExpensesFlag: flag,
    exportProductsFlag: flag,
    processedRecordIds: z.array(z.number().int().positive(), { message: 'processedRecordIds is required (the GL entry ids)' }).min(1, 'processedRecordIds must list at least one GL entry id'),
    summarizeExpenses: z.boolean().nullable().optional(),
  })
  .strict();

function requireAFlag(resource: string, b: { exportInvoicesFlag?: boolean | null; exportExpensesFlag?: boolean | null; exportProductsFlag?: boolean | null }) {
  if (!b.exportInvoicesFlag && !b.exportExpensesFlag && !b.exportProductsFlag) {
    throw invalidField(resource, 'exportInvoicesFlag', 'a batch must export invoices, expenses or products (set at least one export flag)');
  }
}

function toWireBatch(b: SimBatch): CwAccountingBatch {
  return {
    id: b.id,
    batchIdentifier: b.batchIdentifier,
    exportInvoicesFlag: b.exportInvoicesFlag,
    exportExpensesFlag: b.exportExpensesFlag,
    exportProductsFlag: b.exportProductsFlag,
    closedFlag: b.closedFlag,
    _info: { dateEntered: b.createdAt, entries_href: `/v4_6_release/apis/3.0/finance/accounting/batches/${b.id}/entries` },
  };
}

function batchEntries(ctx: SimContext, b: SimBatch): CwBatchEntry[] {
  const exp = batchExport(ctx, b);
  const entries: CwBatchEntry[] = [];
  let n = 0;
  for (const t of exp.transactions ?? []) {
    const invoice = { id: t.id ?? null, identifier: t.documentNumber ?? '' };
    const side = (amount: number, debitWhenPositive: boolean) =>
      (amount >= 0) === debitWhenPositive ? { debit: Math.abs(amount), credit: 0 } : { debit: 0, credit: Math.abs(amount) };
    entries.push({ id: b.id * 1000 + ++n, accountType: 'AR', name: t.company?.name ?? '', accountNumber: t.accountNumber ?? '', ...side(t.total ?? 0, true), cost: 0, invoice });
    for (const d of t.detail ?? []) {
      entries.push({
        id: b.id * 1000 + ++n,
        accountType: d.glTypeId ?? '',
        name: d.description ?? '',
        accountNumber: d.accountNumber ?? '',
        ...side(d.total ?? 0, false),
        cost: d.cost ?? 0,
        item: d.item?.identifier ?? '',
        salesCode: d.salesCode ?? '',
        ...(d.costAccountNumber ? { costOfGoodsSoldAccountNumber: d.costAccountNumber } : {}),
        invoice,
      });
    }
  }
  entries.push(...procurementBatchEntries(exp, b.id * 1000 + n, ctx.state.procurement.gl.freight));
  entries.push(...expenseBatchEntries(exp, b.id * 1000 + entries.length));
  return entries;
}

function batchInvoices(ctx: SimContext, b: SimBatch): SimInvoice[] {
  return ctx.state.invoices.filter((i) => b.recordIds.includes(i.glEntryId));
}

function batchExport(ctx: SimContext, b: SimBatch): CwGLExport {
  const exp = {
    ...buildGlExport(ctx.state, batchInvoices(ctx, b), 'Default', { batchIdentifier: b.batchIdentifier }),
    ...procurementExport(ctx.state, batchProcurementEntries(ctx.state, b)),
  };
  return withExpenses(exp, batchExpenseExport(ctx.state, b));
}

function findBatch(ctx: SimContext, id: string): SimBatch {
  const b = ctx.state.batches.find((x) => x.id === Number(id));
  if (!b) throw notFound(`AccountingBatch ${id}`);
  return b;
}

export function accountingRoutes(ctx: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  // An unposted invoice's id is its GL entry id.
  const unposted = (ids?: Set<number>) => ctx.state.invoices.filter((i) => (!ids || ids.has(i.glEntryId)) && !isPosted(ctx.state, i)).map((i) => toUnposted(ctx.state, i));

  app.get('/finance/accounting/unpostedinvoices', (c) => listResponse(c, unposted(idsAskedFor(c))));
  app.get('/finance/accounting/unpostedinvoices/count', (c) => countResponse(c, unposted()));
  app.get('/finance/accounting/unpostedinvoices/:id{[0-9]+}', (c) => {
    const rec = unposted().find((u) => u.id === Number(c.req.param('id')));
    if (!rec) throw notFound(`UnpostedInvoice ${c.req.param('id')}`);
    return c.json(trimRecord(c, rec));
  });

  app.post('/finance/accounting/export', async (c) => {
    const parsed = exportSchema.safeParse(await readJson(c, 'exportAccountingBatchRequest'));
    if (!parsed.success) throw fromZod('exportAccountingBatchRequest', parsed.error);
    const req = parsed.data;
    requireAFlag('exportAccountingBatchRequest', req);
    const included = (req.includedInvoiceIds ?? []).filter((x): x is number => x !== null);
    const excluded = new Set((req.excludedInvoiceIds ?? []).filter((x): x is number => x !== null));
    const both = included.find((x) => excluded.has(x));
    if (both !== undefined) throw invalidField('exportAccountingBatchRequest', 'includedInvoiceIds', `id ${both} is both included and excluded`);
    const thru = req.thruDate ? Date.parse(req.thruDate.length === 10 ? `${req.thruDate}T23:59:59Z` : req.thruDate) : Infinity;
    const invoices = !req.exportInvoicesFlag
      ? []
      : ctx.state.invoices.filter(
          (i) =>
            !isPosted(ctx.state, i) &&
            Date.parse(i.date) <= thru &&
            (req.locationId == null || i.locationId === req.locationId) &&
            (included.length === 0 || included.includes(i.glEntryId)) &&
            !excluded.has(i.glEntryId),
        );
    const includedProducts = new Set(req.includedProductIds ?? []);
    const excludedProducts = new Set(req.excludedProductIds ?? []);
    const bothProducts = [...includedProducts].find((x) => excludedProducts.has(x));
    if (bothProducts !== undefined) throw invalidField('exportAccountingBatchRequest', 'includedProductIds', `id ${bothProducts} is both included and excluded`);
    const procurement = !req.exportProductsFlag
      ? []
      : unpostedProcurementEntries(ctx.state).filter(
          (e) =>
            Date.parse(e.date) <= thru &&
            (req.locationId == null || e.locationId === req.locationId) &&
            (includedProducts.size === 0 || includedProducts.has(String(e.glEntryId))) &&
            !excludedProducts.has(String(e.glEntryId)),
        );
    const exp = {
      ...buildGlExport(ctx.state, invoices, req.summarizeInvoices ?? 'Default', req.batchIdentifier ? { batchIdentifier: req.batchIdentifier } : {}),
      ...procurementExport(ctx.state, procurement),
    };
    return c.json(withExpenses(exp, expenseExport(ctx.state, req, thru)));
  });

  const wireBatches = () => ctx.state.batches.map(toWireBatch);
  app.get('/finance/accounting/batches', (c) => {
    const named = valuesAskedFor(c, 'batchIdentifier');
    return listResponse(c, named ? ctx.state.batches.filter((b) => named.has(b.batchIdentifier.toLowerCase())).map(toWireBatch) : wireBatches());
  });
  app.get('/finance/accounting/batches/count', (c) => countResponse(c, wireBatches()));
  app.get('/finance/accounting/batches/:id{[0-9]+}', (c) => c.json(trimRecord(c, toWireBatch(findBatch(ctx, c.req.param('id'))))));
  app.get('/finance/accounting/batches/:id{[0-9]+}/entries', (c) => listResponse(c, batchEntries(ctx, findBatch(ctx, c.req.param('id')))));
  app.get('/finance/accounting/batches/:id{[0-9]+}/entries/count', (c) => countResponse(c, batchEntries(ctx, findBatch(ctx, c.req.param('id')))));
  app.post('/finance/accounting/batches/:id{[0-9]+}/export', (c) => c.json(batchExport(ctx, findBatch(ctx, c.req.param('id')))));

  app.post('/finance/accounting/batches', async (c) => {
    const parsed = createBatchSchema.safeParse(await readJson(c, 'createAccountingBatchRequest'));
    if (!parsed.success) throw fromZod('createAccountingBatchRequest', parsed.error);
    const req = parsed.data;
    requireAFlag('createAccountingBatchRequest', req);
    const state = ctx.state;
    const identifier = req.batchIdentifier ?? `Batch ${state.nextId.batch}`;
    const clash = batchNamed(state, identifier);
    if (clash) throw invalidField('createAccountingBatchRequest', 'batchIdentifier', `a batch with identifier "${identifier}" already exists (id ${clash.id})`, 'Duplicate');
    const recordIds = [...new Set(req.processedRecordIds)];
    for (const rid of recordIds) {
      const inv = state.invoices.find((i) => i.glEntryId === rid);
      const procurement = inv ? undefined : procurementEntry(state, rid);
      const expense = inv || procurement ? undefined : expenseRecord(state, rid);
      if (expense) checkExpenseRecord(state, expense, req.exportExpensesFlag);
      if (!inv && !procurement && !expense) throw invalidField('createAccountingBatchRequest', 'processedRecordIds', `GL entry ${rid} was not found among the unposted records`, 'NotFound');
      if (inv && !req.exportInvoicesFlag) throw invalidField('createAccountingBatchRequest', 'exportInvoicesFlag', `GL entry ${rid} is an invoice; set exportInvoicesFlag`);
      if (procurement && !req.exportProductsFlag) throw invalidField('createAccountingBatchRequest', 'exportProductsFlag', `GL entry ${rid} is procurement (${procurement.type.toLowerCase()}); set exportProductsFlag`);
      const holder = batchHolding(state, rid);
      if (holder) throw invalidField('createAccountingBatchRequest', 'processedRecordIds', `GL entry ${rid} has already been posted in batch "${holder.batchIdentifier}" (id ${holder.id})`, 'AlreadyPosted');
    }
    const batch: SimBatch = {
      id: state.nextId.batch++,
      batchIdentifier: identifier,
      exportInvoicesFlag: req.exportInvoicesFlag === true,
      exportExpensesFlag: req.exportExpensesFlag === true,
      exportProductsFlag: req.exportProductsFlag === true,
      closedFlag: true,
      ...(req.glInterfaceIdentifier ? { glInterfaceIdentifier: req.glInterfaceIdentifier } : {}),
      recordIds,
      ...(req.summarizeExpenses ? { summarizeExpenses: true } : {}),
      createdAt: ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    state.batches.push(batch);
    c.header('Location', `${new URL(c.req.url).origin}/v4_6_release/apis/3.0/finance/accounting/batches/${batch.id}`);
    // The published spec answers with the batch's GLExport.
    return c.json(batchExport(ctx, batch), 201);
  });

  app.delete('/finance/accounting/batches/:id{[0-9]+}', (c) => {
    const b = findBatch(ctx, c.req.param('id'));
    ctx.state.batches = ctx.state.batches.filter((x) => x !== b);
    return c.body(null, 204);
  });

  return app;
}
