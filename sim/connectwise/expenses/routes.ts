// expense/reports (+ submit / approve / reject / reverse), expense/entries,
// expense/types, expense/paymentTypes, expense/classifications,
// expense/info/taxTypes and finance/accounting/unpostedexpenses.
//
// Approval as ConnectWise's time & expense setup runs it (the published spec
// has submit and reverse; approve and reject take the same `{approvalType}`
// body as time sheets' do):
//   submit   Open | Rejected | RejectBySecondTier | ErrorsCorrected → PendingApproval
//   approve  Tier1Update: PendingApproval | ErrorsCorrected → ApprovedByTierOne
//            Tier2Update: ApprovedByTierOne → ApprovedByTierTwo (only with a second tier)
//            no approvalType: the next tier due
//   reject   PendingApproval | ErrorsCorrected → Rejected (tier one);
//            ApprovedByTierOne with a second tier → RejectBySecondTier
//   reverse  an approved report back to PendingApproval
// A report with an entry in a closed batch cannot be rejected or reversed
// (400 AlreadyPosted): unbatch it first. Each answers SuccessResponse.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { CwSuccessResponse } from '../../../shared/cw-types.js';
import type { SimContext, SimEnv } from '../context.js';
import { CwError, fromZod, invalidField, notFound, readJson } from '../errors.js';
import { countResponse, listResponse, trimRecord } from '../list.js';
import { collection } from '../routes/collection.js';
import type { ExpenseStatus, SimExpenseReport } from './model.js';
import {
  finallyApproved,
  isExpensePosted,
  isUnpostedExpense,
  reportEntries,
  toCwClassification,
  toCwExpenseEntry,
  toCwExpenseReport,
  toCwExpenseType,
  toCwPaymentType,
  toCwTaxType,
  toUnpostedExpense,
} from './views.js';

const tierUpdateSchema = z
  .object({
    id: z.number().int().optional(),
    approvalType: z.enum(['Tier1Update', 'Tier2Update'], { message: 'approvalType must be Tier1Update or Tier2Update for an expense report' }).nullable().optional(),
  })
  .strict();

function stateError(r: SimExpenseReport, action: string, why: string): CwError {
  return new CwError(400, 'InvalidObject', `Expense report ${r.id} cannot be ${action}: ${why} (status ${r.status})`, [
    { code: 'InvalidStatus', message: `status: ${why}`, resource: 'expenseReport', field: 'status' },
  ]);
}

export function expenseRoutes(ctx: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const s = () => ctx.state;
  const ex = () => ctx.state.expenses;

  collection(app, '/expense/reports', 'ExpenseReport', () => ex().reports.map((r) => toCwExpenseReport(s(), r)));
  collection(app, '/expense/entries', 'ExpenseEntry', () => ex().entries.map((e) => toCwExpenseEntry(s(), e)));
  collection(app, '/expense/types', 'ExpenseType', () => ex().types.map((t) => toCwExpenseType(s(), t.id)));
  collection(app, '/expense/paymentTypes', 'PaymentType', () => ex().paymentTypes.map((p) => toCwPaymentType(s(), p.id)));
  collection(app, '/expense/classifications', 'Classification', () => ex().classifications.map((c) => toCwClassification(s(), c.id)));
  collection(app, '/expense/info/taxTypes', 'ExpenseTaxType', () => ex().taxTypes.map((t) => toCwTaxType(s(), t.id)));

  const unposted = () => ex().entries.filter((e) => isUnpostedExpense(s(), e)).map((e) => toUnpostedExpense(s(), e));
  app.get('/finance/accounting/unpostedexpenses', (c) => listResponse(c, unposted()));
  app.get('/finance/accounting/unpostedexpenses/count', (c) => countResponse(c, unposted()));
  app.get('/finance/accounting/unpostedexpenses/:id{[0-9]+}', (c) => {
    const rec = unposted().find((u) => u.id === Number(c.req.param('id')));
    if (!rec) throw notFound(`UnpostedExpense ${c.req.param('id')}`);
    return c.json(trimRecord(c, rec));
  });

  const findReport = (id: string) => {
    const r = ex().reports.find((x) => x.id === Number(id));
    if (!r) throw notFound(`ExpenseReport ${id}`);
    return r;
  };
  const move = (r: SimExpenseReport, to: ExpenseStatus) => {
    r.status = to;
    r.updatedAt = ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  };
  const ok = (message: string): CwSuccessResponse => ({ success: true, message });
  const notPosted = (r: SimExpenseReport, action: string) => {
    if (reportEntries(s(), r.id).some((e) => isExpensePosted(s(), e))) {
      throw new CwError(400, 'InvalidObject', `Expense report ${r.id} cannot be ${action}: an entry is in a closed accounting batch; unbatch it first`, [
        { code: 'AlreadyPosted', message: 'status: an entry is in a closed accounting batch', resource: 'expenseReport', field: 'status' },
      ]);
    }
  };
  const tierBody = async (c: Context) => {
    const text = await c.req.text();
    if (!text.trim()) return {};
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw invalidField('timeSheetTierUpdate', 'body', 'expected a JSON body');
    }
    const r = tierUpdateSchema.safeParse(body);
    if (!r.success) throw fromZod('timeSheetTierUpdate', r.error);
    return r.data;
  };

  app.post('/expense/reports/:id{[0-9]+}/submit', (c) => {
    const r = findReport(c.req.param('id'));
    if (!['Open', 'Rejected', 'RejectBySecondTier', 'ErrorsCorrected'].includes(r.status ?? '')) throw stateError(r, 'submitted', 'only an open or rejected report is submitted');
    if (reportEntries(s(), r.id).length === 0) throw stateError(r, 'submitted', 'the report has no entries');
    move(r, 'PendingApproval');
    return c.json(ok(`Expense report ${r.id} submitted`));
  });

  app.post('/expense/reports/:id{[0-9]+}/approve', async (c) => {
    const r = findReport(c.req.param('id'));
    const body = await tierBody(c);
    const second = ex().setup.secondTierApproval;
    const pending = r.status === 'PendingApproval' || r.status === 'ErrorsCorrected';
    const tier = body.approvalType ?? (pending ? 'Tier1Update' : 'Tier2Update');
    if (tier === 'Tier1Update') {
      if (!pending) throw stateError(r, 'approved at tier one', 'only a report pending approval is approved at tier one');
      move(r, 'ApprovedByTierOne');
    } else {
      if (!second) throw invalidField('timeSheetTierUpdate', 'approvalType', 'this company has no second approval tier (time & expense setup)');
      if (r.status !== 'ApprovedByTierOne') throw stateError(r, 'approved at tier two', 'only a report approved at tier one is approved at tier two');
      move(r, 'ApprovedByTierTwo');
    }
    return c.json(ok(`Expense report ${r.id} ${r.status === 'ApprovedByTierTwo' ? 'approved at tier two' : 'approved at tier one'}`));
  });

  app.post('/expense/reports/:id{[0-9]+}/reject', async (c) => {
    const r = findReport(c.req.param('id'));
    await tierBody(c);
    notPosted(r, 'rejected');
    if (r.status === 'PendingApproval' || r.status === 'ErrorsCorrected') move(r, 'Rejected');
    else if (r.status === 'ApprovedByTierOne' && ex().setup.secondTierApproval) move(r, 'RejectBySecondTier');
    else throw stateError(r, 'rejected', finallyApproved(s(), r.status!) ? 'a finally approved report is reversed, not rejected' : 'only a report awaiting approval is rejected');
    return c.json(ok(`Expense report ${r.id} rejected`));
  });

  app.post('/expense/reports/:id{[0-9]+}/reverse', (c) => {
    const r = findReport(c.req.param('id'));
    notPosted(r, 'reversed');
    if (r.status !== 'ApprovedByTierOne' && r.status !== 'ApprovedByTierTwo') throw stateError(r, 'reversed', 'only an approved report is reversed');
    move(r, 'PendingApproval');
    return c.json(ok(`Expense report ${r.id} reversed`));
  });

  return app;
}

/** Sim-only control: `POST /__sim/expense-setup {secondTierApproval}` (the time & expense setup's tiers). */
export function expenseControlRoutes(ctx: SimContext): Hono {
  const app = new Hono();
  app.post('/expense-setup', async (c) => {
    const r = z.object({ secondTierApproval: z.boolean() }).strict().safeParse(await readJson(c, 'expenseSetup'));
    if (!r.success) throw fromZod('expenseSetup', r.error);
    ctx.state.expenses.setup.secondTierApproval = r.data.secondTierApproval;
    return c.json({ setup: ctx.state.expenses.setup });
  });
  return app;
}
