// ConnectWise purchase orders → the engine's records: one per Xero bill. Reads
// ConnectWise (cw-procurement-source.ts), decides which bills each PO makes now
// (planBills: one per packing slip with part shipments, else one per PO once
// every line is received or its rest cancelled) and maps each (mapPurchase).
//
//   record id   the plan's key, ids only: "po:{poId}:ps:{lowest receipt GL id}"
//               (a packing slip's bill) or "po:{poId}:all:{lowest receipt GL id}"
//               (the whole PO's); every bill of a PO starts "po:{poId}:"
//   contact     the vendor's ConnectWise company id, as invoices use the
//               customer's: a company that is both customer and vendor is ONE
//               Xero contact (Xero's contacts are customers and suppliers at once)
//   number      the vendor's invoice number; without one, "PO {number} / {packing
//               slips}" — a bill needs a number for the engine to find it after a
//               lost answer (numbers may repeat among bills: contact, date and
//               total decide)
//
// A receipt already on one of our bills is never billed again: the ledger rows
// of "po:{poId}:" hold the GL entry ids each bill holds. A bill of ours still
// waiting for its ConnectWise batch is pushed again under its own key; if
// ConnectWise's receipts no longer make that bill (a setting changed, a packing
// slip split), its receipts stay out of every new bill and a person looks.
// The purchase-order pod (one PO) and the batch pod's runs (many) both come here.
import type { AppDeps } from '../deps.js';
import type { CwClient } from '../cw/client.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { contentHash } from '../domain/content-hash.js';
import { type BillPlan, type PlannedBill, type PurchaseMappingResult, mapPurchase, mapSupplierContact, planBills } from '../domain/purchase-mapping.js';
import type { CwGLExportVendor, CwPurchaseOrderLineItem, CwPurchaseTransaction } from '../domain/purchase-mapping.js';
import { PROCUREMENT_WHERE, type WarehouseRef } from '../domain/warehouse-accounts.js';
import type { XeroBillPayload } from '../domain/xero-wire.js';
import { purchaseBillKind } from '../engine/kinds.js';
import { Ledger, type LedgerRow } from '../engine/ledger.js';
import type { OrgFacts } from '../engine/org-facts.js';
import type { PreparedRecord } from '../engine/ports.js';
import { blockingProblems, type Problem } from '../engine/problems.js';
import { loadTenantSettings, type TenantSettings } from '../settings.js';
import { bookingOrganisation } from '../sync/booking-organisation.js';
import { trackingRulesFor } from '../domain/tracking-mapping.js';
import {
  type CwUnpostedProcurement,
  type PurchaseOrderRecord,
  type VendorRecords,
  exportPurchases,
  purchaseOrderIdOf,
  readLineItems,
  readPurchaseOrder,
  readPurchaseOrders,
  readUnpostedPurchases,
  readVendor,
  readWarehouses,
} from './cw-procurement-source.js';

export type { CwUnpostedProcurement, PurchaseOrderRecord, VendorRecords } from './cw-procurement-source.js';

/** Every bill record of a PO starts with this (the ledger's prefix). */
export const purchaseBillPrefix = (poId: number): string => `po:${poId}:`;

/** The PO a bill record belongs to, from its record id. */
export function purchaseOrderIdOfRecord(recordId: string): number | undefined {
  const m = /^po:(\d+):/.exec(recordId);
  return m ? Number(m[1]) : undefined;
}

/** One bill a PO makes now, with the mapping's figures for the preview. In memory only. */
export interface PurchaseBillPrep {
  /** The ledger's record id: the plan's key. */
  recordId: string;
  purchaseOrderId: number;
  plan: PlannedBill;
  mapping: PurchaseMappingResult;
  prepared: PreparedRecord;
}

/** What one PO makes now, and why not more. */
export interface PurchaseOrderBills {
  purchaseOrder: PurchaseOrderRecord;
  lineItems: CwPurchaseOrderLineItem[];
  vendor: VendorRecords | null;
  /** The PO's unposted receipts (GL entries) as ConnectWise lists them. */
  unposted: CwUnpostedProcurement[];
  /** The PO's purchase transactions in the export: one per packing slip still unposted. */
  transactions: CwPurchaseTransaction[];
  plan: BillPlan;
  bills: PurchaseBillPrep[];
  /** Our ledger rows of the PO's bills, pushed or not. */
  rows: LedgerRow[];
  /** Problems of the PO as a whole (a packing slip part billed, a bill of ours ConnectWise no longer matches). */
  problems: Problem[];
}

/** The engine's record for one mapped bill. */
export function toPreparedPurchase(args: {
  mapping: PurchaseMappingResult;
  recordId: string;
  vendor: VendorRecords;
  exportVendor?: CwGLExportVendor | undefined;
  settings: TenantSettings;
  xeroTenantId: string;
  extraProblems?: Problem[];
}): PreparedRecord {
  const { mapping, vendor, settings } = args;
  const contactInput = {
    company: vendor.company,
    ...(args.exportVendor ? { vendor: args.exportVendor } : {}),
    ...(vendor.billingContact ? { billingContact: vendor.billingContact } : {}),
    ...(vendor.primaryContact ? { primaryContact: vendor.primaryContact } : {}),
    contactAccountNumber: settings.invoiceMapping.contactAccountNumber,
  };
  const contact = mapSupplierContact(contactInput);
  const accountNumber = args.exportVendor?.accountNumber || vendor.company.accountNumber || undefined;
  const document = mapping.document;
  return {
    kind: purchaseBillKind,
    cwRecordId: args.recordId,
    number: document.InvoiceNumber ?? '',
    glEntryIds: mapping.glEntryIds,
    xeroTenantId: args.xeroTenantId,
    contentHash: mapping.contentHash,
    problems: [...blockingProblems(mapping.problems, contact.problems), ...(args.extraProblems ?? [])],
    unitdp: mapping.unitdp,
    total: mapping.totals.xeroTotal,
    currency: document.CurrencyCode,
    contact: {
      // The vendor's company id, as an invoice's customer: one ConnectWise company is one Xero contact.
      cwCompanyId: String(vendor.company.id),
      match: { identifier: vendor.company.identifier, name: vendor.company.name ?? '', ...(accountNumber ? { accountNumber } : {}) },
      map: (existing) => mapSupplierContact({ ...contactInput, ...(existing ? { existing } : {}) }),
    },
    document,
    itemsToCreate: [],
    allocations: [],
  };
}

const NUMBER_MAX = 255;

/**
 * A bill the vendor gave no invoice number: it carries the PO and its packing
 * slips as its number, so the engine can find it after a lost answer. The
 * mapping's warning says so.
 */
function withBillNumber(mapping: PurchaseMappingResult, po: PurchaseOrderRecord, packingSlips: readonly string[]): PurchaseMappingResult {
  if (mapping.document.InvoiceNumber) return mapping;
  const slips = packingSlips.filter(Boolean).join(', ');
  const number = `PO ${po.poNumber ?? po.id}${slips ? ` / ${slips}` : ''}`.slice(0, NUMBER_MAX);
  const document: XeroBillPayload = { ...mapping.document, InvoiceNumber: number };
  return {
    ...mapping,
    document,
    contentHash: contentHash(document),
    problems: mapping.problems.map((p) =>
      p.code === 'vendor-invoice-missing' ? { ...p, message: `The purchase order has no vendor invoice number; the bill carries "${number}" as its number until the vendor's is entered in ConnectWise.` } : p,
    ),
  };
}

/** One bill's mapping: a packing slip's purchase transaction (or a PO's merged) with the tenant's settings. */
export function mapPurchaseBill(args: {
  transaction: CwPurchaseTransaction;
  packingSlips: readonly string[];
  exportVendor?: CwGLExportVendor | undefined;
  vendor: VendorRecords;
  purchaseOrder: PurchaseOrderRecord;
  settings: TenantSettings;
  warehouses: readonly WarehouseRef[];
  facts: OrgFacts;
  /** The organisation the bill books into (its tracking rules). */
  xeroTenantId?: string | undefined;
}): PurchaseMappingResult {
  const mapping = mapPurchase({
    transaction: args.transaction,
    ...(args.exportVendor ? { vendor: args.exportVendor } : {}),
    company: args.vendor.company,
    purchaseOrder: args.purchaseOrder,
    settings: args.settings.procurement,
    accountMap: args.settings.invoiceMapping.accountMap,
    warehouses: args.warehouses,
    xeroRefs: args.facts.refs,
    tracking: {
      rules: trackingRulesFor(args.settings.invoiceMapping, args.xeroTenantId),
      sources: { location: args.purchaseOrder.locationId, department: args.purchaseOrder.businessUnitId },
    },
  });
  return withBillNumber(mapping, args.purchaseOrder, args.packingSlips);
}

/** GL entry ids a ledger row's bill holds. */
const idsOf = (r: LedgerRow): string[] => (r.gl_entry_ids ?? '').split(',').filter(Boolean);

/** A row whose bill may be in Xero: created, or a create sent whose answer may have been lost. */
const mayBeInXero = (r: LedgerRow): boolean => !!r.xero_document_id || !!r.create_key;

/**
 * Which bills a PO makes now. Receipts on a bill of ours already posted, or on
 * a bill of ours that the plan no longer makes, are billed: left out.
 */
export function planPurchaseOrder(args: {
  purchaseOrderId: number;
  lineItems: readonly CwPurchaseOrderLineItem[];
  transactions: readonly CwPurchaseTransaction[];
  partShipments: boolean;
  rows: readonly LedgerRow[];
}): { plan: BillPlan; problems: Problem[] } {
  const base = { purchaseOrderId: args.purchaseOrderId, lineItems: args.lineItems, transactions: args.transactions, partShipments: args.partShipments };
  const billed = new Set(args.rows.filter((r) => r.state === 'synced').flatMap(idsOf));
  let plan = planBills({ ...base, billedReceiptIds: billed });
  const keys = new Set(plan.bills.map((b) => b.key));
  // A bill of ours not finished in ConnectWise that this plan would not make again: its receipts are on it already.
  const orphaned = args.rows.filter((r) => r.state !== 'synced' && mayBeInXero(r) && !keys.has(r.cw_record_id));
  if (orphaned.length) {
    for (const r of orphaned) for (const id of idsOf(r)) billed.add(id);
    plan = planBills({ ...base, billedReceiptIds: billed });
  }
  const problems: Problem[] = [];
  for (const p of plan.partlyBilled) {
    problems.push({
      code: 'receipts-partly-billed',
      message: `Packing slip ${p.packingSlip || '(none)'} is partly on a Xero bill already (GL entries ${p.billed.join(', ')}) and partly not (${p.unbilled.join(', ')}); CW–Xero Sync does not guess which lines to bill. Check the bill in Xero and the receipts in ConnectWise.`,
      where: PROCUREMENT_WHERE.cwPurchaseOrder,
    });
  }
  const stillUnposted = new Set(args.transactions.flatMap((t) => (t.purchaseDetail ?? []).map((d) => String(d.id))));
  for (const r of orphaned) {
    if (plan.partlyBilled.length || !idsOf(r).some((id) => stillUnposted.has(id))) continue;
    problems.push({
      code: 'receipts-changed-since-bill',
      message: `A Xero bill of CW–Xero Sync already holds GL entries ${idsOf(r).join(', ')} of this purchase order, but ConnectWise's receipts no longer make that bill (a setting or a packing slip changed); they are not billed again. Check the bill in Xero, then post the receipts in ConnectWise.`,
      where: PROCUREMENT_WHERE.cwPurchaseOrder,
    });
  }
  return { plan, problems };
}

/**
 * The bills of these purchase orders' unposted receipts (one PO's, or a run's),
 * mapped for one Xero organisation. Give `poIds` (their unposted receipts are
 * read) or `unposted` (rows of finance/accounting/unpostedprocurement already
 * read; their POs are the ones billed). POs, line items, vendors and warehouses
 * are read unless given.
 */
export async function preparePurchaseBills(
  deps: AppDeps,
  tenantId: string,
  args: {
    cw: CwClient;
    poIds?: readonly number[];
    unposted?: readonly CwUnpostedProcurement[];
    purchaseOrders?: readonly PurchaseOrderRecord[];
    settings: TenantSettings;
    xeroTenantId: string;
    facts: OrgFacts;
    warehouses?: readonly WarehouseRef[];
  },
): Promise<PurchaseOrderBills[]> {
  const { cw, settings } = args;
  const unposted = (args.unposted ? [...args.unposted] : await readUnpostedPurchases(cw, args.poIds ?? [])).filter((u) => (u.procurementType ?? 'Purchase') === 'Purchase');
  const poIds = [...new Set([...(args.poIds ?? []), ...unposted.map((u) => u.purchaseOrder?.id).filter((id): id is number => id != null)])];
  if (poIds.length === 0) return [];
  const given = new Map((args.purchaseOrders ?? []).map((po) => [po.id, po] as const));
  const missing = poIds.filter((id) => !given.has(id));
  const read = missing.length === 1 ? [await readPurchaseOrder(cw, missing[0]!)] : missing.length ? await readPurchaseOrders(cw, missing) : [];
  for (const po of read) given.set(po.id, po);
  const warehouses = args.warehouses ?? (await readWarehouses(cw));
  const ids = unposted.map((u) => u.id!).sort((a, b) => a - b);
  const exp = unposted.length ? await exportPurchases(cw, unposted, `cwxs-po-preview-${contentHash(ids).slice(0, 12)}`) : { purchaseTransactions: [], vendors: [] };
  const ledgerRows = await new Ledger(deps.db, deps.now).listByPrefixes(tenantId, 'purchase', poIds.map(purchaseBillPrefix));
  const vendors = new Map<number, Promise<VendorRecords>>();
  const vendorOf = (id: number) => vendors.get(id) ?? (vendors.set(id, readVendor(cw, id)), vendors.get(id)!);

  const out: PurchaseOrderBills[] = [];
  for (const poId of poIds) {
    const purchaseOrder = given.get(poId);
    if (!purchaseOrder) continue; // ConnectWise no longer has it
    const mine = unposted.filter((u) => u.purchaseOrder?.id === poId);
    const transactions = exp.purchaseTransactions.filter((t) => purchaseOrderIdOf(t, mine) === poId);
    const rows = ledgerRows.filter((r) => r.cw_record_id.startsWith(purchaseBillPrefix(poId)));
    const lineItems = await readLineItems(cw, poId);
    const { plan, problems } = planPurchaseOrder({ purchaseOrderId: poId, lineItems, transactions, partShipments: settings.procurement.partShipments, rows });
    const vendorId = purchaseOrder.vendorCompany?.id ?? transactions[0]?.company?.id ?? undefined;
    const vendor = vendorId != null ? await vendorOf(vendorId) : null;
    const exportVendor = exp.vendors.find((v) => (v.vendor?.id ?? v.company?.id) === vendorId);
    const bills: PurchaseBillPrep[] = [];
    if (vendor) {
      for (const planned of plan.bills) {
        const mapping = mapPurchaseBill({ transaction: planned.transaction, packingSlips: planned.packingSlips, exportVendor, vendor, purchaseOrder, settings, warehouses, facts: args.facts, xeroTenantId: args.xeroTenantId });
        const prepared = toPreparedPurchase({ mapping, recordId: planned.key, vendor, exportVendor, settings, xeroTenantId: args.xeroTenantId });
        bills.push({ recordId: planned.key, purchaseOrderId: poId, plan: planned, mapping, prepared });
      }
    } else if (plan.bills.length) {
      problems.push({ code: 'vendor-missing', message: 'The purchase order names no vendor company in ConnectWise.', where: PROCUREMENT_WHERE.cwPurchaseOrder });
    }
    out.push({ purchaseOrder, lineItems, vendor, unposted: mine, transactions, plan, bills, rows, problems });
  }
  return out;
}

/** The location a PO's receipts book by: its first unposted receipt's (lowest id), else the PO's own. */
export function purchaseLocationOf(unposted: readonly CwUnpostedProcurement[], po: Pick<PurchaseOrderRecord, 'locationId'>): number | undefined {
  const first = [...unposted].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))[0];
  return first?.locationId ?? po.locationId ?? undefined;
}

/** Everything the purchase-order pod shows and pushes for one PO. */
export interface PurchaseOrderPreparation {
  tenantId: string;
  cw: CwClient;
  purchaseOrder: PurchaseOrderRecord;
  lineItems: CwPurchaseOrderLineItem[];
  vendor: VendorRecords | null;
  organisation: { xeroTenantId: string; name: string } | null;
  /** The organisation's accounts, tax rates and items (when it answered). */
  facts: OrgFacts | null;
  warehouses: WarehouseRef[];
  /** Problems of the whole PO (organisation, connection, receipts already partly billed). */
  problems: Problem[];
  /** Null when the organisation is unknown (nothing could be mapped). */
  bills: PurchaseOrderBills | null;
  /** Our ledger rows of the PO's bills, pushed or not. */
  rows: LedgerRow[];
  settings: TenantSettings;
}

export async function preparePurchaseOrder(deps: AppDeps, tenantId: string, poId: number): Promise<PurchaseOrderPreparation> {
  const cw = await cwClientForTenant(deps, tenantId);
  const [purchaseOrder, settings, unposted] = await Promise.all([readPurchaseOrder(cw, poId), loadTenantSettings(deps.db, tenantId), readUnpostedPurchases(cw, [poId])]);
  const { organisation, facts, problems } = await bookingOrganisation(deps, tenantId, purchaseLocationOf(unposted, purchaseOrder));
  const warehouses = await readWarehouses(cw);
  const bills = facts && organisation ? (await preparePurchaseBills(deps, tenantId, { cw, poIds: [poId], unposted, purchaseOrders: [purchaseOrder], settings, xeroTenantId: organisation.xeroTenantId, facts, warehouses }))[0] ?? null : null;
  if (bills) for (const b of bills.bills) b.prepared.problems.push(...problems);
  const rows = bills?.rows ?? (await new Ledger(deps.db, deps.now).listByPrefixes(tenantId, 'purchase', [purchaseBillPrefix(poId)]));
  const lineItems = bills?.lineItems ?? (await readLineItems(cw, poId));
  const vendor = bills?.vendor ?? (purchaseOrder.vendorCompany?.id != null ? await readVendor(cw, purchaseOrder.vendorCompany.id) : null);
  return { tenantId, cw, purchaseOrder, lineItems, vendor, organisation, facts: facts ?? null, warehouses, problems: [...problems, ...(bills?.problems ?? [])], bills, rows, settings };
}
