// The purchase-order pod's two requests: where a PO stands and the bills it
// makes (GET /api/purchaseorders/:id/sync), and "push it now"
// (POST /api/purchaseorders/:id/push) — a run of the PO's bills through the one
// engine, each posted in its own ConnectWise batch as an invoice is. Every push
// leaves an audit row of ids, outcome and codes.
import type { AppDeps } from '../deps.js';
import type { Session } from '../session.js';
import type { SyncChip } from '../../shared/api.js';
import type { PurchaseBillView, PurchaseOrderView, PurchasePushResponse, PurchaseReceiptView } from '../../shared/purchase-api.js';
import { type CwPurchaseTransaction, mergePurchaseTransactions, type PurchaseMappingResult } from '../domain/purchase-mapping.js';
import { findWarehouse } from '../domain/warehouse-accounts.js';
import { descriptionWithoutUnit } from '../domain/document-line.js';
import { taxRateWords } from '../domain/xero-refs.js';
import { XeroUnavailable } from '../engine/errors.js';
import type { RecordOutcome } from '../engine/executor.js';
import { kindEntry, purchaseBillKind, type XeroDocumentRef } from '../engine/kinds.js';
import type { LedgerRow } from '../engine/ledger.js';
import { storedProblem } from '../engine/problems.js';
import type { TenantSettings } from '../settings.js';
import { xeroDocuments } from '../expenses/expense-service.js';
import { unavailable } from '../http/errors.js';
import { reexportPurchaseBatch } from './cw-procurement-source.js';
import { mapPurchaseBill, preparePurchaseOrder, type PurchaseBillPrep, type PurchaseOrderPreparation } from './prepare-purchase.js';
import { mayPush, requirePusher, whoCanPush as whoCanPushWords } from '../permission.js';
import { loadTenantSettings } from '../settings.js';
import { auditedPush, pushInterrupted, summarisePush } from '../sync/audited-push.js';

/** A bill of ours already posted in ConnectWise, read back from its batch: its packing slips and (for the preview) its mapping. */
interface PostedBill {
  row: LedgerRow;
  packingSlips: string[];
  transaction?: CwPurchaseTransaction;
  mapping?: PurchaseMappingResult;
}

const idsOf = (r: LedgerRow): string[] => (r.gl_entry_ids ?? '').split(',').filter(Boolean);

/** Our bills of the PO that ConnectWise has posted: which packing slips each holds, from its batch's export. */
async function postedBills(p: PurchaseOrderPreparation): Promise<PostedBill[]> {
  const planned = new Set(p.bills?.bills.map((b) => b.recordId) ?? []);
  const out: PostedBill[] = [];
  for (const row of p.rows) {
    if (planned.has(row.cw_record_id) || row.state !== 'synced' || row.cw_batch_id == null) continue;
    const ids = new Set(idsOf(row));
    const exp = await reexportPurchaseBatch(p.cw, row.cw_batch_id);
    const txs = exp.purchaseTransactions.filter((t) => (t.purchaseDetail ?? []).some((d) => ids.has(String(d.id))));
    const packingSlips = txs.map((t) => t.packingSlip ?? '').filter(Boolean);
    const vendorId = p.vendor?.company.id;
    const transaction = txs.length ? mergePurchaseTransactions(txs) : undefined;
    const mapping =
      transaction && p.vendor && p.facts
        ? mapPurchaseBill({ transaction, packingSlips, exportVendor: exp.vendors.find((v) => (v.vendor?.id ?? v.company?.id) === vendorId), vendor: p.vendor, purchaseOrder: p.purchaseOrder, settings: p.settings, warehouses: p.warehouses, facts: p.facts, xeroTenantId: p.organisation?.xeroTenantId })
        : undefined;
    out.push({ row, packingSlips, ...(transaction ? { transaction } : {}), ...(mapping ? { mapping } : {}) });
  }
  return out;
}

function chipOf(row: LedgerRow | undefined, prep: PurchaseBillPrep | undefined, doc: XeroDocumentRef | undefined, now: Date): SyncChip {
  if (row?.lease_until && new Date(row.lease_until) > now) return 'pushing';
  if (row?.state === 'needs_attention') return 'needs_attention';
  if (row?.state === 'synced') {
    if (doc && purchaseBillKind.xero.isPaid(doc)) return 'paid';
    return prep && row.content_hash !== prep.prepared.contentHash ? 'changed' : 'synced';
  }
  if (prep && prep.prepared.problems.length) return 'needs_attention';
  return 'ready';
}

function billView(p: PurchaseOrderPreparation, appUrl: string, now: Date, b: { prep?: PurchaseBillPrep; posted?: PostedBill; row: LedgerRow | undefined; doc: XeroDocumentRef | undefined }): PurchaseBillView {
  const { prep, row, doc } = b;
  const m = prep?.mapping ?? b.posted?.mapping;
  const details = (prep?.plan.transaction ?? b.posted?.transaction)?.purchaseDetail ?? [];
  const kind = kindEntry(row?.document_kind ?? purchaseBillKind.name);
  const xero = doc
    ? { documentId: doc.id, number: doc.number, status: doc.status, url: kind.xero.url(appUrl, doc.id), amountDue: doc.amountDue }
    : row?.xero_document_id
      ? { documentId: row.xero_document_id, number: row.xero_number ?? '', status: row.xero_status ?? '', url: kind.xero.url(appUrl, row.xero_document_id), amountDue: null }
      : null;
  const document = m?.document;
  const warehouseName = (id: number | undefined) => (id === undefined ? null : (p.warehouses.find((w) => w.id === id)?.name ?? `Warehouse ${id}`));
  return {
    key: prep?.recordId ?? row!.cw_record_id,
    packingSlips: prep?.plan.packingSlips ?? b.posted?.packingSlips ?? [],
    number: document?.InvoiceNumber ?? row?.xero_number ?? doc?.number ?? '',
    supplier: p.vendor?.company.name ?? p.vendor?.company.identifier ?? '',
    date: document?.Date ?? doc?.date ?? '',
    dueDate: document?.DueDate || null,
    reference: document?.Reference ?? '',
    currency: document?.CurrencyCode ?? doc?.currency ?? '',
    status: document?.Status ?? doc?.status ?? '',
    lines: (m?.lines ?? []).map((l) => ({
      lineNumber: l.lineNumber,
      kind: l.kind,
      productCode: l.itemCode ?? (l.source !== null ? details[l.source]?.item?.identifier?.trim() || null : null),
      description: descriptionWithoutUnit(l.description, l.unitOfMeasure),
      unit: l.unitOfMeasure ?? null,
      quantity: l.quantity,
      unitPrice: l.unitAmount,
      amount: l.lineAmount,
      account: l.accountCode,
      tax: l.taxType ? taxRateWords(p.facts?.refs ?? { taxRates: [] }, l.taxType, l.taxRatePercent) : '',
      taxAmount: l.taxAmount,
      warehouse: warehouseName(l.warehouseId),
    })),
    subtotal: m?.totals.xeroSubtotal ?? '0.00',
    tax: m?.totals.xeroTax ?? '0.00',
    total: m?.totals.xeroTotal ?? doc?.total ?? '0.00',
    connectwiseTotal: m?.totals.cwTotal ?? doc?.total ?? '0.00',
    difference: m?.totals.difference ?? '0.00',
    totalsAgree: m ? m.totals.difference === '0.00' : true,
    problems: (prep?.mapping.problems ?? []).map((x) => ({ severity: x.severity, text: x.message, fixWhere: x.where ?? '', line: x.line ?? null })),
    ready: !!prep && prep.prepared.problems.length === 0,
    chip: prep ? chipOf(row, prep, doc, now) : doc && purchaseBillKind.xero.isPaid(doc) ? 'paid' : row?.state === 'synced' ? 'synced' : chipOf(row, undefined, doc, now),
    xero,
    lastProblem: row?.state === 'needs_attention' && row.error_code ? storedProblem(row.error_code, row.error_message).message : null,
  };
}

const text = (v: unknown): string => (v == null ? '' : String(v));

/** Each packing slip's receipts and where they stand. */
function receiptsOf(p: PurchaseOrderPreparation, bills: PurchaseBillView[], posted: PostedBill[]): PurchaseReceiptView[] {
  const plan = p.bills?.plan;
  const slips = new Map<string, { lines: number[]; date: string | null }>();
  for (const l of p.lineItems) {
    if ((l.receivedStatus ?? 'Waiting') === 'Waiting' || l.canceledFlag === true && !Number(l.receivedQuantity ?? 0)) continue;
    const slip = text(l.packingSlip);
    const s = slips.get(slip) ?? { lines: [], date: null };
    s.lines.push(l.lineNumber ?? 0);
    s.date = s.date ?? (l.dateReceived ? text(l.dateReceived).slice(0, 10) : null);
    slips.set(slip, s);
  }
  const unpostedSlips = new Set((p.bills?.transactions ?? []).map((t) => text(t.packingSlip)));
  return [...slips.entries()].map(([packingSlip, s]) => {
    const base = { packingSlip, dateReceived: s.date, lineNumbers: s.lines };
    const bill = bills.find((b) => b.packingSlips.includes(packingSlip));
    const postedBill = posted.find((x) => x.packingSlips.includes(packingSlip));
    if (bill && !postedBill) {
      const readiness = bill.chip === 'ready' || bill.chip === 'changed' ? 'ready' : bill.chip === 'needs_attention' ? 'needs_attention' : bill.chip === 'pushing' ? 'pushing' : 'billed';
      return { ...base, readiness, message: readiness === 'needs_attention' ? (bill.problems.find((x) => x.severity === 'blocking')?.text ?? bill.lastProblem) : null, billKey: bill.key };
    }
    if (postedBill) return { ...base, readiness: 'billed' as const, message: null, billKey: postedBill.row.cw_record_id };
    if (unpostedSlips.has(packingSlip) && plan) {
      const partly = plan.partlyBilled.find((x) => x.packingSlip === packingSlip);
      if (partly) return { ...base, readiness: 'needs_attention' as const, message: p.problems.find((x) => x.code === 'receipts-partly-billed')?.message ?? null, billKey: null };
      if (plan.waitingLines.length) return { ...base, readiness: 'held' as const, message: `Billed with the whole purchase order once line${plan.waitingLines.length > 1 ? 's' : ''} ${plan.waitingLines.join(', ')} ${plan.waitingLines.length > 1 ? 'are' : 'is'} received or cancelled (part shipments are off).`, billKey: null };
      return { ...base, readiness: 'needs_attention' as const, message: p.problems[0]?.message ?? null, billKey: null };
    }
    if (unpostedSlips.has(packingSlip)) return { ...base, readiness: 'needs_attention' as const, message: p.problems[0]?.message ?? null, billKey: null };
    return { ...base, readiness: 'posted' as const, message: 'Posted in ConnectWise outside CW–Xero Sync (or before it was set up): it is not billed again.', billKey: null };
  });
}

export async function buildPurchaseView(deps: AppDeps, session: Pick<Session, 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>, p: PurchaseOrderPreparation): Promise<PurchaseOrderView> {
  const now = deps.now();
  const live = await xeroDocuments(deps, p.tenantId, p.rows).catch((err) => {
    if (err instanceof XeroUnavailable) return new Map<string, XeroDocumentRef>();
    throw err;
  });
  const appUrl = deps.config.xero.appUrl;
  const posted = await postedBills(p);
  const docOf = (row: LedgerRow | undefined) => (row?.xero_document_id ? live.get(row.xero_document_id) : undefined);
  const bills: PurchaseBillView[] = [];
  const seen = new Set<string>();
  for (const prep of p.bills?.bills ?? []) {
    const row = p.rows.find((r) => r.cw_record_id === prep.recordId);
    seen.add(prep.recordId);
    bills.push(billView(p, appUrl, now, { prep, row, doc: docOf(row) }));
  }
  for (const b of posted) {
    seen.add(b.row.cw_record_id);
    bills.push(billView(p, appUrl, now, { posted: b, row: b.row, doc: docOf(b.row) }));
  }
  // A bill of ours in Xero whose batch ConnectWise has not closed and the plan no longer makes: shown, never lost.
  for (const row of p.rows) if (!seen.has(row.cw_record_id) && row.xero_document_id) bills.push(billView(p, appUrl, now, { row, doc: docOf(row) }));

  const po = p.purchaseOrder;
  const lines = p.lineItems.map((l) => {
    const warehouseId = (l.warehouse as { id?: number } | undefined)?.id;
    const w = warehouseId != null ? p.warehouses.find((x) => x.id === warehouseId) ?? findWarehouse({ warehouse: { id: warehouseId } }, p.warehouses) : undefined;
    const dropShipped = !l.warehouse && po.dropShipCustomerFlag === true;
    return {
      lineNumber: l.lineNumber ?? 0,
      productCode: text(l.product?.identifier),
      description: text(l.description),
      quantity: text(l.quantity ?? 0),
      receivedQuantity: text(l.receivedQuantity ?? 0),
      receivedStatus: l.canceledFlag ? 'Cancelled' : text(l.receivedStatus ?? 'Waiting'),
      packingSlip: l.packingSlip ? text(l.packingSlip) : null,
      warehouse: w?.name ?? (l.warehouse as { name?: string } | undefined)?.name ?? null,
      dropShipped,
    };
  });
  const receipts = receiptsOf(p, bills, posted);
  const problems = p.problems;
  const open = bills.filter((b) => b.chip === 'ready' || b.chip === 'changed' || b.chip === 'needs_attention');
  const allDone = bills.length > 0 && bills.every((b) => b.chip === 'synced' || b.chip === 'paid');
  // Lines still to arrive (without part shipments the PO's one bill waits for them: the plan's waiting lines).
  const heldFor = p.bills?.plan.waitingLines ?? [];
  const waitingLines = p.lineItems.filter((l) => l.canceledFlag !== true && (l.receivedStatus ?? 'Waiting') === 'Waiting').map((l) => l.lineNumber ?? 0);
  const toArrive = waitingLines.length ? ` Line${waitingLines.length > 1 ? 's' : ''} ${waitingLines.join(', ')} ${waitingLines.length > 1 ? 'are' : 'is'} still to arrive.` : '';
  const chip: SyncChip = bills.some((b) => b.chip === 'pushing')
    ? 'pushing'
    : problems.length || bills.some((b) => b.chip === 'needs_attention')
      ? 'needs_attention'
      : allDone && !receipts.some((r) => r.readiness === 'ready' || r.readiness === 'held')
        ? 'synced'
        : bills.some((b) => b.chip === 'changed')
          ? 'changed'
          : 'ready';
  const planned = p.bills?.bills ?? [];
  const headline = problems.length
    ? problems[0]!.message
    : planned.length === 0 && heldFor.length
      ? `Waiting for line${heldFor.length > 1 ? 's' : ''} ${heldFor.join(', ')}: the purchase order is billed once every line is received or its rest cancelled.`
      : planned.length === 0
        ? allDone
          ? `In Xero as ${billsWords(bills)}.${toArrive}`
          : receipts.length === 0
            ? 'Nothing of this purchase order is received yet: a bill is made as goods arrive.'
            : 'Nothing of this purchase order is waiting to go to Xero.'
        : bills.some((b) => b.chip === 'needs_attention')
          ? 'Some of this purchase order needs attention before it can go to Xero.'
          : `Ready: ${planned.length === 1 ? 'one Xero bill' : `${planned.length} Xero bills`}.`;
  return {
    purchaseOrder: {
      id: po.id,
      poNumber: text(po.poNumber ?? po.id),
      poDate: po.poDate ? text(po.poDate).slice(0, 10) : null,
      vendor: { identifier: p.vendor?.company.identifier ?? text(po.vendorCompany?.identifier), name: p.vendor?.company.name ?? text(po.vendorCompany?.name) },
      vendorInvoiceNumber: po.vendorInvoiceNumber ? text(po.vendorInvoiceNumber) : null,
      status: text(po.status?.name ?? (po.closedFlag ? 'Closed' : 'Open')),
      currency: text(po.currency?.currencyCode),
      total: toAmount(po.total),
      dropShipTo: po.dropShipCustomerFlag ? text(po.customerName ?? po.customerCompany?.name) || null : null,
    },
    lines,
    receipts,
    waitingLines,
    partShipments: p.settings.procurement.partShipments,
    chip,
    headline,
    organisation: p.organisation,
    bills,
    problems,
    mayPush: mayPush(p.settings, session),
    whoCanPush: mayPush(p.settings, session) ? null : whoCanPushWords(p.settings),
    canPush: mayPush(p.settings, session) && !!p.organisation && planned.some((b) => b.prepared.problems.length === 0) && open.length > 0,
    pushLabel: bills.some((b) => b.xero) ? 'Re-sync' : 'Push to Xero',
  };
}

/** "bill IM-558812", or "bills DD-20931 (PS-2001) and DD-20931 (PS-2002)" (a PO's bills share the vendor's number). */
function billsWords(bills: readonly Pick<PurchaseBillView, 'number' | 'packingSlips' | 'xero'>[]): string {
  const numbers = bills.map((b) => b.xero?.number || b.number);
  const repeated = new Set(numbers).size < numbers.length;
  const items = bills.map((b, i) => `${numbers[i]}${repeated && b.packingSlips.length ? ` (${b.packingSlips.join(', ')})` : ''}`);
  if (items.length === 1) return `bill ${items[0]}`;
  return `bills ${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** ConnectWise's amounts are numbers; the view's are decimal text to the cent. */
function toAmount(v: unknown): string {
  const n = typeof v === 'number' ? v : Number(v ?? 0);
  return Number.isFinite(n) ? n.toFixed(2) : '0.00';
}

export async function purchaseOrderView(deps: AppDeps, session: Session, poId: number): Promise<PurchaseOrderView> {
  try {
    return await buildPurchaseView(deps, session, await preparePurchaseOrder(deps, session.tenantId, poId));
  } catch (err) {
    return unavailable(err);
  }
}

/** Pushes the PO's bills through the engine (a person's push: ahead of queued run work), one ConnectWise batch per bill. */
export async function pushPurchaseBills(deps: AppDeps, tenantId: string, memberId: string, p: PurchaseOrderPreparation): Promise<RecordOutcome[]> {
  const records = (p.bills?.bills ?? []).map((b) => b.prepared);
  if (!p.organisation || records.length === 0) return [];
  return auditedPush(deps, { tenantId, action: 'purchase.push', memberId, subject: `purchaseorder:${p.purchaseOrder.id}`, xeroTenantId: p.organisation.xeroTenantId, cw: p.cw, records, label: 'bill' });
}

export async function pushPurchaseOrderNow(deps: AppDeps, session: Session, poId: number): Promise<PurchasePushResponse> {
  requirePusher(await loadTenantSettings(deps.db, session.tenantId), session);
  const p = await preparePurchaseOrder(deps, session.tenantId, poId).catch(unavailable);
  if (!p.organisation || !p.bills || p.bills.bills.length === 0) {
    const view = await buildPurchaseView(deps, session, p).catch(unavailable);
    // Everything received already in Xero and posted (or nothing to bill yet): nothing to do, and nothing wrong.
    const nothingWrong = !!p.organisation && view.problems.length === 0;
    return nothingWrong ? { outcome: 'unchanged', message: view.headline, view } : { outcome: 'needs_attention', message: view.headline, view };
  }
  const outcomes = await pushPurchaseBills(deps, session.tenantId, session.memberIdentifier, p).catch((err: unknown) => pushInterrupted(err, 'purchase order'));
  const view = await buildPurchaseView(deps, session, await preparePurchaseOrder(deps, session.tenantId, poId).catch(unavailable)).catch(unavailable);
  const summary = summarisePush(outcomes, 'This purchase order is being pushed right now (another click or tab, or a run); the result appears in a moment.');
  const outcome = summary.outcome;
  // A synced push says which bills are in Xero now, in the view's words.
  const message =
    outcome !== 'synced'
      ? summary.message
      : view.chip === 'synced'
        ? view.headline
        : `In Xero now: ${billsWords(view.bills.filter((b) => outcomes.some((o) => o.cwRecordId === b.key && o.state === 'synced')))}.`;
  return { outcome, message, view };
}
