// The invoice mapping: one ConnectWise invoice (its GLExport transaction from
// finance/accounting/export, plus the invoice and company records) → the Xero
// document that will hold it, computed exactly as Xero will compute it.
// Pure: no I/O, no clock, no randomness; the same input gives the same output
// and the same content hash.
//
//   ACCREC invoice           ← CW Standard / Agreement / Miscellaneous / … invoice
//   ACCRECCREDIT credit note ← CW credit memo (amounts negative in CW, positive in Xero)
//
// Lines come from the export detail (CW's own summary of the invoice), the
// sales-tax detail is folded into the lines' tax types, and the totals are
// compared with ConnectWise's to the cent; a difference blocks the push unless
// the settings allow a rounding line.
import type {
  CwContact,
  CwCompany,
  CwGLExportCustomer,
  CwGLExportTransaction,
  CwInvoice,
  CwPayment,
} from '../../shared/cw-types.js';
import { mapAccountCode } from './account-mapping.js';
import { contentHash } from './content-hash.js';
import { type CwRevenueLine, readCwInvoiceLines } from './cw-invoice-lines.js';
import { addDays, toYmd } from './dates.js';
import type { InvoiceMappingSettings } from './invoice-settings.js';
import { ItemMapper } from './item-mapping.js';
import { Dec, NotANumberError, ZERO, fromCw, roundTo, sum, toFixed, toWireNumber } from './money.js';
import { type MappingProblem, ProblemList, WHERE, isBlocking } from './problems.js';
import { TaxMapper } from './tax-mapping.js';
import { mapTracking } from './tracking-mapping.js';
import { xeroLineAmount, xeroLineTax, xeroTotals } from './xero-calculation.js';
import { type XeroRefs, currencyEnabled, findAccount, resolveRevenueTaxType } from './xero-refs.js';
import type {
  XeroContactRef,
  XeroCreditNotePayload,
  XeroDocumentPayload,
  XeroInvoicePayload,
  XeroItemPayload,
  XeroLineItem,
} from './xero-wire.js';

export interface InvoiceMappingInput {
  /** The invoice's transaction from POST finance/accounting/export. */
  transaction: CwGLExportTransaction;
  /** The export's customer entry for the invoice's company. */
  customer?: CwGLExportCustomer;
  /** GET finance/invoices/{id}. */
  invoice: CwInvoice;
  /** GET company/companies/{id} (the bill-to company). */
  company: CwCompany;
  /** Not used by the document itself; carried for the contact mapping. */
  billingContact?: CwContact;
  primaryContact?: CwContact;
  /**
   * For a credit memo: CW payment records that apply it to invoices
   * (`credit` = this memo, `invoice` = the invoice it was applied to).
   */
  creditApplications?: CwPayment[];
  settings: InvoiceMappingSettings;
  xeroRefs: XeroRefs;
}

/** One line of the Xero document, with the figures the preview shows. Decimal strings. */
export interface MappedLine {
  lineNumber: number;
  kind: CwRevenueLine['kind'] | 'rounding';
  /** Indexes into transaction.detail behind this line (empty for a rounding line). */
  sources: number[];
  description: string;
  itemCode?: string;
  unitOfMeasure?: string;
  quantity: string;
  unitAmount: string;
  lineAmount: string;
  accountCode: string;
  taxType?: string;
  taxRatePercent: string;
  /** Tax Xero will compute for this line. */
  taxAmount: string;
  /** ConnectWise's extended amount for this line (document sign), null for a rounding line. */
  cwAmount: string | null;
}

export interface MappingTotals {
  cwSubtotal: string;
  cwTax: string;
  cwTotal: string;
  xeroSubtotal: string;
  xeroTax: string;
  xeroTotal: string;
  /** xeroTotal − cwTotal after any rounding line: "0.00" when they agree. */
  difference: string;
  /** xeroTax − cwTax (informational: a rounding line evens the total, not the tax). */
  taxDifference: string;
}

export interface AllocationPlan {
  /** The Xero invoice number (with prefix) of the invoice CW applied the memo to. */
  invoiceNumber: string;
  amount: string;
  date?: string;
}

export interface InvoiceMappingResult {
  kind: 'invoice' | 'creditNote';
  /** The payload for PUT Invoices / PUT CreditNotes; bind the ContactID with `withContactId`. */
  document: XeroDocumentPayload;
  /** Pass as the `unitdp` query parameter: 4 when a quantity or unit amount uses more than 2 places. */
  unitdp: 2 | 4;
  itemsToCreate: XeroItemPayload[];
  problems: MappingProblem[];
  /** No blocking problem: the document may be pushed. */
  ready: boolean;
  totals: MappingTotals;
  lines: MappedLine[];
  roundingLine?: XeroLineItem;
  allocations: AllocationPlan[];
  /** CW GL entry ids behind the document (processedRecordIds of its batch). */
  glEntryIds: string[];
  /** SHA-256 of the canonical document (before the ContactID is bound). */
  contentHash: string;
}

const DESCRIPTION_MAX = 4000;
const REFERENCE_MAX = 255;

/** CW marks a credit memo by invoice type, and in the export by documentType "CM" and billingType. */
export function isCreditMemo(input: Pick<InvoiceMappingInput, 'invoice' | 'transaction'>): boolean {
  const tx = input.transaction;
  return (
    input.invoice.type === 'CreditMemo' ||
    tx.documentType === 'CM' ||
    tx.billingType === 'CreditMemo' ||
    /credit/i.test(tx.documentType ?? '')
  );
}

interface WorkLine {
  kind: MappedLine['kind'];
  sources: number[];
  description: string;
  itemCode?: string;
  unitOfMeasure?: string;
  quantity: Dec;
  unitAmount: Dec;
  accountCode: string;
  taxType?: string;
  ratePercent: Dec;
  lineAmount: Dec;
  taxAmount: Dec;
  /** CW's exclusive amount (document sign), null for the rounding line. */
  cwAmount: Dec | null;
  tracking: XeroLineItem['Tracking'];
}

export function mapInvoice(input: InvoiceMappingInput): InvoiceMappingResult {
  const { transaction: tx, invoice, customer, settings, xeroRefs: refs } = input;
  const problems = new ProblemList();
  const credit = isCreditMemo(input);
  const sign = credit ? -1 : 1;
  const lat = settings.lineAmountTypes;

  // ---- header ------------------------------------------------------------
  const cwNumber = (tx.documentNumber ?? invoice.invoiceNumber ?? '').trim();
  if (!cwNumber) {
    problems.blocking({
      code: 'number-missing',
      message: 'The ConnectWise invoice has no number.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.documentNumber',
    });
  }
  const number = `${settings.invoiceNumberPrefix}${cwNumber}`;

  const date = toYmd(tx.documentDate) ?? toYmd(invoice.date);
  if (!date) {
    problems.blocking({
      code: 'date-missing',
      message: 'The ConnectWise invoice has no valid date.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.documentDate',
    });
  }
  const dueDays = tx.dueDays ?? customer?.dueDays ?? null;
  const dueDate =
    date && dueDays !== null && Number.isInteger(dueDays) && dueDays >= 0
      ? addDays(date, dueDays)
      : (toYmd(tx.dueDate) ?? toYmd(invoice.dueDate));
  if (!credit && !dueDate) {
    problems.blocking({
      code: 'due-date-missing',
      message: 'The ConnectWise invoice has no payment terms in days and no due date.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.dueDays',
    });
  }

  const currency = (
    tx.currency?.currencyCode ??
    invoice.currency?.currencyCode ??
    customer?.currency?.currencyCode ??
    refs.baseCurrency
  ).toUpperCase();
  if (!currencyEnabled(refs, currency)) {
    problems.blocking({
      code: 'currency-not-enabled',
      message: `The invoice is in ${currency}, which is not enabled in the Xero organisation (base ${refs.baseCurrency}).`,
      where: WHERE.xeroCurrencies,
      area: 'xero',
      field: 'transaction.currency',
    });
  }

  const reference = (invoice.customerPO ?? tx.purchaseOrder?.name ?? '').trim().slice(0, REFERENCE_MAX);

  // ---- lines -------------------------------------------------------------
  const cw = readCwInvoiceLines(tx);
  for (const bad of cw.invalid) {
    problems.blocking({
      code: 'cw-number-invalid',
      message: `Detail line ${bad.index + 1} of the export has no valid ${bad.field}.`,
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: `transaction.detail[${bad.index}].${bad.field}`,
    });
  }
  if (cw.revenue.length === 0) {
    problems.blocking({
      code: 'no-lines',
      message: 'The ConnectWise export has no revenue lines for this invoice.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.detail',
    });
  }
  const cwRates = new Map<string, Dec>();
  for (const t of cw.tax) if (t.taxCode && t.ratePercent) cwRates.set(t.taxCode, t.ratePercent);

  const taxMapper = new TaxMapper(settings, refs, problems);
  const itemMapper = new ItemMapper(settings, refs, problems);
  const unitDp = settings.unitDecimalPlaces;
  const customerTaxable = tx.taxable !== false && customer?.taxable !== false;
  const work: WorkLine[] = [];

  cw.revenue.forEach((src, i) => {
    const d = src.detail;
    const lineNumber = i + 1;
    const field = `transaction.detail[${src.sources[0]}]`;
    const at = { field, line: lineNumber };

    // Quantity × unit = CW's total, in the document's sign.
    const cwAmount = src.total.times(sign);
    let quantity = src.quantity && !src.quantity.isZero() ? src.quantity : new Dec(1);
    let unit = src.unitPrice ?? src.total.dividedBy(quantity);
    if (src.quantity === null || src.quantity.isZero()) unit = src.total;
    if (sign < 0) {
      if (quantity.isNegative()) quantity = quantity.negated();
      else unit = unit.negated();
    }
    if (quantity.decimalPlaces() > 4) {
      problems.warning({
        code: 'quantity-rounded',
        message: `Line ${lineNumber}'s quantity has more than 4 decimal places; Xero keeps 4.`,
        where: WHERE.cwInvoice,
        area: 'connectwise',
        ...at,
      });
      quantity = roundTo(quantity, 4);
    }

    // Tax type.
    const taxCode = d.taxCode?.name ?? tx.taxCode?.name ?? customer?.taxCode?.name ?? invoice.taxCode?.name ?? null;
    const taxable = customerTaxable && d.taxableFlag !== false;
    const tax =
      lat === 'NoTax'
        ? null
        : taxMapper.resolve({
            taxCode,
            taxable,
            cwRatePercent: taxCode ? (cwRates.get(taxCode) ?? null) : null,
            field: `${field}.taxCode`,
            line: lineNumber,
          });
    const ratePercent = tax?.ratePercent ?? ZERO;

    // Inclusive documents carry tax-inclusive unit amounts; CW's are exclusive.
    if (lat === 'Inclusive') unit = unit.times(ratePercent.plus(100)).dividedBy(100);
    unit = roundTo(unit, unitDp);

    const accountCode = mapAccountCode(d.accountNumber, settings, refs, problems, {
      field: `${field}.accountNumber`,
      line: lineNumber,
    });

    // Description: CW's detailed description first; never empty (Xero refuses empty lines).
    const uom = d.unitOfMeasure?.name?.trim() || undefined;
    let description = (d.itemDescription || d.description || d.salesDescription || d.memo || '').trim();
    if (!description) {
      description = d.item?.identifier?.trim() || `ConnectWise invoice line ${lineNumber}`;
      problems.warning({
        code: 'description-fallback',
        message: `Line ${lineNumber} has no description in ConnectWise; "${description}" is used.`,
        where: WHERE.cwInvoice,
        area: 'connectwise',
        field: `${field}.description`,
        line: lineNumber,
      });
    }
    // The Xero item (when created) gets the plain description; the line also names the unit.
    const itemCode = itemMapper.itemCode(
      d.item?.identifier,
      { description, accountCode, taxType: tax?.taxType ?? null },
      { field: `${field}.item.identifier`, line: lineNumber },
    );
    if (settings.includeUnitOfMeasure && uom && src.kind === 'product') description = `${description} (${uom})`;
    description = description.slice(0, DESCRIPTION_MAX);

    const tracking = mapTracking(
      settings.tracking,
      {
        location: invoice.locationId != null ? String(invoice.locationId) : null,
        department: invoice.departmentId != null ? String(invoice.departmentId) : null,
        glClass: d.glClass || tx.glClass || null,
      },
      refs,
      problems,
      at,
    );

    const lineAmount = xeroLineAmount(quantity, unit);
    work.push({
      kind: src.kind,
      sources: src.sources,
      description,
      ...(itemCode ? { itemCode } : {}),
      ...(uom ? { unitOfMeasure: uom } : {}),
      quantity,
      unitAmount: unit,
      accountCode: accountCode ?? '',
      ...(tax ? { taxType: tax.taxType } : {}),
      ratePercent,
      lineAmount,
      taxAmount: xeroLineTax(lineAmount, ratePercent, lat),
      cwAmount,
      tracking: tracking.length ? tracking : undefined,
    });
  });

  // ---- totals ------------------------------------------------------------
  const cwSubtotal = sum(cw.revenue.map((l) => l.total)).times(sign);
  let cwTax: Dec;
  let cwTotal: Dec;
  try {
    cwTax = (cw.tax.length ? sum(cw.tax.map((t) => t.amount)) : fromCw(tx.salesTax ?? invoice.salesTax)).times(sign);
    cwTotal = fromCw(tx.total ?? invoice.total, null).times(sign);
  } catch (e) {
    if (!(e instanceof NotANumberError)) throw e;
    problems.blocking({
      code: 'cw-total-missing',
      message: 'The ConnectWise export has no valid invoice total.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.total',
    });
    cwTax = ZERO;
    cwTotal = cwSubtotal;
  }
  if (!cwSubtotal.plus(cwTax).equals(cwTotal)) {
    problems.blocking({
      code: 'cw-export-inconsistent',
      message: "ConnectWise's export lines and tax do not add up to its invoice total; re-export the invoice.",
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.total',
    });
  }

  let xero = xeroTotals(work, lat);
  let difference = xero.total.minus(cwTotal);
  let roundingLine: XeroLineItem | undefined;

  if (!difference.isZero() && !isBlocking(problems.items)) {
    const blame = lineToBlame(work, lat);
    const words = `Xero's total would be ${toFixed(difference.abs())} ${difference.isPositive() ? 'higher' : 'lower'} than ConnectWise's${blame ? `: rounding on line ${blame}` : ''}`;
    const allowance = new Dec(settings.roundingAllowance);
    if (difference.abs().greaterThan(allowance)) {
      problems.blocking({
        code: 'total-mismatch',
        message: `${words}, more than the rounding allowance of ${settings.roundingAllowance}.`,
        where: WHERE.cwInvoice,
        area: 'connectwise',
        field: 'transaction.total',
        ...(blame ? { line: blame } : {}),
      });
    } else if (!settings.allowRoundingLine) {
      problems.blocking({
        code: 'rounding-difference',
        message: `${words}. Allow a rounding line in the settings, or correct the invoice in ConnectWise.`,
        where: WHERE.settingsRounding,
        area: 'settings',
        field: 'transaction.total',
        ...(blame ? { line: blame } : {}),
      });
    } else {
      const rounding = roundingWorkLine(difference.negated(), settings, refs, problems);
      if (rounding) {
        work.push(rounding);
        roundingLine = toXeroLine(rounding, lat);
        problems.warning({
          code: 'rounding-line-added',
          message: `${words}; a rounding line on account ${rounding.accountCode} makes the totals equal.`,
          where: WHERE.settingsRounding,
          area: 'settings',
          field: 'transaction.total',
          line: work.length,
        });
        xero = xeroTotals(work, lat);
        difference = xero.total.minus(cwTotal);
      }
    }
  }

  // Xero refuses invoices and credit notes whose total is negative.
  if (xero.total.isNegative()) {
    problems.blocking({
      code: 'negative-total',
      message: credit
        ? 'The credit memo has a positive total in ConnectWise; a Xero credit note must be positive.'
        : 'The invoice total is negative; issue it as a credit memo in ConnectWise.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.total',
    });
  }
  // The totals agree but the tax does not (e.g. after a rounding line): the tax
  // reported in Xero differs from ConnectWise's, which the accountant should know.
  const taxDifference = xero.totalTax.minus(cwTax);
  if (difference.isZero() && !taxDifference.isZero()) {
    problems.warning({
      code: 'tax-differs',
      message: `Xero's tax would be ${toFixed(taxDifference.abs())} ${taxDifference.isPositive() ? 'higher' : 'lower'} than ConnectWise's sales tax (Xero rounds tax on each line).`,
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.salesTax',
    });
  }

  // ---- allocation (credit memos CW applied to invoices) ------------------
  const allocations = credit ? planAllocations(input, xero.total, problems) : [];
  if (allocations.length > 0 && settings.status !== 'AUTHORISED') {
    problems.warning({
      code: 'allocation-needs-approval',
      message: 'Xero allocates only approved credit notes; this one stays a draft, so the allocation waits until it is approved in Xero.',
      where: 'Sync settings › Invoice status',
      area: 'settings',
      field: 'settings.status',
    });
  }

  if (settings.status === 'AUTHORISED' && xero.total.isZero() && work.length > 0) {
    problems.warning({
      code: 'zero-total',
      message: 'The total is zero: Xero marks an approved zero-total document as paid at once, and it can no longer be edited.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.total',
    });
  }

  // ---- document ----------------------------------------------------------
  const contact: XeroContactRef = { ContactNumber: input.company.identifier };
  const lineItems = work.map((w) => toXeroLine(w, lat));
  const common = {
    Contact: contact,
    Date: date ?? '',
    LineAmountTypes: lat,
    CurrencyCode: currency,
    Status: settings.status,
    LineItems: lineItems,
    ...(reference ? { Reference: reference } : {}),
  };
  const document: XeroDocumentPayload = credit
    ? ({ Type: 'ACCRECCREDIT', CreditNoteNumber: number, ...common } satisfies XeroCreditNotePayload)
    : ({ Type: 'ACCREC', InvoiceNumber: number, DueDate: dueDate ?? '', ...common } satisfies XeroInvoicePayload);

  const needs4 = work.some((w) => w.quantity.decimalPlaces() > 2 || w.unitAmount.decimalPlaces() > 2);
  const lines: MappedLine[] = work.map((w, i) => ({
    lineNumber: i + 1,
    kind: w.kind,
    sources: w.sources,
    description: w.description,
    ...(w.itemCode ? { itemCode: w.itemCode } : {}),
    ...(w.unitOfMeasure ? { unitOfMeasure: w.unitOfMeasure } : {}),
    quantity: w.quantity.toString(),
    unitAmount: toFixed(w.unitAmount, Math.max(2, w.unitAmount.decimalPlaces())),
    lineAmount: toFixed(w.lineAmount),
    accountCode: w.accountCode,
    ...(w.taxType ? { taxType: w.taxType } : {}),
    taxRatePercent: w.ratePercent.toString(),
    taxAmount: toFixed(w.taxAmount),
    cwAmount: w.cwAmount ? toFixed(w.cwAmount) : null,
  }));

  return {
    kind: credit ? 'creditNote' : 'invoice',
    document,
    unitdp: needs4 ? 4 : 2,
    itemsToCreate: itemMapper.itemsToCreate(),
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
    lines,
    ...(roundingLine ? { roundingLine } : {}),
    allocations,
    glEntryIds: (tx.glEntryIds ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    contentHash: contentHash(document),
  };
}

/** The document with its contact named by ContactID (after the contact upsert). */
export function withContactId<T extends XeroDocumentPayload>(document: T, contactId: string): T {
  return { ...document, Contact: { ContactID: contactId } };
}

function toXeroLine(w: WorkLine, lat: InvoiceMappingSettings['lineAmountTypes']): XeroLineItem {
  return {
    Description: w.description,
    Quantity: toWireNumber(w.quantity),
    UnitAmount: toWireNumber(w.unitAmount),
    LineAmount: toWireNumber(w.lineAmount),
    AccountCode: w.accountCode,
    ...(w.itemCode ? { ItemCode: w.itemCode } : {}),
    ...(w.taxType && lat !== 'NoTax' ? { TaxType: w.taxType } : {}),
    ...(w.tracking ? { Tracking: w.tracking } : {}),
  };
}

/**
 * The line whose rounding moves the total most away from ConnectWise's: its
 * Xero amount plus tax against CW's amount plus unrounded tax.
 */
function lineToBlame(work: readonly WorkLine[], lat: InvoiceMappingSettings['lineAmountTypes']): number | null {
  let line: number | null = null;
  let largest = ZERO;
  work.forEach((w, i) => {
    if (!w.cwAmount) return;
    const xeroGross = lat === 'Inclusive' ? w.lineAmount : w.lineAmount.plus(w.taxAmount);
    const cwGross = lat === 'NoTax' ? w.cwAmount : w.cwAmount.plus(w.cwAmount.times(w.ratePercent).dividedBy(100));
    const residual = xeroGross.minus(cwGross).abs();
    if (residual.greaterThan(largest)) {
      largest = residual;
      line = i + 1;
    }
  });
  return line;
}

function roundingWorkLine(
  amount: Dec,
  settings: InvoiceMappingSettings,
  refs: XeroRefs,
  problems: ProblemList,
): WorkLine | null {
  const code = settings.roundingAccountCode;
  const account = code ? findAccount(refs, code) : undefined;
  if (!account || account.Status !== 'ACTIVE') {
    problems.blocking({
      code: 'rounding-account-invalid',
      message: code
        ? `The rounding account ${code} is not an active Xero account.`
        : 'Rounding lines are allowed but no rounding account is set.',
      where: WHERE.settingsRounding,
      area: 'settings',
      field: 'settings.roundingAccountCode',
    });
    return null;
  }
  // A rounding line carries no tax, so it moves the total by exactly its amount.
  let taxType: string | undefined;
  if (settings.lineAmountTypes !== 'NoTax') {
    const zero = settings.nonTaxableTaxType
      ? { ok: true as const, taxType: settings.nonTaxableTaxType }
      : resolveRevenueTaxType(refs, ZERO);
    if (!zero.ok) {
      problems.blocking({
        code: 'tax-type-missing',
        message: 'No 0% revenue tax rate is available for the rounding line; choose one in the settings.',
        where: WHERE.settingsTax,
        area: 'settings',
        field: 'settings.nonTaxableTaxType',
      });
      return null;
    }
    taxType = zero.taxType;
  }
  return {
    kind: 'rounding',
    sources: [],
    description: 'Rounding',
    quantity: new Dec(1),
    unitAmount: amount,
    accountCode: code,
    ...(taxType ? { taxType } : {}),
    ratePercent: ZERO,
    lineAmount: amount,
    taxAmount: ZERO,
    cwAmount: null,
    tracking: undefined,
  };
}

function planAllocations(input: InvoiceMappingInput, creditTotal: Dec, problems: ProblemList): AllocationPlan[] {
  const memoId = input.invoice.id;
  const plans: AllocationPlan[] = [];
  for (const [i, p] of (input.creditApplications ?? []).entries()) {
    if (memoId !== undefined && p.credit?.id != null && p.credit.id !== memoId) continue;
    const target = p.invoice?.identifier?.trim();
    if (!target) continue;
    let amount: Dec;
    try {
      amount = fromCw(p.amount, null).abs();
    } catch {
      problems.blocking({
        code: 'allocation-amount-invalid',
        message: 'A credit application in ConnectWise has no valid amount.',
        where: WHERE.cwInvoice,
        area: 'connectwise',
        field: `creditApplications[${i}].amount`,
      });
      continue;
    }
    const date = toYmd(p.paymentDate);
    plans.push({
      invoiceNumber: `${input.settings.invoiceNumberPrefix}${target}`,
      amount: toFixed(amount),
      ...(date ? { date } : {}),
    });
  }
  const allocated = sum(plans.map((p) => new Dec(p.amount)));
  if (allocated.greaterThan(creditTotal)) {
    problems.blocking({
      code: 'allocation-exceeds-credit',
      message: 'ConnectWise applies more of this credit memo than its total.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'creditApplications',
    });
  }
  return plans;
}
