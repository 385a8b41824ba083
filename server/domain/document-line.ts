// One line of the Xero document while it is being built: exact decimals,
// plus what the preview and the totals check need to know about it.
import type { CwLineKind } from './cw-invoice-lines.js';
import { type Dec, toFixed, toWireNumber } from './money.js';
import type { LineAmountType, XeroLineItem } from './xero-wire.js';

/**
 * Xero has no unit-of-measure field, so a line's description sent to Xero
 * names the unit ("… (Licence)") when the settings say so; a preview shows the
 * unit once, in its own column, and the description without it.
 */
export function describeWithUnit(description: string, unit: string): string {
  return `${description} (${unit})`;
}
export function descriptionWithoutUnit(description: string, unit: string | null | undefined): string {
  if (!unit) return description;
  const suffix = describeWithUnit('', unit);
  // An invoice line ends with it; a purchase line's first line does (its detail may follow on the next).
  if (description.endsWith(suffix)) return description.slice(0, -suffix.length);
  const [first = '', ...rest] = description.split('\n');
  return first.endsWith(suffix) ? [first.slice(0, -suffix.length), ...rest].join('\n') : description;
}

/** What every line of every document kind carries: what Xero receives, and what the preview shows. */
export interface LineFigures {
  description: string;
  itemCode?: string;
  unitOfMeasure?: string;
  quantity: Dec;
  unitAmount: Dec;
  accountCode: string;
  taxType?: string;
  ratePercent: Dec;
  /** Xero's LineAmount: Quantity × UnitAmount rounded to 2 places. */
  lineAmount: Dec;
  /** The tax Xero will compute for this line. */
  taxAmount: Dec;
  tracking?: XeroLineItem['Tracking'];
}

/** A line's figures as the preview and the mapping results state them (decimal strings). */
export function lineFiguresText(w: LineFigures) {
  return {
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
  };
}

export interface DocumentLine extends LineFigures {
  kind: CwLineKind | 'rounding';
  /** Indexes into transaction.detail behind this line (empty for a rounding line). */
  sources: number[];
  /** CW's exclusive amount (document sign), null for the rounding line. */
  cwAmount: Dec | null;
  tracking: XeroLineItem['Tracking'];
}

export function toXeroLine(w: LineFigures, lat: LineAmountType): XeroLineItem {
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
