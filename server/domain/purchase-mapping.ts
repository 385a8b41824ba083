// A ConnectWise purchase → a Xero ACCPAY bill. The input is one
// purchaseTransaction of finance/accounting/export (one packing slip's
// receipts), or several merged (mergePurchaseTransactions: a whole PO when the
// tenant bills without part shipments). planBills decides which bills a PO
// makes now. Pure: no I/O, no clock, no randomness.
//
//   header   Contact = the vendor (by ContactNumber = CW company identifier until
//            bound; mapSupplierContact gives its details), InvoiceNumber = the
//            vendor's invoice number (not unique in Xero for bills), Date = the
//            vendor invoice date (else the receipt date), DueDate = Date + the
//            vendor's terms in days, Reference = PO number and date + packing slips
//   lines    "product code: PO line description (unit)" + the product's detailed
//            description; received quantity × unit cost = CW's extended amount;
//            inventory parts to their warehouse's inventory account
//            (warehouse-accounts.ts), other lines to their GL account through the
//            account map; input tax types; freight as its own line
//   totals   Xero's, computed as Xero does, against ConnectWise's to the cent
import type { CwCompany, CwContact, CwSchemas } from '../../shared/cw-types.js';
import type { ProcurementSettings } from '../../shared/procurement-settings.js';
import { mapAccountCode } from './account-mapping.js';
import { type ContactMappingResult, mapContact } from './contact-mapping.js';
import { contentHash, normaliseGlEntryIds } from './content-hash.js';
import { addDays, toYmd } from './dates.js';
import { describeWithUnit, type LineFigures, lineFiguresText, toXeroLine } from './document-line.js';
import type { MappingTotals } from './invoice-mapping.js';
import { Dec, NotANumberError, ZERO, fromCw, roundTo, sum, toFixed, toWireNumber } from './money.js';
import { type MappingProblem, ProblemList, WHERE, isBlocking } from './problems.js';
import { TaxMapper } from './tax-mapping.js';
import { PROCUREMENT_WHERE, type WarehouseRef, findWarehouse, inventoryAccountFor } from './warehouse-accounts.js';
import { xeroLineAmount, xeroLineTax, xeroTotals } from './xero-calculation.js';
import { type RecordTracking, lineTracking } from './tracking-mapping.js';
import { type XeroRefs, currencyEnabled, findAccount } from './xero-refs.js';
import type { XeroBillPayload, XeroContactRecord } from './xero-wire.js';

export type CwPurchaseTransaction = CwSchemas['GLExportPurchaseTransaction'];
export type CwPurchaseDetail = CwSchemas['GLExportPurchaseTransactionDetail'];
export type CwGLExportVendor = CwSchemas['GLExportVendor'];
export type CwPurchaseOrder = CwSchemas['PurchaseOrder'];
export type CwPurchaseOrderLineItem = CwSchemas['PurchaseOrderLineItem'];

export interface PurchaseMappingInput {
  /** One purchaseTransaction from the export, or mergePurchaseTransactions(...) of a PO's. */
  transaction: CwPurchaseTransaction;
  /** The export's vendors[] entry for the vendor. */
  vendor?: CwGLExportVendor;
  /** GET company/companies/{id} of the vendor. */
  company: CwCompany;
  /** GET procurement/purchaseorders/{id}: the PO's date and vendor invoice, when the export lacks them. */
  purchaseOrder?: CwPurchaseOrder;
  settings: ProcurementSettings;
  /** CW GL account → Xero account code (the invoice settings' account map: one map of the chart). */
  accountMap: Record<string, string>;
  /** The tenant's warehouses (warehouseRefs), to find each part's warehouse account. */
  warehouses?: readonly WarehouseRef[];
  xeroRefs: XeroRefs;
  /** The organisation's tracking rules and the PO's location and business unit (tracking-mapping.ts). */
  tracking?: RecordTracking;
}

export interface PurchaseMappedLine {
  lineNumber: number;
  kind: 'product' | 'freight';
  /** Index into transaction.purchaseDetail (null for freight). */
  source: number | null;
  description: string;
  itemCode?: string;
  unitOfMeasure?: string;
  quantity: string;
  unitAmount: string;
  lineAmount: string;
  accountCode: string;
  warehouseId?: number;
  taxType?: string;
  taxRatePercent: string;
  taxAmount: string;
  cwAmount: string;
}

export interface PurchaseMappingResult {
  kind: 'bill';
  /** The payload for PUT Invoices; bind the ContactID with withContactId (invoice-mapping.ts). */
  document: XeroBillPayload;
  unitdp: 2 | 4;
  problems: MappingProblem[];
  ready: boolean;
  totals: MappingTotals;
  lines: PurchaseMappedLine[];
  /** The receipts' GL entry ids (processedRecordIds of its batch). */
  glEntryIds: string[];
  contentHash: string;
}

interface BillLine extends LineFigures {
  kind: 'product' | 'freight';
  source: number | null;
  warehouseId?: number;
  cwAmount: Dec;
}

const DESCRIPTION_MAX = 4000;
const REFERENCE_MAX = 255;

/** The GL entry ids behind a purchase transaction: its detail ids. */
export function purchaseGlEntryIds(tx: CwPurchaseTransaction): string[] {
  return normaliseGlEntryIds((tx.purchaseDetail ?? []).map((d) => d.id).filter((x): x is number => x != null));
}

export function mapPurchase(input: PurchaseMappingInput): PurchaseMappingResult {
  const { transaction: tx, settings, xeroRefs: refs } = input;
  const problems = new ProblemList();
  const lat = settings.lineAmountTypes;
  const po = input.purchaseOrder;
  const cwRecord = PROCUREMENT_WHERE.cwPurchaseOrder;

  // ---- header
  const date = toYmd(tx.vendorInvoiceDate ?? po?.vendorInvoiceDate) ?? toYmd(tx.documentDate) ?? toYmd(tx.purchaseDate);
  if (!date) problems.blocking({ code: 'date-missing', message: 'The ConnectWise purchase has no vendor invoice date and no receipt date.', where: cwRecord, area: 'connectwise', field: 'transaction.vendorInvoiceDate' });
  const dueDays = tx.dueDays ?? input.vendor?.dueDays ?? null;
  const dueDate = date && dueDays !== null && Number.isInteger(dueDays) && dueDays >= 0 ? addDays(date, dueDays) : null;
  if (!dueDate && date) problems.blocking({ code: 'due-date-missing', message: "The vendor has no payment terms in days in ConnectWise, so the bill's due date is unknown.", where: PROCUREMENT_WHERE.cwVendor, area: 'connectwise', field: 'transaction.dueDays' });
  const vendorInvoice = (tx.vendorInvoiceNumber || po?.vendorInvoiceNumber || '').trim();
  if (!vendorInvoice) problems.warning({ code: 'vendor-invoice-missing', message: "The purchase order has no vendor invoice number; the bill is sent without the supplier's number.", where: cwRecord, area: 'connectwise', field: 'transaction.vendorInvoiceNumber' });
  const currency = (tx.currency?.currencyCode ?? po?.currency?.currencyCode ?? refs.baseCurrency).toUpperCase();
  if (!currencyEnabled(refs, currency)) problems.blocking({ code: 'currency-not-enabled', message: `The purchase is in ${currency}, which is not enabled in the Xero organisation (base ${refs.baseCurrency}).`, where: WHERE.xeroCurrencies, area: 'xero', field: 'transaction.currency' });
  const poNumber = (po?.poNumber ?? tx.documentNumber ?? '').trim();
  const poDate = toYmd(po?.poDate ?? tx.purchaseDate);
  const slips = (tx.packingSlip ?? '').trim();
  const reference = [`PO ${poNumber}${poDate ? ` (${poDate})` : ''}`, slips ? `packing slip ${slips}` : ''].filter(Boolean).join(', ').slice(0, REFERENCE_MAX);

  // ---- lines
  const details = tx.purchaseDetail ?? [];
  if (details.length === 0) problems.blocking({ code: 'no-lines', message: 'The ConnectWise export has no received lines for this purchase.', where: cwRecord, area: 'connectwise', field: 'transaction.purchaseDetail' });
  const cwRates = new Map<string, Dec>();
  for (const t of tx.purchaseDetailTax ?? []) if (t.taxCode?.name && t.taxRatePercent != null) cwRates.set(t.taxCode.name, fromCw(t.taxRatePercent));
  const headerRate = tx.taxGroupRate != null ? fromCw(tx.taxGroupRate) : null;
  const taxMapper = new TaxMapper({ taxMap: settings.inputTaxMap, nonTaxableTaxType: settings.nonTaxableInputTaxType }, refs, problems, {
    side: 'expenses',
    where: { settings: PROCUREMENT_WHERE.settingsInputTax, record: cwRecord },
  });
  const knownItems = new Set(refs.items.map((i) => i.Code.toUpperCase()));
  const warehouses = input.warehouses ?? [];
  const ctx = { settings, accountMap: input.accountMap, xeroRefs: refs, warehouses };

  const tax = (taxCode: string | null, taxable: boolean, field: string, line: number) => {
    if (lat === 'NoTax') return null;
    const cwRate = taxCode ? (cwRates.get(taxCode) ?? headerRate) : headerRate;
    return taxMapper.resolve({ taxCode, taxable, cwRatePercent: taxable ? cwRate : null, field, line });
  };
  const finish = (l: Omit<BillLine, 'lineAmount' | 'taxAmount' | 'unitAmount'> & { unitAmount: Dec }): BillLine => {
    let unit = l.unitAmount;
    if (lat === 'Inclusive') unit = unit.times(l.ratePercent.plus(100)).dividedBy(100);
    unit = roundTo(unit, settings.unitDecimalPlaces);
    const lineAmount = xeroLineAmount(l.quantity, unit);
    return { ...l, unitAmount: unit, lineAmount, taxAmount: xeroLineTax(lineAmount, l.ratePercent, lat) };
  };

  const lines: BillLine[] = [];
  details.forEach((d, i) => {
    const field = `transaction.purchaseDetail[${i}]`;
    const lineNumber = lines.length + 1;
    let total: Dec;
    let quantity: Dec | null;
    let unitCost: Dec | null;
    try {
      total = fromCw(d.total, null);
      quantity = d.quantity == null ? null : fromCw(d.quantity);
      unitCost = d.itemCost == null ? null : fromCw(d.itemCost);
    } catch (e) {
      if (!(e instanceof NotANumberError)) throw e;
      problems.blocking({ code: 'cw-number-invalid', message: `Purchase line ${i + 1} of the export has no valid total, quantity or cost.`, where: cwRecord, area: 'connectwise', field });
      return;
    }
    const noQuantity = quantity === null || quantity.isZero();
    const q = noQuantity ? new Dec(1) : quantity!;
    const unit = noQuantity ? total : (unitCost ?? total.dividedBy(q));
    const stocked = !!d.inventoryAccountNumber && d.dropShippedFlag !== true;
    const at = { field: `${field}.accountNumber`, line: lineNumber };
    const accountCode = stocked ? inventoryAccountFor(d, d.inventoryAccountNumber, ctx, problems, at) : mapAccountCode(d.accountNumber, ctx, refs, problems, at);
    const taxCode = d.taxCode?.name ?? tx.taxCode?.name ?? null;
    const taxable = d.taxable !== false && tx.purchaseHeaderTaxableFlag !== false;
    const t = tax(taxCode, taxable, `${field}.taxCode`, lineNumber);
    const code = d.item?.identifier?.trim();
    const uom = d.unitOfMeasure?.name?.trim() || undefined;
    const lineText = (d.description ?? '').trim();
    const detailed = (d.itemDescription ?? '').trim();
    let head = [code, lineText || detailed].filter(Boolean).join(': ') || `ConnectWise purchase line ${d.lineNumber ?? i + 1}`;
    if (settings.includeUnitOfMeasure && uom) head = describeWithUnit(head, uom);
    const description = (detailed && detailed !== lineText ? `${head}\n${detailed}` : head).slice(0, DESCRIPTION_MAX);
    const warehouse = stocked ? findWarehouse(d, warehouses) : undefined;
    const tracking = lineTracking(input.tracking, { glClass: d.glClass, productCategory: d.subCategory?.id }, refs, problems, { field, line: lineNumber });
    lines.push(
      finish({
        kind: 'product',
        source: i,
        description,
        ...(code && knownItems.has(code.toUpperCase()) ? { itemCode: code } : {}),
        ...(uom ? { unitOfMeasure: uom } : {}),
        quantity: q,
        unitAmount: unit,
        accountCode: accountCode ?? '',
        ...(warehouse ? { warehouseId: warehouse.id } : {}),
        ...(t ? { taxType: t.taxType } : {}),
        ratePercent: t?.ratePercent ?? ZERO,
        cwAmount: total,
        ...(tracking ? { tracking } : {}),
      }),
    );
  });

  const freight = fromCw(tx.freightAmount ?? 0);
  if (!freight.isZero()) {
    const lineNumber = lines.length + 1;
    const code = settings.freightAccountCode.trim();
    const account = code ? findAccount(refs, code) : undefined;
    if (!account || account.Status !== 'ACTIVE') {
      problems.blocking({
        code: 'freight-account-invalid',
        message: code ? `The freight account ${code} is not an active Xero account.` : 'The purchase has freight but no freight account is set.',
        where: PROCUREMENT_WHERE.settingsPurchases,
        area: 'settings',
        field: 'settings.freightAccountCode',
        line: lineNumber,
      });
    }
    const t = tax(tx.taxCode?.name ?? null, tx.purchaseHeaderFreightTaxableFlag === true, 'transaction.freightAmount', lineNumber);
    const tracking = lineTracking(input.tracking, {}, refs, problems, { field: 'transaction.freightAmount', line: lineNumber });
    lines.push(
      finish({
        kind: 'freight',
        source: null,
        description: `Freight${tx.freightPackingSlip ? ` (packing slip ${tx.freightPackingSlip})` : ''}`,
        quantity: new Dec(1),
        unitAmount: freight,
        accountCode: code,
        ...(t ? { taxType: t.taxType } : {}),
        ratePercent: t?.ratePercent ?? ZERO,
        cwAmount: freight,
        ...(tracking ? { tracking } : {}),
      }),
    );
  }

  // ---- totals, to the cent against ConnectWise
  const cwSubtotal = sum(lines.map((l) => l.cwAmount));
  const cwTax = sum((tx.purchaseDetailTax ?? []).map((t) => fromCw(t.total ?? 0)));
  let cwTotal = cwSubtotal.plus(cwTax);
  try {
    cwTotal = fromCw(tx.total, null);
  } catch (e) {
    if (!(e instanceof NotANumberError)) throw e;
    problems.blocking({ code: 'cw-total-missing', message: 'The ConnectWise export has no valid purchase total.', where: cwRecord, area: 'connectwise', field: 'transaction.total' });
  }
  if (!cwSubtotal.plus(cwTax).equals(cwTotal)) {
    problems.blocking({ code: 'cw-export-inconsistent', message: "ConnectWise's purchase lines, freight and tax do not add up to its total; re-export the purchase.", where: cwRecord, area: 'connectwise', field: 'transaction.total' });
  }
  const xero = xeroTotals(lines, lat);
  const difference = xero.total.minus(cwTotal);
  if (!difference.isZero() && !isBlocking(problems.items)) {
    const blame = lines.findIndex((l) => !l.lineAmount.equals(l.cwAmount.times(lat === 'Inclusive' ? l.ratePercent.plus(100).dividedBy(100) : 1).toDecimalPlaces(2, Dec.ROUND_HALF_UP)));
    problems.blocking({
      code: 'total-mismatch',
      message: `Xero's total would be ${toFixed(difference.abs())} ${difference.isPositive() ? 'higher' : 'lower'} than ConnectWise's${blame >= 0 ? `: look at line ${blame + 1}` : ''}.`,
      where: cwRecord,
      area: 'connectwise',
      field: 'transaction.total',
      ...(blame >= 0 ? { line: blame + 1 } : {}),
    });
  }
  const taxDifference = xero.totalTax.minus(cwTax);
  if (difference.isZero() && !taxDifference.isZero()) {
    problems.warning({ code: 'tax-differs', message: `Xero's tax would be ${toFixed(taxDifference.abs())} ${taxDifference.isPositive() ? 'higher' : 'lower'} than ConnectWise's (Xero rounds tax on each line).`, where: cwRecord, area: 'connectwise', field: 'transaction.purchaseDetailTax' });
  }
  if (xero.total.isNegative()) {
    problems.blocking({ code: 'negative-total', message: 'The purchase total is negative; a Xero bill must be positive (a vendor credit is a different document).', where: cwRecord, area: 'connectwise', field: 'transaction.total' });
  }

  const document: XeroBillPayload = {
    Type: 'ACCPAY',
    Contact: { ContactNumber: input.company.identifier },
    Date: date ?? '',
    DueDate: dueDate ?? '',
    ...(vendorInvoice ? { InvoiceNumber: vendorInvoice } : {}),
    ...(reference ? { Reference: reference } : {}),
    Status: settings.billStatus,
    LineAmountTypes: lat,
    CurrencyCode: currency,
    LineItems: lines.map((l) => toXeroLine(l, lat)),
  };
  return {
    kind: 'bill',
    document,
    unitdp: lines.some((l) => l.quantity.decimalPlaces() > 2 || l.unitAmount.decimalPlaces() > 2) ? 4 : 2,
    problems: problems.items,
    ready: !isBlocking(problems.items),
    totals: {
      cwSubtotal: toFixed(cwSubtotal),
      cwTax: toFixed(cwTax),
      cwTotal: toFixed(cwTotal),
      xeroSubtotal: toFixed(xero.subTotal),
      xeroTax: toFixed(xero.totalTax),
      xeroTotal: toFixed(xero.total),
      difference: toFixed(difference),
      taxDifference: toFixed(taxDifference),
    },
    lines: lines.map((l, i) => ({
      lineNumber: i + 1,
      kind: l.kind,
      source: l.source,
      ...lineFiguresText(l),
      ...(l.warehouseId !== undefined ? { warehouseId: l.warehouseId } : {}),
      cwAmount: toFixed(l.cwAmount),
    })),
    glEntryIds: purchaseGlEntryIds(tx),
    contentHash: contentHash(document),
  };
}

/**
 * Several packing slips of one PO as one purchase (a bill for the whole PO):
 * lines, freight, tax and totals added up; packing slips listed.
 */
export function mergePurchaseTransactions(transactions: readonly CwPurchaseTransaction[]): CwPurchaseTransaction {
  const [first, ...rest] = transactions;
  if (!first) throw new RangeError('at least one purchase transaction is required');
  if (rest.length === 0) return first;
  const add = (f: (t: CwPurchaseTransaction) => number | null | undefined) => toWireNumber(sum(transactions.map((t) => fromCw(f(t) ?? 0))));
  const dates = transactions.map((t) => t.documentDate ?? '').filter(Boolean).sort();
  return {
    ...first,
    id: `PO #${first.documentNumber ?? ''}`,
    ...(dates.length ? { documentDate: dates.at(-1)! } : {}),
    packingSlip: transactions.map((t) => t.packingSlip ?? '').filter(Boolean).join(', '),
    freightAmount: add((t) => t.freightAmount),
    total: add((t) => t.total),
    purchaseDetail: transactions.flatMap((t) => t.purchaseDetail ?? []),
    purchaseDetailTax: transactions.flatMap((t) => t.purchaseDetailTax ?? []),
  };
}

// ---- which bills a PO makes -------------------------------------------------

export interface BillPlanInput {
  purchaseOrderId: number;
  /** GET procurement/purchaseorders/{id}/lineitems (to know whether every line is received). */
  lineItems: readonly CwPurchaseOrderLineItem[];
  /** The PO's purchaseTransactions from the export (its unposted packing slips). */
  transactions: readonly CwPurchaseTransaction[];
  /** The procurement setting. */
  partShipments: boolean;
  /** Receipt GL entry ids already on a bill we made (from the ledger). */
  billedReceiptIds: ReadonlySet<string>;
}

export interface PlannedBill {
  /** Stable and ids only: `po:{poId}:ps:{lowest receipt id}` per packing slip, `po:{poId}:all:{lowest receipt id}` per PO. */
  key: string;
  packingSlips: string[];
  receiptIds: string[];
  /** What to map (mapPurchase). */
  transaction: CwPurchaseTransaction;
}

export interface BillPlan {
  bills: PlannedBill[];
  /** Without part shipments: lines still waiting (by line number); no bill until they are received or cancelled. */
  waitingLines: number[];
  /** Receipts already billed, left out. */
  alreadyBilled: string[];
  /** Packing slips part billed, part not: never guessed, a person looks (`needs attention`). */
  partlyBilled: { packingSlip: string; billed: string[]; unbilled: string[] }[];
}

/**
 * The bills a PO makes now. With part shipments, one per packing slip as it
 * arrives; without, one for the whole PO once no line is waiting (received,
 * or its rest cancelled). A receipt already billed is never billed again.
 */
export function planBills(input: BillPlanInput): BillPlan {
  const alreadyBilled: string[] = [];
  const partlyBilled: BillPlan['partlyBilled'] = [];
  const open: { tx: CwPurchaseTransaction; ids: string[] }[] = [];
  for (const tx of input.transactions) {
    const ids = purchaseGlEntryIds(tx);
    const billed = ids.filter((id) => input.billedReceiptIds.has(id));
    if (billed.length === ids.length) {
      alreadyBilled.push(...billed);
      continue;
    }
    if (billed.length > 0) {
      partlyBilled.push({ packingSlip: tx.packingSlip ?? '', billed, unbilled: ids.filter((id) => !input.billedReceiptIds.has(id)) });
      alreadyBilled.push(...billed);
      continue;
    }
    open.push({ tx, ids });
  }
  const lowest = (ids: string[]) => normaliseGlEntryIds(ids)[0]!;
  if (input.partShipments) {
    return {
      bills: open.map(({ tx, ids }) => ({ key: `po:${input.purchaseOrderId}:ps:${lowest(ids)}`, packingSlips: [tx.packingSlip ?? ''], receiptIds: ids, transaction: tx })),
      waitingLines: [],
      alreadyBilled,
      partlyBilled,
    };
  }
  const waitingLines = input.lineItems
    .filter((l) => l.canceledFlag !== true && (l.receivedStatus ?? 'Waiting') === 'Waiting')
    .map((l) => l.lineNumber ?? 0);
  if (waitingLines.length > 0 || open.length === 0 || partlyBilled.length > 0) return { bills: [], waitingLines, alreadyBilled, partlyBilled };
  const ids = normaliseGlEntryIds(open.flatMap((o) => o.ids));
  return {
    bills: [{ key: `po:${input.purchaseOrderId}:all:${lowest(ids)}`, packingSlips: open.map((o) => o.tx.packingSlip ?? ''), receiptIds: ids, transaction: mergePurchaseTransactions(open.map((o) => o.tx)) }],
    waitingLines,
    alreadyBilled,
    partlyBilled,
  };
}

// ---- the vendor as a Xero supplier contact ----------------------------------

/**
 * The vendor → a Xero contact, created and updated with all its details as
 * customers are (contact-mapping.ts: name, phone, address, AP contact's email,
 * primary contact, account number per the invoice setting). Xero marks it a
 * supplier itself once it has an approved bill.
 */
export function mapSupplierContact(input: {
  company: CwCompany;
  vendor?: CwGLExportVendor;
  billingContact?: CwContact;
  primaryContact?: CwContact;
  contactAccountNumber: boolean;
  existing?: XeroContactRecord;
}): ContactMappingResult {
  return mapContact({
    company: input.company,
    ...(input.vendor?.accountNumber ? { customer: { accountNumber: input.vendor.accountNumber } } : {}),
    ...(input.billingContact ? { billingContact: input.billingContact } : {}),
    ...(input.primaryContact ? { primaryContact: input.primaryContact } : {}),
    settings: { contactAccountNumber: input.contactAccountNumber },
    ...(input.existing ? { existing: input.existing } : {}),
  });
}
