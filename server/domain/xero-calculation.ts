// How Xero computes a document's amounts from its lines, reproduced exactly
// so the preview shows the totals Xero will hold:
//   LineAmount = Quantity × UnitAmount, rounded to 2 places;
//   each line's tax is rounded to 2 places on its own (per-line rounding);
//   Exclusive: total = Σ lines + Σ tax; Inclusive: lines already include
//   tax, tax = line × r / (100 + r); NoTax: no tax at all.
import type { LineAmountType } from './xero-wire.js';
import { type Dec, ZERO, round2, sum } from './money.js';

export function xeroLineAmount(quantity: Dec, unitAmount: Dec): Dec {
  return round2(quantity.times(unitAmount));
}

export function xeroLineTax(lineAmount: Dec, ratePercent: Dec, lineAmountTypes: LineAmountType): Dec {
  switch (lineAmountTypes) {
    case 'NoTax':
      return ZERO;
    case 'Exclusive':
      return round2(lineAmount.times(ratePercent).dividedBy(100));
    case 'Inclusive':
      return round2(lineAmount.times(ratePercent).dividedBy(ratePercent.plus(100)));
  }
}

export interface XeroTotals {
  subTotal: Dec;
  totalTax: Dec;
  total: Dec;
}

export function xeroTotals(
  lines: readonly { lineAmount: Dec; taxAmount: Dec }[],
  lineAmountTypes: LineAmountType,
): XeroTotals {
  const lineSum = sum(lines.map((l) => l.lineAmount));
  const totalTax = sum(lines.map((l) => l.taxAmount));
  if (lineAmountTypes === 'Inclusive') return { subTotal: lineSum.minus(totalTax), totalTax, total: lineSum };
  return { subTotal: lineSum, totalTax, total: lineSum.plus(totalTax) };
}
