// Projects the sim's procurement records onto ConnectWise's wire models
// (PurchaseOrder, PurchaseOrderLineItem, Warehouse, WarehouseBin,
// ProcurementAdjustment, AdjustmentDetail, UnpostedProcurement), computing
// every amount from the lines:
//   line extended cost = received (or ordered) quantity × unit cost, rounded to
//   cents half away from zero; line tax = extended × the PO tax code's rate,
//   rounded the same way (0 when the line or the PO is not taxable); freight
//   tax likewise when taxFreightFlag.
import type { CwSchemas } from '../../../shared/cw-types.js';
import type { SimState } from '../model.js';
import { cents, money, sum, wire, type Money } from '../money.js';
import { companyRef, currencyRef } from '../views.js';
import type { SimAdjustment, SimPoLine, SimPurchaseOrder, SimWarehouse } from './model.js';

const API = '/v4_6_release/apis/3.0';

export type CwPurchaseOrder = CwSchemas['PurchaseOrder'];
export type CwPurchaseOrderLineItem = CwSchemas['PurchaseOrderLineItem'];
export type CwWarehouse = CwSchemas['Warehouse'];
export type CwWarehouseBin = CwSchemas['WarehouseBin'];
export type CwProcurementAdjustment = CwSchemas['ProcurementAdjustment'];
export type CwAdjustmentDetail = CwSchemas['AdjustmentDetail'];
export type CwAdjustmentType = CwSchemas['AdjustmentType'];
export type CwUnpostedProcurement = CwSchemas['UnpostedProcurement'];

export function warehouseOf(state: SimState, id: number | null | undefined): SimWarehouse | undefined {
  return id == null ? undefined : state.procurement.warehouses.find((w) => w.id === id);
}

export function warehouseRef(w: SimWarehouse) {
  return { id: w.id, name: w.name, lockedFlag: false, _info: { warehouse_href: `${API}/procurement/warehouses/${w.id}` } };
}

export function binRef(w: SimWarehouse | undefined, binId: number | null | undefined) {
  const b = w?.bins.find((x) => x.id === binId);
  return b ? { id: b.id, name: b.name, _info: { warehouseBin_href: `${API}/procurement/warehouseBins/${b.id}` } } : undefined;
}

export function productOf(state: SimState, id: number) {
  return state.products.find((p) => p.id === id)!;
}

export function itemRef(state: SimState, productId: number) {
  const p = productOf(state, productId);
  return { id: p.id, identifier: p.identifier, serializedFlag: false };
}

export function taxRateOf(state: SimState, po: SimPurchaseOrder): Money {
  return money(state.taxCodes.find((t) => t.id === po.taxCodeId)!.ratePercent);
}

export function isReceived(l: SimPoLine): boolean {
  return l.receivedStatus !== 'Waiting' && l.glEntryId !== undefined;
}

/** Extended cost and tax of what was received on a line (or ordered, for a waiting line). */
export function lineAmounts(state: SimState, po: SimPurchaseOrder, l: SimPoLine, what: 'received' | 'ordered') {
  const qty = what === 'received' ? l.receivedQuantity : l.quantity;
  const extended = cents(money(qty).times(l.unitCost));
  const tax = l.taxable ? cents(extended.times(taxRateOf(state, po)).dividedBy(100)) : money(0);
  return { quantity: money(qty), extended, tax };
}

export function freightTax(state: SimState, po: SimPurchaseOrder): Money {
  return po.taxFreightFlag ? cents(money(po.freightCost).times(taxRateOf(state, po)).dividedBy(100)) : money(0);
}

/** Closed: every line received or cancelled. */
export function poClosed(po: SimPurchaseOrder): boolean {
  return po.lines.every((l) => l.canceled || l.receivedStatus !== 'Waiting');
}

export function termsRef(state: SimState, termsId: number) {
  const t = state.billingTerms.find((x) => x.id === termsId)!;
  return { id: t.id, name: t.name };
}

export function toCwPurchaseOrder(state: SimState, po: SimPurchaseOrder): CwPurchaseOrder {
  const live = po.lines.filter((l) => !l.canceled);
  const amounts = live.map((l) => lineAmounts(state, po, l, l.receivedStatus === 'PartiallyReceiveCancelRest' ? 'received' : 'ordered'));
  const subTotal = sum(amounts.map((a) => a.extended));
  const freight = money(po.freightCost);
  const tax = sum(amounts.map((a) => a.tax)).plus(freightTax(state, po));
  const w = warehouseOf(state, po.warehouseId)!;
  const tc = state.taxCodes.find((t) => t.id === po.taxCodeId)!;
  const closed = poClosed(po);
  const contact = state.contacts.find((c) => c.id === po.vendorContactId);
  const customer = po.dropShipCustomerId ? state.companies.find((c) => c.id === po.dropShipCustomerId) : undefined;
  return {
    id: po.id,
    businessUnitId: po.departmentId,
    locationId: po.locationId,
    poNumber: po.poNumber,
    poDate: po.poDate,
    vendorCompany: companyRef(state, po.vendorId),
    ...(contact ? { vendorContact: { id: contact.id!, name: `${contact.firstName} ${contact.lastName}` } } : {}),
    vendorSite: { id: po.vendorId * 10, name: 'Main' },
    vendorInvoiceNumber: po.vendorInvoiceNumber,
    ...(po.vendorInvoiceDate ? { vendorInvoiceDate: po.vendorInvoiceDate } : {}),
    vendorOrderNumber: po.vendorOrderNumber,
    warehouse: warehouseRef(w),
    terms: termsRef(state, po.termsId),
    taxCode: { id: tc.id, name: tc.name },
    taxPoFlag: !money(tc.ratePercent).isZero(),
    taxFreightFlag: po.taxFreightFlag,
    currency: currencyRef(state, po.currencyCode),
    freightCost: wire(freight),
    freightPackingSlip: po.freightPackingSlip,
    freightTaxTotal: wire(freightTax(state, po)),
    subTotal: wire(subTotal),
    salesTax: wire(tax),
    total: wire(subTotal.plus(freight).plus(tax)),
    status: closed ? { id: 2, name: 'Closed' } : { id: 1, name: 'Open' },
    closedFlag: closed,
    dropShipCustomerFlag: po.dropShipCustomerId !== undefined,
    ...(customer ? { customerCompany: companyRef(state, customer.id!), customerName: customer.name, customerCity: customer.city ?? '' } : {}),
    enteredBy: po.enteredBy,
    _info: { lineItems_href: `${API}/procurement/purchaseorders/${po.id}/lineitems` },
  };
}

export function toCwLineItem(state: SimState, po: SimPurchaseOrder, l: SimPoLine): CwPurchaseOrderLineItem {
  const p = productOf(state, l.productId);
  const w = warehouseOf(state, l.warehouseId);
  const a = lineAmounts(state, po, l, isReceived(l) ? 'received' : 'ordered');
  return {
    id: l.id,
    purchaseOrderId: po.id,
    lineNumber: l.lineNumber,
    product: itemRef(state, l.productId),
    description: l.description,
    quantity: Number(l.quantity),
    receivedQuantity: Number(l.receivedQuantity),
    receivedStatus: l.receivedStatus,
    unitCost: Number(l.unitCost),
    unitOfMeasure: { ...p.unitOfMeasure },
    tax: wire(a.tax),
    packingSlip: l.packingSlip,
    ...(l.dateReceived ? { dateReceived: l.dateReceived } : {}),
    ...(l.trackingNumber ? { trackingNumber: l.trackingNumber } : {}),
    ...(w ? { warehouse: warehouseRef(w) } : {}),
    ...(binRef(w, l.binId) ? { warehouseBin: binRef(w, l.binId)! } : {}),
    vendorOrderNumber: po.vendorOrderNumber,
    closedFlag: l.canceled === true || l.receivedStatus !== 'Waiting',
    canceledFlag: l.canceled === true,
    backorderedFlag: false,
    _info: { purchaseOrder_href: `${API}/procurement/purchaseorders/${po.id}` },
  };
}

export function toCwWarehouse(state: SimState, w: SimWarehouse): CwWarehouse {
  const loc = state.locations.find((l) => l.id === w.locationId)!;
  return {
    id: w.id,
    name: w.name,
    location: { id: loc.id!, name: loc.name },
    locationXref: w.locationXref,
    locationDefaultFlag: w.id === 1,
    overallDefaultFlag: w.id === 1,
    inactiveFlag: false,
    lockedFlag: false,
    _info: {},
  };
}

export function toCwBins(state: SimState): CwWarehouseBin[] {
  return state.procurement.warehouses.flatMap((w) =>
    w.bins.map((b) => ({
      id: b.id,
      name: b.name,
      warehouse: warehouseRef(w),
      location: { id: w.locationId, name: state.locations.find((l) => l.id === w.locationId)!.name },
      defaultFlag: b.defaultFlag,
      inactiveFlag: false,
      _info: {},
    })),
  );
}

export function adjustmentDetailTotal(d: { quantityAdjusted: number; unitCost: string }): Money {
  return cents(money(d.quantityAdjusted).times(d.unitCost));
}

export function toCwAdjustmentDetail(state: SimState, a: SimAdjustment, d: SimAdjustment['details'][number]): CwAdjustmentDetail {
  const w = warehouseOf(state, d.warehouseId)!;
  return {
    id: d.id,
    catalogItem: { id: d.productId, identifier: productOf(state, d.productId).identifier },
    description: d.description,
    unitCost: Number(d.unitCost),
    warehouse: warehouseRef(w),
    ...(binRef(w, d.binId) ? { warehouseBin: binRef(w, d.binId)! } : {}),
    quantityAdjusted: d.quantityAdjusted,
    adjustment: { id: a.id, name: a.identifier },
    _info: {},
  };
}

export function toCwAdjustment(state: SimState, a: SimAdjustment): CwProcurementAdjustment {
  const t = state.procurement.adjustmentTypes.find((x) => x.id === a.typeId)!;
  return {
    id: a.id,
    identifier: a.identifier,
    type: { id: t.id, identifier: t.identifier },
    reason: a.reason,
    closedFlag: true,
    closedBy: a.closedBy,
    closedDate: a.closedDate,
    adjustmentDetails: a.details.map((d) => toCwAdjustmentDetail(state, a, d)),
    _info: { details_href: `${API}/procurement/adjustments/${a.id}/details` },
  };
}
