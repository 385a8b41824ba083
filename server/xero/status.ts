// The tenant's Xero connection health, in words every pod can show. Opening it
// also renews a token about to expire, so "last refresh" and "needs reconnect"
// reflect what Xero says now (at most one issuer call per connection per 30 minutes).
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import type { XeroStatusResponse } from '../../shared/api.js';
import { listConnections, type ConnectionWithOrgs } from './connection-store.js';
import { readLocationMap } from './location-map.js';
import { getAccessToken, RECONNECT_WORDS } from './token-refresh.js';
import { needsRefresh } from './token-set.js';

function healthWords(c: ConnectionWithOrgs): string {
  // The how-to (RECONNECT_WORDS) is in the banner; the chip's line says only why.
  if (c.status === 'needs_reconnect') return `Needs reconnecting: ${c.lastError ?? 'Xero refused the saved sign-in'}.`;
  if (c.lastError) return `Connected, but the last renewal of the Xero sign-in failed (${c.lastError}); it will be retried.`;
  return 'Connected';
}

export async function xeroStatus(deps: AppDeps, tenantId: string): Promise<XeroStatusResponse> {
  let connections = await listConnections(deps, tenantId);
  let renewed = false;
  for (const c of connections) {
    if (c.status === 'ok' && needsRefresh(c.accessExpiresAt, deps.now())) {
      // Failures are recorded on the row (needs_reconnect or last_error) and shown below.
      await getAccessToken(deps, tenantId, c.id).catch((e: unknown) => {
        if (!(e instanceof ApiError)) throw e;
      });
      renewed = true;
    }
  }
  // Read again only when a renewal may have changed the rows.
  if (renewed) connections = await listConnections(deps, tenantId);
  const views = connections.map((c) => ({
    id: c.id,
    status: c.status,
    health: healthWords(c),
    lastRefreshAt: c.lastRefreshAt,
    lastError: c.lastError,
    connectedAt: c.createdAt,
    connectedBy: c.createdBy,
    orgs: c.orgs.map((o) => ({ xeroTenantId: o.xeroTenantId, name: o.name, connectionId: c.id })),
  }));
  const broken = connections.filter((c) => c.status === 'needs_reconnect');
  const banner = broken.length
    ? `Xero needs reconnecting for ${broken.flatMap((c) => c.orgs.map((o) => o.name)).join(', ') || 'a connected organisation'}: nothing can be sent to ${broken.length > 1 || (broken[0]?.orgs.length ?? 0) > 1 ? 'these organisations' : 'this organisation'} until then. ${RECONNECT_WORDS}`
    : null;
  return {
    connections: views,
    orgs: views.flatMap((v) => v.orgs),
    locationMap: await readLocationMap(deps, tenantId, connections),
    needsReconnect: broken.length > 0,
    banner,
  };
}
