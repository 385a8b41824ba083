// Xero facts per organisation (accounts, tax rates, items, tracking,
// currencies) for bulk work: six calls of the organisation's budget, so kept
// in memory for a few minutes and shared by every chunk and list page of the
// process. Never persisted. A failed read is not kept. Items the bulk engine
// creates are added to the cached facts by the chunk that created them.
import type { XeroRefs } from '../domain/xero-refs.js';

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { at: number; refs: Promise<XeroRefs> }>();

export function cachedRefs(tenantId: string, xeroTenantId: string, load: () => Promise<XeroRefs>): Promise<XeroRefs> {
  const key = `${tenantId}\u0000${xeroTenantId}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.refs;
  const refs = load();
  cache.set(key, { at: Date.now(), refs });
  refs.catch(() => cache.delete(key));
  return refs;
}
