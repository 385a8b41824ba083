// Table types for Kysely. Only ids, statuses, hashes, settings, encrypted
// secrets and error messages live here: never amounts, names, addresses or
// line text (see README, "No accounting data at rest").
import type { Generated } from 'kysely';

export interface TenantsTable {
  /** ConnectWise company id as members type it at login, lower-cased. */
  id: string;
  /** https://host of the ConnectWise site the server verifies members and calls the API against. */
  site_url: string;
  /** The browser origin ConnectWise pages come from (frame-ancestors, postMessage). */
  cw_origin: string;
  /** ConnectWise clientId (not a secret, sent as a header). */
  client_id: string;
  /** JWE of {publicKey, privateKey} of the tenant's API member. */
  api_keys_jwe: string;
  created_at: string;
  updated_at: string;
}

export interface TenantSettingsTable {
  tenant_id: string;
  /** JSON of the tenant's settings (validated by zod on the way in and out). */
  settings_json: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: string;
  /** What happened, e.g. "session.created", "invoice.pushed". */
  action: string;
  /** ConnectWise member id that caused it, if any. */
  member_id: string | null;
  /** The record concerned: ids only (e.g. "invoice:123", "xero:INV-ID"). */
  subject: string | null;
  outcome: string;
  /** An error message when the outcome is a failure: never accounting data. */
  message: string | null;
  at: string;
}

export interface Database {
  tenants: TenantsTable;
  tenant_settings: TenantSettingsTable;
  audit_log: AuditLogTable;
}
