// Exact money for the mapping. ConnectWise sends amounts as JSON doubles; we
// turn each into a decimal through its shortest string form (never through
// float arithmetic) and do every sum, product and rounding in decimal.js.
// Xero rounds half away from zero (.NET MidpointRounding.AwayFromZero), which
// is decimal.js's ROUND_HALF_UP.
import DecimalJs from 'decimal.js';

/** A private Decimal constructor so a global Decimal.set elsewhere cannot change our rounding. */
export const Dec = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Dec = InstanceType<typeof Dec>;

export const ZERO = new Dec(0);

/** Thrown when a ConnectWise number is not a finite number; the mapping turns it into a problem. */
export class NotANumberError extends Error {}

/**
 * A ConnectWise double (or numeric string) as an exact decimal. `String(0.1)`
 * is "0.1": JavaScript's shortest round-trip form is the number CW meant.
 */
export function fromCw(value: number | string | null | undefined, fallback: Dec | null = ZERO): Dec {
  if (value === null || value === undefined || value === '') {
    if (fallback === null) throw new NotANumberError('missing number');
    return fallback;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new NotANumberError(`not a finite number`);
  const d = new Dec(typeof value === 'number' ? String(value) : value.trim());
  if (!d.isFinite()) throw new NotANumberError('not a finite number');
  return d;
}

/** Round to `dp` places, half away from zero, as Xero does. */
export function roundTo(d: Dec, dp: number): Dec {
  return d.toDecimalPlaces(dp, Dec.ROUND_HALF_UP);
}

/** Line amounts, tax amounts and totals: 2 decimal places. */
export function round2(d: Dec): Dec {
  return roundTo(d, 2);
}

/** Fixed-point text with exactly `dp` places: "100.00", "-0.01". Never "-0.00". */
export function toFixed(d: Dec, dp = 2): string {
  const r = roundTo(d, dp);
  return (r.isZero() ? r.abs() : r).toFixed(dp);
}

/** Decimal places actually used (trailing zeros ignored): 33.3300 → 2. */
export function placesUsed(d: Dec): number {
  return d.decimalPlaces();
}

/**
 * A decimal as the JSON number Xero's API takes. Safe: the values have at
 * most 4 decimal places and well under 15 significant digits, so the double
 * prints back as exactly this decimal.
 */
export function toWireNumber(d: Dec): number {
  const n = Number(d.toString());
  if (!new Dec(String(n)).equals(d)) throw new RangeError('amount cannot be represented exactly as a JSON number');
  return n;
}

export function sum(values: Iterable<Dec>): Dec {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
