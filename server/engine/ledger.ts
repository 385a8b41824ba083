// The sync ledger: one row per ConnectWise record we push, holding only ids,
// states, hashes and codes. Its state is a union moved by the transition
// methods below — nothing else writes a row. A short lease, renewed while a
// push works, keeps two pushes of one record (double click, two tabs, a run
// and a dialog, two instances) from overlapping, and lets the next push take
// over within seconds after a crash.
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import type { SyncLedgerTable } from '../db/schema.js';

export type LedgerRow = Selectable<SyncLedgerTable>;

/** The ConnectWise record family a row is about (its key); the document kind says what it became in Xero. */
export type RecordKind = 'invoice' | 'purchase' | 'expense' | 'inventory';

export type LedgerState =
  /** Leased, never sent anywhere. */
  | 'new'
  /** A push is between its steps; what it did so far is in the row's ids. */
  | 'pushing'
  /** The Xero document exists; the ConnectWise batch is still to close. */
  | 'xero_created'
  /** In Xero and closed in our ConnectWise batch. */
  | 'synced'
  /** A person must act; any Xero document already made is still named (never orphaned). */
  | 'needs_attention';

export interface RecordKey {
  tenantId: string;
  kind: RecordKind;
  cwRecordId: string;
}

/** Lease length: a crashed push is taken over this soon; a live one renews every third of it. */
export const LEASE_MS = 10_000;

export class Ledger {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  private at(): string {
    return this.now().toISOString();
  }

  private row(key: RecordKey) {
    return this.db.k
      .updateTable('sync_ledger')
      .where('tenant_id', '=', key.tenantId)
      .where('record_kind', '=', key.kind)
      .where('cw_record_id', '=', key.cwRecordId);
  }

  async get(key: RecordKey): Promise<LedgerRow | undefined> {
    return this.db.k
      .selectFrom('sync_ledger')
      .selectAll()
      .where('tenant_id', '=', key.tenantId)
      .where('record_kind', '=', key.kind)
      .where('cw_record_id', '=', key.cwRecordId)
      .executeTakeFirst();
  }

  async list(tenantId: string, kind: RecordKind, cwRecordIds: readonly string[]): Promise<LedgerRow[]> {
    if (cwRecordIds.length === 0) return [];
    return this.db.k
      .selectFrom('sync_ledger')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('record_kind', '=', kind)
      .where('cw_record_id', 'in', [...cwRecordIds])
      .execute();
  }

  /** Rows whose record id starts with one of these prefixes (an expense bill key's sequences: "r2001-AUD#1", "#2" …). */
  async listByPrefixes(tenantId: string, kind: RecordKind, prefixes: readonly string[]): Promise<LedgerRow[]> {
    if (prefixes.length === 0) return [];
    const rows = await this.db.k
      .selectFrom('sync_ledger')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('record_kind', '=', kind)
      .where((eb) => eb.or(prefixes.map((p) => eb('cw_record_id', 'like', `${p}%`))))
      .execute();
    // A % or _ in a prefix only widens LIKE's match (and escapes differ between engines): checked exactly here.
    return rows.filter((r) => prefixes.some((p) => r.cw_record_id.startsWith(p)));
  }

  /**
   * Rows that name a Xero document, whatever their state: a record synced once
   * and then refused on a re-push still has its document (payments and
   * reconcile work on it). `cwRecordIds` narrows to those records.
   */
  async withXeroDocuments(tenantId: string, kind: RecordKind, cwRecordIds?: readonly string[]): Promise<LedgerRow[]> {
    let q = this.db.k
      .selectFrom('sync_ledger')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('record_kind', '=', kind)
      .where('xero_document_id', 'is not', null)
      .where('xero_tenant_id', 'is not', null);
    if (cwRecordIds) {
      if (cwRecordIds.length === 0) return [];
      q = q.where('cw_record_id', 'in', [...cwRecordIds]);
    }
    return q.execute();
  }

  /** Rows naming these Xero documents (a run's view links each document by its kind). */
  async byXeroDocuments(tenantId: string, kind: RecordKind, xeroDocumentIds: readonly string[]): Promise<LedgerRow[]> {
    if (xeroDocumentIds.length === 0) return [];
    return this.db.k
      .selectFrom('sync_ledger')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('record_kind', '=', kind)
      .where('xero_document_id', 'in', [...xeroDocumentIds])
      .execute();
  }

  // ---- leases ---------------------------------------------------------------

  /**
   * Takes the row's lease for `owner` (creating the row if missing). Returns
   * the row when the lease is ours, undefined when another push holds it.
   */
  async acquire(key: RecordKey, owner: string, ttlMs = LEASE_MS): Promise<LedgerRow | undefined> {
    const now = this.now();
    const at = now.toISOString();
    await this.db.k
      .insertInto('sync_ledger')
      .values({ tenant_id: key.tenantId, record_kind: key.kind, cw_record_id: key.cwRecordId, state: 'new', created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['tenant_id', 'record_kind', 'cw_record_id']).doNothing())
      .execute();
    const r = await this.row(key)
      .set({ lease_owner: owner, lease_until: new Date(now.getTime() + ttlMs).toISOString() })
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at), eb('lease_owner', '=', owner)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return this.get(key);
  }

  /** Renews `owner`'s leases on these records; answers the ids whose lease is still ours. */
  async renew(tenantId: string, kind: RecordKind, cwRecordIds: readonly string[], owner: string, ttlMs = LEASE_MS): Promise<Set<string>> {
    if (cwRecordIds.length === 0) return new Set();
    const until = new Date(this.now().getTime() + ttlMs).toISOString();
    await this.db.k
      .updateTable('sync_ledger')
      .set({ lease_until: until })
      .where('tenant_id', '=', tenantId)
      .where('record_kind', '=', kind)
      .where('cw_record_id', 'in', [...cwRecordIds])
      .where('lease_owner', '=', owner)
      .execute();
    const held = await this.db.k
      .selectFrom('sync_ledger')
      .select('cw_record_id')
      .where('tenant_id', '=', tenantId)
      .where('record_kind', '=', kind)
      .where('cw_record_id', 'in', [...cwRecordIds])
      .where('lease_owner', '=', owner)
      .execute();
    return new Set(held.map((h) => h.cw_record_id));
  }

  async release(key: RecordKey, owner: string): Promise<void> {
    await this.row(key).set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner).execute();
  }

  // ---- transitions ------------------------------------------------------------

  /** A push starts its Xero work for this record (or resumes it). */
  async begin(key: RecordKey, p: { documentKind: string; glEntryIds: readonly string[]; xeroTenantId: string }): Promise<void> {
    await this.row(key)
      .set({ state: 'pushing', document_kind: p.documentKind, gl_entry_ids: p.glEntryIds.join(','), xero_tenant_id: p.xeroTenantId, error_code: null, error_message: null, updated_at: this.at() })
      .where('state', '!=', 'xero_created')
      .execute();
    // A row whose document exists keeps xero_created until it is synced: only its error clears.
    await this.row(key).set({ document_kind: p.documentKind, error_code: null, error_message: null, updated_at: this.at() }).where('state', '=', 'xero_created').execute();
  }

  /** The Xero contact this record's document is for. */
  async contactBound(key: RecordKey, xeroContactId: string): Promise<void> {
    await this.row(key).set({ xero_contact_id: xeroContactId, updated_at: this.at() }).execute();
  }

  /** We are about to send a create with this key: from now on a document under our number may be ours. */
  async createSent(key: RecordKey, createKey: string): Promise<void> {
    await this.row(key).set({ create_key: createKey, updated_at: this.at() }).execute();
  }

  /** The Xero document holds this content. */
  async xeroCreated(key: RecordKey, doc: { id: string; number: string; status: string }, contentHash: string, xeroTenantId: string): Promise<void> {
    await this.row(key)
      .set({ state: 'xero_created', xero_document_id: doc.id, xero_number: doc.number || null, xero_status: doc.status, content_hash: contentHash, xero_tenant_id: xeroTenantId, error_code: null, error_message: null, updated_at: this.at() })
      .execute();
  }

  /** Closed in our ConnectWise batch: done. */
  async synced(key: RecordKey, batch: { identifier: string; id: number }): Promise<void> {
    const at = this.at();
    await this.row(key)
      .set({ state: 'synced', cw_batch_identifier: batch.identifier, cw_batch_id: batch.id, synced_at: at, error_code: null, error_message: null, updated_at: at })
      .execute();
  }

  /** Done, with nothing of its own to post in ConnectWise (a cost-of-sale journal rides in its invoice's batch). */
  async syncedWithoutBatch(key: RecordKey): Promise<void> {
    const at = this.at();
    await this.row(key).set({ state: 'synced', synced_at: at, error_code: null, error_message: null, updated_at: at }).execute();
  }

  /** A person must act. `storedMessage` carries no accounting data (problems.ts storableMessage). */
  async needsAttention(key: RecordKey, code: string, storedMessage: string): Promise<void> {
    await this.row(key).set({ state: 'needs_attention', error_code: code, error_message: storedMessage.slice(0, 500), updated_at: this.at() }).execute();
  }

  /** Stopped between steps (crash, outage): the row keeps what was done; pushing again resumes. */
  async interrupted(key: RecordKey, errorName: string): Promise<void> {
    await this.row(key)
      .set({ error_code: 'retryable', error_message: `Push interrupted (${errorName}); pushing again resumes it.`, updated_at: this.at() })
      .execute();
  }

  /** An admin linked this record to an existing Xero document after checking contact and total. */
  async linked(key: RecordKey, p: { documentKind: string; xeroTenantId: string; doc: { id: string; number: string; status: string }; glEntryIds: readonly string[] }): Promise<void> {
    await this.row(key)
      .set({
        state: 'xero_created',
        document_kind: p.documentKind,
        xero_tenant_id: p.xeroTenantId,
        xero_document_id: p.doc.id,
        xero_number: p.doc.number,
        xero_status: p.doc.status,
        gl_entry_ids: p.glEntryIds.join(','),
        content_hash: null,
        error_code: null,
        error_message: null,
        updated_at: this.at(),
      })
      .execute();
  }

  // ---- contact links ----------------------------------------------------------

  async contactLinks(tenantId: string, xeroTenantId: string, cwCompanyIds: readonly string[]) {
    if (cwCompanyIds.length === 0) return [];
    return this.db.k
      .selectFrom('contact_links')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('xero_tenant_id', '=', xeroTenantId)
      .where('cw_company_id', 'in', [...cwCompanyIds])
      .execute();
  }

  async linkContact(tenantId: string, xeroTenantId: string, cwCompanyId: string, xeroContactId: string, contentHash: string): Promise<void> {
    const at = this.at();
    await this.db.k
      .insertInto('contact_links')
      .values({ tenant_id: tenantId, xero_tenant_id: xeroTenantId, cw_company_id: cwCompanyId, xero_contact_id: xeroContactId, content_hash: contentHash, updated_at: at })
      .onConflict((oc) => oc.columns(['tenant_id', 'xero_tenant_id', 'cw_company_id']).doUpdateSet({ xero_contact_id: xeroContactId, content_hash: contentHash, updated_at: at }))
      .execute();
  }

  /** Which ConnectWise company each linked Xero contact belongs to (so a match never steals another's contact). */
  async contactLinkOwners(tenantId: string, xeroTenantId: string): Promise<Map<string, string>> {
    const rows = await this.db.k
      .selectFrom('contact_links')
      .select(['xero_contact_id', 'cw_company_id'])
      .where('tenant_id', '=', tenantId)
      .where('xero_tenant_id', '=', xeroTenantId)
      .execute();
    return new Map(rows.map((r) => [r.xero_contact_id, r.cw_company_id] as const));
  }
}
