// Reading a ConnectWise GLExport transaction's detail into the lines a Xero
// document needs. CW's accounting setup already summarises revenue in the
// export (e.g. one line per work type or per agreement); we keep those lines as
// they are. If the export was made "Detailed" (one line per time entry), time
// lines are aggregated here by account, tax, class and rate, so a Xero invoice
// never lists individual time records. The sales-tax line (glTypeId ST,
// taxNote AUTOSTAX) is not a line: it is folded into the lines' tax types.
// Cost of sale fields (cost, costAccountNumber, inventoryAccountNumber) are
// ignored here; a later journal carries them.
import type { CwGLExportTransaction, CwGLExportTransactionDetail } from '../../shared/cw-types.js';
import { type Dec, NotANumberError, fromCw, sum } from './money.js';

export type CwLineKind = 'time' | 'product' | 'agreement' | 'revenue';

/** One revenue line as ConnectWise states it (signs as in CW). */
export interface CwRevenueLine {
  kind: CwLineKind;
  /** Indexes into transaction.detail that make up this line. */
  sources: number[];
  detail: CwGLExportTransactionDetail;
  quantity: Dec | null;
  unitPrice: Dec | null;
  total: Dec;
}

export interface CwTaxLine {
  source: number;
  taxCode: string | null;
  /** Percentage, e.g. 10 for 10 %; null when CW did not say. */
  ratePercent: Dec | null;
  amount: Dec;
}

export interface CwInvoiceLines {
  revenue: CwRevenueLine[];
  tax: CwTaxLine[];
  /** detail indexes whose numbers were not numbers. */
  invalid: { index: number; field: string }[];
}

export function isSalesTaxDetail(d: CwGLExportTransactionDetail): boolean {
  return d.glTypeId === 'ST' || d.taxNote === 'AUTOSTAX';
}

function isReceivableDetail(d: CwGLExportTransactionDetail): boolean {
  return d.glTypeId === 'AR';
}

function kindOf(d: CwGLExportTransactionDetail, total: Dec): CwLineKind {
  if (d.timeEntry?.id != null) return 'time';
  if (d.item?.identifier) return 'product';
  if (/^(RA|AG)/i.test(d.glTypeId ?? '') || (total.isNegative() && /agreement/i.test(d.description ?? ''))) {
    return 'agreement';
  }
  return 'revenue';
}

function num(
  d: CwGLExportTransactionDetail,
  field: 'quantity' | 'itemPrice' | 'total' | 'taxRatePercent' | 'taxRate',
  index: number,
  invalid: CwInvoiceLines['invalid'],
): Dec | null {
  const v = d[field];
  if (v === null || v === undefined) return null;
  try {
    return fromCw(v);
  } catch (e) {
    if (!(e instanceof NotANumberError)) throw e;
    invalid.push({ index, field });
    return null;
  }
}

export function readCwInvoiceLines(transaction: CwGLExportTransaction): CwInvoiceLines {
  const invalid: CwInvoiceLines['invalid'] = [];
  const revenue: CwRevenueLine[] = [];
  const tax: CwTaxLine[] = [];
  (transaction.detail ?? []).forEach((d, index) => {
    if (isReceivableDetail(d)) return;
    const total = num(d, 'total', index, invalid);
    if (isSalesTaxDetail(d)) {
      const pct = num(d, 'taxRatePercent', index, invalid);
      const frac = num(d, 'taxRate', index, invalid);
      tax.push({
        source: index,
        taxCode: d.taxCode?.name ?? null,
        // taxRatePercent is the percentage; taxRate the fraction (0.1).
        ratePercent: pct ?? (frac ? frac.times(100) : null),
        amount: total ?? fromCw(0),
      });
      return;
    }
    if (total === null) {
      if (d.total === null || d.total === undefined) invalid.push({ index, field: 'total' });
      return;
    }
    revenue.push({
      kind: kindOf(d, total),
      sources: [index],
      detail: d,
      quantity: num(d, 'quantity', index, invalid),
      unitPrice: num(d, 'itemPrice', index, invalid),
      total,
    });
  });
  return { revenue: aggregateTimeLines(revenue), tax, invalid };
}

/**
 * Time lines from a detailed export, summed per (account, tax code, taxable,
 * GL class, rate): hours add up, the rate stays, totals add up. Lines that are
 * already summaries pass through untouched, in their order.
 */
export function aggregateTimeLines(lines: CwRevenueLine[]): CwRevenueLine[] {
  const out: CwRevenueLine[] = [];
  const groups = new Map<string, CwRevenueLine>();
  for (const line of lines) {
    if (line.kind !== 'time') {
      out.push(line);
      continue;
    }
    const d = line.detail;
    const key = JSON.stringify([
      d.accountNumber ?? '',
      d.taxCode?.name ?? '',
      d.taxableFlag ?? null,
      d.glClass ?? '',
      line.unitPrice?.toString() ?? '',
    ]);
    const group = groups.get(key);
    if (!group) {
      // A summary line: its description names the work type, never a time entry's notes.
      const summary: CwRevenueLine = {
        ...line,
        sources: [...line.sources],
        detail: { ...d, description: d.salesDescription || d.salesCode || 'Professional services', memo: undefined },
      };
      groups.set(key, summary);
      out.push(summary);
      continue;
    }
    group.sources.push(...line.sources);
    group.total = sum([group.total, line.total]);
    group.quantity = group.quantity && line.quantity ? group.quantity.plus(line.quantity) : null;
  }
  return out;
}
