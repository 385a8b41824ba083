import type { Kysely, Migration } from 'kysely';

// The engine's ledger (issue 9): which document kind a row holds, and the
// Idempotency-Key of the create we sent — our own evidence that a Xero
// document found under our number after a lost answer is ours (Xero forgets
// keys after minutes; the ledger does not). Ids and hashes only.
export const m0201_sync_ledger_kind: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('sync_ledger').addColumn('document_kind', 'text').execute();
    await db.schema.alterTable('sync_ledger').addColumn('create_key', 'text').execute();
  },
};
