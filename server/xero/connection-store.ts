// Our rows for Xero connections and the organisations they reach. Every query
// names the tenant from the caller's session: tenants are walls.
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import type { XeroConnectionsTable } from '../db/schema.js';
import { sealTokenSet, type StoredTokenSet } from './token-set.js';
import type { XeroConnectionEntry } from './connections-api.js';

export interface ConnectedOrg {
  xeroTenantId: string;
  xeroConnectionId: string;
  name: string;
}

export interface ConnectionWithOrgs {
  id: string;
  status: XeroConnectionsTable['status'];
  lastRefreshAt: string | null;
  lastError: string | null;
  accessExpiresAt: string;
  createdAt: string;
  createdBy: string | null;
  orgs: ConnectedOrg[];
}

/**
 * Stores a fresh grant and the organisations it reaches. An organisation that
 * was reached through an older connection of this tenant moves to the new one
 * (that is what "Reconnect" does); an older connection left with no
 * organisations is dropped. Location mappings are keyed by organisation, so they stay.
 */
export async function saveNewConnection(
  deps: AppDeps,
  args: { tenantId: string; memberIdentifier: string; tokenSet: StoredTokenSet; authEventId: string | null; orgs: XeroConnectionEntry[] },
): Promise<string> {
  const id = randomUUID();
  const jwe = await sealTokenSet(deps.keys.secretsKey, id, args.tokenSet);
  const at = deps.now().toISOString();
  await deps.db.k.transaction().execute(async (trx) => {
    await trx
      .insertInto('xero_connections')
      .values({
        id,
        tenant_id: args.tenantId,
        token_set_jwe: jwe,
        auth_event_id: args.authEventId,
        status: 'ok',
        access_expires_at: args.tokenSet.expiresAt,
        last_refresh_at: null,
        last_error: null,
        version: 1,
        created_by: args.memberIdentifier,
        created_at: at,
        updated_at: at,
      })
      .execute();
    for (const org of args.orgs) {
      await trx.deleteFrom('xero_orgs').where('tenant_id', '=', args.tenantId).where('xero_tenant_id', '=', org.tenantId).execute();
      await trx
        .insertInto('xero_orgs')
        .values({
          connection_id: id,
          tenant_id: args.tenantId,
          xero_tenant_id: org.tenantId,
          xero_connection_id: org.id,
          name: (org.tenantName ?? '').slice(0, 200) || org.tenantId,
          tenant_type: org.tenantType,
          created_at: at,
        })
        .execute();
    }
    await trx
      .deleteFrom('xero_connections')
      .where('tenant_id', '=', args.tenantId)
      .where('id', '!=', id)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('xero_orgs').select('xero_orgs.connection_id').whereRef('xero_orgs.connection_id', '=', 'xero_connections.id'))))
      .execute();
  });
  return id;
}

export async function listConnections(deps: AppDeps, tenantId: string): Promise<ConnectionWithOrgs[]> {
  const rows = await deps.db.k
    .selectFrom('xero_connections')
    .select(['id', 'status', 'last_refresh_at', 'last_error', 'access_expires_at', 'created_at', 'created_by'])
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .execute();
  const orgs = await deps.db.k
    .selectFrom('xero_orgs')
    .select(['connection_id', 'xero_tenant_id', 'xero_connection_id', 'name'])
    .where('tenant_id', '=', tenantId)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    lastRefreshAt: r.last_refresh_at,
    lastError: r.last_error,
    accessExpiresAt: r.access_expires_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    orgs: orgs
      .filter((o) => o.connection_id === r.id)
      .map((o) => ({ xeroTenantId: o.xero_tenant_id, xeroConnectionId: o.xero_connection_id, name: o.name })),
  }));
}

export async function findConnection(deps: AppDeps, tenantId: string, connectionId: string): Promise<ConnectionWithOrgs | undefined> {
  return (await listConnections(deps, tenantId)).find((c) => c.id === connectionId);
}

/** The connection through which this tenant reaches a Xero organisation, if any. */
export async function connectionIdForOrg(deps: AppDeps, tenantId: string, xeroTenantId: string): Promise<string | undefined> {
  const row = await deps.db.k
    .selectFrom('xero_orgs')
    .select('connection_id')
    .where('tenant_id', '=', tenantId)
    .where('xero_tenant_id', '=', xeroTenantId)
    .executeTakeFirst();
  return row?.connection_id;
}

/** Deletes a connection's tokens, its organisations and the location mappings that pointed at them. */
export async function deleteConnectionRows(deps: AppDeps, tenantId: string, connectionId: string): Promise<void> {
  await deps.db.k.transaction().execute(async (trx) => {
    const orgIds = (
      await trx.selectFrom('xero_orgs').select('xero_tenant_id').where('tenant_id', '=', tenantId).where('connection_id', '=', connectionId).execute()
    ).map((o) => o.xero_tenant_id);
    if (orgIds.length) await trx.deleteFrom('location_org_map').where('tenant_id', '=', tenantId).where('xero_tenant_id', 'in', orgIds).execute();
    await trx.deleteFrom('xero_orgs').where('tenant_id', '=', tenantId).where('connection_id', '=', connectionId).execute();
    await trx.deleteFrom('xero_connections').where('tenant_id', '=', tenantId).where('id', '=', connectionId).execute();
  });
}
