// getAccessToken: a valid Xero access token for a connection, refreshed when
// less than two minutes are left.
//
// Refresh tokens rotate: every refresh returns a new one and the old one dies
// after a short grace period. Two refreshes of one connection racing each other
// can therefore leave us holding a dead token, so a refresh is single-flight:
//  - within a process: one in-flight promise per connection (per database handle,
//    so two server instances in one test process still behave as two processes);
//  - across instances (PostgreSQL): the refresh runs inside a transaction holding
//    the connection's row lock (SELECT … FOR UPDATE); whoever waits re-reads the
//    row after acquiring it and uses the token the first one stored.
// The new token set is stored (committed) before its access token is used. If
// the process dies after the issuer answered but before the commit, the row
// still holds the previous refresh token, which the issuer honours during its
// grace period, so the next attempt succeeds.
// A refresh the issuer refuses for good (invalid_grant) marks the connection
// needs_reconnect with the reason; GET /api/xero/status tells every pod.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AppDeps } from '../deps.js';
import type { Database, XeroConnectionsTable } from '../db/schema.js';
import { ApiError } from '../http/errors.js';
import { needsRefresh, openTokenSet, sealTokenSet, tokenSetFrom, type StoredTokenSet } from './token-set.js';
import { refreshTokens, TokenEndpointError } from './token-endpoint.js';
import { xeroLog } from './log.js';

type Row = Pick<XeroConnectionsTable, 'id' | 'tenant_id' | 'token_set_jwe' | 'status' | 'access_expires_at' | 'last_error' | 'version'>;

export const RECONNECT_WORDS = 'An admin must click "Reconnect" in the CW–Xero Sync settings (accounting batch screen) and sign in to Xero again.';

export function needsReconnectError(reason: string | null): ApiError {
  return new ApiError(409, 'xero_needs_reconnect', `The Xero connection needs reconnecting${reason ? ` (${reason})` : ''}. ${RECONNECT_WORDS}`);
}

const inflightByDb = new WeakMap<object, Map<string, Promise<string>>>();

async function readRow(k: Kysely<Database> | Transaction<Database>, tenantId: string, connectionId: string, lock: boolean): Promise<Row> {
  let q = k
    .selectFrom('xero_connections')
    .select(['id', 'tenant_id', 'token_set_jwe', 'status', 'access_expires_at', 'last_error', 'version'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', connectionId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new ApiError(404, 'xero_connection_not_found', 'This Xero connection does not exist (it may have been disconnected).');
  return row;
}

export async function getAccessToken(deps: AppDeps, tenantId: string, connectionId: string): Promise<string> {
  const row = await readRow(deps.db.k, tenantId, connectionId, false);
  if (row.status === 'needs_reconnect') throw needsReconnectError(row.last_error);
  if (!needsRefresh(row.access_expires_at, deps.now())) return (await openTokenSet(deps.keys.secretsKey, row.id, row.token_set_jwe)).accessToken;
  return singleFlight(deps, tenantId, connectionId, undefined);
}

/**
 * For a caller whose access token Xero answered 401 although it had not expired
 * (revoked, or clocks apart): refreshes now, unless someone already replaced
 * that token, in which case theirs is returned. A grant that is gone ends in
 * needs_reconnect like any refused refresh.
 */
export async function renewRejectedToken(deps: AppDeps, tenantId: string, connectionId: string, rejectedAccessToken: string): Promise<string> {
  const row = await readRow(deps.db.k, tenantId, connectionId, false);
  if (row.status === 'needs_reconnect') throw needsReconnectError(row.last_error);
  return singleFlight(deps, tenantId, connectionId, rejectedAccessToken);
}

function singleFlight(deps: AppDeps, tenantId: string, connectionId: string, rejected: string | undefined): Promise<string> {
  let inflight = inflightByDb.get(deps.db);
  if (!inflight) inflightByDb.set(deps.db, (inflight = new Map()));
  const key = `${tenantId}\u0000${connectionId}`;
  let p = inflight.get(key);
  if (!p) {
    p = (deps.db.engine === 'postgres' ? refreshUnderRowLock(deps, tenantId, connectionId, rejected) : refreshCompareAndSet(deps, tenantId, connectionId, rejected)).finally(() =>
      inflight.delete(key),
    );
    inflight.set(key, p);
  }
  return p;
}

type Outcome = { token: string } | { error: ApiError };

/**
 * The shared step, run with the row in hand (locked on PostgreSQL): use a fresh
 * token someone else stored, or refresh at the issuer and store the new set.
 * Returns failures instead of throwing so the transaction commits the
 * needs_reconnect mark.
 */
async function refreshStep(deps: AppDeps, k: Kysely<Database> | Transaction<Database>, row: Row, rejected: string | undefined): Promise<Outcome> {
  if (row.status === 'needs_reconnect') return { error: needsReconnectError(row.last_error) };
  const current = await openTokenSet(deps.keys.secretsKey, row.id, row.token_set_jwe);
  const rejectedIsCurrent = rejected !== undefined && rejected === current.accessToken;
  if (!rejectedIsCurrent && !needsRefresh(row.access_expires_at, deps.now())) return { token: current.accessToken };

  let next: StoredTokenSet;
  try {
    next = tokenSetFrom(await refreshTokens(deps.config.xero, current.refreshToken), deps.now());
  } catch (e) {
    if (e instanceof TokenEndpointError && e.permanent) {
      const reason = 'Xero no longer accepts the saved sign-in: it was revoked, expired after 60 days unused, or the app was disconnected in Xero';
      await k
        .updateTable('xero_connections')
        .set({ status: 'needs_reconnect', last_error: `${reason} [${e.oauthError ?? e.status}]`, updated_at: deps.now().toISOString() })
        .where('id', '=', row.id)
        .where('tenant_id', '=', row.tenant_id)
        .execute();
      xeroLog(deps.config, 'warn', `connection=${row.id} tenant=${row.tenant_id} needs reconnect: refresh refused (${e.oauthError ?? e.status})`);
      return { error: needsReconnectError(reason) };
    }
    // A passing failure (network, 5xx): the current token is still good if it has not expired (and was not refused).
    if (!rejectedIsCurrent && Date.parse(current.expiresAt) > deps.now().getTime() + 5_000) return { token: current.accessToken };
    const msg = e instanceof Error ? e.message : 'unknown error';
    await k.updateTable('xero_connections').set({ last_error: msg, updated_at: deps.now().toISOString() }).where('id', '=', row.id).where('tenant_id', '=', row.tenant_id).execute();
    return { error: new ApiError(503, 'xero_unavailable', `Could not renew the Xero sign-in just now (${msg}). Nothing was changed; try again in a minute.`) };
  }
  const at = deps.now().toISOString();
  const res = await k
    .updateTable('xero_connections')
    .set({
      token_set_jwe: await sealTokenSet(deps.keys.secretsKey, row.id, next),
      access_expires_at: next.expiresAt,
      last_refresh_at: at,
      last_error: null,
      status: 'ok',
      version: row.version + 1,
      updated_at: at,
    })
    .where('id', '=', row.id)
    .where('tenant_id', '=', row.tenant_id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) {
    // Someone replaced the row meanwhile (a reconnect, or another writer on SQLite): use what they stored.
    const now = await readRow(k, row.tenant_id, row.id, false);
    if (now.status === 'needs_reconnect') return { error: needsReconnectError(now.last_error) };
    return { token: (await openTokenSet(deps.keys.secretsKey, now.id, now.token_set_jwe)).accessToken };
  }
  return { token: next.accessToken };
}

async function refreshUnderRowLock(deps: AppDeps, tenantId: string, connectionId: string, rejected: string | undefined): Promise<string> {
  const outcome = await deps.db.k.transaction().execute(async (trx) => {
    // Waiting longer than a token request can take means something is stuck: fail with words, do not hang.
    await sql`set local lock_timeout = '30s'`.execute(trx);
    const row = await readRow(trx, tenantId, connectionId, true);
    return refreshStep(deps, trx, row, rejected);
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.token;
}

async function refreshCompareAndSet(deps: AppDeps, tenantId: string, connectionId: string, rejected: string | undefined): Promise<string> {
  // SQLite serves one process: the in-process single-flight already orders refreshes; the version check
  // guards against a concurrent reconnect. No transaction is held across the network call.
  const row = await readRow(deps.db.k, tenantId, connectionId, false);
  const outcome = await refreshStep(deps, deps.db.k, row, rejected);
  if ('error' in outcome) throw outcome.error;
  return outcome.token;
}
