// The document header from the export and the invoice record: number (with the
// optional prefix), date, due date from the payment terms in days, currency
// (which the organisation must have enabled) and reference = customer PO.
import type { CwGLExportCustomer, CwGLExportTransaction, CwInvoice } from '../../shared/cw-types.js';
import { addDays, toYmd } from './dates.js';
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { type ProblemList, WHERE } from './problems.js';
import { type XeroRefs, currencyEnabled } from './xero-refs.js';

export interface InvoiceHeader {
  number: string;
  /** YYYY-MM-DD, '' when ConnectWise gave none (a blocking problem says so). */
  date: string;
  dueDate: string;
  currency: string;
  reference: string;
}

const REFERENCE_MAX = 255;

export function mapInvoiceHeader(
  input: {
    transaction: CwGLExportTransaction;
    invoice: CwInvoice;
    customer?: CwGLExportCustomer;
    settings: InvoiceMappingSettings;
    xeroRefs: XeroRefs;
  },
  credit: boolean,
  problems: ProblemList,
): InvoiceHeader {
  const { transaction: tx, invoice, customer, settings, xeroRefs: refs } = input;
  const cwNumber = (tx.documentNumber ?? invoice.invoiceNumber ?? '').trim();
  if (!cwNumber) {
    problems.blocking({
      code: 'number-missing',
      message: 'The ConnectWise invoice has no number.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.documentNumber',
    });
  }

  const date = toYmd(tx.documentDate) ?? toYmd(invoice.date);
  if (!date) {
    problems.blocking({
      code: 'date-missing',
      message: 'The ConnectWise invoice has no valid date.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.documentDate',
    });
  }
  // Terms in days win (they are what CW's due date was computed from); CW's due date is the fallback.
  const dueDays = tx.dueDays ?? customer?.dueDays ?? null;
  const dueDate =
    date && dueDays !== null && Number.isInteger(dueDays) && dueDays >= 0
      ? addDays(date, dueDays)
      : (toYmd(tx.dueDate) ?? toYmd(invoice.dueDate));
  if (!credit && !dueDate) {
    problems.blocking({
      code: 'due-date-missing',
      message: 'The ConnectWise invoice has no payment terms in days and no due date.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'transaction.dueDays',
    });
  }

  const currency = (
    tx.currency?.currencyCode ??
    invoice.currency?.currencyCode ??
    customer?.currency?.currencyCode ??
    refs.baseCurrency
  ).toUpperCase();
  if (!currencyEnabled(refs, currency)) {
    problems.blocking({
      code: 'currency-not-enabled',
      message: `The invoice is in ${currency}, which is not enabled in the Xero organisation (base ${refs.baseCurrency}).`,
      where: WHERE.xeroCurrencies,
      area: 'xero',
      field: 'transaction.currency',
    });
  }

  return {
    number: `${settings.invoiceNumberPrefix}${cwNumber}`,
    date: date ?? '',
    dueDate: dueDate ?? '',
    currency,
    reference: (invoice.customerPO ?? tx.purchaseOrder?.name ?? '').trim().slice(0, REFERENCE_MAX),
  };
}
