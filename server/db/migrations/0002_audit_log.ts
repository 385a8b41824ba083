import type { Kysely, Migration } from 'kysely';
import { isPostgres } from './dialect.js';

export const m0002_audit_log: Migration = {
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
};
