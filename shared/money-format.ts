// Money for display, from decimal strings: exact (string arithmetic, never a
// float), grouped thousands, the currency code in front. One formatter for the
// pods and the server's words (totals sentences, reconcile rows) alike. No
// decimal library: the pods load this, and their JavaScript budget is 20 KB.

/** A decimal string taken apart: sign, whole digits, fraction digits (an exponent applied). */
interface Parsed {
  negative: boolean;
  whole: string;
  frac: string;
}

function parse(text: string): Parsed | undefined {
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || !/\d/.test((m[2] ?? '') + (m[3] ?? ''))) return undefined;
  let whole = m[2] ?? '';
  let frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
  if (exp > 0) {
    frac = frac.padEnd(exp, '0');
    whole += frac.slice(0, exp);
    frac = frac.slice(exp);
  } else if (exp < 0) {
    whole = whole.padStart(-exp, '0');
    frac = whole.slice(whole.length + exp) + frac;
    whole = whole.slice(0, whole.length + exp);
  }
  whole = whole.replace(/^0+/, '') || '0';
  return { negative: m[1] === '-', whole, frac };
}

const isZero = (p: Parsed) => /^0*$/.test(p.whole + p.frac);

/** Digits plus one, as text ("0999" -> "1000"). */
function increment(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return '1' + out.join('');
}

/** |value| to exactly `decimals` places, half away from zero (decimal.js's ROUND_HALF_UP, which this replaced). */
function absFixed(p: Parsed, decimals: number): { whole: string; frac: string } {
  if (p.frac.length <= decimals) return { whole: p.whole, frac: p.frac.padEnd(decimals, '0') };
  let digits = p.whole + p.frac.slice(0, decimals);
  if ((p.frac[decimals] ?? '0') >= '5') digits = increment(digits);
  const cut = digits.length - decimals;
  return { whole: digits.slice(0, cut).replace(/^0+(?=\d)/, ''), frac: digits.slice(cut) };
}

/** How many decimals the value really has (trailing zeros do not count). */
function decimalPlaces(p: Parsed): number {
  return p.frac.replace(/0+$/, '').length;
}

export function formatMoney(amount: string, currency: string, decimals = 2): string {
  const p = parse(amount);
  if (!p) return amount;
  const { whole, frac } = absFixed(p, decimals);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = decimals > 0 ? `${grouped}.${frac}` : grouped;
  const sign = p.negative && !isZero(p) ? '−' : '';
  return `${sign}${currency ? currency + ' ' : ''}${text}`;
}

/**
 * An amount as a plain number for tables: at least `minDecimals` places, and
 * every further decimal the value really has (a unit price of 33.3333 keeps
 * all four), so nothing shown is rounded away.
 */
export function formatAmount(amount: string, minDecimals = 2): string {
  const p = parse(amount);
  if (!p) return amount;
  return formatMoney(amount, '', Math.max(minDecimals, decimalPlaces(p)));
}

/** A quantity without trailing zeros: "2", "1.5", "0.25". */
export function formatQuantity(quantity: string): string {
  const p = parse(quantity);
  if (!p) return quantity;
  const frac = p.frac.replace(/0+$/, '');
  return `${p.negative && !isZero(p) ? '-' : ''}${p.whole}${frac ? '.' + frac : ''}`;
}
