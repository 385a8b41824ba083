// The purchase-order pod's API (issue 11): GET /api/purchaseorders/:id/sync —
// the PO, its receipts with readiness, and the Xero bill(s) it makes — and
// POST /api/purchaseorders/:id/push. Never stored: built live from ConnectWise,
// the ledger and Xero.
import { z } from 'zod';
import { decimalString, syncChip, syncProblem } from './api.js';

export const purchaseOrderIdParam = z.object({
  id: z.coerce.number({ message: 'id: expected a ConnectWise purchase order id' }).int('id: expected a ConnectWise purchase order id').positive('id: expected a ConnectWise purchase order id').max(2_147_483_647, 'id: expected a ConnectWise purchase order id'),
});

/**
 * Where a packing slip's receipts stand: ready to bill, needs attention, held
 * (without part shipments, until every line is received or cancelled), being
 * pushed, or billed (on one of our Xero bills / posted in ConnectWise).
 */
export const receiptReadiness = z.enum(['ready', 'needs_attention', 'held', 'pushing', 'billed', 'posted']);
export type ReceiptReadiness = z.infer<typeof receiptReadiness>;

/** One PO line as ConnectWise has it. */
export const purchaseOrderLineView = z.object({
  lineNumber: z.number().int(),
  productCode: z.string(),
  description: z.string(),
  quantity: z.string(),
  receivedQuantity: z.string(),
  /** Waiting, FullyReceived, PartiallyReceiveCancelRest, PartiallyReceiveCloneRest; Cancelled for a cancelled line. */
  receivedStatus: z.string(),
  packingSlip: z.string().nullable(),
  warehouse: z.string().nullable(),
  dropShipped: z.boolean(),
});
export type PurchaseOrderLineView = z.infer<typeof purchaseOrderLineView>;

/** One packing slip's receipts. */
export const purchaseReceiptView = z.object({
  packingSlip: z.string(),
  dateReceived: z.string().nullable(),
  lineNumbers: z.array(z.number().int()),
  readiness: receiptReadiness,
  /** Why it is held or needs attention, in words. */
  message: z.string().nullable(),
  /** The bill it goes on (its key), when known. */
  billKey: z.string().nullable(),
});
export type PurchaseReceiptView = z.infer<typeof purchaseReceiptView>;

/** One Xero bill the PO makes, exactly as it will land. */
export const purchaseBillView = z.object({
  /** Stable identity of the bill: "po:3002:ps:7104" (a packing slip's) or "po:3002:all:7104" (the whole PO's). */
  key: z.string(),
  packingSlips: z.array(z.string()),
  number: z.string(),
  /** The vendor, as the supplier contact. */
  supplier: z.string(),
  date: z.string(),
  dueDate: z.string().nullable(),
  reference: z.string(),
  currency: z.string(),
  /** The status it is pushed as (DRAFT / AUTHORISED). */
  status: z.string(),
  lines: z.array(
    z.object({
      lineNumber: z.number().int(),
      kind: z.enum(['product', 'freight']),
      productCode: z.string().nullable(),
      description: z.string(),
      unit: z.string().nullable(),
      quantity: z.string(),
      unitPrice: z.string(),
      amount: decimalString,
      account: z.string(),
      tax: z.string(),
      taxAmount: decimalString,
      /** The warehouse an inventory part was received into (its account is that warehouse's). */
      warehouse: z.string().nullable(),
    }),
  ),
  subtotal: decimalString,
  tax: decimalString,
  total: decimalString,
  connectwiseTotal: decimalString,
  /** Xero's total less ConnectWise's ("0.00" when they agree to the cent). */
  difference: decimalString,
  totalsAgree: z.boolean(),
  problems: z.array(z.object({ severity: z.string(), text: z.string(), fixWhere: z.string(), line: z.number().int().nullable() })),
  ready: z.boolean(),
  chip: syncChip,
  /** The bill in Xero once pushed. */
  xero: z.object({ documentId: z.string(), number: z.string(), status: z.string(), url: z.string(), amountDue: decimalString.nullable() }).nullable(),
  /** The last push's problem (needs attention), in words. */
  lastProblem: z.string().nullable(),
});
export type PurchaseBillView = z.infer<typeof purchaseBillView>;

export const purchaseOrderView = z.object({
  purchaseOrder: z.object({
    id: z.number().int(),
    poNumber: z.string(),
    poDate: z.string().nullable(),
    vendor: z.object({ identifier: z.string(), name: z.string() }),
    vendorInvoiceNumber: z.string().nullable(),
    status: z.string(),
    currency: z.string(),
    total: decimalString,
    /** The customer a drop-shipped PO went to. */
    dropShipTo: z.string().nullable(),
  }),
  lines: z.array(purchaseOrderLineView),
  receipts: z.array(purchaseReceiptView),
  /** Lines still to arrive (not received, not cancelled); without part shipments the PO's one bill waits for them. */
  waitingLines: z.array(z.number().int()),
  /** The tenant bills each packing slip as it arrives (else one bill per PO). */
  partShipments: z.boolean(),
  chip: syncChip,
  /** One sentence saying where the PO stands. */
  headline: z.string(),
  organisation: z.object({ xeroTenantId: z.string(), name: z.string() }).nullable(),
  bills: z.array(purchaseBillView),
  /** Problems of the whole PO (not connected, receipts partly billed, …). */
  problems: z.array(syncProblem),
  /** May this member push (admins, until the permission setting of issue 12). */
  mayPush: z.boolean(),
  /** A sentence saying who can push, for members who may not. */
  whoCanPush: z.string().nullable(),
  canPush: z.boolean(),
  pushLabel: z.enum(['Push to Xero', 'Re-sync']),
});
export type PurchaseOrderView = z.infer<typeof purchaseOrderView>;

export const purchasePushResponse = z.object({
  outcome: z.enum(['synced', 'unchanged', 'needs_attention', 'busy']),
  message: z.string(),
  view: purchaseOrderView,
});
export type PurchasePushResponse = z.infer<typeof purchasePushResponse>;
