// Each CW revenue line → one Xero line: quantity × unit amount in the
// document's sign (credit memos flip to positive), unit amounts rounded as Xero
// keeps them (2 or 4 places), the account through the account map, the tax
// type from the CW tax code, the item code, a never-empty description with the
// unit of measure (a product line's own words first when they differ from the
// catalogue's: productLineDescription), and tracking.
import type { CwGLExportCustomer, CwGLExportTransaction, CwGLExportTransactionDetail, CwInvoice } from '../../shared/cw-types.js';
import { mapAccountCode } from './account-mapping.js';
import type { CwInvoiceLines, CwRevenueLine } from './cw-invoice-lines.js';
import { describeWithUnit, type DocumentLine } from './document-line.js';
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { ItemMapper } from './item-mapping.js';
import { Dec, ZERO, roundTo } from './money.js';
import { type ProblemList, WHERE } from './problems.js';
import { TaxMapper } from './tax-mapping.js';
import { mapTracking, trackingRulesFor } from './tracking-mapping.js';
import { xeroLineAmount, xeroLineTax } from './xero-calculation.js';
import type { XeroRefs } from './xero-refs.js';
import type { XeroItemPayload } from './xero-wire.js';

const DESCRIPTION_MAX = 4000;

export interface LineMappingContext {
  transaction: CwGLExportTransaction;
  invoice: CwInvoice;
  customer?: CwGLExportCustomer;
  settings: InvoiceMappingSettings;
  xeroRefs: XeroRefs;
  xeroTenantId?: string;
  /** -1 for a credit memo (CW amounts negative, Xero's positive), else 1. */
  sign: 1 | -1;
}

export function mapRevenueLines(
  ctx: LineMappingContext,
  cw: CwInvoiceLines,
  problems: ProblemList,
): { lines: DocumentLine[]; itemsToCreate: XeroItemPayload[] } {
  const { settings, xeroRefs: refs } = ctx;
  const cwRates = new Map<string, Dec>();
  for (const t of cw.tax) if (t.taxCode && t.ratePercent) cwRates.set(t.taxCode, t.ratePercent);
  const taxMapper = new TaxMapper(settings, refs, problems);
  const itemMapper = new ItemMapper(settings, refs, problems);
  const lines = cw.revenue.map((src, i) => mapLine(ctx, src, i + 1, cwRates, taxMapper, itemMapper, problems));
  return { lines, itemsToCreate: itemMapper.itemsToCreate() };
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').toLowerCase() === b.replace(/\s+/g, ' ').toLowerCase();

/**
 * A product line's text: the line's own description when ConnectWise's line
 * says something the catalogue does not (a credit memo's "Returned: … (serial
 * …)", a line edited on the invoice), then the catalogue's detailed
 * description on the next line; else the detailed description alone. The
 * catalogue's text is itemDescription (the detailed one) or salesDescription;
 * a line equal to either (ignoring case and spacing) adds nothing.
 */
export function productLineDescription(d: CwGLExportTransactionDetail): string {
  const own = (d.description ?? '').trim();
  const detailed = (d.itemDescription || d.salesDescription || '').trim();
  const catalogue = [d.itemDescription, d.salesDescription].map((t) => (t ?? '').trim()).filter(Boolean);
  if (!own || catalogue.some((t) => sameText(t, own))) return detailed || own;
  return detailed ? `${own}\n${detailed}` : own;
}

function mapLine(
  ctx: LineMappingContext,
  src: CwRevenueLine,
  lineNumber: number,
  cwRates: ReadonlyMap<string, Dec>,
  taxMapper: TaxMapper,
  itemMapper: ItemMapper,
  problems: ProblemList,
): DocumentLine {
  const { transaction: tx, invoice, customer, settings, xeroRefs: refs, sign } = ctx;
  const lat = settings.lineAmountTypes;
  const d = src.detail;
  const field = `transaction.detail[${src.sources[0]}]`;
  const at = { field, line: lineNumber };

  // Quantity × unit = CW's total, in the document's sign.
  const noQuantity = src.quantity === null || src.quantity.isZero();
  let quantity = noQuantity ? new Dec(1) : src.quantity!;
  let unit = noQuantity ? src.total : (src.unitPrice ?? src.total.dividedBy(quantity));
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

  const taxCode = d.taxCode?.name ?? tx.taxCode?.name ?? customer?.taxCode?.name ?? invoice.taxCode?.name ?? null;
  const taxable = tx.taxable !== false && customer?.taxable !== false && d.taxableFlag !== false;
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
  unit = roundTo(unit, settings.unitDecimalPlaces);

  const accountCode = mapAccountCode(d.accountNumber, settings, refs, problems, {
    field: `${field}.accountNumber`,
    line: lineNumber,
  });

  // Never empty (Xero refuses a line without one).
  const uom = d.unitOfMeasure?.name?.trim() || undefined;
  const catalogueDescription = (d.itemDescription || d.description || d.salesDescription || d.memo || '').trim();
  let description = src.kind === 'product' ? productLineDescription(d) || catalogueDescription : catalogueDescription;
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
  // A created Xero item gets the catalogue's description; the line also names the unit.
  const itemCode = itemMapper.itemCode(
    d.item?.identifier,
    { catalogueDescription, accountCode, taxType: tax?.taxType ?? null },
    { field: `${field}.item.identifier`, line: lineNumber },
  );
  if (settings.includeUnitOfMeasure && uom && src.kind === 'product') description = describeWithUnit(description, uom);
  description = description.slice(0, DESCRIPTION_MAX);

  const tracking = mapTracking(
    trackingRulesFor(settings, ctx.xeroTenantId),
    {
      location: invoice.locationId != null ? String(invoice.locationId) : null,
      department: invoice.departmentId != null ? String(invoice.departmentId) : null,
      glClass: d.glClass || tx.glClass || null,
      productCategory: d.subCategory?.id ?? null,
    },
    refs,
    problems,
    at,
  );

  const lineAmount = xeroLineAmount(quantity, unit);
  return {
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
    cwAmount: src.total.times(sign),
    tracking: tracking.length ? tracking : undefined,
  };
}
