// finance/invoices (+/{id}, /count) and finance/invoices/{id}/payments.
// ConnectWise's rules, enforced: an invoice carries ONE payment record through
// the API (a second POST is a 400; update the existing one with PUT/PATCH);
// credit memos cannot be applied through the API; a credit memo takes no
// payments. Credits applied inside ConnectWise appear as type "Credit"
// records, which the API can read but not change.
import { Hono } from 'hono';
import { z } from 'zod';
import type { CwPayment } from '../../../shared/cw-types.js';
import type { SimContext, SimEnv } from '../context.js';
import { fromZod, invalidField, notFound, readJson } from '../errors.js';
import { invoiceAmounts } from '../invoice-math.js';
import { applyPatch } from '../json-patch.js';
import { countResponse, idsAskedFor, listResponse, trimRecord } from '../list.js';
import type { SimInvoice, SimPayment } from '../model.js';
import { money } from '../money.js';
import { paidAndCredited, toCwInvoice } from '../views.js';

const amountSchema = z
  .number({ message: 'amount must be a number' })
  .min(0, 'amount cannot be negative')
  .refine((n) => money(n).decimalPlaces() <= 2, 'amount must have at most 2 decimal places');

const paymentFields = z.object({
  type: z.string().optional(),
  amount: amountSchema,
  paymentDate: z.iso.datetime({ offset: true, message: 'paymentDate must be an ISO 8601 date-time' }).or(z.iso.date()),
  appliedBy: z.string().max(30).optional(),
  credit: z.unknown().optional(),
  invoice: z.unknown().optional(),
  id: z.unknown().optional(),
  _info: z.unknown().optional(),
});

function toWire(p: SimPayment): CwPayment {
  const { invoiceId: _invoiceId, ...wire } = p;
  return wire;
}

export function invoiceRoutes(ctx: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const cwInvoices = (ids?: Set<number>) => (ids ? ctx.state.invoices.filter((i) => ids.has(i.id)) : ctx.state.invoices).map((i) => toCwInvoice(ctx.state, i));

  app.get('/finance/invoices', (c) => listResponse(c, cwInvoices(idsAskedFor(c))));
  app.get('/finance/invoices/count', (c) => countResponse(c, cwInvoices()));
  app.get('/finance/invoices/:id{[0-9]+}', (c) => c.json(trimRecord(c, toCwInvoice(ctx.state, findInvoice(ctx, c.req.param('id'))))));

  app.get('/finance/invoices/:id{[0-9]+}/payments', (c) => {
    const inv = findInvoice(ctx, c.req.param('id'));
    return listResponse(c, ctx.state.payments.filter((p) => p.invoiceId === inv.id).map(toWire));
  });
  app.get('/finance/invoices/:id{[0-9]+}/payments/:pid{[0-9]+}', (c) => c.json(trimRecord(c, toWire(findPayment(ctx, c.req.param('id'), c.req.param('pid'))))));

  app.post('/finance/invoices/:id{[0-9]+}/payments', async (c) => {
    const inv = findInvoice(ctx, c.req.param('id'));
    const body = parsePayment(await readJson(c, 'payment'));
    if (inv.type === 'CreditMemo') throw invalidField('payment', 'invoice', 'payments cannot be applied to a credit memo', 'InvalidInvoice');
    const existing = ctx.state.payments.find((p) => p.invoiceId === inv.id && p.type !== 'Credit');
    if (existing) {
      throw invalidField('payment', 'invoice', `invoice ${inv.invoiceNumber} already has a payment (id ${existing.id}); an invoice can have only one payment through the API — update it instead`, 'PaymentExists');
    }
    if (body.amount <= 0) throw invalidField('payment', 'amount', 'must be greater than 0');
    checkBalance(ctx, inv, body.amount, null);
    const payment: SimPayment = {
      id: ctx.state.nextId.payment++,
      invoiceId: inv.id,
      type: 'Payment',
      invoice: { id: inv.id, identifier: inv.invoiceNumber },
      amount: body.amount,
      paymentDate: normaliseDate(body.paymentDate),
      appliedBy: body.appliedBy ?? 'api',
    };
    payment._info = { payment_href: `/v4_6_release/apis/3.0/finance/invoices/${inv.id}/payments/${payment.id}` };
    ctx.state.payments.push(payment);
    return c.json(toWire(payment), 201);
  });

  const update = (ctx2: SimContext, invId: string, pid: string, next: (p: SimPayment) => unknown) => {
    const p = findPayment(ctx2, invId, pid);
    if (p.type === 'Credit') throw invalidField('payment', 'type', 'applied credits cannot be changed through the API');
    const body = parsePayment(next(p));
    const inv = findInvoice(ctx2, invId);
    checkBalance(ctx2, inv, body.amount, p.id);
    p.amount = body.amount;
    p.paymentDate = normaliseDate(body.paymentDate);
    if (body.appliedBy !== undefined) p.appliedBy = body.appliedBy;
    return toWire(p);
  };
  app.put('/finance/invoices/:id{[0-9]+}/payments/:pid{[0-9]+}', async (c) => {
    const body = await readJson(c, 'payment');
    return c.json(update(ctx, c.req.param('id'), c.req.param('pid'), () => body));
  });
  app.patch('/finance/invoices/:id{[0-9]+}/payments/:pid{[0-9]+}', async (c) => {
    const body = await readJson(c, 'payment');
    return c.json(update(ctx, c.req.param('id'), c.req.param('pid'), (p) => applyPatch('payment', toWire(p), body, ['amount', 'paymentDate', 'appliedBy'])));
  });
  app.delete('/finance/invoices/:id{[0-9]+}/payments/:pid{[0-9]+}', (c) => {
    const p = findPayment(ctx, c.req.param('id'), c.req.param('pid'));
    if (p.type === 'Credit') throw invalidField('payment', 'type', 'applied credits cannot be removed through the API');
    ctx.state.payments = ctx.state.payments.filter((x) => x !== p);
    return c.body(null, 204);
  });
  return app;
}

function parsePayment(body: unknown) {
  const r = paymentFields.safeParse(body);
  if (!r.success) throw fromZod('payment', r.error);
  if (r.data.credit !== undefined && r.data.credit !== null) throw invalidField('payment', 'credit', 'credit memos cannot be applied to invoices through the API', 'CreditNotAllowed');
  if (r.data.type !== undefined && r.data.type !== 'Payment') throw invalidField('payment', 'type', 'only type "Payment" can be recorded through the API (credit memos cannot be applied)', 'CreditNotAllowed');
  return r.data;
}

function normaliseDate(d: string): string {
  return d.length === 10 ? `${d}T00:00:00Z` : new Date(d).toISOString().replace('.000Z', 'Z');
}

function checkBalance(ctx: SimContext, inv: SimInvoice, amount: number, ignorePaymentId: number | null) {
  const total = invoiceAmounts(ctx.state, inv).total;
  const { credits } = paidAndCredited(ctx.state, inv);
  const others = ctx.state.payments.filter((p) => p.invoiceId === inv.id && p.type !== 'Credit' && p.id !== ignorePaymentId);
  const available = total.minus(credits).minus(others.reduce((a, p) => a.plus(p.amount ?? 0), money(0)));
  if (money(amount).greaterThan(available)) throw invalidField('payment', 'amount', 'exceeds the invoice\'s open balance', 'AmountExceedsBalance');
}

export function findInvoice(ctx: SimContext, id: string): SimInvoice {
  const inv = ctx.state.invoices.find((i) => i.id === Number(id));
  if (!inv) throw notFound(`Invoice ${id}`);
  return inv;
}

function findPayment(ctx: SimContext, invoiceId: string, pid: string): SimPayment {
  const inv = findInvoice(ctx, invoiceId);
  const p = ctx.state.payments.find((x) => x.invoiceId === inv.id && x.id === Number(pid));
  if (!p) throw notFound(`Payment ${pid} on invoice ${invoiceId}`);
  return p;
}
