// The invoice mapping: one ConnectWise invoice (its GLExport transaction from
// finance/accounting/export, plus the invoice and company records) → the Xero
// document that will hold it, computed exactly as Xero will compute it.
// Pure: no I/O, no clock, no randomness; the same input gives the same output
// and the same content hash.
//
//   ACCREC invoice           ← CW Standard / Agreement / Miscellaneous / … invoice
//   ACCRECCREDIT credit note ← CW credit memo (amounts negative in CW, positive in Xero)
//
// The steps, each in its own module:
//   invoice-header.ts         number, dates, currency, reference
//   cw-invoice-lines.ts       the export detail → revenue lines + the sales-tax line
//   line-mapping.ts           each revenue line → a Xero line (account, tax, item, tracking)
//   totals-reconciliation.ts  Xero's totals against CW's; rounding line or a blocking problem
//   credit-allocation.ts      where CW applied a credit memo
import type {
  CwCompany,
  CwContact,
  CwGLExportCustomer,
  CwGLExportTransaction,
  CwInvoice,
  CwPayment,
} from '../../shared/cw-types.js';
import { contentHash } from './content-hash.js';
import { type AllocationPlan, planAllocations } from './credit-allocation.js';
import { readCwInvoiceLines } from './cw-invoice-lines.js';
import { type DocumentLine, lineFiguresText, toXeroLine } from './document-line.js';
import { mapInvoiceHeader } from './invoice-header.js';
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { mapRevenueLines } from './line-mapping.js';
import { toFixed } from './money.js';
import { type MappingProblem, ProblemList, WHERE, isBlocking } from './problems.js';
import { reconcileTotals } from './totals-reconciliation.js';
import type { XeroRefs } from './xero-refs.js';
import type {
  XeroCreditNotePayload,
  XeroDocumentPayload,
  XeroInvoicePayload,
  XeroItemPayload,
  XeroLineItem,
} from './xero-wire.js';

export type { AllocationPlan } from './credit-allocation.js';

export interface InvoiceMappingInput {
  /** The invoice's transaction from POST finance/accounting/export. */
  transaction: CwGLExportTransaction;
  /** The export's customer entry for the invoice's company. */
  customer?: CwGLExportCustomer;
  /** GET finance/invoices/{id}. */
  invoice: CwInvoice;
  /** GET company/companies/{id} (the bill-to company). */
  company: CwCompany;
  /** Not used by the document itself; carried for the contact mapping. */
  billingContact?: CwContact;
  primaryContact?: CwContact;
  /**
   * For a credit memo: CW payment records that apply it to invoices
   * (`credit` = this memo, `invoice` = the invoice it was applied to).
   */
  creditApplications?: CwPayment[];
  settings: InvoiceMappingSettings;
  xeroRefs: XeroRefs;
  /** The organisation the invoice books into: its own tracking rules, if it has any. */
  xeroTenantId?: string;
}

/** One line of the Xero document, with the figures the preview shows. Decimal strings. */
export interface MappedLine {
  lineNumber: number;
  kind: DocumentLine['kind'];
  /** Indexes into transaction.detail behind this line (empty for a rounding line). */
  sources: number[];
  description: string;
  itemCode?: string;
  unitOfMeasure?: string;
  quantity: string;
  unitAmount: string;
  lineAmount: string;
  accountCode: string;
  taxType?: string;
  taxRatePercent: string;
  /** Tax Xero will compute for this line. */
  taxAmount: string;
  /** ConnectWise's extended amount for this line (document sign), null for a rounding line. */
  cwAmount: string | null;
}

export interface MappingTotals {
  cwSubtotal: string;
  cwTax: string;
  cwTotal: string;
  xeroSubtotal: string;
  xeroTax: string;
  xeroTotal: string;
  /** xeroTotal − cwTotal after any rounding line: "0.00" when they agree. */
  difference: string;
  /** xeroTax − cwTax (informational: a rounding line evens the total, not the tax). */
  taxDifference: string;
}

export interface InvoiceMappingResult {
  kind: 'invoice' | 'creditNote';
  /** The payload for PUT Invoices / PUT CreditNotes; bind the ContactID with `withContactId`. */
  document: XeroDocumentPayload;
  /** Pass as the `unitdp` query parameter: 4 when a quantity or unit amount uses more than 2 places. */
  unitdp: 2 | 4;
  itemsToCreate: XeroItemPayload[];
  problems: MappingProblem[];
  /** No blocking problem: the document may be pushed. */
  ready: boolean;
  totals: MappingTotals;
  lines: MappedLine[];
  roundingLine?: XeroLineItem;
  allocations: AllocationPlan[];
  /** CW GL entry ids behind the document (processedRecordIds of its batch). */
  glEntryIds: string[];
  /** SHA-256 of the canonical document (before the ContactID is bound). */
  contentHash: string;
}

/** CW marks a credit memo by invoice type, and in the export by documentType "CM" and billingType. */
export function isCreditMemo(input: Pick<InvoiceMappingInput, 'invoice' | 'transaction'>): boolean {
  const tx = input.transaction;
  return (
    input.invoice.type === 'CreditMemo' ||
    tx.documentType === 'CM' ||
    tx.billingType === 'CreditMemo' ||
    /credit/i.test(tx.documentType ?? '')
  );
}

export function mapInvoice(input: InvoiceMappingInput): InvoiceMappingResult {
  const { transaction: tx, settings } = input;
  const problems = new ProblemList();
  const credit = isCreditMemo(input);
  const sign = credit ? -1 : 1;
  const lat = settings.lineAmountTypes;

  const header = mapInvoiceHeader(input, credit, problems);

  const cw = readCwInvoiceLines(tx);
  for (const bad of cw.invalid) {
    problems.blocking({
      code: 'cw-number-invalid',
      message: `Detail line ${bad.index + 1} of the export has no valid ${bad.field}.`,
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: `transaction.detail[${bad.index}].${bad.field}`,
    });
  }
  if (cw.revenue.length === 0) {
    problems.blocking({
      code: 'no-lines',
      message: 'The ConnectWise export has no revenue lines for this invoice.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.detail',
    });
  }

  const { lines, itemsToCreate } = mapRevenueLines({ ...input, sign }, cw, problems);
  const totals = reconcileTotals(input, cw, lines, sign, problems);

  const allocations = credit
    ? planAllocations(input.invoice, input.creditApplications ?? [], settings.invoiceNumberPrefix, totals.xero.total, problems)
    : [];
  if (allocations.length > 0 && settings.status !== 'AUTHORISED') {
    problems.warning({
      code: 'allocation-needs-approval',
      message: 'Xero allocates only approved credit notes; this one stays a draft, so the allocation waits until it is approved in Xero.',
      where: WHERE.settingsStatus,
      area: 'settings',
      field: 'settings.status',
    });
  }

  // The contact is named by ContactNumber (the CW company identifier) until the
  // contact upsert gives its ContactID; the hash is taken before that binding.
  const common = {
    Contact: { ContactNumber: input.company.identifier },
    Date: header.date,
    LineAmountTypes: lat,
    CurrencyCode: header.currency,
    Status: settings.status,
    LineItems: lines.map((w) => toXeroLine(w, lat)),
    ...(header.reference ? { Reference: header.reference } : {}),
  };
  const document: XeroDocumentPayload = credit
    ? ({ Type: 'ACCRECCREDIT', CreditNoteNumber: header.number, ...common } satisfies XeroCreditNotePayload)
    : ({ Type: 'ACCREC', InvoiceNumber: header.number, DueDate: header.dueDate, ...common } satisfies XeroInvoicePayload);

  return {
    kind: credit ? 'creditNote' : 'invoice',
    document,
    unitdp: lines.some((w) => w.quantity.decimalPlaces() > 2 || w.unitAmount.decimalPlaces() > 2) ? 4 : 2,
    itemsToCreate,
    problems: problems.items,
    ready: !isBlocking(problems.items),
    totals: {
      cwSubtotal: toFixed(totals.cw.subTotal),
      cwTax: toFixed(totals.cw.totalTax),
      cwTotal: toFixed(totals.cw.total),
      xeroSubtotal: toFixed(totals.xero.subTotal),
      xeroTax: toFixed(totals.xero.totalTax),
      xeroTotal: toFixed(totals.xero.total),
      difference: toFixed(totals.difference),
      taxDifference: toFixed(totals.xero.totalTax.minus(totals.cw.totalTax)),
    },
    lines: lines.map(toMappedLine),
    ...(totals.roundingLine ? { roundingLine: toXeroLine(totals.roundingLine, lat) } : {}),
    allocations,
    glEntryIds: (tx.glEntryIds ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    contentHash: contentHash(document),
  };
}

/** The document with its contact named by ContactID (after the contact upsert). */
export function withContactId<T extends XeroDocumentPayload>(document: T, contactId: string): T {
  return { ...document, Contact: { ContactID: contactId } };
}

function toMappedLine(w: DocumentLine, i: number): MappedLine {
  return { lineNumber: i + 1, kind: w.kind, sources: w.sources, ...lineFiguresText(w), cwAmount: w.cwAmount ? toFixed(w.cwAmount) : null };
}
