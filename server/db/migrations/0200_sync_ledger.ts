import type { Kysely, Migration } from 'kysely';

// The ledger that makes pushes exactly-once: ids, states, hashes and error
// messages only. The lease columns stop two pushes of one record overlapping.
export const m0200_sync_ledger: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('sync_ledger')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('record_kind', 'text', (c) => c.notNull())
      .addColumn('cw_record_id', 'text', (c) => c.notNull())
      .addColumn('gl_entry_ids', 'text')
      .addColumn('xero_tenant_id', 'text')
      .addColumn('xero_document_id', 'text')
      .addColumn('xero_number', 'text')
      .addColumn('xero_contact_id', 'text')
      .addColumn('xero_status', 'text')
      .addColumn('cw_batch_identifier', 'text')
      .addColumn('cw_batch_id', 'integer')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('synced_at', 'text')
      .addPrimaryKeyConstraint('sync_ledger_pk', ['tenant_id', 'record_kind', 'cw_record_id'])
      .execute();
    await db.schema
      .createTable('contact_links')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('xero_tenant_id', 'text', (c) => c.notNull())
      .addColumn('cw_company_id', 'text', (c) => c.notNull())
      .addColumn('xero_contact_id', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('contact_links_pk', ['tenant_id', 'xero_tenant_id', 'cw_company_id'])
      .execute();
  },
};
