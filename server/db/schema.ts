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

/** One row per ConnectWise record we push: where it is in the push, and its Xero and ConnectWise ids. */
export interface SyncLedgerTable {
  tenant_id: string;
  /** 'invoice' (also credit memos, which become credit notes), later 'purchase', 'expense'. */
  record_kind: string;
  /** The ConnectWise record id (an invoice's id, not its GL entry). */
  cw_record_id: string;
  /** Comma list of the GL entry ids the push batches. */
  gl_entry_ids: string | null;
  xero_tenant_id: string | null;
  xero_document_id: string | null;
  xero_number: string | null;
  xero_contact_id: string | null;
  xero_status: string | null;
  cw_batch_identifier: string | null;
  cw_batch_id: number | null;
  /** pushing | xero_created | synced | needs_attention | failed */
  state: string;
  /** SHA-256 of the mapped Xero document last pushed. */
  content_hash: string | null;
  error_code: string | null;
  error_message: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
  synced_at: string | null;
  /** The engine's document kind ('invoice', 'creditNote', …); null on rows from before the engine. */
  document_kind: string | null;
  /** Idempotency-Key of the create we sent: evidence that a document found under our number is ours. */
  create_key: string | null;
}

/** A ConnectWise company's Xero contact in one organisation. */
export interface ContactLinksTable {
  tenant_id: string;
  xero_tenant_id: string;
  cw_company_id: string;
  xero_contact_id: string;
  /** Hash of the contact payload last sent: an update is sent only when it differs. */
  content_hash: string | null;
  updated_at: string;
}

/** A Xero OAuth grant of a tenant: the token set only sealed (JWE bound to `id`). */
export interface XeroConnectionsTable {
  id: string;
  tenant_id: string;
  token_set_jwe: string;
  auth_event_id: string | null;
  status: 'ok' | 'needs_reconnect';
  access_expires_at: string;
  last_refresh_at: string | null;
  last_error: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * An organisation a connection reaches: ids and the organisation's display name only.
 * Unique by xero_tenant_id: one ConnectWise company holds an organisation at a time.
 */
export interface XeroOrgsTable {
  connection_id: string;
  tenant_id: string;
  xero_tenant_id: string;
  xero_connection_id: string;
  name: string;
  tenant_type: string;
  created_at: string;
}

/** Single-use OAuth state (hashed), PKCE verifier sealed. */
export interface OauthStatesTable {
  state_hash: string;
  tenant_id: string;
  member_identifier: string;
  member_rec_id: number;
  verifier_jwe: string;
  nonce: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/**
 * ConnectWise billing location → Xero organisation. Kept when the organisation
 * is disconnected (reconnecting restores it); it books nowhere until then.
 */
export interface LocationOrgMapTable {
  tenant_id: string;
  cw_location_id: number;
  xero_tenant_id: string;
  /** The organisation's display name when it was mapped or last connected (so a kept mapping can name it). */
  org_name: string | null;
  updated_by: string | null;
  updated_at: string;
}

/** Payment sync (issue 5): the Xero payments behind a ConnectWise invoice's one payment record. Ids only. */
export interface PaymentLedgerTable {
  tenant_id: string;
  cw_invoice_id: string;
  xero_tenant_id: string;
  xero_invoice_id: string;
  /** Sorted comma list of "p:<PaymentID>" / "o:<OverpaymentID>" that make up ConnectWise's amount. */
  xero_item_ids: string;
  cw_payment_id: number | null;
  /** Keyed hash (HMAC) of what ConnectWise was brought to: detects change without storing amounts. */
  content_hash: string | null;
  /** in_step | needs_attention | error | skipped */
  state: string;
  attention_code: string | null;
  /** Amount-free words for a person. */
  message: string | null;
  checked_at: string;
  updated_at: string;
}

/** One row per tenant: the payment-sync run lease (one run at a time, across instances) and the schedule slot. */
export interface PaymentSyncTenantsTable {
  tenant_id: string;
  lease_owner: string | null;
  lease_until: string | null;
  next_run_at: string | null;
  last_run_at: string | null;
  last_outcome: string | null;
  updated_at: string;
}

/** If-Modified-Since watermark per tenant, Xero organisation and source (payments, overpayments, creditnotes). */
export interface PaymentSyncWatermarksTable {
  tenant_id: string;
  xero_tenant_id: string;
  source: string;
  watermark: string;
  updated_at: string;
}

/** A bulk sync run (issue 6): ids, states and options only. */
export interface BulkRunsTable {
  id: string;
  tenant_id: string;
  record_kind: string;
  /** running | cancelling | cancelled | waiting_day | done */
  status: string;
  /** 'record' | 'run': one ConnectWise batch per record, or one per run and organisation. */
  batching: string;
  created_by: string | null;
  waiting_until: string | null;
  waiting_reason: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** One ConnectWise record of a bulk run and its outcome (ids, codes, messages). */
export interface BulkRunItemsTable {
  run_id: string;
  seq: number;
  tenant_id: string;
  cw_record_id: string;
  gl_entry_id: string;
  xero_tenant_id: string;
  /** pending | xero_created | synced | needs_attention | failed | cancelled */
  state: string;
  error_code: string | null;
  error_message: string | null;
  where_to_fix: string | null;
  xero_document_id: string | null;
  xero_number: string | null;
  attempts: Generated<number>;
  updated_at: string;
}

/** A save or import of a tenant's settings (issue 13): who, when, and the paths of the fields it changed — never values. */
export interface SettingsVersionsTable {
  id: Generated<number>;
  tenant_id: string;
  member_id: string | null;
  /** 'save' | 'import' */
  source: string;
  /** JSON array of field paths, e.g. ["invoiceMapping.accountMap","pushers.securityRoles"]. */
  changed_paths: string;
  at: string;
}

/** Exception alerts (issue 13): the tenant's one ConnectWise alert ticket — ids, state, a hash of the listed set. */
export interface AlertTicketsTable {
  tenant_id: string;
  ticket_id: number | null;
  board_id: number | null;
  /** none | open | closed */
  state: string;
  listed_hash: string | null;
  listed_count: number;
  last_outcome: string | null;
  refused: number;
  checked_at: string | null;
  lease_until: string | null;
  updated_at: string;
}

export interface Database {
  tenants: TenantsTable;
  tenant_settings: TenantSettingsTable;
  audit_log: AuditLogTable;
  xero_connections: XeroConnectionsTable;
  xero_orgs: XeroOrgsTable;
  oauth_states: OauthStatesTable;
  location_org_map: LocationOrgMapTable;
  sync_ledger: SyncLedgerTable;
  contact_links: ContactLinksTable;
  payment_ledger: PaymentLedgerTable;
  payment_sync_tenants: PaymentSyncTenantsTable;
  payment_sync_watermarks: PaymentSyncWatermarksTable;
  bulk_runs: BulkRunsTable;
  bulk_run_items: BulkRunItemsTable;
  alert_tickets: AlertTicketsTable;
  settings_versions: SettingsVersionsTable;
}
