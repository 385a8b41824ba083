// The Xero documents we build are plain JSON in Xero's own wire shape
// (PascalCase, as in xero_accounting.yaml): that is what the API receives,
// what we hash, and what the preview reads. The shapes are derived from
// xero-node's published models, so a renamed or removed field in the SDK is a
// compile error here. (xero-node's classes are camelCase; its
// ObjectSerializer converts between the two — see xero-node-models.ts.)
import type {
  Address,
  Contact,
  ContactPerson,
  CreditNote,
  Invoice,
  Item,
  LineItem,
  LineItemTracking,
  ManualJournal,
  ManualJournalLine,
  Payment,
  Phone,
  Purchase,
} from 'xero-node';

type Primitive = string | number | boolean;


/**
 * xero-node model → wire shape: keys capitalised, arrays and nested models
 * mapped, Date → string, enums → string (xero-node declares them as numeric
 * enums whose runtime values are their names; `number extends T` tells a
 * numeric enum from a plain number).
 */
export type Wire<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer U>
    ? Wire<U>[]
    : T extends number
      ? `${number}` extends `${T}`
        ? number
        : string
      : T extends Primitive
        ? T
        : T extends object
          ? { [K in keyof T as K extends string ? Capitalize<K> : never]?: Wire<T[K]> }
          : T;

export type InvoiceType = keyof typeof Invoice.TypeEnum;
export type InvoiceStatus = keyof typeof Invoice.StatusEnum;
export type CreditNoteStatus = keyof typeof CreditNote.StatusEnum;
export type LineAmountType = 'Exclusive' | 'Inclusive' | 'NoTax';

export type XeroTracking = Required<Pick<Wire<LineItemTracking>, 'Name' | 'Option'>>;

export interface XeroLineItem extends Omit<Wire<LineItem>, 'Tracking' | 'Taxability'> {
  Description: string;
  Quantity: number;
  UnitAmount: number;
  LineAmount: number;
  AccountCode: string;
  Tracking?: XeroTracking[];
}

/** How a document names its contact before the contact upsert gives us its ContactID. */
export type XeroContactRef = Pick<Wire<Contact>, 'ContactID' | 'ContactNumber'>;

export interface XeroInvoicePayload
  extends Omit<Wire<Invoice>, 'Type' | 'Status' | 'LineAmountTypes' | 'LineItems' | 'Contact' | 'CurrencyCode'> {
  Type: Extract<InvoiceType, 'ACCREC'>;
  Contact: XeroContactRef;
  Date: string;
  DueDate: string;
  InvoiceNumber: string;
  Status: Extract<InvoiceStatus, 'DRAFT' | 'AUTHORISED'>;
  LineAmountTypes: LineAmountType;
  CurrencyCode: string;
  LineItems: XeroLineItem[];
}

export interface XeroCreditNotePayload
  extends Omit<Wire<CreditNote>, 'Type' | 'Status' | 'LineAmountTypes' | 'LineItems' | 'Contact' | 'CurrencyCode'> {
  Type: Extract<keyof typeof CreditNote.TypeEnum, 'ACCRECCREDIT'>;
  Contact: XeroContactRef;
  Date: string;
  CreditNoteNumber: string;
  Status: Extract<CreditNoteStatus, 'DRAFT' | 'AUTHORISED'>;
  LineAmountTypes: LineAmountType;
  CurrencyCode: string;
  LineItems: XeroLineItem[];
}

/** What the engine creates through the Invoices and CreditNotes endpoints (journals: XeroManualJournalPayload). */
export type XeroDocumentPayload = XeroInvoicePayload | XeroCreditNotePayload | XeroBillPayload | XeroBillCreditPayload;

/**
 * A supplier bill (PUT Invoices, Type ACCPAY): an invoice's shape on the other
 * side of the ledger. Its InvoiceNumber is the supplier's invoice number, which
 * Xero does not require to be unique (Xero documents Reference as ACCREC-only).
 */
export interface XeroBillPayload extends Omit<XeroInvoicePayload, 'Type' | 'InvoiceNumber'> {
  Type: Extract<InvoiceType, 'ACCPAY'>;
  InvoiceNumber?: string;
}

export interface XeroJournalLine extends Omit<Wire<ManualJournalLine>, 'Tracking' | 'TaxType'> {
  /** + debit, − credit; the lines of a journal sum to zero. */
  LineAmount: number;
  AccountCode: string;
  Description: string;
  TaxType?: string;
  Tracking?: XeroTracking[];
}

/** A manual journal (PUT ManualJournals). Journals have no number: the Narration carries our reference. */
export interface XeroManualJournalPayload extends Omit<Wire<ManualJournal>, 'Status' | 'LineAmountTypes' | 'JournalLines'> {
  Narration: string;
  Date: string;
  Status: Extract<keyof typeof ManualJournal.StatusEnum, 'DRAFT' | 'POSTED'>;
  LineAmountTypes: 'NoTax';
  JournalLines: XeroJournalLine[];
}

export interface XeroItemPayload extends Omit<Wire<Item>, 'SalesDetails'> {
  Code: string;
  Name: string;
  IsSold: true;
  SalesDetails: Wire<Purchase>;
}

export interface XeroPhone extends Omit<Wire<Phone>, 'PhoneType'> {
  PhoneType?: keyof typeof Phone.PhoneTypeEnum;
}
export interface XeroAddress extends Omit<Wire<Address>, 'AddressType'> {
  AddressType?: keyof typeof Address.AddressTypeEnum;
}
export type XeroContactPerson = Wire<ContactPerson>;

type ContactEnumFields =
  | 'ContactStatus'
  | 'TaxNumberType'
  | 'SalesDefaultLineAmountType'
  | 'PurchasesDefaultLineAmountType'
  | 'DefaultCurrency';

/** A Xero contact as read back (wire shape), for matching and change detection. */
export interface XeroContactRecord
  extends Omit<Wire<Contact>, ContactEnumFields | 'Phones' | 'Addresses' | 'ContactPersons'> {
  ContactStatus?: keyof typeof Contact.ContactStatusEnum;
  DefaultCurrency?: string;
  Phones?: XeroPhone[];
  Addresses?: XeroAddress[];
  ContactPersons?: XeroContactPerson[];
}

export interface XeroContactPayload extends Omit<XeroContactRecord, 'Phones' | 'Addresses' | 'ContactPersons'> {
  Name: string;
  ContactNumber: string;
  Phones?: XeroPhone[];
  Addresses?: XeroAddress[];
  ContactPersons?: XeroContactPerson[];
}

/** A supplier credit note (PUT CreditNotes, Type ACCPAYCREDIT): a bill that nets below zero. */
export interface XeroBillCreditPayload extends Omit<XeroCreditNotePayload, 'Type'> {
  Type: Extract<keyof typeof CreditNote.TypeEnum, 'ACCPAYCREDIT'>;
}
/** A payment (PUT Payments) applied to a bill from a bank or credit-card account. */
export interface XeroPaymentPayload extends Pick<Wire<Payment>, 'Reference'> {
  Invoice: { InvoiceID: string };
  Account: { Code: string };
  Date: string;
  Amount: number;
}
