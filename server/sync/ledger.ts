// The sync ledger: one row per pushed ConnectWise record, holding only ids,
// states, hashes and error messages. A lease on the row keeps two pushes of
// the same record (double click, two tabs, two instances) from overlapping.
import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../db/index.js';
import type { SyncLedgerTable } from '../db/schema.js';

export type LedgerRow = Selectable<SyncLedgerTable>;
export type LedgerPatch = Omit<Updateable<SyncLedgerTable>, 'tenant_id' | 'record_kind' | 'cw_record_id' | 'created_at'>;
export type RecordKind = 'invoice' | 'purchase' | 'expense';
export interface RecordKey {
  tenantId: string;
  kind: RecordKind;
  cwRecordId: string;
}

export class Ledger {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  private where(key: RecordKey) {
    return this.db.k
      .selectFrom('sync_ledger')
      .selectAll()
      .where('tenant_id', '=', key.tenantId)
      .where('record_kind', '=', key.kind)
      .where('cw_record_id', '=', key.cwRecordId);
  }

  async get(key: RecordKey): Promise<LedgerRow | undefined> {
    return this.where(key).executeTakeFirst();
  }

  async list(tenantId: string, kind: RecordKind, cwRecordIds: string[]): Promise<LedgerRow[]> {
    if (cwRecordIds.length === 0) return [];
    return this.db.k
      .selectFrom('sync_ledger')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('record_kind', '=', kind)
      .where('cw_record_id', 'in', cwRecordIds)
      .execute();
  }

  /**
   * Records that have a Xero document, whatever their state: a re-push Xero
   * refused (needs_attention) or one still going keeps the document it synced
   * to, and payments and reconcile work on that document. `cwRecordIds`
   * narrows to those records (an empty list: none).
   */
  async withXeroDocuments(tenantId: string, kind: RecordKind, cwRecordIds?: string[]): Promise<LedgerRow[]> {
    if (cwRecordIds && cwRecordIds.length === 0) return [];
    let q = this.db.k
      .selectFrom('sync_ledger')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('record_kind', '=', kind)
      .where('xero_document_id', 'is not', null)
      .where('xero_tenant_id', 'is not', null);
    if (cwRecordIds) q = q.where('cw_record_id', 'in', cwRecordIds);
    return q.execute();
  }

  /**
   * Takes the row's lease for `owner` (creating the row if missing). Returns
   * the row when the lease is ours, undefined when another push holds it.
   */
  async acquire(key: RecordKey, owner: string, ttlMs: number): Promise<LedgerRow | undefined> {
    const now = this.now();
    const at = now.toISOString();
    await this.db.k
      .insertInto('sync_ledger')
      .values({ tenant_id: key.tenantId, record_kind: key.kind, cw_record_id: key.cwRecordId, state: 'new', created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['tenant_id', 'record_kind', 'cw_record_id']).doNothing())
      .execute();
    const r = await this.db.k
      .updateTable('sync_ledger')
      .set({ lease_owner: owner, lease_until: new Date(now.getTime() + ttlMs).toISOString() })
      .where('tenant_id', '=', key.tenantId)
      .where('record_kind', '=', key.kind)
      .where('cw_record_id', '=', key.cwRecordId)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at), eb('lease_owner', '=', owner)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return this.get(key);
  }

  async release(key: RecordKey, owner: string): Promise<void> {
    await this.db.k
      .updateTable('sync_ledger')
      .set({ lease_owner: null, lease_until: null })
      .where('tenant_id', '=', key.tenantId)
      .where('record_kind', '=', key.kind)
      .where('cw_record_id', '=', key.cwRecordId)
      .where('lease_owner', '=', owner)
      .execute();
  }

  async update(key: RecordKey, patch: LedgerPatch): Promise<void> {
    await this.db.k
      .updateTable('sync_ledger')
      .set({ ...patch, updated_at: this.now().toISOString() })
      .where('tenant_id', '=', key.tenantId)
      .where('record_kind', '=', key.kind)
      .where('cw_record_id', '=', key.cwRecordId)
      .execute();
  }

  async contactLink(tenantId: string, xeroTenantId: string, cwCompanyId: string) {
    return this.db.k
      .selectFrom('contact_links')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('xero_tenant_id', '=', xeroTenantId)
      .where('cw_company_id', '=', cwCompanyId)
      .executeTakeFirst();
  }

  async linkContact(tenantId: string, xeroTenantId: string, cwCompanyId: string, xeroContactId: string, contentHash: string): Promise<void> {
    const at = this.now().toISOString();
    await this.db.k
      .insertInto('contact_links')
      .values({ tenant_id: tenantId, xero_tenant_id: xeroTenantId, cw_company_id: cwCompanyId, xero_contact_id: xeroContactId, content_hash: contentHash, updated_at: at })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'xero_tenant_id', 'cw_company_id']).doUpdateSet({ xero_contact_id: xeroContactId, content_hash: contentHash, updated_at: at }),
      )
      .execute();
  }

  /** Xero contact ids linked to other ConnectWise companies (so a name match never steals one). */
  async contactIdsLinkedElsewhere(tenantId: string, xeroTenantId: string, cwCompanyId: string): Promise<Set<string>> {
    const rows = await this.db.k
      .selectFrom('contact_links')
      .select('xero_contact_id')
      .where('tenant_id', '=', tenantId)
      .where('xero_tenant_id', '=', xeroTenantId)
      .where('cw_company_id', '!=', cwCompanyId)
      .execute();
    return new Set(rows.map((r) => r.xero_contact_id));
  }
}
