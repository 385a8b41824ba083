// The procurement half of ConnectWise's GLExport and its unposted list.
// One GL entry per closed receipt (a PO line received on a packing slip), per
// closed adjustment and per transfer; UnpostedProcurement lists those not yet
// in a closed batch. The export groups receipts by (PO, packing slip) into one
// purchaseTransaction, whose id reads "PO #3001, Packing Slip: PS-1001":
//   header     apAccountNumber = accounts payable; company = the vendor;
//              freightAmount on the transaction of the PO's freightPackingSlip
//              only; total = Σ detail totals + freight + tax
//   detail     one per receipt, id = its GL entry id; inventory parts book to
//              the inventoryAccountNumber of the warehouse they were received
//              into (warehouseSite = that warehouse, warehouseBin, locationXref);
//              non-inventory products and drop-shipped lines book to the
//              non-inventory purchases account
//   detail tax one summary line (glTypeId "ST", taxNote "AUTOSTAX") with the
//              sum of the lines' and the freight's rounded taxes, when any
// adjustmentTransactions: one per adjustment, id = its GL entry id as text;
//   each detail's total is signed (+ into stock), inventoryAccountNumber is its
//   warehouse's, accountNumber the adjustment account (the other side).
// inventoryTransfers: one per transfer, id = its GL entry id as text;
//   inventoryAccountNumber/accountNumber = the destination warehouse's account
//   (debited with total), offset = the source warehouse's account (total negative).
import type { CwGLExport, CwSchemas } from '../../../shared/cw-types.js';
import type { SimBatch, SimState } from '../model.js';
import { money, sum, wire } from '../money.js';
import { companyRef, currencyRef, subCategoryRef } from '../views.js';
import type { SimAdjustment, SimPoLine, SimPurchaseOrder, SimTransfer } from './model.js';
import { VENDOR_TYPE } from './seed.js';
import {
  adjustmentDetailTotal,
  binRef,
  freightTax,
  isReceived,
  itemRef,
  lineAmounts,
  productOf,
  taxRateOf,
  termsRef,
  warehouseOf,
  type CwUnpostedProcurement,
} from './views.js';

type CwGLExportPurchaseTransaction = CwSchemas['GLExportPurchaseTransaction'];
type CwGLExportPurchaseTransactionDetail = CwSchemas['GLExportPurchaseTransactionDetail'];
type CwGLExportAdjustmentTransaction = CwSchemas['GLExportAdjustmentTransaction'];
type CwGLExportInventoryTransfer = CwSchemas['GLExportInventoryTransfer'];
type CwGLExportVendor = CwSchemas['GLExportVendor'];

export type ProcurementEntry =
  | { glEntryId: number; type: 'Purchase'; date: string; locationId: number; po: SimPurchaseOrder; line: SimPoLine }
  | { glEntryId: number; type: 'Adjustment'; date: string; locationId: number; adjustment: SimAdjustment }
  | { glEntryId: number; type: 'Transfer'; date: string; locationId: number; transfer: SimTransfer };

/** Every procurement GL entry, posted or not. */
export function procurementEntries(state: SimState): ProcurementEntry[] {
  const p = state.procurement;
  const out: ProcurementEntry[] = [];
  for (const po of p.purchaseOrders) {
    for (const line of po.lines) {
      if (isReceived(line)) out.push({ glEntryId: line.glEntryId!, type: 'Purchase', date: line.dateReceived!, locationId: po.locationId, po, line });
    }
  }
  for (const a of p.adjustments) {
    out.push({ glEntryId: a.glEntryId, type: 'Adjustment', date: a.closedDate, locationId: warehouseOf(state, a.details[0]?.warehouseId)?.locationId ?? 1, adjustment: a });
  }
  for (const t of p.transfers) {
    out.push({ glEntryId: t.glEntryId, type: 'Transfer', date: t.date, locationId: warehouseOf(state, t.toWarehouseId)!.locationId, transfer: t });
  }
  return out.sort((a, b) => a.glEntryId - b.glEntryId);
}

export function isProcurementPosted(state: SimState, glEntryId: number): boolean {
  return state.batches.some((b) => b.closedFlag && b.recordIds.includes(glEntryId));
}

export function unpostedProcurementEntries(state: SimState): ProcurementEntry[] {
  return procurementEntries(state).filter((e) => !isProcurementPosted(state, e.glEntryId));
}

export function procurementEntry(state: SimState, glEntryId: number): ProcurementEntry | undefined {
  return procurementEntries(state).find((e) => e.glEntryId === glEntryId);
}

function vendorCompany(state: SimState, id: number) {
  return state.companies.find((c) => c.id === id)!;
}

export function toUnpostedProcurement(state: SimState, e: ProcurementEntry): CwUnpostedProcurement {
  const base = { id: e.glEntryId, unpostedProductId: String(e.glEntryId), locationId: e.locationId, procurementType: e.type, _info: {} };
  if (e.type === 'Purchase') {
    const { po, line } = e;
    const a = lineAmounts(state, po, line, 'received');
    const tc = state.taxCodes.find((t) => t.id === po.taxCodeId)!;
    const vendor = vendorCompany(state, po.vendorId);
    // The PO's freight rides on the first receipt of its freight packing slip.
    const freightHere = po.freightPackingSlip !== '' && line.packingSlip === po.freightPackingSlip && po.lines.find((l) => isReceived(l) && l.packingSlip === po.freightPackingSlip) === line;
    return {
      ...base,
      departmentId: po.departmentId,
      description: `PO #${po.poNumber}, Packing Slip: ${line.packingSlip} — line ${line.lineNumber}`,
      purchaseOrder: { id: po.id, name: po.poNumber },
      purchaseDate: line.dateReceived!,
      ...(line.trackingNumber ? { trackingNumber: line.trackingNumber } : {}),
      billingTerms: termsRef(state, po.termsId),
      currency: currencyRef(state, po.currencyCode),
      total: wire(a.extended),
      taxCode: { id: tc.id, name: tc.name },
      avalaraTaxFlag: false,
      itemTaxableFlag: line.taxable,
      purchaseOrderTaxableFlag: !money(tc.ratePercent).isZero(),
      taxTotal: wire(a.tax),
      ...(po.dropShipCustomerId ? { customer: companyRef(state, po.dropShipCustomerId) } : {}),
      vendor: companyRef(state, po.vendorId),
      vendorAccountNumber: vendor.accountNumber ?? '',
      vendorInvoiceNumber: po.vendorInvoiceNumber,
      ...(po.vendorInvoiceDate ? { vendorInvoiceDate: po.vendorInvoiceDate } : {}),
      taxFreightFlag: po.taxFreightFlag,
      freightCost: freightHere ? wire(money(po.freightCost)) : 0,
      freightTaxTotal: freightHere ? wire(freightTax(state, po)) : 0,
      dateClosed: line.dateReceived!,
    };
  }
  if (e.type === 'Adjustment') {
    const a = e.adjustment;
    return { ...base, description: `Adjustment ${a.identifier}: ${a.reason}`, purchaseDate: a.closedDate, total: wire(sum(a.details.map(adjustmentDetailTotal))), taxTotal: 0, dateClosed: a.closedDate };
  }
  const t = e.transfer;
  return { ...base, description: `Transfer ${t.id}: ${t.memo}`, purchaseDate: t.date, total: wire(money(t.quantity).times(t.unitCost)), taxTotal: 0, dateClosed: t.date };
}

function purchaseTransaction(state: SimState, po: SimPurchaseOrder, slip: string, lines: SimPoLine[]): CwGLExportPurchaseTransaction {
  const m = state.glMapping;
  const gl = state.procurement.gl;
  const vendor = vendorCompany(state, po.vendorId);
  const terms = state.billingTerms.find((t) => t.id === po.termsId)!;
  const tc = state.taxCodes.find((t) => t.id === po.taxCodeId)!;
  const rate = taxRateOf(state, po);
  const currency = currencyRef(state, po.currencyCode);
  const contact = state.contacts.find((c) => c.id === po.vendorContactId);
  const detail: CwGLExportPurchaseTransactionDetail[] = lines.map((l) => {
    const p = productOf(state, l.productId);
    const w = warehouseOf(state, l.warehouseId);
    const a = lineAmounts(state, po, l, 'received');
    const stocked = p.inventory && !l.dropShipped && w !== undefined;
    const bin = binRef(w, l.binId);
    return {
      id: l.glEntryId!,
      documentDate: l.dateReceived!,
      glTypeId: 'PO',
      description: l.description,
      memo: p.identifier,
      cost: wire(a.extended),
      vendorNumber: vendor.accountNumber ?? '',
      vendorAccountNumber: vendor.accountNumber ?? '',
      accountNumber: stocked ? w.inventoryAccount : gl.purchasesNonInventory,
      costAccountNumber: m.costOfGoodsSold,
      ...(stocked ? { inventoryAccountNumber: w.inventoryAccount } : {}),
      item: itemRef(state, l.productId),
      ...subCategoryRef(state, p.subCategoryId),
      itemDescription: p.description,
      salesDescription: p.description,
      taxable: l.taxable && !rate.isZero(),
      itemCost: Number(l.unitCost),
      unitOfMeasure: { ...p.unitOfMeasure },
      quantity: Number(l.receivedQuantity),
      total: wire(a.extended),
      currency,
      serializedFlag: false,
      dropShippedFlag: l.dropShipped,
      lineNumber: l.lineNumber,
      ...(bin ? { warehouseBin: bin } : {}),
      ...(w ? { warehouseSite: { id: w.id, name: w.name }, locationXref: w.locationXref } : {}),
      taxCode: { id: tc.id, name: tc.name },
      taxRate: rate.dividedBy(100).toNumber(),
    };
  });
  const amounts = lines.map((l) => lineAmounts(state, po, l, 'received'));
  const freight = slip !== '' && slip === po.freightPackingSlip ? money(po.freightCost) : money(0);
  const tax = sum(amounts.map((a) => a.tax)).plus(freight.isZero() ? 0 : freightTax(state, po));
  const subtotal = sum(amounts.map((a) => a.extended));
  const date = lines.map((l) => l.dateReceived!).sort().at(-1)!;
  const customer = po.dropShipCustomerId ? state.companies.find((c) => c.id === po.dropShipCustomerId) : undefined;
  return {
    id: `PO #${po.poNumber}, Packing Slip: ${slip}`,
    documentDate: date,
    documentNumber: po.poNumber,
    description: `PO #${po.poNumber}`,
    memo: po.vendorOrderNumber,
    apAccountNumber: m.accountsPayable,
    purchaseDate: po.poDate,
    company: companyRef(state, po.vendorId),
    companyType: { ...VENDOR_TYPE },
    ...(contact ? { contact: { id: contact.id!, name: `${contact.firstName} ${contact.lastName}` } } : {}),
    site: vendor.site ?? { id: 0, name: 'Main' },
    freightAmount: wire(freight),
    freightPackingSlip: po.freightPackingSlip,
    packingSlip: slip,
    dropshipFlag: po.dropShipCustomerId !== undefined,
    currency,
    total: wire(subtotal.plus(freight).plus(tax)),
    billingTerms: { id: terms.id, name: terms.name },
    dueDays: terms.dueDays,
    vendorNumber: vendor.accountNumber ?? '',
    vendorAccountNumber: vendor.accountNumber ?? '',
    ...(po.vendorInvoiceDate ? { vendorInvoiceDate: po.vendorInvoiceDate } : {}),
    vendorInvoiceNumber: po.vendorInvoiceNumber,
    ...(customer ? { shipToCompany: companyRef(state, customer.id!), shipToCompanyAccountNumber: customer.accountNumber ?? '' } : {}),
    taxCode: { id: tc.id, name: tc.name },
    taxGroupRate: rate.toNumber(),
    purchaseHeaderTaxableFlag: !rate.isZero(),
    purchaseHeaderFreightTaxableFlag: po.taxFreightFlag,
    purchaseDetail: detail,
    purchaseDetailTax: tax.isZero()
      ? []
      : [{ id: lines[0]!.glEntryId!, documentDate: date, accountNumber: m.salesTax, glTypeId: 'ST', taxNote: 'AUTOSTAX', taxCode: { id: tc.id, name: tc.name }, taxRate: rate.dividedBy(100).toNumber(), taxRatePercent: rate.toNumber(), quantity: 1, itemPrice: wire(tax), total: wire(tax), currency }],
  };
}

function adjustmentTransaction(state: SimState, a: SimAdjustment): CwGLExportAdjustmentTransaction {
  const gl = state.procurement.gl;
  const m = state.glMapping;
  const t = state.procurement.adjustmentTypes.find((x) => x.id === a.typeId)!;
  return {
    id: String(a.glEntryId),
    documentType: 'IA',
    documentDate: a.closedDate,
    glTypeID: 'IA',
    accountNumber: gl.inventoryAdjustment,
    memo: a.reason,
    adjustmentDescription: `${t.name}: ${a.identifier}`,
    adjustmentDetail: a.details.map((d) => {
      const p = productOf(state, d.productId);
      return {
        description: d.description,
        memo: a.identifier,
        item: itemRef(state, d.productId),
        quantity: d.quantityAdjusted,
        cost: Number(d.unitCost),
        total: wire(adjustmentDetailTotal(d)),
        costAccountNumber: m.costOfGoodsSold,
        inventoryAccountNumber: warehouseOf(state, d.warehouseId)!.inventoryAccount,
        accountNumber: gl.inventoryAdjustment,
        productAccountNumber: p.glAccount ?? m.productRevenue,
      };
    }),
  };
}

function inventoryTransfer(state: SimState, t: SimTransfer): CwGLExportInventoryTransfer {
  const from = warehouseOf(state, t.fromWarehouseId)!;
  const to = warehouseOf(state, t.toWarehouseId)!;
  const p = productOf(state, t.productId);
  const total = wire(money(t.quantity).times(t.unitCost));
  return {
    id: String(t.glEntryId),
    transferId: t.id,
    documentType: 'IT',
    documentDate: t.date,
    glTypeId: 'IT',
    accountNumber: to.inventoryAccount,
    inventoryAccountNumber: to.inventoryAccount,
    costAccountNumber: state.glMapping.costOfGoodsSold,
    description: p.description,
    memo: t.memo,
    item: itemRef(state, t.productId),
    ...subCategoryRef(state, p.subCategoryId),
    itemDescription: p.description,
    unitOfMeasure: { ...p.unitOfMeasure },
    quantity: t.quantity,
    cost: Number(t.unitCost),
    total,
    warehouse: { id: to.id, name: to.name },
    ...(binRef(to, t.toBinId) ? { bin: binRef(to, t.toBinId)!, transferToBin: binRef(to, t.toBinId)! } : {}),
    ...(binRef(from, t.fromBinId) ? { transferFromBin: binRef(from, t.fromBinId)! } : {}),
    transferFromLocationXref: from.locationXref,
    transferToLocationXref: to.locationXref,
    locationXref: to.locationXref,
    offset: { id: t.glEntryId, documentType: 'IT', documentDate: t.date, accountNumber: from.inventoryAccount, total: -total, memo: t.memo, description: `Transfer from ${from.name}`, glTypeId: 'IT' },
  };
}

function vendorEntry(state: SimState, vendorId: number): CwGLExportVendor {
  const c = vendorCompany(state, vendorId);
  const terms = state.billingTerms.find((t) => t.id === c.billingTerms?.id)!;
  return {
    vendor: companyRef(state, vendorId),
    vendorNumber: c.accountNumber ?? '',
    company: companyRef(state, vendorId),
    ...(c.billingContact ? { contact: { ...c.billingContact } } : {}),
    accountNumber: c.accountNumber ?? '',
    billingTerms: { id: terms.id, name: terms.name },
    dueDays: terms.dueDays,
    site: c.site ?? { id: 0, name: 'Main' },
    ...(c.taxCode ? { taxCode: { id: c.taxCode.id!, name: c.taxCode.name } } : {}),
  };
}

/** The procurement parts of a GLExport for these GL entries. */
export function procurementExport(state: SimState, entries: ProcurementEntry[]): Pick<CwGLExport, 'vendors' | 'purchaseTransactions' | 'adjustmentTransactions' | 'inventoryTransfers'> {
  const groups = new Map<string, { po: SimPurchaseOrder; slip: string; lines: SimPoLine[] }>();
  for (const e of entries) {
    if (e.type !== 'Purchase') continue;
    const key = `${e.po.id}|${e.line.packingSlip}`;
    const g = groups.get(key) ?? { po: e.po, slip: e.line.packingSlip, lines: [] };
    g.lines.push(e.line);
    groups.set(key, g);
  }
  const purchases = [...groups.values()].map((g) => purchaseTransaction(state, g.po, g.slip, g.lines.sort((a, b) => a.lineNumber - b.lineNumber)));
  const vendorIds = [...new Set([...groups.values()].map((g) => g.po.vendorId))];
  return {
    vendors: vendorIds.map((id) => vendorEntry(state, id)),
    purchaseTransactions: purchases,
    adjustmentTransactions: entries.flatMap((e) => (e.type === 'Adjustment' ? [adjustmentTransaction(state, e.adjustment)] : [])),
    inventoryTransfers: entries.flatMap((e) => (e.type === 'Transfer' ? [inventoryTransfer(state, e.transfer)] : [])),
  };
}

/** A batch's procurement entries (for its export and its entries). */
export function batchProcurementEntries(state: SimState, b: SimBatch): ProcurementEntry[] {
  return procurementEntries(state).filter((e) => b.recordIds.includes(e.glEntryId));
}

/** Invoice lines of inventory parts: the warehouse they ship from (the seed's default: the Sydney warehouse). */
export function invoiceLineWarehouse(state: SimState, warehouseId: number | undefined) {
  const w = warehouseOf(state, warehouseId ?? 1);
  return w ? { inventoryAccountNumber: w.inventoryAccount, warehouseSite: { id: w.id, name: w.name }, locationXref: w.locationXref, ...(binRef(w, w.bins.find((b) => b.defaultFlag)?.id) ? { warehouseBin: binRef(w, w.bins.find((b) => b.defaultFlag)?.id)! } : {}) } : {};
}

