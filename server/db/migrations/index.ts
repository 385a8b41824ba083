// Migrations, in code so the same list runs on SQLite and PostgreSQL. Each
// lives in its own file "NNNN_area_what.ts"; add it to this record under the
// same name. Kysely runs them in name order. Use portable column types only
// (text, integer, bigint) and isPostgres() for the rare DDL that differs.
import type { Migration } from 'kysely';
import { m0001_tenants } from './0001_tenants.js';
import { m0002_audit_log } from './0002_audit_log.js';
import { m0100_xero_connections } from './0100_xero_connections.js';
import { m0101_oauth_states } from './0101_oauth_states.js';
import { m0102_location_org_map } from './0102_location_org_map.js';
import { m0103_one_tenant_per_org } from './0103_one_tenant_per_org.js';
import { m0200_sync_ledger } from './0200_sync_ledger.js';
import { m0201_sync_ledger_kind } from './0201_sync_ledger_kind.js';
import { m0400_bulk_runs } from './0400_bulk_runs.js';
import { m0300_payment_sync } from './0300_payment_sync.js';
import { m0900_alert_tickets } from './0900_alert_tickets.js';
import { m0710_settings_versions } from './0710_settings_versions.js';

export const migrations: Record<string, Migration> = {
  '0001_tenants': m0001_tenants,
  '0002_audit_log': m0002_audit_log,
  '0100_xero_connections': m0100_xero_connections,
  '0101_oauth_states': m0101_oauth_states,
  '0102_location_org_map': m0102_location_org_map,
  '0103_one_tenant_per_org': m0103_one_tenant_per_org,
  '0200_sync_ledger': m0200_sync_ledger,
  '0201_sync_ledger_kind': m0201_sync_ledger_kind,
  '0400_bulk_runs': m0400_bulk_runs,
  '0300_payment_sync': m0300_payment_sync,
  '0900_alert_tickets': m0900_alert_tickets,
  '0710_settings_versions': m0710_settings_versions,
};
