import type { Kysely, Migration } from 'kysely';

// Xero connections: one row per OAuth grant (an admin's "Connect to Xero"),
// holding only the sealed token set (JWE bound to the row id), health and
// error messages; the organisations that grant reaches (id + display name for
// the settings screen, nothing about customers).
export const m0100_xero_connections: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('xero_connections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('token_set_jwe', 'text', (c) => c.notNull())
      .addColumn('auth_event_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      // When the access token expires (not a secret): decides a refresh without opening the JWE.
      .addColumn('access_expires_at', 'text', (c) => c.notNull())
      .addColumn('last_refresh_at', 'text')
      .addColumn('last_error', 'text')
      // Bumped on every token write: a compare-and-set guard for single-flight refresh.
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('xero_connections_tenant').on('xero_connections').column('tenant_id').execute();

    await db.schema
      .createTable('xero_orgs')
      .addColumn('connection_id', 'text', (c) => c.notNull().references('xero_connections.id').onDelete('cascade'))
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('xero_tenant_id', 'text', (c) => c.notNull())
      // The id of the entry in Xero's /connections (needed to disconnect it).
      .addColumn('xero_connection_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('tenant_type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('xero_orgs_pk', ['connection_id', 'xero_tenant_id'])
      .execute();
    // One organisation is reached through at most one connection per tenant (a reconnect replaces it).
    await db.schema.createIndex('xero_orgs_tenant_org').on('xero_orgs').columns(['tenant_id', 'xero_tenant_id']).unique().execute();
  },
};
