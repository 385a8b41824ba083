// ConnectWise billing location → Xero organisation (one organisation per
// location; many locations may share one). Only organisations connected to
// this tenant can be chosen.
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import type { LocationMapRequest } from '../../shared/api.js';

export interface LocationMapping {
  cwLocationId: number;
  xeroTenantId: string;
}

export async function readLocationMap(deps: AppDeps, tenantId: string): Promise<LocationMapping[]> {
  const rows = await deps.db.k
    .selectFrom('location_org_map')
    .select(['cw_location_id', 'xero_tenant_id'])
    .where('tenant_id', '=', tenantId)
    .orderBy('cw_location_id')
    .execute();
  return rows.map((r) => ({ cwLocationId: Number(r.cw_location_id), xeroTenantId: r.xero_tenant_id }));
}

/** Replaces the tenant's whole map; 400 naming the entry when it names an organisation this tenant has not connected. */
export async function replaceLocationMap(deps: AppDeps, tenantId: string, memberIdentifier: string, req: LocationMapRequest): Promise<LocationMapping[]> {
  const connected = new Set(
    (await deps.db.k.selectFrom('xero_orgs').select('xero_tenant_id').where('tenant_id', '=', tenantId).execute()).map((r) => r.xero_tenant_id),
  );
  const seen = new Set<number>();
  req.mappings.forEach((m, i) => {
    if (seen.has(m.cwLocationId)) {
      throw new ApiError(400, 'invalid_input', `mappings.${i}.cwLocationId: location ${m.cwLocationId} appears twice; a location books into one organisation`, `mappings.${i}.cwLocationId`);
    }
    seen.add(m.cwLocationId);
    if (!connected.has(m.xeroTenantId)) {
      throw new ApiError(400, 'org_not_connected', `mappings.${i}.xeroTenantId: this Xero organisation is not connected to your ConnectWise company; connect it first`, `mappings.${i}.xeroTenantId`);
    }
  });
  const at = deps.now().toISOString();
  await deps.db.k.transaction().execute(async (trx) => {
    await trx.deleteFrom('location_org_map').where('tenant_id', '=', tenantId).execute();
    if (req.mappings.length) {
      await trx
        .insertInto('location_org_map')
        .values(req.mappings.map((m) => ({ tenant_id: tenantId, cw_location_id: m.cwLocationId, xero_tenant_id: m.xeroTenantId, updated_by: memberIdentifier, updated_at: at })))
        .execute();
    }
  });
  return readLocationMap(deps, tenantId);
}

/** The organisation a ConnectWise location books into, or a 409 in words when it is not mapped (for the sync issues). */
export async function xeroTenantForLocation(deps: AppDeps, tenantId: string, cwLocationId: number): Promise<string> {
  const row = await deps.db.k
    .selectFrom('location_org_map')
    .select('xero_tenant_id')
    .where('tenant_id', '=', tenantId)
    .where('cw_location_id', '=', cwLocationId)
    .executeTakeFirst();
  if (!row) {
    throw new ApiError(409, 'location_not_mapped', `ConnectWise location ${cwLocationId} is not mapped to a Xero organisation yet. An admin can map it in the CW–Xero Sync settings.`);
  }
  return row.xero_tenant_id;
}
