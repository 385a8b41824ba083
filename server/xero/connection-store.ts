// Our rows for Xero connections and the organisations they reach. Every query
// names the tenant from the caller's session: tenants are walls.
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import type { XeroConnectionsTable } from '../db/schema.js';
import { sealTokenSet, type StoredTokenSet } from './token-set.js';
import type { XeroConnectionEntry } from './connections-api.js';
import { isUniqueViolation } from '../db/errors.js';
import { preparedRead } from '../db/prepared-read.js';

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

export interface SavedConnection {
  /** null when no organisation could be kept (all are held by another ConnectWise company): nothing was stored. */
  connectionId: string | null;
  connected: XeroConnectionEntry[];
  /** Organisations another ConnectWise company holds: not stored for this tenant. */
  refused: XeroConnectionEntry[];
}

/**
 * Stores a fresh grant and the organisations it reaches. An organisation that
 * was reached through an older connection of this tenant moves to the new one
 * (that is what "Reconnect" does); an older connection left with no
 * organisations is dropped. Location mappings are keyed by organisation, so they stay.
 *
 * One ConnectWise company per Xero organisation: an organisation another
 * tenant holds is refused (left out; nothing stored when none is left). The
 * unique index over xero_orgs.xero_tenant_id makes this hold when two
 * instances connect the same organisation for two tenants at once: the
 * loser's insert fails, and it runs again, now seeing the holder.
 */
export async function saveNewConnection(
  deps: AppDeps,
  args: { tenantId: string; memberIdentifier: string; tokenSet: StoredTokenSet; authEventId: string | null; orgs: XeroConnectionEntry[] },
): Promise<SavedConnection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await saveOnce(deps, args);
    } catch (e) {
      if (attempt >= 3 || !isUniqueViolation(e)) throw e;
    }
  }
}

async function saveOnce(
  deps: AppDeps,
  args: { tenantId: string; memberIdentifier: string; tokenSet: StoredTokenSet; authEventId: string | null; orgs: XeroConnectionEntry[] },
): Promise<SavedConnection> {
  const id = randomUUID();
  const jwe = await sealTokenSet(deps.keys.secretsKey, id, args.tokenSet);
  const at = deps.now().toISOString();
  return deps.db.k.transaction().execute(async (trx) => {
    const held = new Set(
      args.orgs.length
        ? (
            await trx
              .selectFrom('xero_orgs')
              .select('xero_tenant_id')
              .where('tenant_id', '!=', args.tenantId)
              .where(
                'xero_tenant_id',
                'in',
                args.orgs.map((o) => o.tenantId),
              )
              .execute()
          ).map((r) => r.xero_tenant_id)
        : [],
    );
    const connected = args.orgs.filter((o) => !held.has(o.tenantId));
    const refused = args.orgs.filter((o) => held.has(o.tenantId));
    if (connected.length === 0) return { connectionId: null, connected, refused };
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
    for (const org of connected) {
      const name = orgDisplayName(org);
      await trx.deleteFrom('xero_orgs').where('tenant_id', '=', args.tenantId).where('xero_tenant_id', '=', org.tenantId).execute();
      await trx
        .insertInto('xero_orgs')
        .values({
          connection_id: id,
          tenant_id: args.tenantId,
          xero_tenant_id: org.tenantId,
          xero_connection_id: org.id,
          name,
          tenant_type: org.tenantType,
          created_at: at,
        })
        .execute();
      // A kept mapping (from before a disconnect) books here again, under the organisation's current name.
      await trx.updateTable('location_org_map').set({ org_name: name }).where('tenant_id', '=', args.tenantId).where('xero_tenant_id', '=', org.tenantId).execute();
    }
    await trx
      .deleteFrom('xero_connections')
      .where('tenant_id', '=', args.tenantId)
      .where('id', '!=', id)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('xero_orgs').select('xero_orgs.connection_id').whereRef('xero_orgs.connection_id', '=', 'xero_connections.id'))))
      .execute();
    return { connectionId: id, connected, refused };
  });
}

/** The name we show for an organisation (Xero may send none). */
export function orgDisplayName(org: XeroConnectionEntry): string {
  return (org.tenantName ?? '').slice(0, 200) || org.tenantId;
}

const connectionRows = preparedRead((k, a: { tenantId: string }) =>
  k.selectFrom('xero_connections').select(['id', 'status', 'last_refresh_at', 'last_error', 'access_expires_at', 'created_at', 'created_by']).where('tenant_id', '=', a.tenantId).orderBy('created_at'),
);
const orgRows = preparedRead((k, a: { tenantId: string }) => k.selectFrom('xero_orgs').select(['connection_id', 'xero_tenant_id', 'xero_connection_id', 'name']).where('tenant_id', '=', a.tenantId).orderBy('name'));

export async function listConnections(deps: AppDeps, tenantId: string): Promise<ConnectionWithOrgs[]> {
  const rows = await connectionRows(deps.db, { tenantId });
  const orgs = await orgRows(deps.db, { tenantId });
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

/**
 * Deletes a connection's tokens and organisations, which releases them (another
 * ConnectWise company may connect them now). The location mappings that pointed
 * at them stay: they show "not connected", and connecting again restores them.
 */
export async function deleteConnectionRows(deps: AppDeps, tenantId: string, connectionId: string): Promise<void> {
  await deps.db.k.transaction().execute(async (trx) => {
    await trx.deleteFrom('xero_orgs').where('tenant_id', '=', tenantId).where('connection_id', '=', connectionId).execute();
    await trx.deleteFrom('xero_connections').where('tenant_id', '=', tenantId).where('id', '=', connectionId).execute();
  });
}
