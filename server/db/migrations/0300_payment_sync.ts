import type { Kysely, Migration } from 'kysely';

// Payment sync (issue 5): which Xero payments make up each ConnectWise
// invoice's one payment record, a per-tenant run lease and schedule slot, and
// per-organisation If-Modified-Since watermarks. Ids, states, keyed hashes and
// amount-free messages only: no amounts, names or references at rest.
export const m0300_payment_sync: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('payment_ledger')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('cw_invoice_id', 'text', (c) => c.notNull())
      .addColumn('xero_tenant_id', 'text', (c) => c.notNull())
      .addColumn('xero_invoice_id', 'text', (c) => c.notNull())
      .addColumn('xero_item_ids', 'text', (c) => c.notNull())
      .addColumn('cw_payment_id', 'integer')
      .addColumn('content_hash', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attention_code', 'text')
      .addColumn('message', 'text')
      .addColumn('checked_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('payment_ledger_pk', ['tenant_id', 'cw_invoice_id'])
      .execute();
    await db.schema
      .createTable('payment_sync_tenants')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('next_run_at', 'text')
      .addColumn('last_run_at', 'text')
      .addColumn('last_outcome', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('payment_sync_watermarks')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('xero_tenant_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('watermark', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('payment_sync_watermarks_pk', ['tenant_id', 'xero_tenant_id', 'source'])
      .execute();
  },
};
