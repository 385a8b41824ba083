import type { Kysely, Migration } from 'kysely';

// Which Xero organisation each ConnectWise billing location books into (ids only).
// Keyed by the Xero organisation id, not the connection, so a reconnect keeps it.
export const m0102_location_org_map: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('location_org_map')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('cw_location_id', 'integer', (c) => c.notNull())
      .addColumn('xero_tenant_id', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('location_org_map_pk', ['tenant_id', 'cw_location_id'])
      .execute();
  },
};
