// The engine's Xero calls over xero-node, through the organisation's
// transport (pacing, retries, typed errors). Batch writes use
// summarizeErrors=false: Xero answers every element on its own
// (StatusAttributeString OK / ERROR with ValidationErrors), so a bad record
// never sinks its batch-mates. Every write carries an Idempotency-Key. The one
// switch on the kind's Xero endpoint lives here.
import Decimal from 'decimal.js';
import type { Contact, CreditNote, Invoice, Item, ManualJournal, Payment } from 'xero-node';
import { contactModel, contactRecord, creditNoteModel, invoiceModel, itemModel, manualJournalModel } from '../domain/xero-node-models.js';
import type { XeroBillCreditPayload, XeroBillPayload, XeroContactRecord, XeroCreditNotePayload, XeroInvoicePayload, XeroManualJournalPayload } from '../domain/xero-wire.js';
import { XeroNotFound, XeroRefused } from './errors.js';
import type { XeroDocumentRef } from './kinds.js';
import type { ElementResult, XeroEnginePort } from './ports.js';
import { elementWords } from './problems.js';
import type { Priority } from './scheduler.js';
import type { XeroTransport } from './transport.js';

export const XERO_BATCH_SIZE = 50;
/** Customers looked for in one contact search (three terms each keep its where well within Xero's URL limit). */
export const CONTACT_SEARCH_SIZE = 25;

/** A string for Xero's `where`: quotes and backslashes escaped. */
export function whereText(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const money = (n: number | undefined) => new Decimal(String(n ?? 0)).toFixed(2);

/**
 * A document's date as YYYY-MM-DD. xero-node hands some dates back as Date
 * objects (midnight UTC) and others as strings: both compare as the day
 * (bills are recognised after a lost answer by contact, date and total).
 */
export function xeroDay(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  const text = String(value);
  const msDate = /^\/Date\((-?\d+)/.exec(text);
  if (msDate) return new Date(Number(msDate[1])).toISOString().slice(0, 10);
  return text.slice(0, 10);
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
    ...(i.currencyCode ? { currency: String(i.currencyCode) } : {}),
    ...(i.date ? { date: xeroDay(i.date) } : {}),
    ...(i.type !== undefined ? { type: String(i.type) } : {}),
    contact: { ...(i.contact?.contactID ? { id: i.contact.contactID } : {}), ...(i.contact?.name ? { name: i.contact.name } : {}), ...(i.contact?.contactNumber ? { number: i.contact.contactNumber } : {}) },
    ...(i.payments ? { payments: i.payments.filter((p) => String(p.status ?? 'AUTHORISED') !== 'DELETED').map((p) => ({ id: p.paymentID ?? '', reference: p.reference ?? '', amount: money(p.amount) })) } : {}),
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
    ...(c.currencyCode ? { currency: String(c.currencyCode) } : {}),
    ...(c.date ? { date: xeroDay(c.date) } : {}),
    ...(c.type !== undefined ? { type: String(c.type) } : {}),
    contact: { ...(c.contact?.contactID ? { id: c.contact.contactID } : {}), ...(c.contact?.name ? { name: c.contact.name } : {}), ...(c.contact?.contactNumber ? { number: c.contact.contactNumber } : {}) },
    ...(c.allocations ? { allocatedInvoiceIds: c.allocations.map((a) => a.invoice?.invoiceID).filter((x): x is string => !!x) } : {}),
  };
}

/** Our reference in a journal's Narration, in brackets: "[cwx:cogs:5002]" (inventory-journal-mapping.ts). */
const JOURNAL_REFERENCE = /\[(cwx:[a-z]+:[0-9-]+)\]/;

/** A manual journal as the engine sees it: its "number" is our reference in its Narration; its total the debits. */
export function journalRef(j: ManualJournal | undefined): XeroDocumentRef | undefined {
  if (!j?.manualJournalID) return undefined;
  const debits = (j.journalLines ?? []).reduce((t, l) => (Number(l.lineAmount ?? 0) > 0 ? t.plus(String(l.lineAmount)) : t), new Decimal(0));
  return {
    id: j.manualJournalID,
    number: JOURNAL_REFERENCE.exec(j.narration ?? '')?.[1] ?? '',
    status: String(j.status ?? ''),
    total: debits.toFixed(2),
    amountPaid: '0.00',
    amountCredited: '0.00',
    amountDue: '0.00',
    ...(j.date ? { date: xeroDay(j.date) } : {}),
  };
}

type Element = { statusAttributeString?: string; hasErrors?: boolean; validationErrors?: { message?: string }[] };

function isOk(e: Element | undefined): boolean {
  if (!e) return false;
  if (e.statusAttributeString) return e.statusAttributeString === 'OK';
  return !e.hasErrors && !e.validationErrors?.length;
}

function elements<M extends Element, T>(sent: number, got: M[] | undefined, ref: (m: M) => T | undefined): ElementResult<T>[] {
  return Array.from({ length: sent }, (_, i) => {
    const e = got?.[i];
    const value = e && isOk(e) ? ref(e) : undefined;
    return value !== undefined ? { ok: true as const, value } : { ok: false as const, errors: elementWords(e) };
  });
}

async function orNone<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof XeroNotFound) return undefined;
    throw err;
  }
}

/** A list in parts of at most `size` (Xero takes 50 elements a call). */
export function chunks<T>(list: readonly T[], size = XERO_BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The engine's Xero port for one organisation; `priority` orders its calls against other work on the organisation. */
export function createXeroPort(transport: XeroTransport, priority: Priority): XeroEnginePort {
  const call = <T>(what: string, fn: Parameters<XeroTransport['call']>[1], retryServerErrors = true) =>
    transport.call(what, fn, { priority, retryServerErrors }) as Promise<T>;
  const port: XeroEnginePort = {
    async getContacts(ids) {
      const out: XeroContactRecord[] = [];
      for (const part of chunks([...new Set(ids)])) {
        const r = await call<{ body: { contacts?: Contact[] } }>('contact lookup', (a, t) => a.getContacts(t, undefined, undefined, undefined, part, undefined, true));
        out.push(...(r.body.contacts ?? []).map(contactRecord));
      }
      return out;
    },
    async findContactCandidates(qs) {
      const out: XeroContactRecord[] = [];
      // One query for every way a contact may match (number, account number, name), 25 customers a call.
      for (const part of chunks(qs, CONTACT_SEARCH_SIZE)) {
        const terms = part.flatMap((q) => [
          `ContactNumber==${whereText(q.contactNumber)}`,
          ...(q.name ? [`Name==${whereText(q.name)}`] : []),
          ...(q.accountNumber ? [`AccountNumber==${whereText(q.accountNumber)}`] : []),
        ]);
        const r = await call<{ body: { contacts?: Contact[] } }>('contact search', (a, t) => a.getContacts(t, undefined, terms.join(' OR '), undefined, undefined, undefined, true));
        out.push(...(r.body.contacts ?? []).map(contactRecord));
      }
      return out;
    },
    async saveContacts(payloads, key) {
      if (payloads.length > XERO_BATCH_SIZE) throw new RangeError('at most 50 contacts per call');
      const r = await call<{ body: { contacts?: Contact[] } }>('contacts', (a, t) => a.updateOrCreateContacts(t, { contacts: payloads.map(contactModel) }, false, key));
      return elements(payloads.length, r.body.contacts as (Contact & Element)[] | undefined, (c) => (c.contactID ? contactRecord(c) : undefined));
    },
    async ensureItems(items, key) {
      if (items.length === 0) return;
      const r = await call<{ body: { items?: Item[] } }>('new items', (a, t) => a.updateOrCreateItems(t, { items: items.map(itemModel) }, false, 4, key));
      const refused = (r.body.items ?? []).filter((i) => !isOk(i as Item & Element));
      if (refused.length) throw new XeroRefused(400, { Elements: refused.map((i) => ({ ValidationErrors: (i as Item & Element).validationErrors?.map((v) => ({ Message: v.message })) })) }, 'new items');
    },
    async getDocuments(kind, ids) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      if (kind.xero.endpoint === 'Invoices') {
        const out: XeroDocumentRef[] = [];
        for (const part of chunks(unique)) {
          const r = await call<{ body: { invoices?: Invoice[] } }>('invoice lookup', (a, t) => a.getInvoices(t, undefined, undefined, undefined, part, undefined, undefined, undefined, undefined, undefined, undefined, undefined, true));
          out.push(...(r.body.invoices ?? []).map(invoiceRef).filter((d): d is XeroDocumentRef => !!d));
        }
        return out;
      }
      if (kind.xero.endpoint === 'CreditNotes') {
        // Only a credit note read alone carries its allocations.
        const out: XeroDocumentRef[] = [];
        for (const id of unique) {
          const r = await orNone(call<{ body: { creditNotes?: CreditNote[] } }>('credit note lookup', (a, t) => a.getCreditNote(t, id)));
          const ref = creditNoteRef(r?.body.creditNotes?.[0]);
          if (ref) out.push(ref);
        }
        return out;
      }
      // ManualJournals: one read each (the list omits lines).
      const out: XeroDocumentRef[] = [];
      for (const id of unique) {
        const r = await orNone(call<{ body: { manualJournals?: ManualJournal[] } }>('journal lookup', (a, t) => a.getManualJournal(t, id)));
        const ref = journalRef(r?.body.manualJournals?.[0]);
        if (ref) out.push(ref);
      }
      return out;
    },
    async findDocumentsByNumber(kind, numbers) {
      const unique = [...new Set(numbers.filter(Boolean))];
      const out: XeroDocumentRef[] = [];
      for (const part of chunks(unique)) {
        if (kind.xero.endpoint === 'Invoices') {
          const r = await call<{ body: { invoices?: Invoice[] } }>('invoice lookup', (a, t) =>
            a.getInvoices(t, undefined, undefined, undefined, undefined, part, undefined, undefined, undefined, undefined, undefined, undefined, true),
          );
          out.push(...(r.body.invoices ?? []).filter((i) => String(i.status) !== 'DELETED').map(invoiceRef).filter((d): d is XeroDocumentRef => !!d));
        } else if (kind.xero.endpoint === 'CreditNotes') {
          const where = part.map((n) => `CreditNoteNumber==${whereText(n)}`).join(' OR ');
          const r = await call<{ body: { creditNotes?: CreditNote[] } }>('credit note lookup', (a, t) => a.getCreditNotes(t, undefined, where));
          const found = (r.body.creditNotes ?? []).filter((c) => String(c.status) !== 'DELETED' && c.creditNoteID);
          // The list omits allocations: read the notes found in full.
          out.push(...(await port.getDocuments(kind, found.map((c) => c.creditNoteID!))));
        } else {
          // Journals have no number: our reference is looked for in the Narration (in brackets, so 5002 never finds 50021).
          const where = part.map((n) => `Narration.Contains(${whereText(`[${n}]`)})`).join(' OR ');
          const r = await call<{ body: { manualJournals?: ManualJournal[] } }>('journal lookup', (a, t) => a.getManualJournals(t, undefined, where));
          const found = (r.body.manualJournals ?? []).filter((j) => String(j.status) !== 'DELETED' && j.manualJournalID);
          out.push(...(await port.getDocuments(kind, found.map((j) => j.manualJournalID!))));
        }
      }
      // A sale and a bill may carry the same number: only documents of the kind's own type.
      return out.filter((d) => unique.includes(d.number) && (!kind.xero.type || !d.type || d.type === kind.xero.type));
    },
    async createDocuments(kind, payloads, unitdp, key) {
      if (payloads.length > XERO_BATCH_SIZE) throw new RangeError('at most 50 documents per call');
      if (kind.xero.endpoint === 'Invoices') {
        const r = await call<{ body: { invoices?: Invoice[] } }>(`new ${kind.words.xero}s`, (a, t) => a.createInvoices(t, { invoices: payloads.map((p) => invoiceModel(p as XeroInvoicePayload | XeroBillPayload)) }, false, unitdp, key), false);
        return elements(payloads.length, r.body.invoices as (Invoice & Element)[] | undefined, invoiceRef);
      }
      if (kind.xero.endpoint === 'CreditNotes') {
        const r = await call<{ body: { creditNotes?: CreditNote[] } }>(`new ${kind.words.xero}s`, (a, t) => a.createCreditNotes(t, { creditNotes: payloads.map((p) => creditNoteModel(p as XeroCreditNotePayload | XeroBillCreditPayload)) }, false, unitdp, key), false);
        return elements(payloads.length, r.body.creditNotes as (CreditNote & Element)[] | undefined, creditNoteRef);
      }
      const r = await call<{ body: { manualJournals?: ManualJournal[] } }>(`new ${kind.words.xero}s`, (a, t) => a.createManualJournals(t, { manualJournals: payloads.map((p) => manualJournalModel(p as XeroManualJournalPayload)) }, false, key), false);
      return elements(payloads.length, r.body.manualJournals as (ManualJournal & Element)[] | undefined, journalRef);
    },
    async updateDocuments(kind, updates, unitdp, key) {
      if (updates.length > XERO_BATCH_SIZE) throw new RangeError('at most 50 documents per call');
      if (kind.xero.endpoint === 'Invoices') {
        const models = updates.map((u) => invoiceModel({ ...(u.payload as XeroInvoicePayload | XeroBillPayload), InvoiceID: u.id }));
        const r = await call<{ body: { invoices?: Invoice[] } }>(`${kind.words.xero} update`, (a, t) => a.updateOrCreateInvoices(t, { invoices: models }, false, unitdp, key));
        return elements(updates.length, r.body.invoices as (Invoice & Element)[] | undefined, invoiceRef);
      }
      if (kind.xero.endpoint === 'CreditNotes') {
        const models = updates.map((u) => creditNoteModel({ ...(u.payload as XeroCreditNotePayload | XeroBillCreditPayload), CreditNoteID: u.id }));
        const r = await call<{ body: { creditNotes?: CreditNote[] } }>(`${kind.words.xero} update`, (a, t) => a.updateOrCreateCreditNotes(t, { creditNotes: models }, false, unitdp, key));
        return elements(updates.length, r.body.creditNotes as (CreditNote & Element)[] | undefined, creditNoteRef);
      }
      const models = updates.map((u) => manualJournalModel({ ...(u.payload as XeroManualJournalPayload), ManualJournalID: u.id }));
      const r = await call<{ body: { manualJournals?: ManualJournal[] } }>(`${kind.words.xero} update`, (a, t) => a.updateOrCreateManualJournals(t, { manualJournals: models }, false, key));
      return elements(updates.length, r.body.manualJournals as (ManualJournal & Element)[] | undefined, journalRef);
    },
    async createPayments(payments, key) {
      if (payments.length > XERO_BATCH_SIZE) throw new RangeError('at most 50 payments per call');
      if (payments.length === 0) return [];
      const models = payments.map((p) => ({ invoice: { invoiceID: p.documentId }, account: { code: p.accountCode }, amount: Number(p.amount), date: p.date, reference: p.reference }) as Payment);
      // A lost answer may hide done payments: never retried blindly; the next push reads the bill's payments first.
      const r = await call<{ body: { payments?: Payment[] } }>('payments', (a, t) => a.createPayments(t, { payments: models }, false, key), false);
      return elements(payments.length, r.body.payments as (Payment & Element)[] | undefined, (p) => (p.paymentID ? { id: p.paymentID } : undefined));
    },
    async allocateCreditNote(creditNoteId, invoiceId, amount, date, key) {
      // A lost answer may hide a done allocation: no blind retry; the next push looks at the note's allocations first.
      await call('credit note allocation', (a, t) => a.createCreditNoteAllocation(t, creditNoteId, { allocations: [{ invoice: { invoiceID: invoiceId }, amount: Number(amount), date }] }, false, key), false);
    },
  };
  return port;
}
