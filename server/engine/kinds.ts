// The registry of document kinds. Each entry says everything the engine needs
// to know about one kind: where it comes from in ConnectWise, what it becomes
// in Xero, who its contact is, when Xero will no longer take changes, how a
// lost answer is recovered, how to link to it, and whether it allocates.
// Adding a kind = a pure mapping module in server/domain/ and an entry here;
// nothing outside this file branches on a kind's name.
import Decimal from 'decimal.js';
import type { RecordKind } from './ledger.js';

/** Decimal strings (in memory only: never stored). */
export interface XeroDocumentRef {
  id: string;
  number: string;
  status: string;
  total: string;
  amountPaid: string;
  amountCredited: string;
  amountDue: string;
  currency?: string;
  date?: string;
  contact?: { id?: string; name?: string; number?: string };
  /** Credit notes: the invoices they are allocated to. */
  allocatedInvoiceIds?: string[];
  /** Xero's Type (ACCREC, ACCPAY, ACCRECCREDIT, ACCPAYCREDIT): a sale and a bill may share a number. */
  type?: string;
  /** Payments on the document (their Reference carries our mark for the ones we made). */
  payments?: { id: string; reference: string; amount: string }[];
}

export type XeroEndpoint = 'Invoices' | 'CreditNotes' | 'ManualJournals';

export interface DocumentKindEntry {
  /** The engine's name of the kind (stored in sync_ledger.document_kind). */
  name: string;
  /** The ConnectWise record family (the ledger key). */
  recordKind: RecordKind;
  words: {
    /** What the Xero document is called: "invoice", "credit note", "bill". */
    xero: string;
    /** What the ConnectWise record is called: "invoice", "credit memo". */
    cw: string;
  };
  source: {
    /** ConnectWise's unposted list of this record family. */
    unpostedPath: string;
    /** The flag of finance/accounting/export and /batches that selects the family. */
    exportFlag: 'exportInvoicesFlag' | 'exportExpensesFlag' | 'exportProductsFlag';
    /** The export's field naming the GL entries to include. */
    includedIdsField: 'includedInvoiceIds' | 'includedExpenseIds' | 'includedProductIds';
    /** Prefix of our single-record batch identifiers (the record id follows). */
    batchPrefix: string;
  };
  contactRole: 'customer' | 'supplier' | 'none';
  xero: {
    endpoint: XeroEndpoint;
    /** Xero's document Type on that endpoint (lookups keep only documents of this type). */
    type: 'ACCREC' | 'ACCPAY' | 'ACCRECCREDIT' | 'ACCPAYCREDIT' | null;
    /** The payload field carrying the number; null where Xero has none (journals: our reference rides in the Narration). */
    numberField: 'InvoiceNumber' | 'CreditNoteNumber' | null;
    /** Xero refuses a second document with the number (sales); bills may repeat numbers. */
    numberUnique: boolean;
    /** Xero will no longer take our changes to the document (paid, voided, credited…). */
    isLocked(doc: Pick<XeroDocumentRef, 'status' | 'amountPaid' | 'amountCredited'>): boolean;
    /** Paid by the other party (the reconcile view and the chip say "Paid"). */
    isPaid(doc: Pick<XeroDocumentRef, 'status' | 'amountPaid'>): boolean;
    /** The document in Xero's web app. */
    url(appUrl: string, id: string): string;
  };
  /** Credit notes allocate to documents of this kind (the invoices ConnectWise applied them to). */
  allocatesTo?: DocumentKindEntry;
  /**
   * The record carries payments of its own to apply once the document is
   * approved (Wise-Pay: a company card paid the expense), each exactly once.
   */
  paysFromAccounts?: true;
}

/** Statuses in which Xero still takes changes to a document. */
export const EDITABLE_STATUSES = new Set(['DRAFT', 'SUBMITTED', 'AUTHORISED']);

const nonZero = (s: string) => !new Decimal(s || '0').isZero();

export const invoiceKind: DocumentKindEntry = {
  name: 'invoice',
  recordKind: 'invoice',
  words: { xero: 'invoice', cw: 'invoice' },
  source: { unpostedPath: 'finance/accounting/unpostedinvoices', exportFlag: 'exportInvoicesFlag', includedIdsField: 'includedInvoiceIds', batchPrefix: 'cwxs-inv-' },
  contactRole: 'customer',
  xero: {
    endpoint: 'Invoices',
    type: 'ACCREC',
    numberField: 'InvoiceNumber',
    numberUnique: true,
    // An invoice's credits are someone's payment (a credit note applied in Xero).
    isLocked: (d) => !EDITABLE_STATUSES.has(d.status) || nonZero(d.amountPaid) || nonZero(d.amountCredited),
    isPaid: (d) => nonZero(d.amountPaid) || d.status === 'PAID',
    url: (appUrl, id) => `${appUrl}/AccountsReceivable/View.aspx?InvoiceID=${encodeURIComponent(id)}`,
  },
};

export const creditNoteKind: DocumentKindEntry = {
  name: 'creditNote',
  // A ConnectWise credit memo is an invoice record of type CreditMemo.
  recordKind: 'invoice',
  words: { xero: 'credit note', cw: 'credit memo' },
  source: invoiceKind.source,
  contactRole: 'customer',
  xero: {
    endpoint: 'CreditNotes',
    type: 'ACCRECCREDIT',
    numberField: 'CreditNoteNumber',
    numberUnique: true,
    // A credit note's allocations are our own doing; refunds (payments) lock it.
    isLocked: (d) => !EDITABLE_STATUSES.has(d.status) || nonZero(d.amountPaid),
    // Xero marks a credit note PAID when our allocation used it up: synced, not paid. Refunded is paid.
    isPaid: (d) => nonZero(d.amountPaid),
    url: (appUrl, id) => `${appUrl}/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=${encodeURIComponent(id)}`,
  },
  allocatesTo: invoiceKind,
};

const EXPENSE_SOURCE: DocumentKindEntry['source'] = { unpostedPath: 'finance/accounting/unpostedexpenses', exportFlag: 'exportExpensesFlag', includedIdsField: 'includedExpenseIds', batchPrefix: 'cwxs-exp-' };

/**
 * An expense bill: what the company owes a member for an expense report (or,
 * with Enhanced Expenses, a member's week) — an ACCPAY bill with the member as
 * supplier, never an expense claim. Xero lets bills repeat numbers, so a lost
 * create is recovered by the ledger's create key plus contact, date and total,
 * never by the number alone.
 */
export const expenseBillKind: DocumentKindEntry = {
  name: 'expenseBill',
  recordKind: 'expense',
  words: { xero: 'bill', cw: 'expense report' },
  source: EXPENSE_SOURCE,
  contactRole: 'supplier',
  xero: {
    endpoint: 'Invoices',
    type: 'ACCPAY',
    numberField: 'InvoiceNumber',
    numberUnique: false,
    // Our own Wise-Pay payments lock it as any payment does: an approved bill is never edited.
    isLocked: (d) => !EDITABLE_STATUSES.has(d.status) || nonZero(d.amountPaid) || nonZero(d.amountCredited),
    isPaid: (d) => d.status === 'PAID',
    url: (appUrl, id) => `${appUrl}/AccountsPayable/View.aspx?InvoiceID=${encodeURIComponent(id)}`,
  },
  paysFromAccounts: true,
};

/** A report whose entries net below zero (personal expenses owed back): an ACCPAYCREDIT credit note from the member. */
export const expenseCreditKind: DocumentKindEntry = {
  name: 'expenseCredit',
  recordKind: 'expense',
  words: { xero: 'bill credit note', cw: 'expense report' },
  source: EXPENSE_SOURCE,
  contactRole: 'supplier',
  xero: {
    endpoint: 'CreditNotes',
    type: 'ACCPAYCREDIT',
    numberField: 'CreditNoteNumber',
    numberUnique: false,
    isLocked: (d) => !EDITABLE_STATUSES.has(d.status) || nonZero(d.amountPaid),
    isPaid: (d) => nonZero(d.amountPaid),
    url: (appUrl, id) => `${appUrl}/AccountsPayable/ViewCreditNote.aspx?creditNoteID=${encodeURIComponent(id)}`,
  },
};

const PROCUREMENT_SOURCE: DocumentKindEntry['source'] = { unpostedPath: 'finance/accounting/unpostedprocurement', exportFlag: 'exportProductsFlag', includedIdsField: 'includedProductIds', batchPrefix: 'cwxs-po-' };

/**
 * A purchase order's bill (one per packing slip with part shipments): ACCPAY
 * with the vendor as supplier. Numbers may repeat (the vendor's invoice
 * number), so recovery rests on the create key plus contact, date and total.
 */
export const purchaseBillKind: DocumentKindEntry = {
  name: 'purchaseBill',
  recordKind: 'purchase',
  words: { xero: 'bill', cw: 'purchase order receipt' },
  source: PROCUREMENT_SOURCE,
  contactRole: 'supplier',
  xero: { ...expenseBillKind.xero },
};

/**
 * An inventory movement as a Xero manual journal (cost of sale, adjustment,
 * transfer). Journals have no number: the record's "number" is our reference
 * (ids only), carried in the Narration in brackets and found there after a
 * lost answer. A journal has no contact.
 */
export const inventoryJournalKind: DocumentKindEntry = {
  name: 'inventoryJournal',
  recordKind: 'inventory',
  words: { xero: 'manual journal', cw: 'inventory transaction' },
  source: PROCUREMENT_SOURCE,
  contactRole: 'none',
  xero: {
    endpoint: 'ManualJournals',
    type: null,
    numberField: null,
    numberUnique: false,
    // Xero edits draft and posted journals; voided, deleted and archived ones are final.
    isLocked: (d) => d.status !== 'DRAFT' && d.status !== 'POSTED',
    isPaid: () => false,
    url: (appUrl, id) => `${appUrl}/Journal/View.aspx?invoiceID=${encodeURIComponent(id)}`,
  },
};

export const KINDS: readonly DocumentKindEntry[] = [invoiceKind, creditNoteKind, expenseBillKind, expenseCreditKind, purchaseBillKind, inventoryJournalKind];

export function kindEntry(name: string): DocumentKindEntry {
  const k = KINDS.find((e) => e.name === name);
  if (!k) throw new Error(`no document kind named ${name}`);
  return k;
}

/** Why Xero will not take ConnectWise's changes, and what to do. */
export function notEditableWords(kind: DocumentKindEntry, d: Pick<XeroDocumentRef, 'number' | 'status' | 'amountPaid' | 'amountCredited'>): string {
  const what = kind.words.xero;
  if (d.status === 'PAID') return `Xero ${what} ${d.number} is paid, so Xero will not take the ConnectWise changes. Remove the payment in Xero first, or correct ConnectWise to match Xero.`;
  if (d.status === 'VOIDED') return `Xero ${what} ${d.number} was voided in Xero, so it cannot be synced again under that number. Give the ConnectWise ${kind.words.cw} a new number or handle it in Xero by hand.`;
  if (nonZero(d.amountPaid) || nonZero(d.amountCredited)) return `Xero ${what} ${d.number} has payments or credits applied, so Xero will not take the ConnectWise changes. Remove them in Xero first, or correct ConnectWise to match Xero.`;
  return `Xero ${what} ${d.number} is ${d.status}, so Xero will not take the ConnectWise changes.`;
}
