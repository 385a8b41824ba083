// The month-end tie-out (issue 12): for the invoices selected for a run,
// totals by organisation and currency, by account and by tax rate — as
// ConnectWise's GL export states them and as Xero will receive them — equal to
// the cent, and each difference named, before the run. Pure: the caller gives
// each invoice's export transaction and the lines its mapping made (MappedLine,
// whose `sources` point into the export's detail), so an account's two sides
// are the same lines seen from each end. Amounts are in ConnectWise's sign (a
// credit memo is negative on both sides).
import type { CwGLExportTransaction } from '../../shared/cw-types.js';
import { readCwInvoiceLines } from './cw-invoice-lines.js';
import type { MappedLine } from './invoice-mapping.js';
import { Dec, ZERO, fromCw, toFixed } from './money.js';

export interface TieOutRecord {
  /** The invoice's number, for the words of a difference. */
  number: string;
  organisation: string;
  currency: string;
  kind: 'invoice' | 'creditNote';
  lineAmountTypes: 'Exclusive' | 'Inclusive' | 'NoTax';
  transaction: CwGLExportTransaction;
  lines: readonly Pick<MappedLine, 'kind' | 'sources' | 'accountCode' | 'taxType' | 'taxRatePercent' | 'lineAmount' | 'taxAmount'>[];
  /** Xero's name of a tax type with its rate ("GST on Income 10%"); the code when none is known. */
  taxName?: (taxType: string | undefined, ratePercent: string) => string;
}

export interface TieOutRow {
  organisation: string;
  currency: string;
  /** What the row totals: "Total", "4000 → 200", "GST on Income 10%". */
  label: string;
  connectwise: string;
  xero: string;
  /** Xero − ConnectWise; "0.00" when they tie. */
  difference: string;
}

export interface TieOut {
  records: number;
  byOrganisation: TieOutRow[];
  byAccount: TieOutRow[];
  byTaxRate: TieOutRow[];
  /** Each difference in words, with the invoices behind it; empty when everything ties to the cent. */
  differences: string[];
  ties: boolean;
}

interface Acc {
  organisation: string;
  currency: string;
  label: string;
  cw: Dec;
  xero: Dec;
  numbers: Set<string>;
  /** Why Xero's side differs, when the lines say (a rounding line, a line ConnectWise has no account for). */
  notes: Set<string>;
}

class Groups {
  private readonly map = new Map<string, Acc>();
  add(r: Pick<TieOutRecord, 'organisation' | 'currency' | 'number'>, label: string, cw: Dec, xero: Dec, note?: string): void {
    const key = JSON.stringify([r.organisation, r.currency, label]);
    const acc = this.map.get(key) ?? { organisation: r.organisation, currency: r.currency, label, cw: ZERO, xero: ZERO, numbers: new Set<string>(), notes: new Set<string>() };
    acc.cw = acc.cw.plus(cw);
    acc.xero = acc.xero.plus(xero);
    if (!cw.equals(xero) || note) acc.numbers.add(r.number);
    if (note) acc.notes.add(note);
    this.map.set(key, acc);
  }
  rows(): Acc[] {
    return [...this.map.values()].sort((a, b) => a.organisation.localeCompare(b.organisation) || a.currency.localeCompare(b.currency) || a.label.localeCompare(b.label, undefined, { numeric: true }));
  }
}

const row = (a: Acc): TieOutRow => ({ organisation: a.organisation, currency: a.currency, label: a.label, connectwise: toFixed(a.cw), xero: toFixed(a.xero), difference: toFixed(a.xero.minus(a.cw)) });

function words(scope: string, a: Acc, xeroSays: string): string | null {
  const diff = a.xero.minus(a.cw);
  if (diff.isZero()) return null;
  const invoices = [...a.numbers].sort();
  const which = invoices.length ? ` (${invoices.slice(0, 5).join(', ')}${invoices.length > 5 ? ` and ${invoices.length - 5} more` : ''})` : '';
  const why = a.notes.size ? `: ${[...a.notes].join('; ')}` : '';
  return `${a.organisation} ${a.currency}, ${scope} ${a.label}: ${xeroSays} ${toFixed(a.xero)}, ConnectWise states ${toFixed(a.cw)} — ${toFixed(diff.abs())} ${diff.isPositive() ? 'more' : 'less'} in Xero${why}${which}.`;
}

/** `xeroSays` words Xero's side: before a run what it will receive, after one what it holds (read back). */
export function monthEndTieOut(records: readonly TieOutRecord[], xeroSays = 'Xero will receive'): TieOut {
  const byOrg = new Groups();
  const byAccount = new Groups();
  const byTax = new Groups();
  for (const r of records) {
    const cw = readCwInvoiceLines(r.transaction);
    const detail = r.transaction.detail ?? [];
    // Xero's amounts carry a credit note's positive sign; ConnectWise's a credit memo's negative one.
    const xs = r.kind === 'creditNote' ? -1 : 1;
    const cwAccountOf = (index: number) => detail[index]?.accountNumber?.trim() || '(no account)';
    const taxName = r.taxName ?? ((t: string | undefined, pct: string) => `${t ?? 'No tax'} ${pct}%`);

    // By account: each Xero line beside the ConnectWise detail lines behind it.
    const covered = new Set<number>();
    let xeroNet = ZERO;
    let xeroTax = ZERO;
    for (const l of r.lines) {
      const tax = new Dec(l.taxAmount).times(xs);
      const net = (r.lineAmountTypes === 'Inclusive' ? new Dec(l.lineAmount).minus(l.taxAmount) : new Dec(l.lineAmount)).times(xs);
      xeroNet = xeroNet.plus(net);
      xeroTax = xeroTax.plus(tax);
      const cwAmount = l.sources.reduce((s, i) => s.plus(fromCw(detail[i]?.total)), ZERO);
      for (const i of l.sources) covered.add(i);
      const cwAccounts = [...new Set(l.sources.map(cwAccountOf))];
      const label = `${cwAccounts.length ? cwAccounts.join(' + ') : '(none)'} → ${l.accountCode}`;
      byAccount.add(r, label, cwAmount, net, l.kind === 'rounding' ? 'a rounding line Xero needs to match ConnectWise’s total' : undefined);
    }
    for (const line of cw.revenue) {
      for (const i of line.sources) {
        if (!covered.has(i)) byAccount.add(r, `${cwAccountOf(i)} → (not sent)`, fromCw(detail[i]?.total), ZERO, 'a ConnectWise line no Xero line carries');
      }
    }

    // By tax rate: the tax ConnectWise states at each rate, and what Xero will compute at it.
    const cwTaxByRate = new Map<string, Dec>();
    for (const t of cw.tax) {
      const pct = t.ratePercent ? t.ratePercent.toString() : '?';
      cwTaxByRate.set(pct, (cwTaxByRate.get(pct) ?? ZERO).plus(t.amount));
    }
    const xeroTaxByRate = new Map<string, { tax: Dec; names: Set<string> }>();
    for (const l of r.lines) {
      const pct = new Dec(l.taxRatePercent).toString();
      const e = xeroTaxByRate.get(pct) ?? { tax: ZERO, names: new Set<string>() };
      e.tax = e.tax.plus(new Dec(l.taxAmount).times(xs));
      e.names.add(taxName(l.taxType, l.taxRatePercent));
      xeroTaxByRate.set(pct, e);
    }
    for (const pct of new Set([...cwTaxByRate.keys(), ...xeroTaxByRate.keys()])) {
      const x = xeroTaxByRate.get(pct);
      const c = cwTaxByRate.get(pct) ?? ZERO;
      // A rate with no tax on either side (an exempt line) ties at 0.00 and says nothing.
      if (c.isZero() && (!x || x.tax.isZero())) continue;
      byTax.add(r, x ? [...x.names].sort().join(' / ') : `${pct}% (ConnectWise)`, c, x?.tax ?? ZERO, x ? undefined : 'tax ConnectWise states at a rate no Xero line has');
    }

    // By organisation and currency: the invoice totals.
    const cwTotal = cw.revenue.reduce((s, l) => s.plus(l.total), ZERO).plus(cw.tax.reduce((s, t) => s.plus(t.amount), ZERO));
    byOrg.add(r, 'Total', cwTotal, xeroNet.plus(xeroTax));
  }

  const org = byOrg.rows();
  const account = byAccount.rows();
  const tax = byTax.rows();
  const differences = [
    ...org.map((a) => words('invoice totals', a, xeroSays)),
    ...account.map((a) => words('account', a, xeroSays)),
    ...tax.map((a) => words('tax at', a, xeroSays)),
  ].filter((w): w is string => w !== null);
  return { records: records.length, byOrganisation: org.map(row), byAccount: account.map(row), byTaxRate: tax.map(row), differences, ties: differences.length === 0 };
}
