// What the mapping needs to know about a Xero organisation (accounts, tax
// rates, items, tracking categories, currencies, base currency) and its name.
// Six calls of the organisation's rate-limit budget, so kept in memory per
// (tenant, organisation) for a few minutes; never persisted.
import type { AccountingApi } from 'xero-node';
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

/**
 * One SDK call for the organisation, made the caller's way: retried and
 * renewed for a push (XeroOrgClient.call), paced for a bulk run (XeroPacer).
 */
export type OrgCall = <T extends { response?: unknown; body: unknown }>(what: string, fn: (api: AccountingApi, xeroTenantId: string) => Promise<T>) => Promise<T>;

/** The six reads, one after another (they share the organisation's 5-at-once allowance with everything else). */
export async function readOrgFacts(call: OrgCall, xeroTenantId: string): Promise<OrgFacts> {
  const org = (await call('organisation', (a, t) => a.getOrganisations(t))).body.organisations?.[0];
  const accounts = (await call('chart of accounts', (a, t) => a.getAccounts(t))).body.accounts ?? [];
  const taxRates = (await call('tax rates', (a, t) => a.getTaxRates(t))).body.taxRates ?? [];
  const items = (await call('items', (a, t) => a.getItems(t))).body.items ?? [];
  const trackingCategories = (await call('tracking categories', (a, t) => a.getTrackingCategories(t))).body.trackingCategories ?? [];
  const currencies = (await call('currencies', (a, t) => a.getCurrencies(t))).body.currencies ?? [];
  const baseCurrency = String(org?.baseCurrency ?? '');
  return {
    name: org?.name ?? xeroTenantId,
    refs: parseXeroRefs(xeroRefsFromModels({ accounts, taxRates, items, trackingCategories, currencies, baseCurrency })),
  };
}

/**
 * The organisation's facts, from this server's cache when younger than a few
 * minutes, else read with `read`. Shared by single pushes and bulk runs. A
 * failed read is not cached.
 */
export function cachedOrgFacts(deps: AppDeps, tenantId: string, xeroTenantId: string, read: () => Promise<OrgFacts>): Promise<OrgFacts> {
  let cache = cacheByDeps.get(deps);
  if (!cache) cacheByDeps.set(deps, (cache = new Map()));
  const key = `${tenantId}\u0000${xeroTenantId}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.facts;
  const facts = read();
  cache.set(key, { at: now, facts });
  facts.catch(() => cache.delete(key));
  return facts;
}

/** The organisation's facts for a push, read through its XeroOrgClient when not cached. */
export function orgFacts(deps: AppDeps, tenantId: string, client: XeroOrgClient): Promise<OrgFacts> {
  return cachedOrgFacts(deps, tenantId, client.xeroTenantId, () => readOrgFacts((what, fn) => client.call(what, fn), client.xeroTenantId));
}

/** Forget an organisation's facts (e.g. after we created items in it). */
export function forgetOrgFacts(deps: AppDeps, tenantId: string, xeroTenantId: string): void {
  cacheByDeps.get(deps)?.delete(`${tenantId}\u0000${xeroTenantId}`);
}
