// The reconcile view of one invoice: ConnectWise (as the mapping maps it, so
// the comparison is like for like) against the Xero document read back, field
// by field, with each difference in words, the one-click fix where one exists
// and a plain explanation where none does. Pure: no I/O, clock or randomness.
// Computed on request, never stored.
import { Dec } from './money.js';
import type { InvoiceMappingResult, MappedLine } from './invoice-mapping.js';
import { lineDifferences, type XeroLineForReconcile } from './reconcile-lines.js';
import { xeroStatusWords } from '../../shared/xero-status.js';
import { formatMoney } from '../../shared/money-format.js';
import { taxRateWords, type XeroRefs } from './xero-refs.js';

export type { XeroLineForReconcile } from './reconcile-lines.js';

export interface ReconcileCwSide {
  /** ConnectWise's own invoice number (the mapping may add a prefix for Xero). */
  invoiceNumber: string;
  mapping: Pick<InvoiceMappingResult, 'kind' | 'document' | 'lines' | 'totals' | 'problems'>;
  /** The bill-to company's name as ConnectWise has it. */
  contactName: string;
  /** ConnectWise's invoice status name ("New", "Sent", …). */
  status: string | null;
  /** Sum of ConnectWise's payment records (not credits), decimal string. */
  paid: string;
  /** Sum of credits applied inside ConnectWise, decimal string. */
  credits: string;
  /** ConnectWise's open balance, decimal string (null when ConnectWise does not say). */
  balance: string | null;
  /** The organisation's tax rates, to name each line's tax as Xero does (the code when absent). */
  taxRates?: XeroRefs['taxRates'];
}

export interface ReconcileXeroSide {
  documentId: string;
  number: string;
  /** yyyy-mm-dd */
  date: string | null;
  dueDate: string | null;
  contactName: string;
  status: string;
  lines: XeroLineForReconcile[];
  subTotal: string;
  totalTax: string;
  total: string;
  /** Payments + overpayment/prepayment allocations. */
  paidInCash: string;
  /** Credit-note allocations. */
  credited: string;
  amountDue: string;
}

export type ReconcileSection = 'header' | 'lines' | 'totals' | 'payments';

export interface ReconcileRow {
  key: string;
  section: ReconcileSection;
  field: string;
  cw: string | null;
  xero: string | null;
  same: boolean;
  /** The difference (or an expected one) in words. */
  note: string | null;
}

export type ReconcileFixAction = 'resync' | 'pull_payments';

export interface ReconcileFix {
  action: ReconcileFixAction;
  label: string;
  why: string;
}

export interface ReconcileResult {
  rows: ReconcileRow[];
  differences: number;
  fixes: ReconcileFix[];
  /** Where no click can fix a difference: what a person does instead. */
  explanations: string[];
  summary: string;
}

const EDITABLE = new Set(['DRAFT', 'SUBMITTED', 'AUTHORISED']);

function d(v: string | null | undefined): Dec {
  return new Dec(v && v.trim() !== '' ? v : '0');
}

/** Amounts of one document in words: its currency, thousands grouped, to the cent (shared/money-format.ts). */
function moneyIn(currency: string) {
  const money = (v: Dec | string) => formatMoney(d(v.toString()).toFixed(2), currency);
  const row = (key: string, section: ReconcileSection, field: string, cw: string | null, xero: string | null, note: (diff: Dec) => string | null, sameOverride?: boolean): ReconcileRow => {
    const diff = d(xero).minus(d(cw));
    const same = sameOverride ?? diff.isZero();
    // An expected gap is explained; no gap needs no words ("0.00 more …; expected" is noise).
    const quiet = same && (sameOverride === undefined || diff.isZero());
    return { key, section, field, cw: cw === null ? null : money(cw), xero: xero === null ? null : money(xero), same, note: quiet ? null : note(diff) };
  };
  const higherLower = (what: string, diff: Dec) => `${what} is ${money(diff.abs())} ${diff.isPositive() ? 'higher' : 'lower'}`;
  return { money, row, higherLower };
}

function textRow(key: string, section: ReconcileSection, field: string, cw: string | null, xero: string | null, compare: (a: string, b: string) => boolean = (a, b) => a === b): ReconcileRow {
  const same = cw !== null && xero !== null ? compare(cw, xero) : cw === xero;
  return { key, section, field, cw, xero, same, note: same ? null : `${field}: ConnectWise ${cw ?? '(none)'}, Xero ${xero ?? '(none)'}` };
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Which line a total difference comes from, and whether it is rounding: the
 * line the mapping blamed for a rounding difference; else the first line
 * whose amount or tax in Xero differs from the mapped one (rounding when only
 * its tax differs, by a cent or a few).
 */
function culpritOf(mapping: ReconcileCwSide['mapping'], xero: XeroLineForReconcile[]): { line: number; rounding: boolean } | undefined {
  const blamed = mapping.problems.find((p) => p.code === 'rounding-difference' && p.line)?.line;
  if (blamed) return { line: blamed, rounding: true };
  const lines: MappedLine[] = mapping.lines;
  for (const [i, m] of lines.entries()) {
    const x = xero[i];
    if (!x) continue;
    const amountSame = d(x.lineAmount).eq(d(m.lineAmount));
    const taxGap = d(x.taxAmount).minus(d(m.taxAmount)).abs();
    if (!amountSame || !taxGap.isZero()) return { line: i + 1, rounding: amountSame && taxGap.lte('0.05') };
  }
  const rounding = lines.find((l) => l.kind === 'rounding')?.lineNumber;
  return rounding ? { line: rounding, rounding: true } : undefined;
}

export function reconcile(cw: ReconcileCwSide, xero: ReconcileXeroSide): ReconcileResult {
  const m = cw.mapping;
  const doc = m.document as { InvoiceNumber?: string; CreditNoteNumber?: string; Date?: string; DueDate?: string };
  const isInvoice = m.kind === 'invoice';
  const rows: ReconcileRow[] = [];
  const { money, row: moneyRow, higherLower } = moneyIn(m.document.CurrencyCode);

  rows.push(textRow('number', 'header', 'Number', doc.InvoiceNumber ?? doc.CreditNoteNumber ?? cw.invoiceNumber, xero.number));
  rows.push(textRow('date', 'header', 'Date', doc.Date ?? null, xero.date));
  if (isInvoice) rows.push(textRow('dueDate', 'header', 'Due date', doc.DueDate ?? null, xero.dueDate));
  rows.push(textRow('contact', 'header', 'Contact', cw.contactName, xero.contactName, sameName));

  rows.push(...lineDifferences(m.lines, xero.lines, (taxType) => taxRateWords({ taxRates: cw.taxRates ?? [] }, taxType)));

  const t = m.totals;
  const blame = culpritOf(m, xero.lines);
  const culprit = blame?.line;
  // Tax and subtotal are compared with what Xero should hold (the mapping's
  // prediction, which computes tax per line as Xero does); the ConnectWise
  // column shows ConnectWise's own figure, and an expected gap is explained.
  const taxExpected = d(xero.totalTax).eq(d(t.xeroTax));
  rows.push(
    moneyRow('tax', 'totals', 'Tax', t.cwTax, xero.totalTax, (diff) =>
      taxExpected
        ? `Xero computes tax per line, ${money(diff.abs())} ${diff.isPositive() ? 'more' : 'less'} than ConnectWise; ${m.lines.some((l) => l.kind === 'rounding') ? 'the rounding line keeps the totals equal' : 'expected'}.`
        : `${higherLower('Xero tax', d(xero.totalTax).minus(d(t.xeroTax)))} than the mapping gives${culprit ? `: line ${culprit} differs` : ''}.`,
      taxExpected,
    ),
  );
  const subExpected = d(xero.subTotal).eq(d(t.xeroSubtotal));
  rows.push(
    moneyRow('subtotal', 'totals', 'Subtotal', t.cwSubtotal, xero.subTotal, (diff) =>
      subExpected ? `The rounding line (${money(d(t.xeroSubtotal).minus(d(t.cwSubtotal)))}) is in Xero's subtotal.` : `${higherLower('Xero subtotal', diff)}${culprit ? `: line ${culprit} differs` : ''}.`,
      subExpected,
    ),
  );
  rows.push(
    moneyRow('total', 'totals', 'Total', t.cwTotal, xero.total, (diff) => {
      const cause = blame ? (blame.rounding && diff.abs().lte('0.05') ? `rounding on line ${blame.line}` : `line ${blame.line} differs`) : 'ConnectWise changed since the last sync';
      return `${higherLower('Xero total', diff)}: ${cause}.`;
    }),
  );

  const status = xero.status.toUpperCase();
  const cwBalance = cw.balance === null ? null : d(cw.balance);
  if (isInvoice) {
    const xeroPaidFully = status === 'PAID';
    const cwPaidFully = cwBalance !== null && cwBalance.lte(0);
    const live = status !== 'VOIDED' && status !== 'DELETED';
    const statusSame = live && xeroPaidFully === cwPaidFully;
    rows.push({
      key: 'status',
      section: 'payments',
      field: 'Status',
      cw: cw.status ?? null,
      xero: xeroStatusWords(xero.status),
      same: statusSame,
      note: statusSame ? null : !live ? `The Xero invoice is ${xeroStatusWords(status).toLowerCase()} but ConnectWise's is still open.` : xeroPaidFully ? 'Paid in full in Xero but still open in ConnectWise.' : 'Settled in ConnectWise but still open in Xero.',
    });
    rows.push(
      moneyRow('amountPaid', 'payments', 'Amount paid', cw.paid, xero.paidInCash, (diff) =>
        diff.isPositive() ? `Paid in Xero ${money(xero.paidInCash)} but ConnectWise shows ${money(cw.paid)}.` : `ConnectWise shows ${money(cw.paid)} paid but Xero only ${money(xero.paidInCash)}: a payment was deleted or reversed in Xero, or entered in ConnectWise by hand.`,
      ),
    );
    rows.push(
      moneyRow('credits', 'payments', 'Credits applied', cw.credits, xero.credited, (diff) =>
        diff.isPositive() ? `Xero applies ${money(diff)} more credit than ConnectWise.` : `ConnectWise applies ${money(diff.abs())} more credit than Xero.`,
      ),
    );
    rows.push(moneyRow('amountDue', 'payments', 'Amount due', cw.balance, xero.amountDue, (diff) => `${higherLower('Xero amount due', diff)}.`));
  } else {
    rows.push(textRow('status', 'payments', 'Status', cw.status, xeroStatusWords(xero.status), () => status !== 'VOIDED' && status !== 'DELETED'));
  }

  const fixes: ReconcileFix[] = [];
  const explanations: string[] = [];
  const documentDrift = rows.some((r) => !r.same && r.section !== 'payments');
  const hasPayments = !d(xero.paidInCash).isZero() || !d(xero.credited).isZero();
  if (documentDrift) {
    if (status === 'VOIDED' || status === 'DELETED') {
      explanations.push(`The Xero ${isInvoice ? 'invoice' : 'credit note'} is ${xeroStatusWords(status).toLowerCase()}; Xero does not edit it. Re-sync creates a new one only once the old number is free: if ConnectWise's invoice stands, void or delete it there too, or re-enter it in Xero by hand.`);
    } else if (!EDITABLE.has(status) || hasPayments) {
      explanations.push(
        `Xero does not edit a ${status === 'PAID' ? 'paid document' : `document that is ${xeroStatusWords(status).toLowerCase()}`}${hasPayments && status !== 'PAID' ? ' with payments or credits applied' : ''}. Remove the payments in Xero (or void it) and then re-sync, or correct ConnectWise to match Xero.`,
      );
    } else {
      fixes.push({ action: 'resync', label: 'Re-sync to Xero', why: 'Sends ConnectWise\'s invoice as it is now to Xero, replacing the document there.' });
    }
  }
  const paid = rows.find((r) => r.key === 'amountPaid');
  if (paid && !paid.same) {
    // The payment record the sync wrote follows Xero both ways; one a person entered in ConnectWise is never changed.
    fixes.push({ action: 'pull_payments', label: 'Sync payments', why: 'Brings the ConnectWise payment record the sync wrote to what Xero says was paid (removed when nothing is paid).' });
    if (d(xero.paidInCash).lt(d(cw.paid))) {
      explanations.push('ConnectWise records more paid than Xero. "Sync payments" lowers the payment the sync wrote; a payment entered in ConnectWise by hand is never changed: if Xero is right, remove it on this invoice in ConnectWise (Finance › Invoices › Payments); if not, enter the payment in Xero.');
    }
  }
  const credits = rows.find((r) => r.key === 'credits');
  if (credits && !credits.same && d(xero.credited).gt(d(cw.credits))) {
    explanations.push('Xero applies a credit note to this invoice. ConnectWise cannot take credit applications through its API: apply the matching credit memo to this invoice in ConnectWise by hand.');
  }

  const differences = rows.filter((r) => !r.same).length;
  const first = rows.find((r) => !r.same)?.note;
  const summary = differences === 0 ? 'ConnectWise and Xero agree.' : `${differences} difference${differences === 1 ? '' : 's'}${first ? `: ${first}` : ''}`;
  return { rows, differences, fixes, explanations, summary };
}
