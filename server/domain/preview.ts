// What the "Sync to Xero" dialog shows before a push, in plain words: the
// contact, each line (description, quantity, unit, amount, account, tax), the
// totals next to ConnectWise's, and what blocks the push. Derived from the
// mapping result on request; never stored.
import type { InvoiceMappingResult } from './invoice-mapping.js';
import type { MappingProblem } from './problems.js';
import type { XeroCreditNotePayload, XeroInvoicePayload } from './xero-wire.js';
import { descriptionWithoutUnit } from './document-line.js';
import { taxRateWords, type XeroRefs } from './xero-refs.js';
import { xeroStatusWords } from '../../shared/xero-status.js';
import { formatMoney } from '../../shared/money-format.js';

export interface PreviewLine {
  lineNumber: number;
  description: string;
  itemCode: string | null;
  quantity: string;
  unit: string | null;
  unitAmount: string;
  amount: string;
  account: string;
  tax: string;
  taxAmount: string;
  isRounding: boolean;
  /** The tracking this line carries in Xero, as sent: category and option names, in the document's order. */
  tracking: { category: string; option: string }[];
}

export interface PreviewProblem {
  severity: MappingProblem['severity'];
  text: string;
  fixWhere: string;
  line: number | null;
}

export interface DocumentPreview {
  /** "Invoice" or "Credit note". */
  documentKind: string;
  number: string;
  contactName: string;
  date: string;
  dueDate: string | null;
  reference: string | null;
  currency: string;
  status: string;
  amountsAre: string;
  lines: PreviewLine[];
  subtotal: string;
  tax: string;
  total: string;
  connectwiseTotal: string;
  /** "Equal to ConnectWise's total" or how they differ. */
  totalsAgree: boolean;
  totalsInWords: string;
  allocations: string[];
  itemsToCreate: string[];
  problems: PreviewProblem[];
  ready: boolean;
}

const AMOUNTS_ARE = {
  Exclusive: 'Tax exclusive',
  Inclusive: 'Tax inclusive',
  NoTax: 'No tax',
} as const;

/** `refs`: the organisation's tax rates, to name each line's tax as Xero does. */
export function buildPreview(result: InvoiceMappingResult, contactName: string, refs: Pick<XeroRefs, 'taxRates'>): DocumentPreview {
  const doc = result.document;
  const isCredit = doc.Type === 'ACCRECCREDIT';
  const number = isCredit ? (doc as XeroCreditNotePayload).CreditNoteNumber : (doc as XeroInvoicePayload).InvoiceNumber;
  const t = result.totals;
  const agree = t.difference === '0.00';
  const money = (amount: string) => formatMoney(amount, doc.CurrencyCode);
  return {
    documentKind: isCredit ? 'Credit note' : 'Invoice',
    number,
    contactName,
    date: doc.Date,
    dueDate: isCredit ? null : (doc as XeroInvoicePayload).DueDate || null,
    reference: doc.Reference ?? null,
    currency: doc.CurrencyCode,
    status: xeroStatusWords(doc.Status),
    amountsAre: AMOUNTS_ARE[doc.LineAmountTypes],
    // result.lines and the document's LineItems come from the same mapped lines, in the same order:
    // the tracking shown is the document's own (the one the push sends), never derived again here.
    lines: result.lines.map((l, i) => ({
      lineNumber: l.lineNumber,
      description: descriptionWithoutUnit(l.description, l.unitOfMeasure),
      itemCode: l.itemCode ?? null,
      quantity: l.quantity,
      unit: l.unitOfMeasure ?? null,
      unitAmount: l.unitAmount,
      amount: l.lineAmount,
      account: l.accountCode,
      tax: l.taxType ? taxRateWords(refs, l.taxType, l.taxRatePercent) : 'No tax',
      taxAmount: l.taxAmount,
      isRounding: l.kind === 'rounding',
      tracking: (doc.LineItems[i]?.Tracking ?? []).map((t) => ({ category: t.Name, option: t.Option })),
    })),
    subtotal: t.xeroSubtotal,
    tax: t.xeroTax,
    total: t.xeroTotal,
    connectwiseTotal: t.cwTotal,
    totalsAgree: agree,
    totalsInWords: agree
      ? `Total ${money(t.xeroTotal)}, equal to ConnectWise's to the cent.`
      : `Xero's total ${money(t.xeroTotal)} would differ from ConnectWise's ${money(t.cwTotal)} by ${money(t.difference.replace('-', ''))}.`,
    allocations: result.allocations.map(
      (a) => `${money(a.amount)} of this credit note is applied to invoice ${a.invoiceNumber}${a.date ? ` on ${a.date}` : ''}.`,
    ),
    itemsToCreate: result.itemsToCreate.map((i) => `Item ${i.Code} ("${i.Name}") will be created in Xero.`),
    problems: result.problems.map((p) => ({
      severity: p.severity,
      text: p.line ? `Line ${p.line}: ${p.message}` : p.message,
      fixWhere: p.where,
      line: p.line ?? null,
    })),
    ready: result.ready,
  };
}
