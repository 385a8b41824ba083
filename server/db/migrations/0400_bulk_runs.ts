import type { Kysely, Migration } from 'kysely';

// Bulk sync runs (issue 6): what a run is (tenant, record kind, options) and
// which ConnectWise records it covers, each with its outcome. Ids, states,
// error codes and messages only — never amounts, names or line text: the
// records themselves are read from ConnectWise when a chunk is pushed.
export const m0400_bulk_runs: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('bulk_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('record_kind', 'text', (c) => c.notNull())
      /** running | cancelling | cancelled | waiting_day | done */
      .addColumn('status', 'text', (c) => c.notNull())
      /** 'record' (one ConnectWise batch per record) | 'run' (one batch for the whole run). */
      .addColumn('batching', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      /** Set while the run waits for Xero's limit (ISO time it expects to go on). */
      .addColumn('waiting_until', 'text')
      .addColumn('waiting_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('bulk_runs_tenant').on('bulk_runs').columns(['tenant_id', 'created_at']).execute();
    await db.schema
      .createTable('bulk_run_items')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('cw_record_id', 'text', (c) => c.notNull())
      .addColumn('gl_entry_id', 'text', (c) => c.notNull())
      .addColumn('xero_tenant_id', 'text', (c) => c.notNull())
      /** pending | xero_created (awaits the run's one ConnectWise batch) | synced | needs_attention | failed | cancelled */
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('where_to_fix', 'text')
      .addColumn('xero_document_id', 'text')
      .addColumn('xero_number', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('bulk_run_items_pk', ['run_id', 'seq'])
      .execute();
    await db.schema.createIndex('bulk_run_items_work').on('bulk_run_items').columns(['run_id', 'xero_tenant_id', 'state', 'seq']).execute();
  },
};
