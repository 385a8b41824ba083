import { sql, type Kysely, type Migration } from 'kysely';

// One ConnectWise company per Xero organisation (issue 9, point 7): a unique
// index over the connected organisations, so two instances racing to connect
// the same organisation for two tenants cannot both win; the loser's insert
// fails and it refuses in words. An organisation is held while a tenant has it
// in xero_orgs (connected or needing reconnect) and released on disconnect.
//
// Databases from before this rule may hold an organisation under two tenants:
// the earliest connection keeps it (ties by tenant id), the later rows are
// dropped, so those tenants see the organisation as connected to another
// ConnectWise company (their location mappings are kept and say so).
//
// location_org_map keeps the organisation's display name (as xero_orgs does),
// so a mapping kept after a disconnect can still say which organisation it was.
export const m0103_one_tenant_per_org: Migration = {
  async up(db: Kysely<any>) {
    // Names first: a tenant whose row is dropped below still knows what its mapping was.
    await db.schema.alterTable('location_org_map').addColumn('org_name', 'text').execute();
    await sql`
      update location_org_map set org_name = (
        select o.name from xero_orgs o
        where o.tenant_id = location_org_map.tenant_id and o.xero_tenant_id = location_org_map.xero_tenant_id
      )`.execute(db);
    await sql`
      delete from xero_orgs
      where exists (
        select 1 from xero_orgs earlier
        where earlier.xero_tenant_id = xero_orgs.xero_tenant_id
          and earlier.tenant_id <> xero_orgs.tenant_id
          and (earlier.created_at < xero_orgs.created_at
               or (earlier.created_at = xero_orgs.created_at and earlier.tenant_id < xero_orgs.tenant_id))
      )`.execute(db);
    await db.schema.createIndex('xero_orgs_one_tenant_per_org').on('xero_orgs').column('xero_tenant_id').unique().execute();
  },
};
