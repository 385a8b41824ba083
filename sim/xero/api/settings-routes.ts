// Organisation, Accounts, TaxRates, TrackingCategories, Currencies and Items.
import { Hono } from 'hono';
import { z } from 'zod';
import type { SimContext } from '../context.js';
import type { ApiEnv } from './env.js';
import { sendEnvelope } from './envelope.js';
import { listQuery } from './listing.js';
import { notFound, validationMessage } from './errors.js';
import { renderAccount, renderItem, renderOrganisation, renderTaxRate } from './render.js';
import { elementsOf, idRef, issueMessages, jsonBody, numeric } from './input.js';
import { runBatch } from './batch.js';
import { newId } from '../ids.js';
import { lineAccount, taxRateFor } from './refs.js';
import type { ItemRec, OrgState } from '../records.js';
import { dec } from '../money.js';

const detailsInput = z.object({ UnitPrice: numeric.optional(), AccountCode: z.string().optional(), TaxType: z.string().optional() });
const itemInput = z.object({
  ItemID: idRef.optional(),
  Code: z.string().min(1, 'Code is required').max(30, 'must be 30 characters or fewer'),
  Name: z.string().max(50, 'must be 50 characters or fewer').optional(),
  Description: z.string().max(4000).optional(),
  PurchaseDescription: z.string().max(4000).optional(),
  IsSold: z.boolean().optional(),
  IsPurchased: z.boolean().optional(),
  SalesDetails: detailsInput.optional(),
  PurchaseDetails: detailsInput.optional(),
});

function upsertItem(org: OrgState, raw: unknown, now: number, mode: 'create' | 'upsert') {
  const parsed = itemInput.safeParse(raw);
  const echo = raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : {};
  if (!parsed.success) return { ok: false as const, wire: echo, errors: issueMessages(parsed.error) };
  const input = parsed.data;
  const errors: string[] = [];
  const byId = input.ItemID ? org.items.get(input.ItemID.toLowerCase()) : undefined;
  const byCode = [...org.items.values()].find((i) => i.Code.toLowerCase() === input.Code.toLowerCase());
  const existing = mode === 'upsert' ? byId ?? byCode : undefined;
  if (byCode && byCode !== existing) errors.push(`Code: Item code '${input.Code}' already exists`);
  if (input.ItemID && !byId && mode === 'upsert' && !byCode) errors.push(`ItemID: item '${input.ItemID}' could not be found`);
  const details = (d: z.infer<typeof detailsInput> | undefined, field: string) => {
    if (!d) return undefined;
    if (d.AccountCode) { const r = lineAccount(org, d.AccountCode); if (r.error) errors.push(`${field}.AccountCode: ${r.error}`); }
    if (d.TaxType) { const r = taxRateFor(org, d.TaxType); if (r.error) errors.push(`${field}.TaxType: ${r.error}`); }
    return { ...(d.UnitPrice !== undefined ? { UnitPrice: dec(d.UnitPrice).toString() } : {}), ...(d.AccountCode ? { AccountCode: d.AccountCode } : {}), ...(d.TaxType ? { TaxType: d.TaxType.toUpperCase() } : {}) };
  };
  const sales = details(input.SalesDetails, 'SalesDetails');
  const purchase = details(input.PurchaseDetails, 'PurchaseDetails');
  if (errors.length) return { ok: false as const, wire: echo, errors };
  const item: ItemRec = {
    ItemID: existing?.ItemID ?? newId(),
    Code: input.Code,
    ...((input.Name ?? existing?.Name) !== undefined ? { Name: input.Name ?? existing?.Name } : {}),
    ...((input.Description ?? existing?.Description) !== undefined ? { Description: input.Description ?? existing?.Description } : {}),
    ...((input.PurchaseDescription ?? existing?.PurchaseDescription) !== undefined ? { PurchaseDescription: input.PurchaseDescription ?? existing?.PurchaseDescription } : {}),
    IsSold: input.IsSold ?? existing?.IsSold ?? true,
    IsPurchased: input.IsPurchased ?? existing?.IsPurchased ?? true,
    ...((sales ?? existing?.SalesDetails) ? { SalesDetails: sales ?? existing?.SalesDetails } : {}),
    ...((purchase ?? existing?.PurchaseDetails) ? { PurchaseDetails: purchase ?? existing?.PurchaseDetails } : {}),
    updatedAt: now,
  };
  org.items.set(item.ItemID, item);
  return { ok: true as const, wire: renderItem(item) };
}

export function settingsRoutes(ctx: SimContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/Organisation', (c) => sendEnvelope(c, ctx.now(), 'Organisations', [renderOrganisation(c.get('org'))]));

  app.get('/Accounts', (c) => {
    const r = listQuery(c, c.get('org').accounts.map(renderAccount), { idField: 'AccountID', pageable: false, defaultOrder: 'Code' });
    return sendEnvelope(c, ctx.now(), 'Accounts', r.items);
  });
  app.get('/Accounts/:id', (c) => {
    const a = c.get('org').accounts.find((x) => x.AccountID === c.req.param('id').toLowerCase());
    if (!a) throw notFound('Account');
    return sendEnvelope(c, ctx.now(), 'Accounts', [renderAccount(a)]);
  });

  app.get('/TaxRates', (c) => {
    let rates = c.get('org').taxRates.map(renderTaxRate);
    const taxType = c.req.query('TaxType');
    if (taxType) rates = rates.filter((r) => r.TaxType === taxType.toUpperCase());
    return sendEnvelope(c, ctx.now(), 'TaxRates', listQuery(c, rates, { idField: 'TaxType', pageable: false }).items);
  });
  app.get('/TaxRates/:taxType', (c) => {
    const t = c.get('org').taxRates.find((x) => x.TaxType === c.req.param('taxType').toUpperCase());
    if (!t) throw notFound('TaxRate');
    return sendEnvelope(c, ctx.now(), 'TaxRates', [renderTaxRate(t)]);
  });

  app.get('/TrackingCategories', (c) => {
    const includeArchived = c.req.query('includeArchived') === 'true';
    const cats = c.get('org').tracking.filter((t) => includeArchived || t.Status === 'ACTIVE').map((t) => ({
      TrackingCategoryID: t.TrackingCategoryID, Name: t.Name, Status: t.Status,
      Options: t.Options.filter((o) => includeArchived || o.Status === 'ACTIVE').map((o) => ({ TrackingOptionID: o.TrackingOptionID, Name: o.Name, Status: o.Status, TrackingCategoryID: t.TrackingCategoryID })),
    }));
    return sendEnvelope(c, ctx.now(), 'TrackingCategories', listQuery(c, cats, { idField: 'TrackingCategoryID', pageable: false }).items);
  });

  // Xero's limits: at most two ACTIVE categories (four in all), names unique
  // (case-insensitively) among categories and among a category's options.
  const trackingName = z.string().trim().min(1, 'Name is required').max(100, 'must be 100 characters or fewer');
  app.put('/TrackingCategories', async (c) => {
    const org = c.get('org');
    const parsed = z.object({ Name: trackingName }).safeParse(elementsOf(await jsonBody(c), 'TrackingCategories')[0]);
    if (!parsed.success) throw validationMessage(issueMessages(parsed.error).join('; '));
    const name = parsed.data.Name;
    if (org.tracking.some((t) => t.Name.toLowerCase() === name.toLowerCase())) throw validationMessage(`For each specified tracking category name, a unique name must be used. '${name}' already exists`);
    if (org.tracking.filter((t) => t.Status === 'ACTIVE').length >= 2) throw validationMessage('You can only have two active tracking categories. Archive one before adding another');
    if (org.tracking.length >= 4) throw validationMessage('You can only have four tracking categories in total (active and archived)');
    const cat = { TrackingCategoryID: newId(), Name: name, Status: 'ACTIVE' as const, Options: [] };
    org.tracking.push(cat);
    return sendEnvelope(c, ctx.now(), 'TrackingCategories', [{ TrackingCategoryID: cat.TrackingCategoryID, Name: cat.Name, Status: cat.Status, Options: [] }]);
  });
  app.put('/TrackingCategories/:id/Options', async (c) => {
    const org = c.get('org');
    const cat = org.tracking.find((t) => t.TrackingCategoryID === c.req.param('id').toLowerCase());
    if (!cat) throw notFound('TrackingCategory');
    const parsed = z.array(z.object({ Name: trackingName })).min(1, 'at least one option').safeParse(elementsOf(await jsonBody(c), 'Options'));
    if (!parsed.success) throw validationMessage(issueMessages(parsed.error, 'Options').join('; '));
    const seen = new Set(cat.Options.map((o) => o.Name.toLowerCase()));
    for (const { Name } of parsed.data) {
      if (seen.has(Name.toLowerCase())) throw validationMessage(`For each specified tracking option name, a unique name must be used. '${Name}' already exists in '${cat.Name}'`);
      seen.add(Name.toLowerCase());
    }
    const created = parsed.data.map(({ Name }) => ({ TrackingOptionID: newId(), Name, Status: 'ACTIVE' as const }));
    cat.Options.push(...created);
    return sendEnvelope(c, ctx.now(), 'Options', created.map((o) => ({ ...o, TrackingCategoryID: cat.TrackingCategoryID })));
  });

  app.get('/Currencies', (c) =>
    sendEnvelope(c, ctx.now(), 'Currencies', listQuery(c, c.get('org').currencies.map((x) => ({ Code: x.Code, Description: x.Description })), { idField: 'Code', pageable: false }).items),
  );

  app.get('/Items', (c) => {
    const r = listQuery(c, [...c.get('org').items.values()].map(renderItem), { idField: 'ItemID', pageable: false, defaultOrder: 'Code' });
    return sendEnvelope(c, ctx.now(), 'Items', r.items);
  });
  app.get('/Items/:id', (c) => {
    const key = c.req.param('id');
    const item = c.get('org').items.get(key.toLowerCase()) ?? [...c.get('org').items.values()].find((i) => i.Code === key);
    if (!item) throw notFound('Item');
    return sendEnvelope(c, ctx.now(), 'Items', [renderItem(item)]);
  });
  for (const [method, mode] of [['put', 'create'], ['post', 'upsert']] as const) {
    app[method]('/Items', async (c) => {
      const org = c.get('org');
      const items = runBatch(c, org, elementsOf(await jsonBody(c), 'Items'), (raw) => upsertItem(org, raw, ctx.now(), mode));
      return sendEnvelope(c, ctx.now(), 'Items', items);
    });
  }
  return app;
}
