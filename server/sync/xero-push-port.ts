// The Xero side of a push, over the official xero-node SDK. Our documents are
// in Xero's wire shape (PascalCase); xero-node-models.ts turns them into the
// SDK's camelCase models, which it serialises back exactly. Every call goes
// through XeroOrgClient (retries, one token renewal, errors in words).
import Decimal from 'decimal.js';
import type { Contact, CreditNote, Invoice } from 'xero-node';
import { contactModel, contactRecord, creditNoteModel, invoiceModel, itemModel } from '../domain/xero-node-models.js';
import type { XeroContactRecord, XeroCreditNotePayload, XeroInvoicePayload } from '../domain/xero-wire.js';
import { NeedsAttention, type XeroDocumentRef, type XeroPushPort } from './invoice-push.js';
import { XeroNotFound, XeroUnavailable, type XeroOrgClient } from './xero-org-client.js';

/** A string for Xero's `where`: quotes and backslashes escaped. */
export function whereText(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function money(n: number | undefined): string {
  return new Decimal(String(n ?? 0)).toFixed(2);
}

export function invoiceRef(i: Invoice | undefined): XeroDocumentRef | undefined {
  if (!i?.invoiceID) return undefined;
  return {
    id: i.invoiceID,
    number: i.invoiceNumber ?? '',
    status: String(i.status ?? ''),
    total: money(i.total),
    amountPaid: money(i.amountPaid),
    amountCredited: money(i.amountCredited),
    amountDue: money(i.amountDue),
  };
}

export function creditNoteRef(c: CreditNote | undefined): XeroDocumentRef | undefined {
  if (!c?.creditNoteID) return undefined;
  const allocated = (c.allocations ?? []).reduce((s, a) => s.plus(String(a.amount ?? 0)), new Decimal(0));
  return {
    id: c.creditNoteID,
    number: c.creditNoteNumber ?? '',
    status: String(c.status ?? ''),
    total: money(c.total),
    // A credit note is "paid" by refunds (payments) and used by allocations.
    amountPaid: money((c.payments ?? []).reduce((s, p) => s + (p.amount ?? 0), 0)),
    amountCredited: allocated.toFixed(2),
    amountDue: money(c.remainingCredit),
    allocatedInvoiceIds: (c.allocations ?? []).map((a) => a.invoice?.invoiceID).filter((x): x is string => !!x),
  };
}

/**
 * With summarizeErrors=false Xero answers 200 and flags each refused element
 * (HasErrors, ValidationErrors): that is a refusal in Xero's words, not a success.
 */
export function throwIfRefused(what: string, el: { hasErrors?: boolean; validationErrors?: { message?: string }[] } | undefined): void {
  const msgs = [...new Set((el?.validationErrors ?? []).map((v) => v.message ?? '').filter(Boolean))];
  if (el?.hasErrors || msgs.length > 0) {
    throw new NeedsAttention('xero_validation', `Xero refused the ${what}: ${msgs.join('; ') || 'validation failed'}.`, 'Xero');
  }
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof XeroNotFound) return undefined;
    throw err;
  }
}

export function createXeroPushPort(client: XeroOrgClient): XeroPushPort {
  const { call } = client;
  return {
    async getContact(id) {
      const r = await orUndefined(call('contact lookup', (a, t) => a.getContact(t, id)));
      const c = r?.body.contacts?.[0];
      return c ? contactRecord(c) : undefined;
    },
    async findContactCandidates(q) {
      // One query for every way a contact may match (number, account number, name).
      const terms = [`ContactNumber==${whereText(q.contactNumber)}`, `Name==${whereText(q.name)}`];
      if (q.accountNumber) terms.push(`AccountNumber==${whereText(q.accountNumber)}`);
      const r = await call('contact search', (a, t) => a.getContacts(t, undefined, terms.join(' OR '), undefined, undefined, undefined, true));
      return (r.body.contacts ?? []).map((c: Contact) => contactRecord(c));
    },
    async createContact(payload, key) {
      const create = (retryServerErrors: boolean) =>
        call('new contact', (a, t) => a.createContacts(t, { contacts: [contactModel(payload)] }, false, key), { retryServerErrors });
      let r: Awaited<ReturnType<typeof create>>;
      try {
        r = await create(false);
      } catch (err) {
        if (!(err instanceof XeroUnavailable)) throw err;
        // The answer was lost: the contact may exist now. Look before creating again.
        const made = (await this.findContactCandidates({ contactNumber: payload.ContactNumber, name: payload.Name })).find(
          (c) => c.ContactNumber === payload.ContactNumber && c.ContactStatus !== 'ARCHIVED',
        );
        if (made) return made;
        r = await create(true);
      }
      const c = r.body.contacts?.[0];
      throwIfRefused('new contact', c);
      if (!c?.contactID) throw new Error('Xero created no contact');
      return contactRecord(c);
    },
    async updateContact(id, payload, key) {
      const model = contactModel({ ...payload, ContactID: id } as typeof payload);
      const r = await call('contact update', (a, t) => a.updateContact(t, id, { contacts: [model] }, key));
      throwIfRefused('contact update', r.body.contacts?.[0]);
    },
    async ensureItems(items, key) {
      const r = await call('new items', (a, t) => a.updateOrCreateItems(t, { items: items.map(itemModel) }, false, 4, key));
      for (const item of r.body.items ?? []) throwIfRefused(`new item ${item.code ?? ''}`.trim(), item);
    },
    async findDocumentByNumber(kind, number) {
      if (kind === 'invoice') {
        const r = await call('invoice lookup', (a, t) => a.getInvoices(t, undefined, undefined, undefined, undefined, [number]));
        return invoiceRef((r.body.invoices ?? []).find((i) => i.invoiceNumber === number && String(i.status) !== 'DELETED'));
      }
      const r = await call('credit note lookup', (a, t) => a.getCreditNotes(t, undefined, `CreditNoteNumber==${whereText(number)}`));
      const found = (r.body.creditNotes ?? []).find((c) => c.creditNoteNumber === number && String(c.status) !== 'DELETED');
      // The list omits allocations; read the one note in full.
      return found?.creditNoteID ? this.getDocument('creditNote', found.creditNoteID) : undefined;
    },
    async getDocument(kind, id) {
      if (kind === 'invoice') return invoiceRef((await orUndefined(call('invoice lookup', (a, t) => a.getInvoice(t, id))))?.body.invoices?.[0]);
      return creditNoteRef((await orUndefined(call('credit note lookup', (a, t) => a.getCreditNote(t, id))))?.body.creditNotes?.[0]);
    },
    async createDocument(kind, payload, unitdp, key) {
      const create = async (retryServerErrors: boolean): Promise<XeroDocumentRef | undefined> => {
        if (kind === 'invoice') {
          const model = invoiceModel(payload as XeroInvoicePayload);
          const r = await call('new invoice', (a, t) => a.createInvoices(t, { invoices: [model] }, false, unitdp, key), { retryServerErrors });
          throwIfRefused('new invoice', r.body.invoices?.[0]);
          return invoiceRef(r.body.invoices?.[0]);
        }
        const model = creditNoteModel(payload as XeroCreditNotePayload);
        const r = await call('new credit note', (a, t) => a.createCreditNotes(t, { creditNotes: [model] }, false, unitdp, key), { retryServerErrors });
        throwIfRefused('new credit note', r.body.creditNotes?.[0]);
        return creditNoteRef(r.body.creditNotes?.[0]);
      };
      let ref: XeroDocumentRef | undefined;
      try {
        ref = await create(false);
      } catch (err) {
        if (!(err instanceof XeroUnavailable)) throw err;
        // The answer was lost: the document may exist now. Look it up by number before creating again.
        const number = kind === 'invoice' ? (payload as XeroInvoicePayload).InvoiceNumber : (payload as XeroCreditNotePayload).CreditNoteNumber;
        const made = await this.findDocumentByNumber(kind, number);
        if (made) return made;
        ref = await create(true);
      }
      if (!ref) throw new Error(`Xero created no ${kind === 'invoice' ? 'invoice' : 'credit note'}`);
      return ref;
    },
    async updateDocument(kind, id, payload, unitdp, key) {
      if (kind === 'invoice') {
        const model = invoiceModel({ ...(payload as XeroInvoicePayload), InvoiceID: id });
        const r = await call('invoice update', (a, t) => a.updateInvoice(t, id, { invoices: [model] }, unitdp, key));
        throwIfRefused('invoice update', r.body.invoices?.[0]);
        const ref = invoiceRef(r.body.invoices?.[0]);
        if (!ref) throw new Error('Xero updated no invoice');
        return ref;
      }
      const model = creditNoteModel({ ...(payload as XeroCreditNotePayload), CreditNoteID: id });
      const r = await call('credit note update', (a, t) => a.updateCreditNote(t, id, { creditNotes: [model] }, unitdp, key));
      throwIfRefused('credit note update', r.body.creditNotes?.[0]);
      const ref = creditNoteRef(r.body.creditNotes?.[0]);
      if (!ref) throw new Error('Xero updated no credit note');
      return ref;
    },
    async allocateCreditNote(creditNoteId, invoiceId, amount, date, key) {
      await call('credit note allocation', (a, t) =>
        a.createCreditNoteAllocation(t, creditNoteId, { allocations: [{ invoice: { invoiceID: invoiceId }, amount: Number(amount), date }] }, false, key),
        // A lost answer may hide a done allocation; the next push looks at the note's allocations first.
        { retryServerErrors: false },
      );
    },
  } satisfies XeroPushPort;
}

export type { XeroContactRecord };
