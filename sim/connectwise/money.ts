// Exact money for the simulator. Rounding rule (documented for every consumer):
//   - a line's extended amount = quantity × unit price, rounded to cents
//     half away from zero (decimal.js ROUND_HALF_UP);
//   - a line's tax = extended amount × rate, rounded to cents the same way;
//   - invoice tax = sum of the lines' rounded taxes; total = subtotal + tax.
import Decimal from 'decimal.js';

export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

export function money(v: Decimal.Value): Decimal {
  return new Money(v);
}

export function cents(v: Decimal.Value): Decimal {
  return new Money(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export function sum(values: Decimal.Value[]): Decimal {
  return values.reduce<Decimal>((acc, v) => acc.plus(v), new Money(0));
}

/** The wire carries JSON numbers, as ConnectWise's API does; only exact cents go out. */
export function wire(v: Decimal): number {
  return v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}
