import type { Kysely, Migration } from 'kysely';

// Exception alerts (issue 13): per tenant, the one ConnectWise service ticket
// that lists the records needing a person. Its id, board, state, a hash of the
// listed set (which records and codes, to know when it changed), how many, and
// what the last attempt did — the ticket's words live in ConnectWise only.
export const m0900_alert_tickets: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('alert_tickets')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey())
      .addColumn('ticket_id', 'integer')
      .addColumn('board_id', 'integer')
      /** none | open | closed */
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('listed_hash', 'text')
      .addColumn('listed_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_outcome', 'text')
      /** 1 when ConnectWise refused the last attempt. */
      .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('checked_at', 'text')
      /** One refresh at a time per tenant, across instances. */
      .addColumn('lease_until', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
