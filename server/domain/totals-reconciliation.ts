// Xero's totals against ConnectWise's, to the cent. ConnectWise's total is the
// sum of its revenue lines and its sales-tax line; Xero's is what it computes
// from our lines (xero-calculation.ts). A difference within the rounding
// allowance becomes a rounding line when the settings allow one, and a
// blocking problem naming the line to look at when they do not; a larger one
// always blocks.
import type { CwGLExportTransaction, CwInvoice } from '../../shared/cw-types.js';
import type { CwInvoiceLines } from './cw-invoice-lines.js';
import type { DocumentLine } from './document-line.js';
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { Dec, NotANumberError, ZERO, fromCw, sum, toFixed } from './money.js';
import { type ProblemList, WHERE, isBlocking } from './problems.js';
import { type XeroTotals, xeroTotals } from './xero-calculation.js';
import { type XeroRefs, findAccount, resolveRevenueTaxType } from './xero-refs.js';

export interface ReconciledTotals {
  cw: { subTotal: Dec; totalTax: Dec; total: Dec };
  xero: XeroTotals;
  /** Xero's total − CW's, after any rounding line. */
  difference: Dec;
  /** The rounding line appended to `lines`, if one was needed and allowed. */
  roundingLine?: DocumentLine;
}

export function reconcileTotals(
  ctx: { transaction: CwGLExportTransaction; invoice: CwInvoice; settings: InvoiceMappingSettings; xeroRefs: XeroRefs },
  cw: CwInvoiceLines,
  lines: DocumentLine[],
  sign: 1 | -1,
  problems: ProblemList,
): ReconciledTotals {
  const { transaction: tx, invoice, settings, xeroRefs: refs } = ctx;
  const lat = settings.lineAmountTypes;
  const cwSubtotal = sum(cw.revenue.map((l) => l.total)).times(sign);
  let cwTax: Dec;
  let cwTotal: Dec;
  try {
    cwTax = (cw.tax.length ? sum(cw.tax.map((t) => t.amount)) : fromCw(tx.salesTax ?? invoice.salesTax)).times(sign);
    cwTotal = fromCw(tx.total ?? invoice.total, null).times(sign);
  } catch (e) {
    if (!(e instanceof NotANumberError)) throw e;
    problems.blocking({
      code: 'cw-total-missing',
      message: 'The ConnectWise export has no valid invoice total.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.total',
    });
    cwTax = ZERO;
    cwTotal = cwSubtotal;
  }
  if (!cwSubtotal.plus(cwTax).equals(cwTotal)) {
    problems.blocking({
      code: 'cw-export-inconsistent',
      message: "ConnectWise's export lines and tax do not add up to its invoice total; re-export the invoice.",
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.total',
    });
  }

  let xero = xeroTotals(lines, lat);
  let difference = xero.total.minus(cwTotal);
  let roundingLine: DocumentLine | undefined;

  // With other blocking problems (an unmapped tax code, say) the difference is their echo, not rounding.
  if (!difference.isZero() && !isBlocking(problems.items)) {
    const blame = lineToBlame(lines, lat);
    const words = `Xero's total would be ${toFixed(difference.abs())} ${difference.isPositive() ? 'higher' : 'lower'} than ConnectWise's${blame ? `: rounding on line ${blame}` : ''}`;
    const at = { field: 'transaction.total', ...(blame ? { line: blame } : {}) };
    if (difference.abs().greaterThan(new Dec(settings.roundingAllowance))) {
      problems.blocking({
        code: 'total-mismatch',
        message: `${words}, more than the rounding allowance of ${settings.roundingAllowance}.`,
        where: WHERE.cwInvoice,
        area: 'connectwise',
        ...at,
      });
    } else if (!settings.allowRoundingLine) {
      problems.blocking({
        code: 'rounding-difference',
        message: `${words}. Allow a rounding line in the settings, or correct the invoice in ConnectWise.`,
        where: WHERE.settingsRounding,
        area: 'settings',
        ...at,
      });
    } else {
      roundingLine = roundingDocumentLine(difference.negated(), settings, refs, problems) ?? undefined;
      if (roundingLine) {
        lines.push(roundingLine);
        problems.warning({
          code: 'rounding-line-added',
          message: `${words}; a rounding line on account ${roundingLine.accountCode} makes the totals equal.`,
          where: WHERE.settingsRounding,
          area: 'settings',
          field: 'transaction.total',
          line: lines.length,
        });
        xero = xeroTotals(lines, lat);
        difference = xero.total.minus(cwTotal);
      }
    }
  }

  // Xero refuses invoices and credit notes whose total is negative.
  if (xero.total.isNegative()) {
    problems.blocking({
      code: 'negative-total',
      message:
        sign < 0
          ? 'The credit memo has a positive total in ConnectWise; a Xero credit note must be positive.'
          : 'The invoice total is negative; issue it as a credit memo in ConnectWise.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.total',
    });
  }
  // The totals agree but the tax does not (after a rounding line): the tax Xero
  // reports differs from ConnectWise's, which the accountant should know.
  const taxDifference = xero.totalTax.minus(cwTax);
  if (difference.isZero() && !taxDifference.isZero()) {
    problems.warning({
      code: 'tax-differs',
      message: `Xero's tax would be ${toFixed(taxDifference.abs())} ${taxDifference.isPositive() ? 'higher' : 'lower'} than ConnectWise's sales tax (Xero rounds tax on each line).`,
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.salesTax',
    });
  }
  if (settings.status === 'AUTHORISED' && xero.total.isZero() && lines.length > 0) {
    problems.warning({
      code: 'zero-total',
      message: 'The total is zero: Xero marks an approved zero-total document as paid at once, and it can no longer be edited.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.total',
    });
  }

  return {
    cw: { subTotal: cwSubtotal, totalTax: cwTax, total: cwTotal },
    xero,
    difference,
    ...(roundingLine ? { roundingLine } : {}),
  };
}

/**
 * The line whose rounding moves the total most away from ConnectWise's: its
 * Xero amount plus tax against CW's amount plus unrounded tax.
 */
export function lineToBlame(lines: readonly DocumentLine[], lat: InvoiceMappingSettings['lineAmountTypes']): number | null {
  let line: number | null = null;
  let largest = ZERO;
  lines.forEach((w, i) => {
    if (!w.cwAmount) return;
    const xeroGross = lat === 'Inclusive' ? w.lineAmount : w.lineAmount.plus(w.taxAmount);
    const cwGross = lat === 'NoTax' ? w.cwAmount : w.cwAmount.plus(w.cwAmount.times(w.ratePercent).dividedBy(100));
    const residual = xeroGross.minus(cwGross).abs();
    if (residual.greaterThan(largest)) {
      largest = residual;
      line = i + 1;
    }
  });
  return line;
}

function roundingDocumentLine(
  amount: Dec,
  settings: InvoiceMappingSettings,
  refs: XeroRefs,
  problems: ProblemList,
): DocumentLine | null {
  const code = settings.roundingAccountCode;
  const account = code ? findAccount(refs, code) : undefined;
  if (!account || account.Status !== 'ACTIVE') {
    problems.blocking({
      code: 'rounding-account-invalid',
      message: code
        ? `The rounding account ${code} is not an active Xero account.`
        : 'Rounding lines are allowed but no rounding account is set.',
      where: WHERE.settingsRounding,
      area: 'settings',
      field: 'settings.roundingAccountCode',
    });
    return null;
  }
  // A rounding line carries no tax, so it moves the total by exactly its amount.
  let taxType: string | undefined;
  if (settings.lineAmountTypes !== 'NoTax') {
    const zero = settings.nonTaxableTaxType
      ? { ok: true as const, taxType: settings.nonTaxableTaxType }
      : resolveRevenueTaxType(refs, ZERO);
    if (!zero.ok) {
      problems.blocking({
        code: 'tax-type-missing',
        message: 'No 0% revenue tax rate is available for the rounding line; choose one in the settings.',
        where: WHERE.settingsTax,
        area: 'settings',
        field: 'settings.nonTaxableTaxType',
      });
      return null;
    }
    taxType = zero.taxType;
  }
  return {
    kind: 'rounding',
    sources: [],
    description: 'Rounding',
    quantity: new Dec(1),
    unitAmount: amount,
    accountCode: code,
    ...(taxType ? { taxType } : {}),
    ratePercent: ZERO,
    lineAmount: amount,
    taxAmount: ZERO,
    cwAmount: null,
    tracking: undefined,
  };
}
