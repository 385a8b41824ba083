// What the mapping needs to know about a Xero organisation (accounts, tax
// rates, items, tracking categories, currencies, base currency) and its name.
// Six calls of the organisation's budget, so kept in memory per server
// instance and (tenant, organisation) for a few minutes; never persisted.
import type { AppDeps } from '../deps.js';
import { parseXeroRefs, type XeroRefs } from '../domain/xero-refs.js';
import { xeroRefsFromModels } from '../domain/xero-node-models.js';
import type { Priority } from './scheduler.js';
import { xeroTransport, type XeroTransport } from './transport.js';

export interface OrgFacts {
  name: string;
  refs: XeroRefs;
}

const TTL_MS = 5 * 60_000;
const cacheByDeps = new WeakMap<object, Map<string, { at: number; facts: Promise<OrgFacts> }>>();

/** The six reads, side by side (the transport keeps them within the organisation's 5 at once, with everything else). */
export async function readOrgFacts(t: XeroTransport, priority: Priority): Promise<OrgFacts> {
  const call = <T>(what: string, fn: Parameters<XeroTransport['call']>[1]) => t.call(what, fn, { priority }) as Promise<T>;
  type B<K extends string, V> = { body: { [k in K]?: V[] } };
  const [orgs, accountList, taxRateList, itemList, trackingList, currencyList] = await Promise.all([
    call<B<'organisations', { name?: string; baseCurrency?: unknown }>>('organisation', (a, x) => a.getOrganisations(x)),
    call<B<'accounts', never>>('chart of accounts', (a, x) => a.getAccounts(x)),
    call<B<'taxRates', never>>('tax rates', (a, x) => a.getTaxRates(x)),
    call<B<'items', never>>('items', (a, x) => a.getItems(x)),
    call<B<'trackingCategories', never>>('tracking categories', (a, x) => a.getTrackingCategories(x)),
    call<B<'currencies', never>>('currencies', (a, x) => a.getCurrencies(x)),
  ]);
  const org = orgs.body.organisations?.[0];
  const accounts = accountList.body.accounts ?? [];
  const taxRates = taxRateList.body.taxRates ?? [];
  const items = itemList.body.items ?? [];
  const trackingCategories = trackingList.body.trackingCategories ?? [];
  const currencies = currencyList.body.currencies ?? [];
  return {
    name: org?.name ?? t.xeroTenantId,
    refs: parseXeroRefs(xeroRefsFromModels({ accounts, taxRates, items, trackingCategories, currencies, baseCurrency: String(org?.baseCurrency ?? '') })),
  };
}

/** The organisation's facts, from this server's cache when younger than a few minutes. A failed read is not cached. */
export function orgFacts(deps: AppDeps, tenantId: string, xeroTenantId: string, priority: Priority = 'person'): Promise<OrgFacts> {
  let cache = cacheByDeps.get(deps);
  if (!cache) cacheByDeps.set(deps, (cache = new Map()));
  const key = `${tenantId}\u0000${xeroTenantId}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.facts;
  const facts = readOrgFacts(xeroTransport(deps, tenantId, xeroTenantId), priority);
  cache.set(key, { at: now, facts });
  facts.catch(() => cache.delete(key));
  return facts;
}

/** Items we just created join the cached facts, so the next push does not send them again. */
export async function rememberItems(deps: AppDeps, tenantId: string, xeroTenantId: string, codes: readonly string[]): Promise<void> {
  const hit = cacheByDeps.get(deps)?.get(`${tenantId}\u0000${xeroTenantId}`);
  if (!hit || codes.length === 0) return;
  const facts = await hit.facts.catch(() => undefined);
  if (!facts) return;
  for (const code of codes) if (!facts.refs.items.some((i) => i.Code === code)) facts.refs.items.push({ Code: code });
}

/** A tracking option we just created joins the cached facts, so the next preview finds it without waiting for the cache to age. */
export async function rememberTrackingOption(deps: AppDeps, tenantId: string, xeroTenantId: string, categoryName: string, optionName: string): Promise<void> {
  const hit = cacheByDeps.get(deps)?.get(`${tenantId}\u0000${xeroTenantId}`);
  const facts = hit ? await hit.facts.catch(() => undefined) : undefined;
  const category = facts?.refs.trackingCategories.find((c) => c.Name === categoryName);
  if (category && !category.Options.some((o) => o.Name === optionName)) category.Options.push({ Name: optionName, Status: 'ACTIVE' });
}
