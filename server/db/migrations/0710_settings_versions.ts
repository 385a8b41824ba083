import type { Kysely, Migration } from 'kysely';
import { isPostgres } from './dialect.js';

// Settings versions (issue 13): who changed which fields of a tenant's settings
// and when — field paths only (e.g. "invoiceMapping.accountMap"), never the
// values. And an index for a record's history: audit rows by tenant and subject.
export const m0710_settings_versions: Migration = {
  async up(db: Kysely<any>) {
    const isPg = isPostgres(db);
    await db.schema
      .createTable('settings_versions')
      .addColumn('id', isPg ? 'bigserial' : 'integer', (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('member_id', 'text')
      /** 'save' (PUT /api/settings) or 'import'. */
      .addColumn('source', 'text', (c) => c.notNull())
      /** JSON array of the changed fields' paths. */
      .addColumn('changed_paths', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('settings_versions_tenant_id').on('settings_versions').columns(['tenant_id', 'id']).execute();
    await db.schema.createIndex('audit_log_tenant_subject').on('audit_log').columns(['tenant_id', 'subject']).execute();
  },
};
