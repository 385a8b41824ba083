// Migrations, in code so the same list runs on SQLite and PostgreSQL. Kysely's
// Migrator orders them by name: name new ones "NNNN_area_what" with the next
// free number. Use only portable column types (text, integer, bigint).
import { PostgresAdapter, type Kysely, type Migration } from 'kysely';

export const migrations: Record<string, Migration> = {
  '0001_tenants': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_url', 'text', (c) => c.notNull())
        .addColumn('cw_origin', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('api_keys_jwe', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('tenant_settings')
        .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
        .addColumn('settings_json', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_audit_log': {
    async up(db: Kysely<any>) {
      const isPg = isPostgres(db);
      await db.schema
        .createTable('audit_log')
        .addColumn('id', isPg ? 'bigserial' : 'integer', (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text')
        .addColumn('subject', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('message', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_tenant_at').on('audit_log').columns(['tenant_id', 'at']).execute();
    },
  },
};

/** True on PostgreSQL, false on SQLite: for the few DDL details that differ. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
