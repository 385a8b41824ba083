// The simulator's procurement records: warehouses (each with its own inventory
// GL account), purchase orders with their line items and receipts, inventory
// adjustments and warehouse transfers. ConnectWise's published models
// (shared/cw-types.ts) type what goes on the wire (views.ts); these carry what
// the sim must know to compute it (amounts as exact decimal text).

export interface SimWarehouseBin {
  id: number;
  name: string;
  defaultFlag: boolean;
}

export interface SimWarehouse {
  id: number;
  name: string;
  locationId: number;
  /** ConnectWise's cross-reference (≤ 10 characters): the usual key of the warehouse's inventory account. */
  locationXref: string;
  /** The GL mapping's inventory account for this warehouse (the export's inventoryAccountNumber). */
  inventoryAccount: string;
  bins: SimWarehouseBin[];
}

export type ReceivedStatus = 'Waiting' | 'FullyReceived' | 'PartiallyReceiveCancelRest' | 'PartiallyReceiveCloneRest';

/**
 * One PO line item. A line is received once, on one packing slip: a partial
 * receipt either cancels the rest (PartiallyReceiveCancelRest) or clones the
 * rest into a new Waiting line (PartiallyReceiveCloneRest), as ConnectWise does.
 */
export interface SimPoLine {
  id: number;
  lineNumber: number;
  productId: number;
  description: string;
  quantity: string;
  unitCost: string;
  taxable: boolean;
  /** null for a drop-shipped line (it never enters a warehouse). */
  warehouseId: number | null;
  binId: number | null;
  dropShipped: boolean;
  receivedStatus: ReceivedStatus;
  receivedQuantity: string;
  packingSlip: string;
  dateReceived?: string;
  trackingNumber?: string;
  /** The receipt's GL entry (UnpostedProcurement id), once received. */
  glEntryId?: number;
  canceled?: boolean;
}

export interface SimPurchaseOrder {
  id: number;
  poNumber: string;
  poDate: string;
  vendorId: number;
  vendorContactId: number;
  locationId: number;
  departmentId: number;
  warehouseId: number;
  termsId: number;
  taxCodeId: number;
  currencyCode: string;
  vendorInvoiceNumber: string;
  vendorInvoiceDate?: string;
  vendorOrderNumber: string;
  freightCost: string;
  /** The packing slip the freight arrived with (its purchase transaction carries it). */
  freightPackingSlip: string;
  taxFreightFlag: boolean;
  /** Drop-shipped POs: the customer the goods went to. */
  dropShipCustomerId?: number;
  enteredBy: string;
  lines: SimPoLine[];
}

export interface SimAdjustmentType {
  id: number;
  identifier: string;
  name: string;
}

export interface SimAdjustmentDetail {
  id: number;
  productId: number;
  description: string;
  warehouseId: number;
  binId: number;
  /** Whole units, signed: + found / revalued in, − written off / revalued out. */
  quantityAdjusted: number;
  unitCost: string;
}

export interface SimAdjustment {
  id: number;
  identifier: string;
  typeId: number;
  reason: string;
  closedDate: string;
  closedBy: string;
  glEntryId: number;
  details: SimAdjustmentDetail[];
}

/** A move of stock between warehouses (ConnectWise's Inventory › Transfer; no REST endpoint). */
export interface SimTransfer {
  id: number;
  glEntryId: number;
  date: string;
  productId: number;
  quantity: number;
  unitCost: string;
  fromWarehouseId: number;
  fromBinId: number;
  toWarehouseId: number;
  toBinId: number;
  memo: string;
}

export interface ProcurementState {
  warehouses: SimWarehouse[];
  purchaseOrders: SimPurchaseOrder[];
  adjustmentTypes: SimAdjustmentType[];
  adjustments: SimAdjustment[];
  transfers: SimTransfer[];
  /** The accounting setup's procurement accounts (beside SimGlMapping). */
  gl: {
    /** Purchases of non-inventory products and drop-shipped lines (they never sit in stock). */
    purchasesNonInventory: string;
    /** The other side of an inventory adjustment. */
    inventoryAdjustment: string;
    /** Freight in (the export carries freight as the purchase's freightAmount, without an account). */
    freight: string;
  };
}
