// Money for display, from decimal strings: exact (decimal.js, never a float),
// grouped thousands, the currency code in front. One formatter for the pods and
// the server's words (totals sentences, reconcile rows) alike.
import Decimal from 'decimal.js';

export function formatMoney(amount: string, currency: string, decimals = 2): string {
  let d: Decimal;
  try {
    d = new Decimal(amount);
  } catch {
    return amount;
  }
  const fixed = d.abs().toFixed(decimals);
  const [whole = '0', frac] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = frac !== undefined ? `${grouped}.${frac}` : grouped;
  const sign = d.isNegative() && !d.isZero() ? '−' : '';
  return `${sign}${currency ? currency + ' ' : ''}${text}`;
}

/**
 * An amount as a plain number for tables: at least `minDecimals` places, and
 * every further decimal the value really has (a unit price of 33.3333 keeps
 * all four), so nothing shown is rounded away.
 */
export function formatAmount(amount: string, minDecimals = 2): string {
  let d: Decimal;
  try {
    d = new Decimal(amount);
  } catch {
    return amount;
  }
  return formatMoney(amount, '', Math.max(minDecimals, d.decimalPlaces()));
}

/** A quantity without trailing zeros: "2", "1.5", "0.25". */
export function formatQuantity(quantity: string): string {
  try {
    return new Decimal(quantity).toString();
  } catch {
    return quantity;
  }
}
