// One line of the Xero document while it is being built: exact decimals,
// plus what the preview and the totals check need to know about it.
import type { CwLineKind } from './cw-invoice-lines.js';
import { type Dec, toWireNumber } from './money.js';
import type { LineAmountType, XeroLineItem } from './xero-wire.js';

export interface DocumentLine {
  kind: CwLineKind | 'rounding';
  /** Indexes into transaction.detail behind this line (empty for a rounding line). */
  sources: number[];
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
  /** CW's exclusive amount (document sign), null for the rounding line. */
  cwAmount: Dec | null;
  tracking: XeroLineItem['Tracking'];
}

export function toXeroLine(w: DocumentLine, lat: LineAmountType): XeroLineItem {
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
