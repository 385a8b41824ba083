// Sim-only controls, outside the ConnectWise API path (no auth: they exist for
// tests and the demo):
//   POST /__sim/reset             restore the seed (setups, batches, payments, hashes too)
//   POST /__sim/faults            {latencyMs?, errorRate?, rate429?, retryAfterSeconds?,
//                                 errorPhase?, dropRate?, timeoutRate?, timeoutMs?} (faults.ts)
//   GET  /__sim/state             a summary for tests (with traffic: API calls and the
//                                 most in flight at once since the start or the last reset)
//   POST /__sim/invoices/{id}     edit an invoice for "changed since sync" tests:
//                                 {customerPO?, description?, lines?: [{id, description?, quantity?, unitPrice?}]}
//                                 (line ids are in GLExport detail `id`s); allowed even
//                                 when posted, bumps _info.lastUpdated
//   POST /__sim/bulk-seed         {invoices, customers, locationId?, date?}: N unposted
//                                 invoices for M new customers (bulk-seed.ts; bulk tests, bench)
//   POST /__sim/member-hash       {member} → what getMemberAuthentication returns;
//                                 the host page calls it, tests may too
//   POST /__sim/scenario          {preset?: "real-world", products?, companies?, invoices?}:
//                                 adds catalogue products (ids of any length; glAccount ""
//                                 = no account in the product's GL mapping), companies
//                                 (names need not be unique; billingContact/primaryContact
//                                 null = none) and unposted invoices using them, all
//                                 checked first (400 naming the field, nothing added);
//                                 answers the ids (scenario.ts; the preset is listed there
//                                 and in the README)
import { Hono } from 'hono';
import { z } from 'zod';
import { issueMemberHash } from './auth.js';
import type { SimContext } from './context.js';
import { fromZod, invalidField, notFound, readJson } from './errors.js';
import { faultsSchema } from './faults.js';
import { isPosted, toCwInvoice } from './views.js';
import { bulkSeed, bulkSeedSchema } from './bulk-seed.js';
import { addScenario, scenarioError, scenarioSchema } from './scenario.js';

const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number as text, e.g. "12.50"');
const invoiceEditSchema = z
  .object({
    customerPO: z.string().max(50).optional(),
    description: z.string().max(200).optional(),
    lines: z
      .array(
        z
          .object({ id: z.number().int(), description: z.string().max(500).optional(), quantity: decimalText.optional(), unitPrice: decimalText.optional() })
          .strict(),
      )
      .optional(),
  })
  .strict();

export function memberAuthentication(ctx: SimContext, memberIdentifier: string, site: string) {
  const member = ctx.state.members.find((m) => m.identifier.toLowerCase() === memberIdentifier.toLowerCase());
  if (!member) return null;
  return {
    site,
    companyid: ctx.options.companyId,
    memberid: member.identifier,
    memberHash: issueMemberHash(ctx, member.identifier),
    memberEmail: member.officeEmail ?? '',
    memberContext: `${member.firstName} ${member.lastName}`,
  };
}

export function controlRoutes(ctx: SimContext): Hono {
  const app = new Hono();
  app.post('/reset', (c) => {
    ctx.reset();
    return c.json({ ok: true });
  });
  app.post('/faults', async (c) => {
    const r = faultsSchema.safeParse(await readJson(c, 'faults'));
    if (!r.success) throw fromZod('faults', r.error);
    ctx.state.faults = { ...ctx.state.faults, ...r.data };
    return c.json({ faults: ctx.state.faults });
  });
  app.get('/state', (c) => {
    const s = ctx.state;
    return c.json({
      now: ctx.now().toISOString(),
      invoices: s.invoices.length,
      unpostedInvoices: s.invoices.filter((i) => !isPosted(s, i)).length,
      batches: s.batches.map((b) => ({ id: b.id, batchIdentifier: b.batchIdentifier, recordIds: b.recordIds })),
      payments: s.payments.map((p) => ({ id: p.id, invoiceId: p.invoiceId, type: p.type })),
      hostedSetups: s.hostedSetups.map((h) => ({ id: h.id, screenId: h.screenId, type: h.type, url: h.url })),
      faults: s.faults,
      traffic: { calls: ctx.traffic.calls, inFlight: ctx.traffic.inFlight, peakInFlight: ctx.traffic.peakInFlight },
      injected: ctx.injected,
    });
  });
  app.post('/invoices/:id{[0-9]+}', async (c) => {
    const inv = ctx.state.invoices.find((i) => i.id === Number(c.req.param('id')));
    if (!inv) throw notFound(`Invoice ${c.req.param('id')}`);
    const r = invoiceEditSchema.safeParse(await readJson(c, 'invoiceEdit'));
    if (!r.success) throw fromZod('invoiceEdit', r.error);
    for (const [i, edit] of (r.data.lines ?? []).entries()) {
      if (!inv.lines.some((l) => l.id === edit.id)) throw invalidField('invoiceEdit', `lines.${i}.id`, `invoice ${inv.id} has no line ${edit.id}`);
    }
    if (r.data.customerPO !== undefined) inv.customerPO = r.data.customerPO;
    if (r.data.description !== undefined) inv.description = r.data.description;
    for (const edit of r.data.lines ?? []) {
      const line = inv.lines.find((l) => l.id === edit.id)!;
      if (edit.description !== undefined) line.description = edit.description;
      if (edit.quantity !== undefined) line.quantity = edit.quantity;
      if (edit.unitPrice !== undefined) line.unitPrice = edit.unitPrice;
    }
    inv.updatedAt = ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    return c.json(toCwInvoice(ctx.state, inv));
  });
  // Bulk tests and the benchmark: N invoices for M customers (bulk-seed.ts).
  app.post('/bulk-seed', async (c) => {
    const r = bulkSeedSchema.safeParse(await readJson(c, 'bulkSeed'));
    if (!r.success) throw fromZod('bulkSeed', r.error);
    return c.json(bulkSeed(ctx.state, r.data));
  });
  // What real ConnectWise users have and the seed does not (scenario.ts).
  app.post('/scenario', async (c) => {
    const r = scenarioSchema.safeParse(await readJson(c, 'scenario'));
    if (!r.success) throw scenarioError(r.error);
    return c.json(addScenario(ctx.state, r.data));
  });
  app.post('/member-hash', async (c) => {
    const r = z.object({ member: z.string().min(1) }).safeParse(await readJson(c, 'memberHash'));
    if (!r.success) throw fromZod('memberHash', r.error);
    const auth = memberAuthentication(ctx, r.data.member, new URL(c.req.url).host);
    if (!auth) throw invalidField('memberHash', 'member', `no member "${r.data.member}"`);
    return c.json(auth);
  });
  return app;
}
