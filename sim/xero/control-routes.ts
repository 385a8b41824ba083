// Sim-only controls (never part of Xero): reset, faults, clock, state, and
// seeding an overpayment (Xero creates those through bank transactions,
// which the simulator does not model).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { SimContext } from './context.js';
import { limitsSchema } from './options.js';
import { newId } from './ids.js';
import { dec } from './money.js';
import { parseRequestDay, startOfUtcDay } from './wire-dates.js';
import { accountByCode } from './api/refs.js';
import { renderOverpayment } from './api/render.js';
import { faultPhaseSchema } from '../net-faults.js';

const faultsBody = z.object({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  latencyPerElementMs: z.number().int().min(0).max(10_000).optional(),
  errorRate5xx: z.number().min(0).max(1).optional(),
  errorPhase: faultPhaseSchema.optional(),
  failNext: z.number().int().min(0).optional(),
  throttleNext: z.number().int().min(0).optional(),
  throttleRetryAfter: z.number().int().min(1).max(86_400).optional(),
  throttleRate: z.number().min(0).max(1).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  timeoutRate: z.number().min(0).max(1).optional(),
  timeoutMs: z.number().int().min(1).max(600_000).optional(),
  limits: limitsSchema.partial().optional(),
}).strict();

const clockBody = z.object({
  advanceSeconds: z.number().min(0).optional(),
  speed: z.number().positive().max(100_000).optional(),
}).strict();

const overpaymentBody = z.object({
  tenantId: z.string().min(1),
  contactId: z.string().min(1),
  amount: z.union([z.number().positive(), z.string().regex(/^\d+(\.\d{1,2})?$/)]),
  date: z.string().optional(),
  bankAccountCode: z.string().default('090'),
  reference: z.string().optional(),
}).strict();

// A lock date is a calendar day; null removes it, an omitted one stays as it is.
const lockDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD').nullable().optional();
const lockDatesBody = z.object({
  tenantId: z.string().min(1),
  periodLockDate: lockDay,
  endOfYearLockDate: lockDay,
}).strict();

async function parse<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; res: Response }> {
  let body: unknown = {};
  const text = await c.req.text();
  if (text.trim()) {
    try { body = JSON.parse(text); } catch { return { ok: false, res: c.json({ error: 'body: not valid JSON', field: 'body' }, 400) }; }
  }
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') || (issue && 'keys' in issue ? String((issue as { keys: string[] }).keys[0]) : 'body');
    return { ok: false, res: c.json({ error: `${field}: ${issue?.message ?? 'invalid'}`, field }, 400) };
  }
  return { ok: true, data: r.data };
}

export function controlRoutes(ctx: SimContext): Hono {
  const app = new Hono();
  app.post('/__sim/reset', (c) => {
    ctx.reset();
    return c.json({ ok: true });
  });
  app.post('/__sim/faults', async (c) => {
    const r = await parse(c, faultsBody);
    if (!r.ok) return r.res;
    const { limits, ...faults } = r.data;
    ctx.faults = { ...ctx.faults, ...faults };
    if (limits) ctx.limiter.setLimits({ ...ctx.limiter.limits, ...limits });
    return c.json({ faults: ctx.faults, limits: ctx.limiter.limits });
  });
  app.post('/__sim/clock', async (c) => {
    const r = await parse(c, clockBody);
    if (!r.ok) return r.res;
    if (r.data.speed !== undefined) ctx.clock.setSpeed(r.data.speed);
    if (r.data.advanceSeconds !== undefined) ctx.clock.advance(r.data.advanceSeconds);
    return c.json({ now: new Date(ctx.now()).toISOString(), speed: ctx.clock.getSpeed() });
  });
  app.post('/__sim/overpayments', async (c) => {
    const r = await parse(c, overpaymentBody);
    if (!r.ok) return r.res;
    const org = ctx.org(r.data.tenantId.toLowerCase());
    if (!org) return c.json({ error: 'tenantId: no such organisation', field: 'tenantId' }, 400);
    const contact = org.contacts.get(r.data.contactId.toLowerCase());
    if (!contact) return c.json({ error: 'contactId: no such contact', field: 'contactId' }, 400);
    const account = accountByCode(org, r.data.bankAccountCode);
    if (!account || account.Type !== 'BANK') return c.json({ error: 'bankAccountCode: not a bank account', field: 'bankAccountCode' }, 400);
    const date = r.data.date ? parseRequestDay(r.data.date) : startOfUtcDay(ctx.now());
    if (date === null) return c.json({ error: 'date: use YYYY-MM-DD', field: 'date' }, 400);
    const op = {
      OverpaymentID: newId(), Type: 'RECEIVE-OVERPAYMENT' as const, ContactID: contact.ContactID, Date: date, Status: 'AUTHORISED' as const,
      CurrencyCode: org.info.BaseCurrency, Total: dec(r.data.amount).toFixed(2), AccountID: account.AccountID,
      ...(r.data.reference ? { Reference: r.data.reference } : {}), updatedAt: ctx.now(),
    };
    org.overpayments.set(op.OverpaymentID, op);
    return c.json(renderOverpayment(org, op), 201);
  });
  // Xero sets these in Financial settings (an adviser's task); the API only reads them (GET /Organisation).
  app.post('/__sim/lock-dates', async (c) => {
    const r = await parse(c, lockDatesBody);
    if (!r.ok) return r.res;
    const org = ctx.org(r.data.tenantId.toLowerCase());
    if (!org) return c.json({ error: 'tenantId: no such organisation', field: 'tenantId' }, 400);
    const next: Partial<Record<'PeriodLockDate' | 'EndOfYearLockDate', number | null>> = {};
    for (const [field, key] of [['periodLockDate', 'PeriodLockDate'], ['endOfYearLockDate', 'EndOfYearLockDate']] as const) {
      const v = r.data[field];
      if (v === undefined) continue;
      if (v === null) { next[key] = null; continue; }
      const day = parseRequestDay(v);
      if (day === null) return c.json({ error: `${field}: not a calendar date`, field }, 400);
      next[key] = day;
    }
    for (const [key, v] of Object.entries(next) as ['PeriodLockDate' | 'EndOfYearLockDate', number | null][]) {
      if (v === null) delete org.info[key];
      else org.info[key] = v;
    }
    const ymd = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString().slice(0, 10));
    return c.json({ tenantId: org.info.OrganisationID, periodLockDate: ymd(org.info.PeriodLockDate), endOfYearLockDate: ymd(org.info.EndOfYearLockDate) });
  });
  // Ids, counts and statuses only: no names or amounts.
  app.get('/__sim/state', (c) =>
    c.json({
      now: new Date(ctx.now()).toISOString(),
      clockSpeed: ctx.clock.getSpeed(),
      faults: ctx.faults,
      injected: ctx.injected,
      limits: ctx.limiter.limits,
      grants: [...ctx.identity.grants.values()].map((g) => ({ id: g.id, kind: g.kind, revoked: g.revoked, tenantIds: g.connections.map((x) => x.tenantId) })),
      organisations: [...ctx.orgs.values()].map((o) => ({
        tenantId: o.info.OrganisationID,
        apiCalls: ctx.apiCalls.get(o.info.OrganisationID) ?? 0,
        rateLimited: ctx.rateLimited.get(o.info.OrganisationID) ?? 0,
        usage: ctx.limiter.snapshot(o.info.OrganisationID),
        contacts: o.contacts.size,
        invoices: [...o.documents.values()].filter((d) => d.kind === 'invoice').length,
        creditNotes: [...o.documents.values()].filter((d) => d.kind === 'creditnote').length,
        payments: o.payments.size,
        overpayments: o.overpayments.size,
        manualJournals: o.journals.size,
      })),
    }),
  );
  return app;
}
