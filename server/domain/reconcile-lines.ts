// Line by line: each mapped line (what Xero should hold) against the Xero
// line in the same position: description, quantity, unit amount, amount,
// account, tax. Pure. Numbers compare as decimals ("3" equals "3.0000").
import { Dec } from './money.js';
import type { MappedLine } from './invoice-mapping.js';
import { formatAmount } from '../../shared/money-format.js';

export interface XeroLineForReconcile {
  description: string;
  quantity: string;
  unitAmount: string;
  lineAmount: string;
  accountCode: string | null;
  taxType: string | null;
  taxAmount: string;
}

interface LineRow {
  key: string;
  section: 'lines';
  field: string;
  cw: string | null;
  xero: string | null;
  same: boolean;
  note: string | null;
}

const num = (v: string) => new Dec(v.trim() === '' ? '0' : v);

function row(n: number, what: string, label: string, cw: string | null, xero: string | null, same: boolean): LineRow {
  return { key: `line${n}.${what}`, section: 'lines', field: `Line ${n} ${label}`, cw, xero, same, note: same ? null : `Line ${n} ${label}: ConnectWise ${cw ?? '(none)'}, Xero ${xero ?? '(none)'}` };
}

/** `taxName`: a tax type as Xero's screens name it (xero-refs.ts taxRateWords); compared by code all the same. */
export function lineDifferences(mapped: MappedLine[], xero: XeroLineForReconcile[], taxName: (taxType: string) => string = (t) => t): LineRow[] {
  const out: LineRow[] = [];
  const count = Math.max(mapped.length, xero.length);
  for (let i = 0; i < count; i++) {
    const n = i + 1;
    const m = mapped[i];
    const x = xero[i];
    if (!m || !x) {
      const which = m ? m.description : x!.description;
      out.push({
        key: `line${n}`,
        section: 'lines',
        field: `Line ${n}`,
        cw: m ? m.description : null,
        xero: x ? x.description : null,
        same: false,
        note: m ? `Line ${n} ("${which}") is not in Xero.` : `Xero has a line ${n} ("${which}") that ConnectWise does not.`,
      });
      continue;
    }
    const qtyText = (v: string) => num(v).toString();
    out.push(row(n, 'description', 'description', m.description, x.description, m.description.trim() === x.description.trim()));
    out.push(row(n, 'quantity', 'quantity', qtyText(m.quantity), qtyText(x.quantity), num(m.quantity).eq(num(x.quantity))));
    // Amounts as the preview's lines show them (thousands grouped, every decimal the value has).
    out.push(row(n, 'unitAmount', 'unit amount', formatAmount(m.unitAmount), formatAmount(num(x.unitAmount).toString()), num(m.unitAmount).eq(num(x.unitAmount))));
    out.push(row(n, 'amount', 'amount', formatAmount(num(m.lineAmount).toFixed(2)), formatAmount(num(x.lineAmount).toFixed(2)), num(m.lineAmount).eq(num(x.lineAmount))));
    out.push(row(n, 'account', 'account', m.accountCode, x.accountCode, m.accountCode === (x.accountCode ?? '')));
    const cwTax = `${m.taxType ? taxName(m.taxType) : 'No tax'} · ${formatAmount(num(m.taxAmount).toFixed(2))}`;
    const xeroTax = `${x.taxType ? taxName(x.taxType) : 'No tax'} · ${formatAmount(num(x.taxAmount).toFixed(2))}`;
    out.push(row(n, 'tax', 'tax', cwTax, xeroTax, (m.taxType ?? null) === (x.taxType ?? null) && num(m.taxAmount).eq(num(x.taxAmount))));
  }
  return out;
}
