// The Xero side of a push, over the official xero-node SDK. Payloads are
// xero-node model objects (camelCase; the SDK serialises them to Xero's
// PascalCase). Validation failures become NeedsAttention with Xero's own words;
// 429 and 5xx are retried here, honouring Retry-After, within a bound.
import type { AccountingApi, Contact, CreditNote, Invoice, Item } from 'xero-node';
import pRetry, { AbortError } from 'p-retry';
import { NeedsAttention, type DocumentKind, type XeroContactRef, type XeroDocumentRef, type XeroPushPort } from './invoice-push.js';

export interface XeroCallError {
  statusCode: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** xero-node rejects with a JSON *string* `{response:{statusCode, body, headers}}`, or with an Error for network faults. */
export function parseXeroError(err: unknown): XeroCallError | undefined {
  let v: unknown = err;
  if (typeof err === 'string') {
    try {
      v = JSON.parse(err);
    } catch {
      return undefined;
    }
  }
  const r = (v as { response?: { statusCode?: number; body?: unknown; headers?: Record<string, string> } } | undefined)?.response;
  if (!r || typeof r.statusCode !== 'number') return undefined;
  return { statusCode: r.statusCode, body: r.body, headers: r.headers ?? {} };
}

/** Xero's ValidationException messages, element by element, in one sentence. */
export function validationMessages(body: unknown): string[] {
  const b = body as { Message?: string; Elements?: { ValidationErrors?: { Message?: string }[] }[] } | undefined;
  const msgs = (b?.Elements ?? []).flatMap((e) => (e.ValidationErrors ?? []).map((v) => v.Message ?? '')).filter(Boolean);
  if (msgs.length === 0 && b?.Message) msgs.push(b.Message);
  return [...new Set(msgs)];
}

export interface XeroRetryOptions {
  retries: number;
  maxWaitMs: number;
}

/** Runs one SDK call with retries of 429 (Retry-After) and 5xx; 4xx validation becomes NeedsAttention. */
export async function xeroCall<T>(what: string, fn: () => Promise<T>, opts: XeroRetryOptions = { retries: 5, maxWaitMs: 65_000 }): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await fn();
      } catch (err) {
        const e = parseXeroError(err);
        if (!e) throw err instanceof Error ? err : new Error(`Xero did not answer (${what})`);
        if (e.statusCode === 429 || e.statusCode >= 500) {
          const ra = Number(headerValue(e.headers, 'retry-after'));
          const waitMs = Number.isFinite(ra) && ra > 0 ? Math.min(ra * 1000, opts.maxWaitMs) : 0;
          if (waitMs) await new Promise((r) => setTimeout(r, waitMs));
          throw new Error(`Xero answered ${e.statusCode} to ${what}`);
        }
        if (e.statusCode === 400) {
          const msgs = validationMessages(e.body);
          throw new AbortError(new NeedsAttention('xero_validation', `Xero refused the ${what}: ${msgs.join('; ') || 'validation failed'}`, 'Xero'));
        }
        if (e.statusCode === 401 || e.statusCode === 403) {
          throw new AbortError(new NeedsAttention('xero_unauthorised', 'Xero refused our connection for this organisation: reconnect Xero in settings.', 'Settings › Xero'));
        }
        if (e.statusCode === 404) throw new AbortError(new XeroNotFound(what));
        throw new AbortError(new Error(`Xero answered ${e.statusCode} to ${what}`));
      }
    },
    { retries: opts.retries, minTimeout: 200, maxTimeout: 2_000, factor: 2 },
  );
}

export class XeroNotFound extends Error {}

function headerValue(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name] ?? h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function escapeWhere(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function invoiceRef(i: Invoice | undefined): XeroDocumentRef | undefined {
  if (!i?.invoiceID) return undefined;
  return { id: i.invoiceID, number: i.invoiceNumber ?? '', status: String(i.status ?? ''), amountPaid: String(i.amountPaid ?? 0) };
}

function creditNoteRef(c: CreditNote | undefined): XeroDocumentRef | undefined {
  if (!c?.creditNoteID) return undefined;
  const paid = Number(c.total ?? 0) - Number(c.remainingCredit ?? c.total ?? 0);
  return { id: c.creditNoteID, number: c.creditNoteNumber ?? '', status: String(c.status ?? ''), amountPaid: String(paid) };
}

function contactRef(c: Contact | undefined): XeroContactRef | undefined {
  if (!c?.contactID) return undefined;
  return { id: c.contactID, name: c.name ?? '', contactNumber: c.contactNumber, accountNumber: c.accountNumber, status: c.contactStatus ? String(c.contactStatus) : undefined };
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof XeroNotFound) return undefined;
    throw err;
  }
}

export function createXeroPushPort(api: () => Promise<AccountingApi>, xeroTenantId: string, retry?: XeroRetryOptions): XeroPushPort {
  const t = xeroTenantId;
  const call = <T>(what: string, fn: (a: AccountingApi) => Promise<T>) => xeroCall(what, async () => fn(await api()), retry);
  return {
    async getContact(id) {
      const r = await orUndefined(call('contact lookup', (a) => a.getContact(t, id)));
      return contactRef(r?.body.contacts?.[0]);
    },
    async findContacts(q) {
      const where = q.contactNumber
        ? `ContactNumber=="${escapeWhere(q.contactNumber)}"`
        : q.accountNumber
          ? `AccountNumber=="${escapeWhere(q.accountNumber)}"`
          : `Name=="${escapeWhere(q.name ?? '')}"`;
      const r = await call('contact search', (a) => a.getContacts(t, undefined, where));
      return (r.body.contacts ?? []).map(contactRef).filter((c): c is XeroContactRef => !!c);
    },
    async createContact(payload, key) {
      const r = await call('new contact', (a) => a.createContacts(t, { contacts: [payload as Contact] }, false, key));
      const c = contactRef(r.body.contacts?.[0]);
      if (!c) throw new Error('Xero created no contact');
      return c;
    },
    async updateContact(id, payload, key) {
      await call('contact update', (a) => a.updateContact(t, id, { contacts: [{ ...(payload as Contact), contactID: id }] }, key));
    },
    async ensureItems(items, key) {
      await call('new items', (a) => a.updateOrCreateItems(t, { items: items as unknown as Item[] }, false, 4, key));
    },
    async findDocumentByNumber(kind, number) {
      if (kind === 'invoice') {
        const r = await call('invoice lookup', (a) => a.getInvoices(t, undefined, undefined, undefined, undefined, [number]));
        return invoiceRef((r.body.invoices ?? []).find((i) => i.invoiceNumber === number && String(i.status) !== 'DELETED'));
      }
      const r = await call('credit note lookup', (a) => a.getCreditNotes(t, undefined, `CreditNoteNumber=="${escapeWhere(number)}"`));
      return creditNoteRef((r.body.creditNotes ?? []).find((c) => c.creditNoteNumber === number && String(c.status) !== 'DELETED'));
    },
    async getDocument(kind, id) {
      if (kind === 'invoice') return invoiceRef((await orUndefined(call('invoice lookup', (a) => a.getInvoice(t, id))))?.body.invoices?.[0]);
      return creditNoteRef((await orUndefined(call('credit note lookup', (a) => a.getCreditNote(t, id))))?.body.creditNotes?.[0]);
    },
    async createDocument(kind, payload, key) {
      if (kind === 'invoice') {
        const r = await call('new invoice', (a) => a.createInvoices(t, { invoices: [payload as Invoice] }, false, 4, key));
        const ref = invoiceRef(r.body.invoices?.[0]);
        if (!ref) throw new Error('Xero created no invoice');
        return ref;
      }
      const r = await call('new credit note', (a) => a.createCreditNotes(t, { creditNotes: [payload as CreditNote] }, false, 4, key));
      const ref = creditNoteRef(r.body.creditNotes?.[0]);
      if (!ref) throw new Error('Xero created no credit note');
      return ref;
    },
    async updateDocument(kind, id, payload, key) {
      if (kind === 'invoice') {
        const r = await call('invoice update', (a) => a.updateInvoice(t, id, { invoices: [{ ...(payload as Invoice), invoiceID: id }] }, 4, key));
        const ref = invoiceRef(r.body.invoices?.[0]);
        if (!ref) throw new Error('Xero updated no invoice');
        return ref;
      }
      const r = await call('credit note update', (a) => a.updateCreditNote(t, id, { creditNotes: [{ ...(payload as CreditNote), creditNoteID: id }] }, 4, key));
      const ref = creditNoteRef(r.body.creditNotes?.[0]);
      if (!ref) throw new Error('Xero updated no credit note');
      return ref;
    },
    async allocateCreditNote(creditNoteId, invoiceId, amount, key) {
      const date = new Date().toISOString().slice(0, 10);
      await call('credit note allocation', (a) =>
        a.createCreditNoteAllocation(t, creditNoteId, { allocations: [{ invoice: { invoiceID: invoiceId }, amount: Number(amount), date }] }, false, key),
      );
    },
  } satisfies XeroPushPort;
}

export type { DocumentKind };
