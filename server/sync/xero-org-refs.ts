// What the mapping needs to know about a Xero organisation (accounts, tax
// rates, items, tracking categories, currencies, base currency) and its name.
// Six calls of the organisation's rate-limit budget, so kept in memory per
// (tenant, organisation) for a few minutes; never persisted.
import type { AppDeps } from '../deps.js';
import { parseXeroRefs, type XeroRefs } from '../domain/xero-refs.js';
import { xeroRefsFromModels } from '../domain/xero-node-models.js';
import type { XeroOrgClient } from './xero-org-client.js';

export interface OrgFacts {
  name: string;
  refs: XeroRefs;
}

const TTL_MS = 5 * 60_000;
const cacheByDeps = new WeakMap<object, Map<string, { at: number; facts: Promise<OrgFacts> }>>();

async function readOrgFacts(client: XeroOrgClient): Promise<OrgFacts> {
  const org = (await client.call('organisation', (a, t) => a.getOrganisations(t))).body.organisations?.[0];
  const accounts = (await client.call('chart of accounts', (a, t) => a.getAccounts(t))).body.accounts ?? [];
  const taxRates = (await client.call('tax rates', (a, t) => a.getTaxRates(t))).body.taxRates ?? [];
  const items = (await client.call('items', (a, t) => a.getItems(t))).body.items ?? [];
  const trackingCategories = (await client.call('tracking categories', (a, t) => a.getTrackingCategories(t))).body.trackingCategories ?? [];
  const currencies = (await client.call('currencies', (a, t) => a.getCurrencies(t))).body.currencies ?? [];
  const baseCurrency = String(org?.baseCurrency ?? '');
  return {
    name: org?.name ?? client.xeroTenantId,
    refs: parseXeroRefs(xeroRefsFromModels({ accounts, taxRates, items, trackingCategories, currencies, baseCurrency })),
  };
}

/** The organisation's facts, from the cache when younger than a few minutes. A failed read is not cached. */
export function orgFacts(deps: AppDeps, tenantId: string, client: XeroOrgClient): Promise<OrgFacts> {
  let cache = cacheByDeps.get(deps);
  if (!cache) cacheByDeps.set(deps, (cache = new Map()));
  const key = `${tenantId}\u0000${client.xeroTenantId}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.facts;
  const facts = readOrgFacts(client);
  cache.set(key, { at: now, facts });
  facts.catch(() => cache.delete(key));
  return facts;
}

/** Forget an organisation's facts (e.g. after we created items in it). */
export function forgetOrgFacts(deps: AppDeps, tenantId: string, xeroTenantId: string): void {
  cacheByDeps.get(deps)?.delete(`${tenantId}\u0000${xeroTenantId}`);
}
