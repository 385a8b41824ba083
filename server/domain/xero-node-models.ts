// Bridges between our wire-shape documents and xero-node's model classes. The
// SDK's AccountingApi takes its camelCase models and serialises them to
// Xero's PascalCase with its ObjectSerializer; going through the same
// serialiser keeps field names exactly as the SDK knows them.
import {
  type Account,
  type Contact,
  type CreditNote,
  type Currency,
  type Invoice,
  type Item,
  type ManualJournal,
  ObjectSerializer,
  type TaxRate,
  type TrackingCategory,
} from 'xero-node';
import type { XeroRefsInput } from './xero-refs.js';
import type {
  XeroContactPayload,
  XeroContactRecord,
  XeroBillCreditPayload,
  XeroBillPayload,
  XeroCreditNotePayload,
  XeroInvoicePayload,
  XeroItemPayload,
  XeroManualJournalPayload,
} from './xero-wire.js';

export function invoiceModel(payload: XeroInvoicePayload | XeroBillPayload): Invoice {
  return ObjectSerializer.deserialize(payload, 'Invoice') as Invoice;
}

export function creditNoteModel(payload: XeroCreditNotePayload | XeroBillCreditPayload): CreditNote {
  return ObjectSerializer.deserialize(payload, 'CreditNote') as CreditNote;
}

export function manualJournalModel(payload: XeroManualJournalPayload): ManualJournal {
  return ObjectSerializer.deserialize(payload, 'ManualJournal') as ManualJournal;
}

export function contactModel(payload: XeroContactPayload): Contact {
  return ObjectSerializer.deserialize(payload, 'Contact') as Contact;
}

export function itemModel(payload: XeroItemPayload): Item {
  return ObjectSerializer.deserialize(payload, 'Item') as Item;
}

/** A contact read with xero-node, in wire shape for matching and change detection. */
export function contactRecord(model: Contact): XeroContactRecord {
  return ObjectSerializer.serialize(model, 'Contact') as XeroContactRecord;
}

/** The organisation facts the mapping needs, from what xero-node returned. */
export function xeroRefsFromModels(models: {
  accounts: Account[];
  taxRates: TaxRate[];
  items: Item[];
  trackingCategories: TrackingCategory[];
  currencies: Currency[];
  baseCurrency: string;
}): XeroRefsInput {
  const wire = <T>(list: unknown[], type: string) => list.map((m) => ObjectSerializer.serialize(m, type) as T);
  return {
    accounts: wire(models.accounts, 'Account'),
    taxRates: wire(models.taxRates, 'TaxRate'),
    items: wire(models.items, 'Item'),
    trackingCategories: wire(models.trackingCategories, 'TrackingCategory'),
    currencies: wire(models.currencies, 'Currency'),
    baseCurrency: models.baseCurrency,
  };
}
