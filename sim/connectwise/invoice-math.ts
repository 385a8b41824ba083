// Computes an invoice's amounts from its lines, exactly (see money.ts for the
// rounding rule). Signed: credit memos have negative quantities, agreement
// credits negative prices, so their amounts come out negative.
//   serviceTotal  = time lines             productTotal = product lines
//   expenseTotal  = expense lines          agreementAmount = agreement fee + agreement credits (signed)
//   subtotal      = the sum of all four    salesTax = Σ per-line rounded tax
//   total         = subtotal + salesTax
import type Decimal from 'decimal.js';
import { cents, money, sum } from './money.js';
import type { SimInvoice, SimLine, SimState, SimTaxCode } from './model.js';

export interface LineAmounts {
  line: SimLine;
  extended: Decimal;
  tax: Decimal;
}

export interface InvoiceAmounts {
  taxCode: SimTaxCode;
  taxable: boolean;
  lines: LineAmounts[];
  serviceTotal: Decimal;
  productTotal: Decimal;
  expenseTotal: Decimal;
  agreementAmount: Decimal;
  subtotal: Decimal;
  salesTax: Decimal;
  total: Decimal;
}

export function lineExtended(line: Pick<SimLine, 'quantity' | 'unitPrice'>): Decimal {
  return cents(money(line.quantity).times(line.unitPrice));
}

export function taxCodeOf(state: SimState, inv: SimInvoice): SimTaxCode {
  const tc = state.taxCodes.find((t) => t.id === inv.taxCodeId);
  if (!tc) throw new Error(`invoice ${inv.id} has unknown tax code ${inv.taxCodeId}`);
  return tc;
}

export function invoiceAmounts(state: SimState, inv: SimInvoice): InvoiceAmounts {
  const taxCode = taxCodeOf(state, inv);
  const rate = money(taxCode.ratePercent).dividedBy(100);
  const taxable = !rate.isZero();
  const lines = inv.lines.map((line) => {
    const extended = lineExtended(line);
    const tax = taxable && line.taxable ? cents(extended.times(rate)) : money(0);
    return { line, extended, tax };
  });
  const of = (kinds: SimLine['kind'][]) => sum(lines.filter((l) => kinds.includes(l.line.kind)).map((l) => l.extended));
  const serviceTotal = of(['time']);
  const productTotal = of(['product']);
  const expenseTotal = of(['expense']);
  const agreementAmount = of(['agreement', 'agreementCredit']);
  const subtotal = sum(lines.map((l) => l.extended));
  const salesTax = sum(lines.map((l) => l.tax));
  return { taxCode, taxable, lines, serviceTotal, productTotal, expenseTotal, agreementAmount, subtotal, salesTax, total: subtotal.plus(salesTax) };
}
