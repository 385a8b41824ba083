// Cost of sale as part of an invoice's push: when the invoice's GL export
// carries inventory parts with a cost (hasCostOfSale), its push also pushes a
// manual journal — debit cost of goods sold, credit the warehouse's inventory
// account — as a record of its own (`cogs-{invoice id}`, inventoryJournalKind).
// Its GL entry is the invoice's, so it posts nothing in ConnectWise
// (`postGlEntryIds: []`); the invoice waits for it (`closesAfter`): the
// invoice's ConnectWise batch closes only once the journal is in Xero, so a
// journal that failed is retried with its invoice, and a posted invoice means
// both are in Xero. The dialog (server/sync) and runs (server/bulk) both come
// here; the preview shows the journal, and a journal made before a lost answer
// is found by its Narration reference, never made twice.
import type { AppDeps } from '../deps.js';
import type { CwClient } from '../cw/client.js';
import { hasCostOfSale, mapCostOfSaleJournal, type JournalMappingResult } from '../domain/inventory-journal-mapping.js';
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { type TrackingSources, trackingRulesFor } from '../domain/tracking-mapping.js';
import type { WarehouseRef } from '../domain/warehouse-accounts.js';
import type { XeroRefs } from '../domain/xero-refs.js';
import { decideDocument } from '../engine/decide.js';
import { createKey } from '../engine/executor.js';
import { inventoryJournalKind, type XeroDocumentRef } from '../engine/kinds.js';
import { Ledger, type LedgerRow } from '../engine/ledger.js';
import type { PreparedRecord } from '../engine/ports.js';
import type { Problem } from '../engine/problems.js';
import type { RecordOutcome } from '../engine/executor.js';
import { xeroTransport } from '../engine/transport.js';
import { createXeroPort } from '../engine/xero-port.js';
import type { TenantSettings } from '../settings.js';
import type { CostOfSaleJournalView } from '../../shared/api.js';
import type { CwGLExportTransaction } from '../../shared/cw-types.js';
import type { ProcurementSettings } from '../../shared/procurement-settings.js';
import { readWarehouses } from './cw-procurement-source.js';
import { journalRecordId, toPreparedJournal } from './inventory-records.js';

/** What the cost-of-sale mapping needs besides the invoice: the tenant's choices and ConnectWise's warehouses. */
export interface CostOfSaleContext {
  settings: Pick<ProcurementSettings, 'warehouseAccounts' | 'journalStatus'>;
  /** ConnectWise GL account → Xero account (the invoice settings' account map). */
  accountMap: Record<string, string>;
  warehouses: readonly WarehouseRef[];
  /** The tracking rules (the invoice settings'): the journal's lines are tracked as the invoice's are. */
  tracking?: Pick<InvoiceMappingSettings, 'tracking' | 'trackingByOrganisation'>;
}

/**
 * The context, read lazily: ConnectWise's warehouses are asked for only when
 * an invoice of the unit of work has cost of sale, and once.
 */
export function costOfSaleSource(cw: CwClient, settings: Pick<TenantSettings, 'procurement' | 'invoiceMapping'>): () => Promise<CostOfSaleContext> {
  let read: Promise<CostOfSaleContext> | undefined;
  return () =>
    (read ??= readWarehouses(cw).then(
      (warehouses) => ({ settings: settings.procurement, accountMap: settings.invoiceMapping.accountMap, warehouses, tracking: settings.invoiceMapping }),
      (err: unknown) => {
        read = undefined;
        throw err;
      },
    ));
}

export interface CostOfSale {
  mapping: JournalMappingResult;
  prepared: PreparedRecord;
}

export function costOfSaleRecordId(cwInvoiceId: number | string): string {
  return journalRecordId('costOfSale', cwInvoiceId);
}

export { hasCostOfSale };

/**
 * Pure: an invoice's cost-of-sale journal as the engine's record, or undefined
 * when the invoice has no inventory parts with a cost.
 */
export function prepareCostOfSale(
  ctx: CostOfSaleContext,
  args: { cwInvoiceId: number | string; transaction: CwGLExportTransaction; xeroTenantId: string; refs: XeroRefs; postedInOurBatch?: boolean; trackingSources?: TrackingSources },
): CostOfSale | undefined {
  if (!hasCostOfSale(args.transaction)) return undefined;
  const tracking = ctx.tracking ? { rules: trackingRulesFor(ctx.tracking, args.xeroTenantId), sources: args.trackingSources ?? {} } : undefined;
  const mapping = mapCostOfSaleJournal({ settings: ctx.settings, accountMap: ctx.accountMap, warehouses: ctx.warehouses, xeroRefs: args.refs, transaction: args.transaction, ...(tracking ? { tracking } : {}) });
  const prepared = toPreparedJournal(mapping, {
    cwRecordId: costOfSaleRecordId(args.cwInvoiceId),
    xeroTenantId: args.xeroTenantId,
    currency: args.refs.baseCurrency,
    // Its GL entry is the invoice's: the invoice's batch posts it.
    postGlEntryIds: [],
    // The invoice's batch closes only after its journal is in Xero: an invoice in our batch proves the journal ours.
    ...(args.postedInOurBatch ? { postedInOurBatch: true } : {}),
  });
  return { mapping, prepared };
}

/** The journal's blocking problems as its invoice states them (they hold the invoice's push too). */
export function costOfSaleProblems(cogs: CostOfSale | undefined): Problem[] {
  return (cogs?.prepared.problems ?? []).map((p) => ({ ...p, message: `Cost of sale journal: ${p.message}` }));
}

/**
 * The invoice's record paired with its journal: posted in ConnectWise only
 * once the journal is in Xero, and held by the journal's blocking problems.
 */
export function withCostOfSale(invoice: PreparedRecord, cogs: CostOfSale | undefined): PreparedRecord {
  if (!cogs) return invoice;
  const held = costOfSaleProblems(cogs).filter((p) => !invoice.problems.some((q) => q.code === p.code && q.message === p.message));
  return { ...invoice, closesAfter: [cogs.prepared.cwRecordId], problems: [...invoice.problems, ...held] };
}

/**
 * The dialog's answer from the push of an invoice and its journal: the
 * invoice's outcome, said with the journal's reason when the journal is what
 * held it (or, for an invoice already posted, needed attention on its own).
 */
export function invoicePushOutcome(invoice: RecordOutcome, journal: RecordOutcome | undefined): { state: RecordOutcome['state']; message: string } {
  if (!journal || journal.state === 'synced' || journal.state === 'unchanged') return { state: invoice.state, message: invoice.message };
  if (journal.state === 'busy') return { state: invoice.state === 'busy' ? 'busy' : 'needs_attention', message: journal.message };
  if (invoice.state === 'needs_attention' && invoice.problems[0]?.code !== 'companion_not_in_xero') return { state: invoice.state, message: invoice.message };
  return { state: 'needs_attention', message: `Cost of sale journal: ${journal.message}` };
}

const DEBIT = (amount: string) => !amount.startsWith('-');

/**
 * The dialog's "Cost of sale journal" section: the journal Xero will receive
 * (debit and credit lines, balanced), and where it stands — ours by the
 * ledger's id, or after a lost answer by its Narration reference (the same
 * decision as the push, engine/decide.ts). Read only.
 */
export async function costOfSaleView(deps: AppDeps, tenantId: string, cogs: CostOfSale): Promise<CostOfSaleJournalView> {
  const { mapping, prepared } = cogs;
  const row = await new Ledger(deps.db, deps.now).get({ tenantId, kind: inventoryJournalKind.recordKind, cwRecordId: prepared.cwRecordId });
  const doc = await journalInXero(deps, tenantId, prepared, row);
  return {
    reference: mapping.reference,
    narration: mapping.document.Narration,
    date: mapping.document.Date,
    status: mapping.document.Status,
    lines: mapping.lines.map((l) => ({
      lineNumber: l.lineNumber,
      account: l.accountCode,
      description: l.description,
      debit: DEBIT(l.amount) ? l.amount : null,
      credit: DEBIT(l.amount) ? null : l.amount.slice(1),
    })),
    debits: mapping.totals.debits,
    credits: mapping.totals.credits,
    balanced: mapping.totals.difference === '0.00',
    problems: costOfSaleProblems(cogs).map((p) => ({ code: p.code, message: p.message, ...(p.where ? { where: p.where } : {}) })),
    state: row?.state === 'synced' && doc && row.content_hash === prepared.contentHash ? 'synced' : doc ? (row?.content_hash && row.content_hash !== prepared.contentHash ? 'changed' : 'pending') : 'new',
    xero: doc ? { documentId: doc.id, status: doc.status, url: inventoryJournalKind.xero.url(deps.config.xero.appUrl, doc.id) } : null,
  };
}

async function journalInXero(deps: AppDeps, tenantId: string, p: PreparedRecord, row: LedgerRow | undefined): Promise<XeroDocumentRef | undefined> {
  const port = createXeroPort(xeroTransport(deps, tenantId, p.xeroTenantId), 'person');
  if (row?.xero_document_id && row.xero_tenant_id === p.xeroTenantId) {
    const doc = (await port.getDocuments(inventoryJournalKind, [row.xero_document_id]))[0];
    if (doc && doc.status !== 'DELETED') return doc;
  }
  // Only where our own earlier create may have landed: no look in Xero for a journal never sent.
  if (!row?.create_key && !p.postedInOurBatch) return undefined;
  const d = decideDocument({ p, row, byNumber: await port.findDocumentsByNumber(inventoryJournalKind, [p.number]), createKey: createKey(tenantId, p) });
  return d.action === 'keep' || d.action === 'update' ? d.doc : d.action === 'refuse' ? d.doc : undefined;
}
