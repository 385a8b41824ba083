// Reads what the purchase mapping needs from the tenant's ConnectWise: purchase
// orders and their line items (receipts by packing slip), the vendor company and
// its contacts, the warehouses and bins, the PO's unposted procurement GL entries
// (finance/accounting/unpostedprocurement) and the export of exactly those GL
// entries (exportProductsFlag: purchaseTransactions + vendors). Nothing is
// posted by an export. Every answer is checked with zod (loosely: ConnectWise
// adds fields freely) and then typed with ConnectWise's published models.
import { z } from 'zod';
import type { CwClient } from '../cw/client.js';
import type { CwCompany, CwContact, CwSchemas } from '../../shared/cw-types.js';
import type { CwGLExportVendor, CwPurchaseOrder, CwPurchaseOrderLineItem, CwPurchaseTransaction } from '../domain/purchase-mapping.js';
import { type WarehouseRef, warehouseRefs } from '../domain/warehouse-accounts.js';

export type CwUnpostedProcurement = CwSchemas['UnpostedProcurement'];
export type PurchaseOrderRecord = CwPurchaseOrder & { id: number };

const ref = z.object({ id: z.number().int().nullish(), identifier: z.string().nullish(), name: z.string().nullish() }).loose();
const poSchema = z.object({ id: z.number().int(), poNumber: z.string().nullish(), vendorCompany: ref.nullish(), locationId: z.number().int().nullish(), poDate: z.string().nullish() }).loose();
const lineItemSchema = z.object({ id: z.number().int().nullish(), lineNumber: z.number().int().nullish(), receivedStatus: z.string().nullish(), canceledFlag: z.boolean().nullish(), packingSlip: z.string().nullish() }).loose();
const companySchema = z.object({ id: z.number().int(), identifier: z.string().min(1), name: z.string().nullish(), billingContact: ref.nullish(), defaultContact: ref.nullish() }).loose();
const contactSchema = z.object({ id: z.number().int() }).loose();
const warehouseSchema = z.object({ id: z.number().int().nullish(), name: z.string().nullish(), locationXref: z.string().nullish() }).loose();
const binSchema = z.object({ id: z.number().int().nullish(), warehouse: ref.nullish() }).loose();
const unpostedSchema = z
  .object({ id: z.number().int(), unpostedProductId: z.string().nullish(), procurementType: z.string().nullish(), purchaseOrder: ref.nullish(), locationId: z.number().int().nullish() })
  .loose();
const exportSchema = z
  .object({
    purchaseTransactions: z.array(z.object({ id: z.string().nullish(), documentNumber: z.string().nullish(), purchaseDetail: z.array(z.object({ id: z.number().int().nullish() }).loose()).nullish() }).loose()).nullish(),
    vendors: z.array(z.object({ vendor: ref.nullish(), company: ref.nullish() }).loose()).nullish(),
  })
  .loose();

/** `conditions` lists of ids stay short enough for a URL: at most this many ids in one. */
const IDS_PER_QUERY = 100;

async function listByIds<T>(ids: readonly number[], read: (part: number[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) out.push(...(await read(unique.slice(i, i + IDS_PER_QUERY))));
  return out;
}

export async function readPurchaseOrder(cw: CwClient, poId: number): Promise<PurchaseOrderRecord> {
  return (await cw.get(`procurement/purchaseorders/${poId}`, poSchema, { what: `purchase order ${poId}` })) as PurchaseOrderRecord;
}

/** These purchase orders (a batch run's). */
export async function readPurchaseOrders(cw: CwClient, poIds: readonly number[]): Promise<PurchaseOrderRecord[]> {
  return listByIds(poIds, async (part) => (await cw.list('procurement/purchaseorders', poSchema, { query: { conditions: `id in (${part.join(',')})` }, maxPages: 10 })) as PurchaseOrderRecord[]);
}

/** The PO's line items: what was ordered, received (on which packing slip, into which warehouse) or cancelled. */
export async function readLineItems(cw: CwClient, poId: number): Promise<CwPurchaseOrderLineItem[]> {
  return (await cw.list(`procurement/purchaseorders/${poId}/lineitems`, lineItemSchema, { maxPages: 10 })) as CwPurchaseOrderLineItem[];
}

/** The vendor and its contacts: the AP (billing) contact and the default contact, as for a customer. */
export interface VendorRecords {
  company: CwCompany & { id: number; identifier: string };
  billingContact?: CwContact;
  primaryContact?: CwContact;
}

async function readContact(cw: CwClient, id: number | null | undefined): Promise<CwContact | undefined> {
  if (id == null) return undefined;
  return (await cw.get(`company/contacts/${id}`, contactSchema, { what: `contact ${id}` })) as CwContact;
}

export async function readVendor(cw: CwClient, companyId: number): Promise<VendorRecords> {
  const company = (await cw.get(`company/companies/${companyId}`, companySchema, { what: `vendor ${companyId}` })) as VendorRecords['company'];
  const billingContact = await readContact(cw, company.billingContact?.id);
  const primaryContact = company.defaultContact?.id === company.billingContact?.id ? billingContact : await readContact(cw, company.defaultContact?.id);
  return { company, ...(billingContact ? { billingContact } : {}), ...(primaryContact ? { primaryContact } : {}) };
}

/** The tenant's warehouses with their bins (to find each receipt's warehouse and its inventory account). */
export async function readWarehouses(cw: CwClient): Promise<WarehouseRef[]> {
  const [warehouses, bins] = await Promise.all([
    cw.list('procurement/warehouses', warehouseSchema, { maxPages: 5 }),
    cw.list('procurement/warehouseBins', binSchema, { maxPages: 20 }),
  ]);
  return warehouseRefs(warehouses as CwSchemas['Warehouse'][], bins as CwSchemas['WarehouseBin'][]);
}

/**
 * Unposted purchase receipts: of these purchase orders, or every one when
 * `poIds` is omitted (a batch's list). Adjustments and transfers are left out.
 */
export async function readUnpostedPurchases(cw: CwClient, poIds?: readonly number[]): Promise<CwUnpostedProcurement[]> {
  if (poIds && poIds.length === 0) return [];
  const read = async (conditions: string) => (await cw.list('finance/accounting/unpostedprocurement', unpostedSchema, { query: { conditions }, maxPages: 20 })) as CwUnpostedProcurement[];
  return poIds ? listByIds(poIds, (part) => read(`procurementType="Purchase" and purchaseOrder/id in (${part.join(',')})`)) : read('procurementType="Purchase"');
}

export interface PurchaseExport {
  purchaseTransactions: CwPurchaseTransaction[];
  vendors: CwGLExportVendor[];
}

/**
 * POST finance/accounting/export of exactly these procurement GL entries
 * (includedProductIds takes their unpostedProductId): one purchaseTransaction
 * per (PO, packing slip), and the vendors.
 */
export async function exportPurchases(cw: CwClient, unposted: readonly CwUnpostedProcurement[], batchIdentifier: string): Promise<PurchaseExport> {
  const ids = [...new Set(unposted.map((u) => u.unpostedProductId || (u.id != null ? String(u.id) : '')).filter(Boolean))];
  if (ids.length === 0) return { purchaseTransactions: [], vendors: [] };
  const body = await cw.post('finance/accounting/export', { batchIdentifier, exportProductsFlag: true, includedProductIds: ids }, exportSchema, { what: 'the export of the purchase receipts' });
  return { purchaseTransactions: (body.purchaseTransactions ?? []) as CwPurchaseTransaction[], vendors: (body.vendors ?? []) as CwGLExportVendor[] };
}

/** The PO a purchase transaction belongs to: its receipts' unposted rows name it (the export names only its number). */
export function purchaseOrderIdOf(tx: CwPurchaseTransaction, unposted: readonly CwUnpostedProcurement[]): number | undefined {
  const ids = new Set((tx.purchaseDetail ?? []).map((d) => d.id));
  return unposted.find((u) => ids.has(u.id))?.purchaseOrder?.id ?? undefined;
}

/** POST finance/accounting/batches/{id}/export: a batch we closed, read again (which packing slips and lines a posted bill holds). */
export async function reexportPurchaseBatch(cw: CwClient, batchId: number): Promise<PurchaseExport> {
  const body = await cw.post(`finance/accounting/batches/${batchId}/export`, {}, exportSchema, { what: `accounting batch ${batchId}` });
  return { purchaseTransactions: (body.purchaseTransactions ?? []) as CwPurchaseTransaction[], vendors: (body.vendors ?? []) as CwGLExportVendor[] };
}
