// The ConnectWise client for one registered tenant, authenticated as that
// tenant's API member (keys opened from the registry, never sent anywhere but
// the tenant's registered site).
import type { AppDeps } from '../deps.js';
import { openTenantKeys, requireTenant, type Tenant } from '../tenants.js';
import { CwClient, apiMemberAuthorization, type CwRetryOptions } from './client.js';

export async function cwClientForTenant(
  deps: Pick<AppDeps, 'db' | 'keys'> & { cwRetry?: Partial<CwRetryOptions> },
  tenantOrId: Tenant | string,
): Promise<CwClient> {
  const tenant = typeof tenantOrId === 'string' ? await requireTenant(deps.db, tenantOrId) : tenantOrId;
  const keys = await openTenantKeys(deps, tenant.id);
  return new CwClient({
    siteUrl: tenant.siteUrl,
    clientId: tenant.clientId,
    authorization: apiMemberAuthorization(tenant.id, keys.publicKey, keys.privateKey),
    ...(deps.cwRetry ? { retry: deps.cwRetry } : {}),
  });
}
