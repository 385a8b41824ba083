// Migration 0103 on a database from before "one ConnectWise company per Xero
// organisation": two tenants holding one organisation → the earliest keeps it,
// the other's row goes (its mapping is kept and says another company has it);
// kept mappings get the organisation's name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { PG_URL } from '../support/db.js';
import { migrations } from '../../server/db/migrations/index.js';
import type { Database } from '../../server/db/schema.js';
import { readLocationMap } from '../../server/xero/location-map.js';
import type { AppDeps } from '../../server/deps.js';

describe.each(['sqlite', 'postgres'] as const)('migration 0103_one_tenant_per_org (%s)', (engine) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const pool = engine === 'postgres' ? new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${schema}` }) : undefined;
  const k = new Kysely<Database>({ dialect: pool ? new PostgresDialect({ pool }) : new SqliteDialect({ database: new SQLite(':memory:') }) });
  const migrator = new Migrator({ db: k, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true, ...(pool ? { migrationTableSchema: schema } : {}) });
  afterAll(async () => {
    if (pool) await pool.query(`drop schema if exists ${schema} cascade`);
    await k.destroy();
  });

  beforeAll(async () => {
    if (pool) await pool.query(`create schema ${schema}`);
    const before = await migrator.migrateTo('0102_location_org_map');
    expect(before.error).toBeUndefined();
    const db = { k };
    for (const t of ['early', 'late']) await registerTestTenant(db, t);
    for (const [tenant, at] of [['early', '2024-01-01T00:00:00.000Z'], ['late', '2024-06-01T00:00:00.000Z']] as const) {
      await k
        .insertInto('xero_connections')
        .values({ id: `conn-${tenant}`, tenant_id: tenant, token_set_jwe: 'x', auth_event_id: null, status: 'ok', access_expires_at: at, last_refresh_at: null, last_error: null, version: 1, created_by: 'admin', created_at: at, updated_at: at })
        .execute();
      await k.insertInto('xero_orgs').values({ connection_id: `conn-${tenant}`, tenant_id: tenant, xero_tenant_id: 'org-shared', xero_connection_id: `x-${tenant}`, name: 'Shared Ltd', tenant_type: 'ORGANISATION', created_at: at }).execute();
      // Before 0103 the map has no org_name column.
      await (k as unknown as Kysely<any>).insertInto('location_org_map').values({ tenant_id: tenant, cw_location_id: 1, xero_tenant_id: 'org-shared', updated_by: 'admin', updated_at: at }).execute();
    }
    const after = await migrator.migrateToLatest();
    expect(after.error).toBeUndefined();
  });

  it('the earliest connection keeps the organisation; the later tenant\'s mapping is kept and says another company has it', async () => {
    expect(await k.selectFrom('xero_orgs').select('tenant_id').execute()).toEqual([{ tenant_id: 'early' }]);
    const deps = { db: { engine, k, close: async () => {} } } as unknown as AppDeps;
    expect(await readLocationMap(deps, 'early')).toMatchObject([{ cwLocationId: 1, organisation: 'connected', organisationName: 'Shared Ltd' }]);
    expect(await readLocationMap(deps, 'late')).toMatchObject([{ cwLocationId: 1, organisation: 'taken', organisationName: 'Shared Ltd' }]);
  });
});

/** A tenant row (the unit tests do not import the HTTP harness, and with it the whole app). */
async function registerTestTenant(db: { k: Kysely<Database> }, id: string): Promise<void> {
  const at = new Date().toISOString();
  await db.k.insertInto('tenants').values({ id, site_url: 'http://127.0.0.1:9', cw_origin: 'http://127.0.0.1:9', client_id: 'unused', api_keys_jwe: 'unused', created_at: at, updated_at: at }).execute();
}
