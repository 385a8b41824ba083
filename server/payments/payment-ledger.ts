// The payment ledger: per ConnectWise invoice, which Xero payments (and
// overpayment allocations) make up ConnectWise's one payment record, that
// record's id, a keyed hash of what it was brought to, and a state with
// amount-free words. Also the per-organisation If-Modified-Since watermarks.
import type { Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import type { PaymentLedgerTable } from '../db/schema.js';

export type PaymentLedgerRow = Selectable<PaymentLedgerTable>;
export type PaymentState = 'in_step' | 'needs_attention' | 'error' | 'skipped';

export interface PaymentLedgerWrite {
  tenantId: string;
  cwInvoiceId: string;
  xeroTenantId: string;
  xeroInvoiceId: string;
  itemIds: string[];
  cwPaymentId: number | null;
  contentHash: string | null;
  state: PaymentState;
  attentionCode: string | null;
  message: string | null;
}

export type WatermarkSource = 'payments' | 'overpayments' | 'creditnotes';

export class PaymentLedger {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async get(tenantId: string, cwInvoiceId: string): Promise<PaymentLedgerRow | undefined> {
    return this.db.k.selectFrom('payment_ledger').selectAll().where('tenant_id', '=', tenantId).where('cw_invoice_id', '=', cwInvoiceId).executeTakeFirst();
  }

  async listForTenant(tenantId: string): Promise<PaymentLedgerRow[]> {
    return this.db.k.selectFrom('payment_ledger').selectAll().where('tenant_id', '=', tenantId).execute();
  }

  async write(w: PaymentLedgerWrite): Promise<void> {
    const at = this.now().toISOString();
    const values = {
      xero_tenant_id: w.xeroTenantId,
      xero_invoice_id: w.xeroInvoiceId,
      xero_item_ids: [...w.itemIds].sort().join(','),
      cw_payment_id: w.cwPaymentId,
      content_hash: w.contentHash,
      state: w.state,
      attention_code: w.attentionCode,
      message: w.message,
      checked_at: at,
      updated_at: at,
    };
    await this.db.k
      .insertInto('payment_ledger')
      .values({ tenant_id: w.tenantId, cw_invoice_id: w.cwInvoiceId, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'cw_invoice_id']).doUpdateSet(values))
      .execute();
  }

  async watermark(tenantId: string, xeroTenantId: string, source: WatermarkSource): Promise<Date | undefined> {
    const r = await this.db.k
      .selectFrom('payment_sync_watermarks')
      .select('watermark')
      .where('tenant_id', '=', tenantId)
      .where('xero_tenant_id', '=', xeroTenantId)
      .where('source', '=', source)
      .executeTakeFirst();
    return r ? new Date(r.watermark) : undefined;
  }

  async setWatermark(tenantId: string, xeroTenantId: string, source: WatermarkSource, at: Date): Promise<void> {
    const watermark = at.toISOString();
    const updated_at = this.now().toISOString();
    await this.db.k
      .insertInto('payment_sync_watermarks')
      .values({ tenant_id: tenantId, xero_tenant_id: xeroTenantId, source, watermark, updated_at })
      .onConflict((oc) => oc.columns(['tenant_id', 'xero_tenant_id', 'source']).doUpdateSet({ watermark, updated_at }))
      .execute();
  }
}

export function itemIdsOf(row: Pick<PaymentLedgerRow, 'xero_item_ids'> | undefined): string[] {
  return row?.xero_item_ids ? row.xero_item_ids.split(',').filter(Boolean) : [];
}
