// ConnectWise billing location → Xero organisation (one organisation per
// location; many locations may share one), and the one resolver every sync
// path asks "which organisation does this record book into?".
//
// A mapping outlives its organisation's connection: after a disconnect it is
// kept (shown "not connected") so connecting again restores it, but it books
// nowhere until then. One ConnectWise company holds a Xero organisation at a
// time (the unique index over xero_orgs.xero_tenant_id, see connection-store):
// a kept mapping whose organisation another company has since connected says so.
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import type { LocationMapRequest, LocationMapView } from '../../shared/api.js';
import { settingsWhere } from '../../shared/settings-sections.js';
import { RECONNECT_WORDS } from './token-refresh.js';
import { z } from 'zod';
import { cwClientForTenant } from '../cw/tenant-client.js';
import type { ConnectionWithOrgs } from './connection-store.js';
import { preparedRead } from '../db/prepared-read.js';

/**
 * Where a person fixes each resolver problem. Settings sections are named exactly
 * as the settings pod titles its cards (shared/settings-sections.ts).
 */
export const RESOLVER_WHERE = {
  location_missing: "ConnectWise › the record's billing location",
  location_not_mapped: settingsWhere('locations'),
  xero_org_not_connected: settingsWhere('connections'),
  xero_needs_reconnect: settingsWhere('connections'),
  xero_org_taken: settingsWhere('locations'),
} as const;

export type OrgProblemCode = keyof typeof RESOLVER_WHERE;

/**
 * Which Xero organisation a record books into, or why none:
 * - `location_missing`: the record has no billing location;
 * - `location_not_mapped`: its location is not mapped;
 * - `xero_org_not_connected`: mapped to an organisation this company disconnected (mapping kept);
 * - `xero_needs_reconnect`: mapped to a connected organisation whose sign-in Xero refused;
 * - `xero_org_taken`: mapped to an organisation another ConnectWise company has connected since.
 */
export type OrgResolution =
  | { ok: true; xeroTenantId: string; organisationName: string }
  | { ok: false; problem: { code: OrgProblemCode; message: string; where: string } };

export type LocationResolver = (locationId: number | null | undefined, locationName?: string) => OrgResolution;

type OrgState = LocationMapView['organisation'];

interface MapEntry {
  cwLocationId: number;
  xeroTenantId: string;
  organisationName: string | null;
  organisation: OrgState;
}

const mapRows = preparedRead((k, a: { tenantId: string }) => k.selectFrom('location_org_map').select(['cw_location_id', 'xero_tenant_id', 'org_name']).where('tenant_id', '=', a.tenantId).orderBy('cw_location_id'));
const ownOrgRows = preparedRead((k, a: { tenantId: string }) =>
  k
    .selectFrom('xero_orgs')
    .innerJoin('xero_connections', 'xero_connections.id', 'xero_orgs.connection_id')
    .select(['xero_orgs.xero_tenant_id', 'xero_orgs.name', 'xero_connections.status'])
    .where('xero_orgs.tenant_id', '=', a.tenantId),
);

/** An organisation of the tenant's with its connection's status, as the map needs it. */
type OwnOrg = { name: string; status: string };

/**
 * The tenant's map with each organisation's state: one read of the map, the tenant's organisations (unless the
 * caller has just read its connections, `connections`: the status screen), and who else holds the unconnected ones.
 */
async function readMapEntries(deps: AppDeps, tenantId: string, connections?: ConnectionWithOrgs[]): Promise<MapEntry[]> {
  const rows = await mapRows(deps.db, { tenantId });
  if (rows.length === 0) return [];
  const own = new Map<string, OwnOrg>(
    connections
      ? connections.flatMap((c) => c.orgs.map((o) => [o.xeroTenantId, { name: o.name, status: c.status }] as const))
      : (await ownOrgRows(deps.db, { tenantId })).map((o) => [o.xero_tenant_id, o] as const),
  );
  const unconnected = [...new Set(rows.map((r) => r.xero_tenant_id).filter((id) => !own.has(id)))];
  // Only whether someone else holds it is read, never whom: tenants are walls.
  const taken = new Set(
    unconnected.length
      ? (await deps.db.k.selectFrom('xero_orgs').select('xero_tenant_id').where('xero_tenant_id', 'in', unconnected).where('tenant_id', '!=', tenantId).execute()).map(
          (r) => r.xero_tenant_id,
        )
      : [],
  );
  return rows.map((r) => {
    const mine = own.get(r.xero_tenant_id);
    const organisation: OrgState = mine ? (mine.status === 'ok' ? 'connected' : 'needs_reconnect') : taken.has(r.xero_tenant_id) ? 'taken' : 'not_connected';
    return { cwLocationId: Number(r.cw_location_id), xeroTenantId: r.xero_tenant_id, organisationName: mine?.name ?? r.org_name, organisation };
  });
}

const orgWords = (name: string | null) => name ?? 'The Xero organisation it was mapped to';

/** What a mapping's state means, for the settings pod (empty when it books normally). */
function stateWords(e: MapEntry): string {
  const org = orgWords(e.organisationName);
  switch (e.organisation) {
    case 'connected':
      return '';
    case 'needs_reconnect':
      return `${org} needs reconnecting: nothing from this location is sent to Xero until an admin reconnects it.`;
    case 'not_connected':
      return `${org} is not connected: nothing from this location is sent to Xero until it is connected again. The mapping is kept, so connecting it restores it.`;
    case 'taken':
      return `${org} is now connected to another ConnectWise company in CW–Xero Sync (a Xero organisation syncs with one ConnectWise company only), so nothing from this location can be sent to it. Map this location to another organisation.`;
  }
}

/** The tenant's map as the settings pod shows it; `connections` as listConnections just read them, if the caller has. */
export async function readLocationMap(deps: AppDeps, tenantId: string, connections?: ConnectionWithOrgs[]): Promise<LocationMapView[]> {
  return (await readMapEntries(deps, tenantId, connections)).map((e) => ({ ...e, words: stateWords(e) }));
}

const NAMES_TTL_MS = 10 * 60_000;
const namesCache = new WeakMap<AppDeps, Map<string, { at: number; names: Promise<Map<number, string>> }>>();
const cwLocationRow = z.object({ id: z.number().int(), name: z.string() });

/**
 * ConnectWise's location names (id → name), so a problem names a location as
 * people know it, never "location 1". Read at most every 10 minutes per tenant
 * (locations hardly change; a push must not pay a ConnectWise call for them),
 * kept in memory only; empty when ConnectWise does not answer (the id is said).
 */
export function cwLocationNames(deps: AppDeps, tenantId: string): Promise<Map<number, string>> {
  let byTenant = namesCache.get(deps);
  if (!byTenant) namesCache.set(deps, (byTenant = new Map()));
  const now = deps.now().getTime();
  const hit = byTenant.get(tenantId);
  if (hit && now - hit.at >= 0 && now - hit.at < NAMES_TTL_MS) return hit.names;
  const tenantCache = byTenant;
  const names = Promise.resolve()
    .then(() => cwClientForTenant(deps, tenantId))
    .then((cw) => cw.list('/system/locations', cwLocationRow, { query: { fields: 'id,name' } }))
    .then((rows) => new Map(rows.map((l) => [l.id, l.name] as const)))
    .catch(() => {
      if (tenantCache.get(tenantId)?.names === names) tenantCache.delete(tenantId); // asked again next time (unless newer names came meanwhile)
      return new Map<number, string>();
    });
  byTenant.set(tenantId, { at: now, names });
  return names;
}

/** Names just read from ConnectWise (the locations route): the next problems use them without asking again. */
export function rememberLocationNames(deps: AppDeps, tenantId: string, locations: { id: number; name: string }[]): void {
  let byTenant = namesCache.get(deps);
  if (!byTenant) namesCache.set(deps, (byTenant = new Map()));
  byTenant.set(tenantId, { at: deps.now().getTime(), names: Promise.resolve(new Map(locations.map((l) => [l.id, l.name] as const))) });
}

/**
 * One read of the tenant's map and connections; returns a synchronous resolver
 * for many records. `locationName` (ConnectWise's name of the location) makes
 * the messages name the location as people know it.
 */
export async function locationResolver(deps: AppDeps, tenantId: string): Promise<LocationResolver> {
  const [entries, names] = await Promise.all([readMapEntries(deps, tenantId), cwLocationNames(deps, tenantId)]);
  const byLocation = new Map(entries.map((e) => [e.cwLocationId, e] as const));
  const problem = (code: OrgProblemCode, message: string): OrgResolution => ({ ok: false, problem: { code, message, where: RESOLVER_WHERE[code] } });
  return (locationId, locationName) => {
    if (locationId == null) {
      return problem('location_missing', 'This record has no billing location in ConnectWise, so CW–Xero Sync cannot tell which Xero organisation it books into.');
    }
    const name = locationName?.trim() || names.get(locationId)?.trim();
    const location = name ? `Billing location "${name}"` : `Billing location ${locationId} (ConnectWise location id)`;
    const e = byLocation.get(locationId);
    if (!e) {
      return problem('location_not_mapped', `${location} is not mapped to a Xero organisation yet: until an admin maps it, CW–Xero Sync does not know which organisation this books into.`);
    }
    const org = e.organisationName ?? 'a Xero organisation';
    switch (e.organisation) {
      case 'connected':
        return { ok: true, xeroTenantId: e.xeroTenantId, organisationName: e.organisationName ?? e.xeroTenantId };
      case 'needs_reconnect':
        return problem('xero_needs_reconnect', `${location} books into ${org}, whose Xero connection needs reconnecting. ${RECONNECT_WORDS}`);
      case 'not_connected':
        return problem(
          'xero_org_not_connected',
          `${location} books into ${org}, which is not connected to CW–Xero Sync (it was disconnected). An admin can connect it again with "Connect to Xero"; the mapping is kept.`,
        );
      case 'taken':
        return problem(
          'xero_org_taken',
          `${location} books into ${org}, which is now connected to another ConnectWise company in CW–Xero Sync; a Xero organisation syncs with one ConnectWise company only. Map the location to another organisation.`,
        );
    }
  };
}

/**
 * Replaces the tenant's whole map. A new or changed entry must name an organisation
 * connected to this tenant: 409 `xero_org_taken` when another ConnectWise company
 * holds it, 400 `xero_org_not_connected` otherwise, each naming the entry. An
 * entry left as it was is kept whatever its organisation's state (a mapping kept
 * after a disconnect survives saving the others).
 */
export async function replaceLocationMap(deps: AppDeps, tenantId: string, memberIdentifier: string, req: LocationMapRequest): Promise<LocationMapView[]> {
  const connected = new Map(
    (await deps.db.k.selectFrom('xero_orgs').select(['xero_tenant_id', 'name']).where('tenant_id', '=', tenantId).execute()).map((r) => [r.xero_tenant_id, r.name] as const),
  );
  const current = new Map(
    (await deps.db.k.selectFrom('location_org_map').select(['cw_location_id', 'xero_tenant_id', 'org_name']).where('tenant_id', '=', tenantId).execute()).map(
      (r) => [Number(r.cw_location_id), r] as const,
    ),
  );
  const claimed = [...new Set(req.mappings.map((m) => m.xeroTenantId).filter((id) => !connected.has(id)))];
  const heldElsewhere = new Set(
    claimed.length
      ? (await deps.db.k.selectFrom('xero_orgs').select('xero_tenant_id').where('xero_tenant_id', 'in', claimed).where('tenant_id', '!=', tenantId).execute()).map((r) => r.xero_tenant_id)
      : [],
  );
  const seen = new Set<number>();
  const names = req.mappings.map((m, i) => {
    const field = `mappings.${i}.xeroTenantId`;
    if (seen.has(m.cwLocationId)) {
      throw new ApiError(400, 'invalid_input', `mappings.${i}.cwLocationId: location ${m.cwLocationId} appears twice; a location books into one organisation`, `mappings.${i}.cwLocationId`);
    }
    seen.add(m.cwLocationId);
    const name = connected.get(m.xeroTenantId);
    if (name !== undefined) return name;
    const kept = current.get(m.cwLocationId);
    if (kept?.xero_tenant_id === m.xeroTenantId) return kept.org_name;
    if (heldElsewhere.has(m.xeroTenantId)) {
      throw new ApiError(
        409,
        'xero_org_taken',
        `${field}: this Xero organisation is connected to another ConnectWise company in CW–Xero Sync; a Xero organisation syncs with one ConnectWise company only`,
        field,
      );
    }
    throw new ApiError(400, 'xero_org_not_connected', `${field}: this Xero organisation is not connected to your ConnectWise company; connect it first`, field);
  });
  const at = deps.now().toISOString();
  await deps.db.k.transaction().execute(async (trx) => {
    await trx.deleteFrom('location_org_map').where('tenant_id', '=', tenantId).execute();
    if (req.mappings.length) {
      await trx
        .insertInto('location_org_map')
        .values(
          req.mappings.map((m, i) => ({
            tenant_id: tenantId,
            cw_location_id: m.cwLocationId,
            xero_tenant_id: m.xeroTenantId,
            org_name: names[i] ?? null,
            updated_by: memberIdentifier,
            updated_at: at,
          })),
        )
        .execute();
    }
  });
  return readLocationMap(deps, tenantId);
}

/** The organisation a ConnectWise location books into, or a 409 in words naming why not (the resolver's problem). */
export async function xeroTenantForLocation(deps: AppDeps, tenantId: string, cwLocationId: number, locationName?: string): Promise<string> {
  const resolved = (await locationResolver(deps, tenantId))(cwLocationId, locationName);
  if (!resolved.ok) throw new ApiError(409, resolved.problem.code, resolved.problem.message);
  return resolved.xeroTenantId;
}
