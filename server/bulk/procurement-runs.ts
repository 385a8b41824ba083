// The batch pod's Purchase orders tab (issue 11): ConnectWise's unposted
// procurement — purchase orders whose receipts become Xero bills (one per
// packing slip with part shipments: prepare-purchase.ts, the PO pod's own
// preparation) and adjustments and transfers that become manual journals
// (prepare-inventory.ts) — each with its readiness, and runs of them through
// the same run tables, job engine and engine as invoice and expense runs. A
// run's item is one purchase order (`po:{id}`, all the bills it makes now) or
// one inventory transaction (`adj-{GL entry}` / `xfer-{GL entry}`, its
// journal); its step is procurement-step.ts.
import type { AppDeps } from '../deps.js';
import type { CwClient } from '../cw/client.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { Dec, ZERO, fromCw, sum, toFixed } from '../domain/money.js';
import { PROCUREMENT_WHERE, type WarehouseRef } from '../domain/warehouse-accounts.js';
import { inventoryJournalKind, kindEntry, purchaseBillKind } from '../engine/kinds.js';
import { Ledger, type LedgerRow } from '../engine/ledger.js';
import type { OrgFacts } from '../engine/org-facts.js';
import type { PreparedRecord } from '../engine/ports.js';
import type { Problem } from '../engine/problems.js';
import { WHERE } from '../engine/where.js';
import { ApiError } from '../http/errors.js';
import type { Session } from '../session.js';
import { loadTenantSettings, type TenantSettings } from '../settings.js';
import { locationResolver } from '../xero/location-map.js';
import { type CwUnpostedProcurement, readUnpostedPurchases, readWarehouses } from '../procurement/cw-procurement-source.js';
import { parseJournalRecordId } from '../procurement/inventory-records.js';
import { prepareInventoryJournals, readUnpostedInventory, type InventoryJournalPrep } from '../procurement/prepare-inventory.js';
import { preparePurchaseBills, purchaseLocationOf, type PurchaseOrderBills } from '../procurement/prepare-purchase.js';
import { mayPush, requirePusherNow, whoCanPush } from '../permission.js';
import type { BatchProcurementReadiness, BatchProcurementRow, BatchProcurementRunRequest, BatchProcurementResponse } from '../../shared/procurement-batch-api.js';
import type { BatchRunDocument } from './expense-runs.js';
import { enqueueRun, factsOrProblem, notBookable } from './service.js';
import { RunStore, type ItemRow, type NewRunItem, type RunRow } from './run-store.js';

/** A purchase order's key in the tab and a run: `po:{id}`. */
export const purchaseOrderKey = (poId: number): string => `po:${poId}`;

/** What a key names: a purchase order, or an inventory transaction's journal (its record id). */
export function parseProcurementKey(key: string): { poId: number } | { recordId: string; glEntryId: number } | undefined {
  const po = /^po:([0-9]+)$/.exec(key);
  if (po) return { poId: Number(po[1]) };
  const j = parseJournalRecordId(key);
  return j && j.kind !== 'costOfSale' ? { recordId: key, glEntryId: Number(j.id) } : undefined;
}

/** One row of the tab, one item of a run. */
export interface ProcurementUnit {
  key: string;
  kind: BatchProcurementRow['kind'];
  /** Its unposted GL entries, lowest first. */
  unposted: CwUnpostedProcurement[];
  poId?: number;
}

/** ConnectWise's unposted procurement as the tab's rows: one per purchase order, one per adjustment or transfer. */
export function procurementUnits(purchases: readonly CwUnpostedProcurement[], inventory: readonly CwUnpostedProcurement[]): ProcurementUnit[] {
  const byPo = new Map<number, CwUnpostedProcurement[]>();
  for (const u of purchases) {
    const poId = u.purchaseOrder?.id;
    if (poId == null) continue; // a receipt that names no PO cannot be billed by one
    byPo.set(poId, [...(byPo.get(poId) ?? []), u]);
  }
  const byId = (a: CwUnpostedProcurement, b: CwUnpostedProcurement) => (a.id ?? 0) - (b.id ?? 0);
  const units: ProcurementUnit[] = [...byPo.entries()].map(([poId, rows]) => ({ key: purchaseOrderKey(poId), kind: 'purchaseOrder', poId, unposted: [...rows].sort(byId) }));
  for (const u of inventory) {
    const kind = u.procurementType === 'Adjustment' ? 'adjustment' : u.procurementType === 'Transfer' ? 'transfer' : undefined;
    if (!kind || u.id == null) continue;
    units.push({ key: `${kind === 'adjustment' ? 'adj' : 'xfer'}-${u.id}`, kind, unposted: [u] });
  }
  return units.sort((a, b) => byId(a.unposted[0]!, b.unposted[0]!));
}

/** The unposted procurement of these keys (POs by id, journals by GL entry), or all of it. */
export async function readUnpostedProcurement(cw: CwClient, keys?: readonly string[]): Promise<ProcurementUnit[]> {
  if (!keys) {
    const [purchases, inventory] = await Promise.all([readUnpostedPurchases(cw), readUnpostedInventory(cw)]);
    return procurementUnits(purchases, inventory);
  }
  const parsed = keys.map(parseProcurementKey);
  const poIds = parsed.flatMap((p) => (p && 'poId' in p ? [p.poId] : []));
  const glEntryIds = parsed.flatMap((p) => (p && 'glEntryId' in p ? [p.glEntryId] : []));
  const [purchases, inventory] = await Promise.all([poIds.length ? readUnpostedPurchases(cw, poIds) : [], glEntryIds.length ? readUnpostedInventory(cw, glEntryIds) : []]);
  const wanted = new Set(keys);
  return procurementUnits(purchases, inventory).filter((u) => wanted.has(u.key));
}

/** The location a row books by: a PO's first unposted receipt's, an inventory transaction's own. */
export function unitLocation(unit: ProcurementUnit): number | undefined {
  return unit.kind === 'purchaseOrder' ? purchaseLocationOf(unit.unposted, {}) : unit.unposted[0]?.locationId ?? undefined;
}

/** ConnectWise's export holds none of the row's unposted GL entries (posted or changed since they were listed). */
export const EXPORT_EMPTY: Problem = {
  code: 'procurement-export-empty',
  message: "ConnectWise's export holds none of this record's unposted GL entries (posted or changed since they were listed); refresh the list.",
  where: WHERE.cwBatches,
};

/** ConnectWise no longer lists it as unposted: the same sentence as invoice and expense runs. */
export const NOT_UNPOSTED: Problem = {
  code: 'cw_not_unposted',
  message: 'ConnectWise no longer lists this record as unposted (it was posted or deleted since the list was read).',
  where: WHERE.cwBatches,
};

export interface UnitPrep {
  unit: ProcurementUnit;
  readiness: BatchProcurementReadiness;
  problem: Problem | null;
  /** The problem's words come from the mapping or ConnectWise's data (amounts, names): a run row keeps only its code and a fixed sentence. */
  problemFromMapping?: boolean;
  xeroTenantId: string | null;
  /** The engine's records it makes now (a PO's bills, a journal). */
  records: PreparedRecord[];
  bills?: PurchaseOrderBills;
  journal?: InventoryJournalPrep;
}

/** A PO billed whole waits for its open lines (part shipments off): said as the PO pod says it. */
function waitingProblem(lines: readonly number[]): Problem {
  return {
    code: 'po-lines-waiting',
    message: `Billed with the whole purchase order once line${lines.length > 1 ? 's' : ''} ${lines.join(', ')} ${lines.length > 1 ? 'are' : 'is'} received or cancelled (part shipments are off).`,
    where: PROCUREMENT_WHERE.cwPurchaseOrder,
  };
}

const inXero = (row: LedgerRow | undefined, p: PreparedRecord) => row?.state === 'synced' && row.content_hash === p.contentHash;

function purchaseReadiness(b: PurchaseOrderBills | undefined): Pick<UnitPrep, 'readiness' | 'problem' | 'problemFromMapping'> {
  if (!b) return { readiness: 'needs_attention', problem: EXPORT_EMPTY };
  const blocked = b.bills.find((x) => x.prepared.problems.length);
  if (b.problems[0]) return { readiness: 'needs_attention', problem: b.problems[0], problemFromMapping: true };
  if (blocked) return { readiness: 'needs_attention', problem: blocked.prepared.problems[0]!, problemFromMapping: true };
  if (b.bills.length === 0 && b.plan.waitingLines.length) return { readiness: 'held', problem: waitingProblem(b.plan.waitingLines) };
  // Every receipt is on a bill of ours already, or each bill is in Xero as it is now.
  if (b.bills.every((x) => inXero(b.rows.find((r) => r.cw_record_id === x.recordId), x.prepared))) return { readiness: 'synced', problem: null };
  return { readiness: 'ready', problem: null };
}

/**
 * Each row's readiness and records, decided as its own screen decides it: the
 * location map, the organisation's facts, then the PO's bill plan and
 * mappings (one preparation per organisation) or the journal's mapping.
 */
export async function prepareUnits(
  deps: AppDeps,
  tenantId: string,
  args: { cw: CwClient; units: readonly ProcurementUnit[]; settings: TenantSettings; facts: (xeroTenantId: string) => Promise<OrgFacts | Problem>; warehouses?: readonly WarehouseRef[] },
): Promise<Map<string, UnitPrep>> {
  const out = new Map<string, UnitPrep>();
  const resolve = await locationResolver(deps, tenantId);
  const byOrg = new Map<string, ProcurementUnit[]>();
  for (const unit of args.units) {
    const org = resolve(unitLocation(unit));
    if (!org.ok) out.set(unit.key, { unit, readiness: 'needs_attention', problem: org.problem, xeroTenantId: null, records: [] });
    else byOrg.set(org.xeroTenantId, [...(byOrg.get(org.xeroTenantId) ?? []), unit]);
  }
  if (byOrg.size === 0) return out;
  const warehouses = args.warehouses ?? (await readWarehouses(args.cw));
  const ledger = new Ledger(deps.db, deps.now);
  for (const [xeroTenantId, units] of byOrg) {
    const facts = await args.facts(xeroTenantId);
    if ('code' in facts) {
      for (const unit of units) out.set(unit.key, { unit, readiness: 'needs_attention', problem: facts, xeroTenantId, records: [] });
      continue;
    }
    const purchases = units.filter((u) => u.kind === 'purchaseOrder');
    const inventory = units.filter((u) => u.kind !== 'purchaseOrder');
    const pos = purchases.length ? await preparePurchaseBills(deps, tenantId, { cw: args.cw, unposted: purchases.flatMap((u) => u.unposted), settings: args.settings, xeroTenantId, facts, warehouses }) : [];
    const journals = inventory.length ? await prepareInventoryJournals({ cw: args.cw, unposted: inventory.flatMap((u) => u.unposted), settings: args.settings, xeroTenantId, facts, warehouses }) : [];
    const rows = new Map((journals.length ? await ledger.list(tenantId, inventoryJournalKind.recordKind, journals.map((j) => j.recordId)) : []).map((r) => [r.cw_record_id, r] as const));
    for (const unit of purchases) {
      const bills = pos.find((p) => p.purchaseOrder.id === unit.poId);
      out.set(unit.key, { unit, ...purchaseReadiness(bills), xeroTenantId, records: bills?.bills.map((b) => b.prepared) ?? [], ...(bills ? { bills } : {}) });
    }
    for (const unit of inventory) {
      const journal = journals.find((j) => j.recordId === unit.key);
      if (!journal) {
        out.set(unit.key, { unit, readiness: 'needs_attention', problem: EXPORT_EMPTY, xeroTenantId, records: [] });
        continue;
      }
      const blocked = journal.prepared.problems[0];
      const [readiness, problem]: [BatchProcurementReadiness, Problem | null] = blocked ? ['needs_attention', blocked] : inXero(rows.get(journal.recordId), journal.prepared) ? ['synced', null] : ['ready', null];
      out.set(unit.key, { unit, readiness, problem, ...(blocked ? { problemFromMapping: true } : {}), xeroTenantId, records: [journal.prepared], journal });
    }
  }
  return out;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function toRow(p: UnitPrep): BatchProcurementRow {
  const { unit } = p;
  const first = unit.unposted[0]!;
  const base = { key: unit.key, kind: unit.kind, glEntryId: first.id!, entryCount: unit.unposted.length, documents: p.records.length, readiness: p.readiness, problem: p.problem ? { code: p.problem.code, message: p.problem.message, ...(p.problem.where ? { where: p.problem.where } : {}) } : null };
  if (unit.kind === 'purchaseOrder') {
    const bills = p.bills?.bills ?? [];
    const slips = [...new Set(bills.flatMap((b) => b.plan.packingSlips).filter(Boolean))];
    // What goes to Xero (the bills' totals) once mapped; else ConnectWise's figures for the receipts.
    const cwTotal = sum(unit.unposted.map((u) => [u.total, u.taxTotal, u.freightCost, u.freightTaxTotal].reduce<Dec>((t, v) => t.plus(fromCw(v ?? 0)), ZERO)));
    const total = bills.length ? sum(bills.map((b) => fromCw(Number(b.mapping.totals.xeroTotal)))) : cwTotal;
    return {
      ...base,
      title: `PO ${unit.unposted[0]!.purchaseOrder?.name ?? unit.poId}`,
      party: p.bills?.vendor?.company.name ?? first.vendor?.name ?? '',
      date: (first.purchaseDate ?? first.dateClosed ?? '').slice(0, 10) || null,
      detail: `${plural(unit.unposted.length, 'receipt')}${slips.length ? ` on packing slip${slips.length > 1 ? 's' : ''} ${slips.join(', ')}` : ''} → ${bills.length ? plural(bills.length, 'Xero bill') : 'no bill yet'}`,
      total: toFixed(total),
      currency: bills[0]?.prepared.currency ?? first.currency?.currencyCode ?? '',
    };
  }
  const j = p.journal;
  const accounts = j ? [...new Set(j.mapping.lines.map((l) => l.accountCode).filter(Boolean))].join(' ↔ ') : '';
  return {
    ...base,
    title: j?.title ?? first.description ?? unit.key,
    party: unit.kind === 'adjustment' ? 'Inventory adjustment' : 'Warehouse transfer',
    date: j?.mapping.document.Date || (first.purchaseDate ?? '').slice(0, 10) || null,
    detail: j ? `Manual journal${accounts ? ` on ${accounts}` : ''}` : 'Manual journal',
    total: j?.mapping.totals.debits ?? toFixed(fromCw(first.total ?? 0).abs()),
    currency: j?.prepared.currency ?? first.currency?.currencyCode ?? '',
  };
}

/** GET /api/batch/procurement: every unposted purchase order and inventory transaction with its readiness. */
export async function listUnpostedProcurement(deps: AppDeps, session: Pick<Session, 'tenantId' | 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>): Promise<BatchProcurementResponse> {
  const cw = await cwClientForTenant(deps, session.tenantId);
  const [units, settings] = await Promise.all([readUnpostedProcurement(cw), loadTenantSettings(deps.db, session.tenantId)]);
  const prepared = await prepareUnits(deps, session.tenantId, { cw, units, settings, facts: (org) => factsOrProblem(deps, session.tenantId, org) });
  const items = units.map((u) => toRow(prepared.get(u.key)!));
  return { items, total: items.length, mayRun: mayPush(settings, session), whoCanRun: mayPush(settings, session) ? null : whoCanPush(settings) };
}

/**
 * Starts a run over the selected rows, or every ready one. Only rows with
 * unposted GL entries in ConnectWise count; one held or needing attention
 * selected anyway is reported so by its step, not pushed.
 */
export async function startProcurementRun(deps: AppDeps, session: Pick<Session, 'tenantId' | 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>, input: Omit<BatchProcurementRunRequest, 'kind'>): Promise<RunRow> {
  await requirePusherNow(deps, session);
  const tenantId = session.tenantId;
  const cw = await cwClientForTenant(deps, tenantId);
  let chosen: ProcurementUnit[];
  if (input.all) {
    const [units, settings] = await Promise.all([readUnpostedProcurement(cw), loadTenantSettings(deps.db, tenantId)]);
    const prepared = await prepareUnits(deps, tenantId, { cw, units, settings, facts: (org) => factsOrProblem(deps, tenantId, org) });
    chosen = units.filter((u) => prepared.get(u.key)?.readiness === 'ready');
    if (chosen.length === 0) throw new ApiError(400, 'nothing_selected', 'all: no unposted purchase order or inventory transaction is ready to sync.', 'all');
  } else {
    const keys = [...new Set(input.keys ?? [])];
    chosen = await readUnpostedProcurement(cw, keys);
    const found = new Set(chosen.map((u) => u.key));
    const missing = keys.filter((k) => !found.has(k));
    if (missing.length) throw new ApiError(409, 'not_unposted', `keys: ${missing.length} of the selected records have nothing unposted in ConnectWise (e.g. ${missing[0]}); refresh the list.`, 'keys');
  }
  const resolve = await locationResolver(deps, tenantId);
  const items: NewRunItem[] = [];
  const whyNot = new Map<string, Problem & { where: string }>();
  for (const unit of chosen) {
    const org = resolve(unitLocation(unit));
    items.push({ cwRecordId: unit.key, glEntryId: String(unit.unposted[0]!.id), xeroTenantId: org.ok ? org.xeroTenantId : '' });
    if (!org.ok) whyNot.set(unit.key, org.problem);
  }
  const store = new RunStore(deps.db, deps.now);
  const run = await store.create(tenantId, session.memberIdentifier, 'record', items, 'procurement');
  for (const item of await store.itemsInState(run.id, '', 'pending')) await notBookable(store, run.id, item, whyNot.get(item.cw_record_id)!);
  await enqueueRun(deps, run.id, tenantId);
  return run;
}

/** "Retry failed" of rows whose location was not mapped when the run started: mapped now, else they keep the reason. */
export async function remapProcurementItems(deps: AppDeps, tenantId: string, runId: string, unmapped: ItemRow[]): Promise<void> {
  const store = new RunStore(deps.db, deps.now);
  const units = await readUnpostedProcurement(await cwClientForTenant(deps, tenantId), unmapped.map((u) => u.cw_record_id));
  const resolve = await locationResolver(deps, tenantId);
  for (const item of unmapped) {
    const unit = units.find((u) => u.key === item.cw_record_id);
    if (!unit) {
      await store.updateItem(runId, item.seq, { state: 'needs_attention', error_code: NOT_UNPOSTED.code, error_message: NOT_UNPOSTED.message, where_to_fix: NOT_UNPOSTED.where! });
      continue;
    }
    const org = resolve(unitLocation(unit));
    if (org.ok) await store.setItemOrg(runId, item.seq, org.xeroTenantId);
    else await notBookable(store, runId, item, org.problem);
  }
}

/**
 * The Xero documents of a procurement run's items, each linked by its kind (a
 * bill, a manual journal). An item keeps every document's id, comma-separated
 * (procurement-step.ts); the numbers come from the ledger.
 */
export async function procurementRunDocuments(deps: AppDeps, tenantId: string, items: ItemRow[]): Promise<Map<number, BatchRunDocument[]>> {
  const idsOf = (i: ItemRow) => (i.xero_document_id ?? '').split(',').filter(Boolean);
  const ids = [...new Set(items.flatMap(idsOf))];
  const ledger = new Ledger(deps.db, deps.now);
  const rows = new Map([...(await ledger.byXeroDocuments(tenantId, purchaseBillKind.recordKind, ids)), ...(await ledger.byXeroDocuments(tenantId, inventoryJournalKind.recordKind, ids))].map((r) => [r.xero_document_id!, r] as const));
  const storedNumbers = (i: ItemRow) => (i.xero_number ?? '').split(', ');
  return new Map(
    items.map((i) => [
      i.seq,
      idsOf(i).map((id, n) => {
        const row = rows.get(id);
        const kind = kindEntry(row?.document_kind ?? (i.cw_record_id.startsWith('po:') ? purchaseBillKind.name : inventoryJournalKind.name));
        return { documentId: id, number: row?.xero_number ?? storedNumbers(i)[n] ?? '', url: kind.xero.url(deps.config.xero.appUrl, id) };
      }),
    ]),
  );
}

/** "Retry failed" and "Cancel" of a procurement run are for members who may push purchase orders. */
export async function requireProcurementRunControl(deps: AppDeps, session: Pick<Session, 'tenantId' | 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>, runId: string): Promise<void> {
  const run = await new RunStore(deps.db, deps.now).get(session.tenantId, runId);
  if (run?.record_kind === 'procurement') await requirePusherNow(deps, session);
}
