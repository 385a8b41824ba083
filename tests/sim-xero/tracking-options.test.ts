// Tracking categories and options created through xero-node, with Xero's limits:
// two active categories, option names unique within a category.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { XeroClient } from 'xero-node';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID, raw, sdkClient, sdkFailure, startXeroSim, userTokens, type Sim } from './helpers.js';

let sim: Sim;
let xero: XeroClient;
const T = HARBOUR_TENANT_ID;

beforeAll(async () => { sim = await startXeroSim({ port: 0 }); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
  xero = sdkClient(sim.url, await userTokens(sim.url));
});

async function region(tenant = T) {
  const cats = raw(await xero.accountingApi.getTrackingCategories(tenant), 'TrackingCategories').TrackingCategories as { TrackingCategoryID: string; Name: string; Options: { Name: string; TrackingOptionID: string }[] }[];
  return cats.find((c) => c.Name === 'Region')!;
}

describe('PUT /TrackingCategories/{id}/Options', () => {
  it('creates an option that documents can then carry', async () => {
    const cat = await region();
    const res = await xero.accountingApi.createTrackingOptions(T, cat.TrackingCategoryID, { name: 'Darwin' });
    const created = res.body.options!;
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ name: 'Darwin', status: 'ACTIVE' });
    const after = await region();
    expect(after.Options.map((o) => o.Name)).toContain('Darwin');
    expect(after.Options.find((o) => o.Name === 'Darwin')!.TrackingOptionID).toBe(created[0]!.trackingOptionID);
    // Only that organisation's category changed.
    expect((await region(KIWI_TENANT_ID)).Options.map((o) => o.Name)).not.toContain('Darwin');
  });

  it('refuses a name the category already has (any case), and an empty one', async () => {
    const cat = await region();
    const existing = cat.Options[0]!.Name;
    const dup = await sdkFailure(xero.accountingApi.createTrackingOptions(T, cat.TrackingCategoryID, { name: existing.toUpperCase() }));
    expect(dup.statusCode).toBe(400);
    expect(dup.body.Type).toBe('ValidationException');
    expect(JSON.stringify(dup.body.Elements)).toContain('unique name');
    const empty = await sdkFailure(xero.accountingApi.createTrackingOptions(T, cat.TrackingCategoryID, { name: '  ' }));
    expect(empty.statusCode).toBe(400);
    expect((await region()).Options).toHaveLength(cat.Options.length);
  });

  it('answers 404 for a category the organisation does not have', async () => {
    const other = await region(KIWI_TENANT_ID);
    const res = await sdkFailure(xero.accountingApi.createTrackingOptions(T, other.TrackingCategoryID, { name: 'Nelson' }));
    expect(res.statusCode).toBe(404);
  });
});

describe('PUT /TrackingCategories', () => {
  it('refuses a third active category (the seed has Region and Business Unit)', async () => {
    const res = await sdkFailure(xero.accountingApi.createTrackingCategory(T, { name: 'Department' }));
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.body.Elements)).toContain('two active tracking categories');
    const cats = raw(await xero.accountingApi.getTrackingCategories(T), 'TrackingCategories').TrackingCategories as { Name: string }[];
    expect(cats.map((c) => c.Name).sort()).toEqual(['Business Unit', 'Region']);
  });
});
