// All of the simulator's money arithmetic, in one place, in exact decimals.
//
// Rounding (the rule Xero documents and integrators observe):
// - a line's amount is Quantity × UnitAmount (less DiscountRate %), rounded to
//   2 decimal places, half away from zero (Decimal.ROUND_HALF_UP);
// - tax is computed per line and rounded to 2 places the same way:
//     Exclusive: tax = round(LineAmount × rate, 2)
//     Inclusive: tax = round(LineAmount × rate / (1 + rate), 2)
//     NoTax:     tax = 0
// - document totals are sums of the rounded line figures:
//     Exclusive: SubTotal = Σ LineAmount, TotalTax = Σ tax, Total = SubTotal + TotalTax
//     Inclusive: Total = Σ LineAmount, TotalTax = Σ tax, SubTotal = Total − TotalTax
//     NoTax:     SubTotal = Total = Σ LineAmount, TotalTax = 0
import Decimal from 'decimal.js';

export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

export const D = Decimal;
export type Dec = Decimal;

export function dec(value: number | string | Decimal): Decimal {
  return new Decimal(typeof value === 'number' ? String(value) : value);
}

export function round2(value: Decimal): Decimal {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export function decimalPlaces(value: Decimal): number {
  return value.decimalPlaces();
}

/** Quantity × UnitAmount less the discount, rounded as Xero rounds a line. */
export function lineAmountOf(quantity: Decimal, unitAmount: Decimal, discountRate?: Decimal): Decimal {
  let gross = quantity.times(unitAmount);
  if (discountRate) gross = gross.times(new Decimal(100).minus(discountRate)).dividedBy(100);
  return round2(gross);
}

/** ratePercent is Xero's EffectiveRate, e.g. 10 for 10 %. */
export function lineTax(lineAmount: Decimal, ratePercent: Decimal, types: LineAmountTypes): Decimal {
  if (types === 'NoTax') return new Decimal(0);
  const rate = ratePercent.dividedBy(100);
  if (types === 'Exclusive') return round2(lineAmount.times(rate));
  return round2(lineAmount.times(rate).dividedBy(rate.plus(1)));
}

export interface Totals {
  subTotal: Decimal;
  totalTax: Decimal;
  total: Decimal;
}

export function documentTotals(lines: { lineAmount: Decimal; taxAmount: Decimal }[], types: LineAmountTypes): Totals {
  const sumLines = lines.reduce((s, l) => s.plus(l.lineAmount), new Decimal(0));
  const sumTax = lines.reduce((s, l) => s.plus(l.taxAmount), new Decimal(0));
  if (types === 'Inclusive') return { subTotal: sumLines.minus(sumTax), totalTax: sumTax, total: sumLines };
  if (types === 'NoTax') return { subTotal: sumLines, totalTax: new Decimal(0), total: sumLines };
  return { subTotal: sumLines, totalTax: sumTax, total: sumLines.plus(sumTax) };
}

/**
 * A foreign-currency amount in the base currency, with Xero's CurrencyRate
 * (units of the foreign currency per one unit of base): amount ÷ rate,
 * rounded to the cent like any other amount.
 */
export function toBaseCurrency(amount: Decimal, currencyRate: Decimal): Decimal {
  return round2(amount.dividedBy(currencyRate));
}

/** Amounts on the wire are JSON numbers, as Xero sends them. */
export function wire(value: Decimal, places = 2): number {
  return Number(value.toFixed(places));
}
