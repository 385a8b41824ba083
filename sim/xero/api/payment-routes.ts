// Payments (create against an invoice, or refund a credit note's or an
// overpayment's remaining credit; reverse by POST with Status DELETED) and
// Overpayments (read, allocate, refund through Payments).
import { Hono } from 'hono';
import { z } from 'zod';
import type { SimContext } from '../context.js';
import type { ApiEnv } from './env.js';
import { sendEnvelope } from './envelope.js';
import { listQuery } from './listing.js';
import { notFound, validationException, validationMessage } from './errors.js';
import { amountDue, overpaymentRemaining, renderOverpayment, renderPayment } from './render.js';
import { elementsOf, idRef, issueMessages, jsonBody, numeric } from './input.js';
import { runBatch, type ElementOutcome } from './batch.js';
import { addAmount, settle } from './documents.js';
import { allocate, unallocate } from './allocations.js';
import Decimal from 'decimal.js';
import type { AccountRec, OrgState, OverpaymentRec, PaymentRec } from '../records.js';
import { newId } from '../ids.js';
import { dec, toBaseCurrency } from '../money.js';
import { parseRequestDay, startOfUtcDay } from '../wire-dates.js';
import { accountByCode, accountById, currencyOf } from './refs.js';
import { lockDateErrors } from './lock-dates.js';

const paymentInput = z.object({
  Invoice: z.object({ InvoiceID: idRef.optional(), InvoiceNumber: z.string().optional() }).optional(),
  CreditNote: z.object({ CreditNoteID: idRef.optional(), CreditNoteNumber: z.string().optional() }).optional(),
  Overpayment: z.object({ OverpaymentID: idRef }).optional(),
  Account: z.object({ AccountID: idRef.optional(), Code: z.string().optional() }, { message: 'Account is required' }),
  Date: z.string().optional(),
  Amount: numeric,
  Reference: z.string().max(255).optional(),
  CurrencyRate: numeric.optional(),
  IsReconciled: z.boolean().optional(),
});

const PAYMENT_TYPES: Record<string, string> = { ACCREC: 'ACCRECPAYMENT', ACCPAY: 'ACCPAYPAYMENT', ACCRECCREDIT: 'ARCREDITPAYMENT', ACCPAYCREDIT: 'APCREDITPAYMENT' };
const OVERPAYMENT_PAYMENT_TYPES: Record<OverpaymentRec['Type'], string> = { 'RECEIVE-OVERPAYMENT': 'AROVERPAYMENTPAYMENT', 'SPEND-OVERPAYMENT': 'APOVERPAYMENTPAYMENT' };

/**
 * A refund of an overpayment's remaining credit: a payment against the
 * overpayment (Xero's PaymentType AROVERPAYMENTPAYMENT). Credit allocated to
 * invoices is not refundable until that allocation is deleted.
 */
function refundOverpayment(org: OrgState, input: z.infer<typeof paymentInput>, echo: Record<string, unknown>, now: number): ElementOutcome {
  const errors: string[] = [];
  const op = org.overpayments.get(input.Overpayment!.OverpaymentID.toLowerCase());
  if (!op) errors.push('Overpayment: the overpayment could not be found');
  else if (op.Status !== 'AUTHORISED') errors.push(`Payment can only be made against AUTHORISED documents (this one is ${op.Status})`);
  const account = input.Account.AccountID ? accountById(org, input.Account.AccountID) : input.Account.Code ? accountByCode(org, input.Account.Code) : undefined;
  if (!account) errors.push(`Account: the account ${input.Account.Code ?? input.Account.AccountID ?? ''} could not be found`);
  else if (account.Type !== 'BANK') errors.push(`Account: a refund is paid from a bank account; ${account.Code} is not one`);
  const amount = dec(input.Amount);
  if (amount.decimalPlaces() > 2) errors.push('Amount: at most 2 decimal places');
  if (amount.lte(0)) errors.push('Amount: must be greater than zero');
  if (op && op.Status === 'AUTHORISED' && amount.gt(overpaymentRemaining(org, op))) errors.push('Payment amount exceeds the amount outstanding on this document');
  const date = paymentDate(org, input.Date, now, errors);
  if (errors.length) return { ok: false, wire: echo, errors };
  const rec: PaymentRec = {
    PaymentID: newId(), target: { kind: 'overpayment', id: op!.OverpaymentID }, AccountID: account!.AccountID, Date: date!,
    Amount: amount.toFixed(2), BankAmount: amount.toFixed(2), CurrencyRate: input.CurrencyRate !== undefined ? dec(input.CurrencyRate).toString() : '1',
    ...(input.Reference ? { Reference: input.Reference } : {}), Status: 'AUTHORISED', PaymentType: OVERPAYMENT_PAYMENT_TYPES[op!.Type],
    IsReconciled: input.IsReconciled ?? false, updatedAt: now,
  };
  org.payments.set(rec.PaymentID, rec);
  op!.updatedAt = now;
  if (overpaymentRemaining(org, op!).lte(0)) op!.Status = 'PAID';
  return { ok: true, wire: renderPayment(org, rec) };
}

/** The payment's day (today when not sent), with Xero's refusal of a date on or before a lock date. */
function paymentDate(org: OrgState, sent: string | undefined, now: number, errors: string[]): number | null {
  const date = sent !== undefined ? parseRequestDay(sent) : startOfUtcDay(now);
  if (date === null) errors.push(`Date: '${sent}' is not a valid date (use YYYY-MM-DD)`);
  else errors.push(...lockDateErrors(org, date));
  return date;
}

/**
 * The currency rule of a payment, as Xero's app offers it: the paying account
 * is in the document's currency or in the base currency, never a third one.
 * A base-currency document pays at rate 1 (a sent CurrencyRate is not used,
 * as Xero documents it "only used for non base currency invoices and credit
 * notes"); a foreign one at the sent CurrencyRate or, without one, the day
 * rate. Paid from a base-currency account, the bank moves the amount in base
 * currency (BankAmount); from an account in the document's currency, the
 * amount itself.
 */
function paymentCurrency(org: OrgState, docCurrency: string, account: AccountRec, sentRate: string | number | undefined): { rate: Decimal; bankAmount: (amount: Decimal) => Decimal } | { error: string } {
  const base = org.info.BaseCurrency;
  const accountCurrency = account.CurrencyCode ?? base;
  if (accountCurrency !== docCurrency && accountCurrency !== base) {
    return { error: `Account: account ${account.Code} is in ${accountCurrency}; a document in ${docCurrency} is paid from an account in ${docCurrency} or in the base currency (${base})` };
  }
  if (docCurrency === base) return { rate: new Decimal(1), bankAmount: (a) => a };
  let rate: Decimal;
  if (sentRate !== undefined) {
    rate = dec(sentRate);
    if (rate.lte(0)) return { error: 'CurrencyRate: must be greater than zero' };
  } else {
    const cur = currencyOf(org, docCurrency);
    if ('error' in cur) return { error: `CurrencyCode: ${cur.error}` };
    rate = dec(cur.rate);
  }
  return { rate, bankAmount: accountCurrency === docCurrency ? (a) => a : (a) => toBaseCurrency(a, rate) };
}

function createPayment(org: OrgState, raw: unknown, now: number): ElementOutcome {
  const echo = raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : {};
  const parsed = paymentInput.safeParse(raw);
  if (!parsed.success) return { ok: false, wire: echo, errors: issueMessages(parsed.error) };
  const input = parsed.data;
  if (input.Overpayment && !input.Invoice && !input.CreditNote) return refundOverpayment(org, input, echo, now);
  const errors: string[] = [];
  let target;
  if (input.Invoice) {
    target = input.Invoice.InvoiceID ? org.documents.get(input.Invoice.InvoiceID.toLowerCase()) : [...org.documents.values()].find((d) => d.kind === 'invoice' && d.Number === input.Invoice!.InvoiceNumber);
    if (!target || target.kind !== 'invoice') errors.push('Invoice: the invoice could not be found');
  } else if (input.CreditNote) {
    target = input.CreditNote.CreditNoteID ? org.documents.get(input.CreditNote.CreditNoteID.toLowerCase()) : [...org.documents.values()].find((d) => d.kind === 'creditnote' && d.Number === input.CreditNote!.CreditNoteNumber);
    if (!target || target.kind !== 'creditnote') errors.push('CreditNote: the credit note could not be found');
  } else errors.push('Invoice: an Invoice or CreditNote must be specified');
  const account = input.Account.AccountID ? accountById(org, input.Account.AccountID) : input.Account.Code ? accountByCode(org, input.Account.Code) : undefined;
  if (!account) errors.push(`Account: the account ${input.Account.Code ?? input.Account.AccountID ?? ''} could not be found`);
  else if (account.Status !== 'ACTIVE') errors.push(`Account: account ${account.Code} is archived`);
  else if (account.Type !== 'BANK' && !account.EnablePaymentsToAccount) errors.push(`Account: payments cannot be made to account ${account.Code}; use a bank account or one with payments enabled`);
  const amount = dec(input.Amount);
  if (amount.decimalPlaces() > 2) errors.push('Amount: at most 2 decimal places');
  if (amount.lte(0)) errors.push('Amount: must be greater than zero');
  if (target) {
    if (target.Status !== 'AUTHORISED') errors.push(`Payment can only be made against AUTHORISED documents (this one is ${target.Status})`);
    else if (amount.gt(amountDue(target))) errors.push('Payment amount exceeds the amount outstanding on this document');
  }
  const date = paymentDate(org, input.Date, now, errors);
  const money = target && account && account.Status === 'ACTIVE' ? paymentCurrency(org, target.CurrencyCode, account, input.CurrencyRate) : undefined;
  if (money && 'error' in money) errors.push(money.error);
  if (errors.length || !money || 'error' in money) return { ok: false, wire: echo, errors };
  const doc = target!;
  const rec: PaymentRec = {
    PaymentID: newId(), target: { kind: doc.kind, id: doc.id }, AccountID: account!.AccountID, Date: date!,
    Amount: amount.toFixed(2), BankAmount: money.bankAmount(amount).toFixed(2), CurrencyRate: money.rate.toString(),
    ...(input.Reference ? { Reference: input.Reference } : {}), Status: 'AUTHORISED', PaymentType: PAYMENT_TYPES[doc.Type]!,
    IsReconciled: input.IsReconciled ?? false, updatedAt: now,
  };
  org.payments.set(rec.PaymentID, rec);
  doc.AmountPaid = addAmount(doc.AmountPaid, amount);
  settle(doc, date!, now);
  return { ok: true, wire: renderPayment(org, rec) };
}

export function paymentRoutes(ctx: SimContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/Payments', (c) => {
    const org = c.get('org');
    const r = listQuery(c, [...org.payments.values()].map((p) => renderPayment(org, p)), { idField: 'PaymentID', pageable: true, pageSizeAllowed: true, defaultOrder: 'UpdatedDateUTC' });
    return sendEnvelope(c, ctx.now(), 'Payments', r.items, r.pagination ? { pagination: r.pagination } : {});
  });
  app.get('/Payments/:id', (c) => {
    const org = c.get('org');
    const p = org.payments.get(c.req.param('id').toLowerCase());
    if (!p) throw notFound('Payment');
    return sendEnvelope(c, ctx.now(), 'Payments', [renderPayment(org, p)]);
  });
  for (const method of ['put', 'post'] as const) {
    app[method]('/Payments', async (c) => {
      const org = c.get('org');
      const out = runBatch(c, org, elementsOf(await jsonBody(c), 'Payments'), (raw) => createPayment(org, raw, ctx.now()));
      return sendEnvelope(c, ctx.now(), 'Payments', out);
    });
  }
  // Reversal: {"Status":"DELETED"} (xero-node's deletePayment) or {"Payments":[{"Status":"DELETED"}]}.
  app.post('/Payments/:id', async (c) => {
    const org = c.get('org');
    const p = org.payments.get(c.req.param('id').toLowerCase());
    if (!p) throw notFound('Payment');
    const [first] = elementsOf(await jsonBody(c), 'Payments');
    const parsed = z.object({ Status: z.literal('DELETED', { message: 'only DELETED is allowed (a payment is reversed, not edited)' }) }).safeParse(first);
    if (!parsed.success) throw validationMessage(issueMessages(parsed.error)[0]!);
    if (p.Status === 'DELETED') throw validationMessage('This payment has already been deleted');
    const locked = lockDateErrors(org, p.Date);
    if (locked.length) throw validationException([{ ...renderPayment(org, p), ValidationErrors: locked.map((m) => ({ Message: m })) }]);
    const now = ctx.now();
    p.Status = 'DELETED';
    p.updatedAt = now;
    if (p.target.kind === 'overpayment') {
      // A refund deleted gives the overpayment its credit back.
      const op = org.overpayments.get(p.target.id)!;
      if (op.Status === 'PAID') op.Status = 'AUTHORISED';
      op.updatedAt = now;
    } else {
      const doc = org.documents.get(p.target.id)!;
      doc.AmountPaid = addAmount(doc.AmountPaid, dec(p.Amount).negated());
      settle(doc, p.Date, now);
    }
    return sendEnvelope(c, now, 'Payments', [renderPayment(org, p)]);
  });

  app.get('/Overpayments', (c) => {
    const org = c.get('org');
    const r = listQuery(c, [...org.overpayments.values()].map((o) => renderOverpayment(org, o)), { idField: 'OverpaymentID', pageable: true, pageSizeAllowed: true, defaultOrder: 'UpdatedDateUTC' });
    return sendEnvelope(c, ctx.now(), 'Overpayments', r.items, r.pagination ? { pagination: r.pagination } : {});
  });
  app.get('/Overpayments/:id', (c) => {
    const org = c.get('org');
    const o = org.overpayments.get(c.req.param('id').toLowerCase());
    if (!o) throw notFound('Overpayment');
    return sendEnvelope(c, ctx.now(), 'Overpayments', [renderOverpayment(org, o)]);
  });
  app.put('/Overpayments/:id/Allocations', async (c) => {
    const org = c.get('org');
    const op = org.overpayments.get(c.req.param('id').toLowerCase());
    if (!op) throw notFound('Overpayment');
    const out = runBatch(c, org, elementsOf(await jsonBody(c), 'Allocations'), (raw) => {
      if (op.Status !== 'AUTHORISED') return { ok: false, wire: {}, errors: [`Overpayment: only an AUTHORISED overpayment can be allocated (this one is ${op.Status})`] };
      return allocate(org, { kind: 'overpayment', id: op.OverpaymentID, remaining: () => overpaymentRemaining(org, op), currency: op.CurrencyCode, sales: op.Type === 'RECEIVE-OVERPAYMENT' }, raw, ctx.now());
    });
    return sendEnvelope(c, ctx.now(), 'Allocations', out);
  });
  app.delete('/Overpayments/:id/Allocations/:allocationId', (c) => {
    const org = c.get('org');
    const op = org.overpayments.get(c.req.param('id').toLowerCase());
    if (!op) throw notFound('Overpayment');
    return c.json(unallocate(org, { kind: 'overpayment', id: op.OverpaymentID }, c.req.param('allocationId'), ctx.now()), 200);
  });
  return app;
}
