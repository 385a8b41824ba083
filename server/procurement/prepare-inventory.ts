// ConnectWise's inventory transactions → the engine's journal records: each
// closed adjustment (revaluation, write-off) and each warehouse transfer is one
// GL entry in finance/accounting/unpostedprocurement and one Xero manual
// journal (mapAdjustmentJournal / mapTransferJournal), record id `adj-{GL
// entry}` / `xfer-{GL entry}`. Unlike cost of sale, these journals post their
// own GL entry: each gets its ConnectWise batch once Xero has it. Read live,
// never stored; the batch pod's Purchase orders tab and its runs come here.
import { z } from 'zod';
import type { CwClient } from '../cw/client.js';
import { contentHash } from '../domain/content-hash.js';
import {
  type CwAdjustmentTransaction,
  type CwInventoryTransfer,
  type CwProcurementAdjustment,
  type JournalKind,
  type JournalMappingResult,
  mapAdjustmentJournal,
  mapTransferJournal,
} from '../domain/inventory-journal-mapping.js';
import type { WarehouseRef } from '../domain/warehouse-accounts.js';
import type { OrgFacts } from '../engine/org-facts.js';
import type { PreparedRecord } from '../engine/ports.js';
import type { TenantSettings } from '../settings.js';
import { type CwUnpostedProcurement, readWarehouses } from './cw-procurement-source.js';
import { journalRecordId, toPreparedJournal } from './inventory-records.js';
import { trackingRulesFor } from '../domain/tracking-mapping.js';

/** The unposted procurement types that become journals (receipts become bills: prepare-purchase.ts). */
export const JOURNAL_PROCUREMENT_TYPES = ['Adjustment', 'Transfer'] as const;

const ref = z.object({ id: z.number().int().nullish(), identifier: z.string().nullish(), name: z.string().nullish() }).loose();
const unpostedSchema = z
  .object({ id: z.number().int(), unpostedProductId: z.string().nullish(), procurementType: z.string().nullish(), locationId: z.number().int().nullish(), total: z.number().nullish() })
  .loose();
const exportSchema = z
  .object({
    adjustmentTransactions: z.array(z.object({ id: z.string().nullish(), adjustmentDetail: z.array(z.object({}).loose()).nullish() }).loose()).nullish(),
    inventoryTransfers: z.array(z.object({ id: z.string().nullish(), total: z.number().nullish() }).loose()).nullish(),
  })
  .loose();
const adjustmentSchema = z.object({ id: z.number().int(), identifier: z.string().nullish(), adjustmentDetails: z.array(z.object({ warehouse: ref.nullish() }).loose()).nullish() }).loose();

/** `conditions` lists of ids stay short enough for a URL. */
const IDS_PER_QUERY = 100;

/** Unposted adjustments and transfers: these GL entries, or every one when `glEntryIds` is omitted. */
export async function readUnpostedInventory(cw: CwClient, glEntryIds?: readonly number[]): Promise<CwUnpostedProcurement[]> {
  const types = `procurementType in (${JOURNAL_PROCUREMENT_TYPES.map((t) => `"${t}"`).join(',')})`;
  const read = async (conditions: string) => (await cw.list('finance/accounting/unpostedprocurement', unpostedSchema, { query: { conditions }, maxPages: 20 })) as CwUnpostedProcurement[];
  if (!glEntryIds) return read(types);
  const unique = [...new Set(glEntryIds)];
  const out: CwUnpostedProcurement[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) out.push(...(await read(`${types} and id in (${unique.slice(i, i + IDS_PER_QUERY).join(',')})`)));
  return out;
}

export interface InventoryExport {
  adjustmentTransactions: CwAdjustmentTransaction[];
  inventoryTransfers: CwInventoryTransfer[];
}

/** POST finance/accounting/export of exactly these GL entries (nothing is posted by an export). */
export async function exportInventory(cw: CwClient, unposted: readonly CwUnpostedProcurement[]): Promise<InventoryExport> {
  const ids = [...new Set(unposted.map((u) => u.unpostedProductId || String(u.id ?? '')).filter(Boolean))].sort();
  if (ids.length === 0) return { adjustmentTransactions: [], inventoryTransfers: [] };
  const body = await cw.post(
    'finance/accounting/export',
    { batchIdentifier: `cwxs-inv-preview-${contentHash(ids).slice(0, 12)}`, exportProductsFlag: true, includedProductIds: ids },
    exportSchema,
    { what: 'the export of the inventory transactions' },
  );
  return { adjustmentTransactions: (body.adjustmentTransactions ?? []) as CwAdjustmentTransaction[], inventoryTransfers: (body.inventoryTransfers ?? []) as CwInventoryTransfer[] };
}

/**
 * The export's adjustment names its ConnectWise adjustment only in words (its
 * details' memo, the end of its description): the identifier, by which the
 * adjustment (with each detail's warehouse) is read.
 */
export function adjustmentIdentifierOf(tx: CwAdjustmentTransaction): string | undefined {
  const memo = tx.adjustmentDetail?.find((d) => d.memo?.trim())?.memo?.trim();
  if (memo) return memo;
  const m = /:\s*(\S+)\s*$/.exec(tx.adjustmentDescription ?? '');
  return m?.[1];
}

/** ConnectWise's adjustments by identifier (each detail's warehouse, which the export does not name). */
export async function readAdjustments(cw: CwClient, identifiers: readonly string[]): Promise<CwProcurementAdjustment[]> {
  const unique = [...new Set(identifiers.filter(Boolean))];
  const out: CwProcurementAdjustment[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const names = unique.slice(i, i + IDS_PER_QUERY).map((s) => `"${s.replace(/["\\]/g, '')}"`);
    out.push(...((await cw.list('procurement/adjustments', adjustmentSchema, { query: { conditions: `identifier in (${names.join(',')})` }, maxPages: 5 })) as CwProcurementAdjustment[]));
  }
  return out;
}

/** One adjustment or transfer as the journal it makes. In memory only. */
export interface InventoryJournalPrep {
  /** `adj-{GL entry}` / `xfer-{GL entry}`. */
  recordId: string;
  glEntryId: number;
  journalKind: Exclude<JournalKind, 'costOfSale'>;
  unposted: CwUnpostedProcurement;
  /** What ConnectWise calls it ("Write-off: ADJ-0001", "Transfer 1"). */
  title: string;
  mapping: JournalMappingResult;
  prepared: PreparedRecord;
}

/**
 * Pure: the journals of these unposted adjustments and transfers, from their
 * export, for one organisation. An unposted row the export does not hold
 * (posted or changed since it was listed) makes nothing.
 */
export function mapInventoryJournals(args: {
  unposted: readonly CwUnpostedProcurement[];
  exp: InventoryExport;
  adjustments: readonly CwProcurementAdjustment[];
  settings: Pick<TenantSettings, 'procurement' | 'invoiceMapping'>;
  warehouses: readonly WarehouseRef[];
  xeroTenantId: string;
  facts: Pick<OrgFacts, 'refs'>;
}): InventoryJournalPrep[] {
  const ctx0 = { settings: args.settings.procurement, accountMap: args.settings.invoiceMapping.accountMap, warehouses: args.warehouses, xeroRefs: args.facts.refs };
  const rules = trackingRulesFor(args.settings.invoiceMapping, args.xeroTenantId);
  const out: InventoryJournalPrep[] = [];
  for (const u of [...args.unposted].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
    const ctx = { ...ctx0, tracking: { rules, sources: { location: u.locationId, department: u.departmentId } } };
    const id = String(u.id);
    const entry = u.unpostedProductId || id;
    let journalKind: InventoryJournalPrep['journalKind'];
    let mapping: JournalMappingResult;
    let title: string;
    if (u.procurementType === 'Adjustment') {
      const tx = args.exp.adjustmentTransactions.find((t) => t.id === entry || t.id === id);
      if (!tx) continue;
      const identifier = adjustmentIdentifierOf(tx);
      const adjustment = identifier ? args.adjustments.find((a) => a.identifier === identifier) : undefined;
      journalKind = 'adjustment';
      mapping = mapAdjustmentJournal({ ...ctx, transaction: tx, ...(adjustment ? { adjustment } : {}) });
      title = tx.adjustmentDescription?.trim() || `Adjustment ${identifier ?? id}`;
    } else if (u.procurementType === 'Transfer') {
      const t = args.exp.inventoryTransfers.find((x) => x.id === entry || x.id === id);
      if (!t) continue;
      journalKind = 'transfer';
      mapping = mapTransferJournal({ ...ctx, transfer: t });
      title = `Transfer ${t.transferId ?? id}${t.item?.identifier ? `: ${t.item.identifier} × ${t.quantity ?? ''}` : ''}`.trim();
    } else continue;
    const recordId = journalRecordId(journalKind, id);
    out.push({ recordId, glEntryId: u.id!, journalKind, unposted: u, title, mapping, prepared: toPreparedJournal(mapping, { cwRecordId: recordId, xeroTenantId: args.xeroTenantId, currency: args.facts.refs.baseCurrency }) });
  }
  return out;
}

/** Reads what the journals of these unposted rows need (their export, adjustments, warehouses) and maps them. */
export async function prepareInventoryJournals(
  args: { cw: CwClient; unposted: readonly CwUnpostedProcurement[]; settings: TenantSettings; xeroTenantId: string; facts: Pick<OrgFacts, 'refs'>; warehouses?: readonly WarehouseRef[] },
): Promise<InventoryJournalPrep[]> {
  const unposted = args.unposted.filter((u) => (JOURNAL_PROCUREMENT_TYPES as readonly string[]).includes(u.procurementType ?? ''));
  if (unposted.length === 0) return [];
  const [exp, warehouses] = await Promise.all([exportInventory(args.cw, unposted), args.warehouses ? Promise.resolve(args.warehouses) : readWarehouses(args.cw)]);
  const identifiers = exp.adjustmentTransactions.map(adjustmentIdentifierOf).filter((x): x is string => !!x);
  const adjustments = identifiers.length ? await readAdjustments(args.cw, identifiers) : [];
  return mapInventoryJournals({ unposted, exp, adjustments, settings: args.settings, warehouses, xeroTenantId: args.xeroTenantId, facts: args.facts });
}
