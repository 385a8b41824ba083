// The Xero calls of a bulk chunk, for one organisation, over xero-node and
// paced by the organisation's XeroPacer. Batch creates use
// summarizeErrors=false, so Xero answers every element on its own
// (StatusAttributeString OK / ERROR with its ValidationErrors) and a bad
// record never sinks its batch-mates. Every write carries an Idempotency-Key.
import type { AccountingApi, Contact, CreditNote, Invoice, Item } from 'xero-node';
import { contactModel, creditNoteModel, invoiceModel, itemModel } from '../domain/xero-node-models.js';
import { readOrgFacts, type OrgFacts } from '../sync/xero-org-refs.js';
import type { XeroContactPayload, XeroCreditNotePayload, XeroInvoicePayload, XeroItemPayload } from '../domain/xero-wire.js';
import type { DocumentKind } from '../sync/invoice-push.js';
import type { XeroPacer } from './xero-pacer.js';

export const XERO_BATCH_SIZE = 50;

export type ElementResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export interface DocRef {
  id: string;
  number: string;
  status: string;
}

function elementErrors(e: { validationErrors?: { message?: string }[] } | undefined): string[] {
  const msgs = (e?.validationErrors ?? []).map((v) => v.message ?? '').filter(Boolean);
  return msgs.length ? [...new Set(msgs)] : ['Xero refused this record without saying why'];
}

function isOk(e: { statusAttributeString?: string; hasErrors?: boolean; validationErrors?: unknown[] } | undefined): boolean {
  if (!e) return false;
  if (e.statusAttributeString) return e.statusAttributeString === 'OK';
  return !e.hasErrors && !(e.validationErrors?.length);
}

export class XeroBulk {
  constructor(
    private readonly api: AccountingApi,
    private readonly xeroTenantId: string,
    private readonly pacer: XeroPacer,
  ) {}

  /** What the mapping needs to know about the organisation (6 paced calls; cached by the caller). */
  loadFacts(): Promise<OrgFacts> {
    return readOrgFacts((what, fn) => this.pacer.call(what, () => fn(this.api, this.xeroTenantId)), this.xeroTenantId);
  }

  /**
   * Creates or updates up to 50 contacts in one call (POST Contacts: an
   * element with a ContactID updates that contact; one with a ContactNumber
   * Xero already holds updates that one; otherwise Xero creates it).
   */
  async upsertContacts(payloads: XeroContactPayload[], idempotencyKey: string): Promise<ElementResult<string>[]> {
    if (payloads.length > XERO_BATCH_SIZE) throw new RangeError('at most 50 contacts per call');
    const r = await this.pacer.call('contacts', () =>
      this.api.updateOrCreateContacts(this.xeroTenantId, { contacts: payloads.map(contactModel) as Contact[] }, false, idempotencyKey),
    );
    const out = r.body.contacts ?? [];
    return payloads.map((_, i) => {
      const c = out[i] as (Contact & { statusAttributeString?: string }) | undefined;
      return isOk(c) && c?.contactID ? { ok: true, value: c.contactID } : { ok: false, errors: elementErrors(c) };
    });
  }

  /** Items the mapping found missing in the organisation (by code), in one call. */
  async ensureItems(items: XeroItemPayload[], idempotencyKey: string): Promise<void> {
    if (items.length === 0) return;
    await this.pacer.call('items', () => this.api.updateOrCreateItems(this.xeroTenantId, { items: items.map(itemModel) as Item[] }, false, 4, idempotencyKey));
  }

  /** Documents already in Xero under these numbers (not deleted): one call per 50 numbers. */
  async findByNumber(kind: DocumentKind, numbers: string[]): Promise<Map<string, DocRef>> {
    const found = new Map<string, DocRef>();
    for (let i = 0; i < numbers.length; i += XERO_BATCH_SIZE) {
      const part = numbers.slice(i, i + XERO_BATCH_SIZE);
      if (kind === 'invoice') {
        const r = await this.pacer.call('invoice lookup', () =>
          this.api.getInvoices(this.xeroTenantId, undefined, undefined, undefined, undefined, part, undefined, undefined, undefined, undefined, undefined, undefined, true),
        );
        for (const inv of r.body.invoices ?? []) {
          if (inv.invoiceID && inv.invoiceNumber && String(inv.status) !== 'DELETED' && String(inv.status) !== 'VOIDED') {
            found.set(inv.invoiceNumber, { id: inv.invoiceID, number: inv.invoiceNumber, status: String(inv.status) });
          }
        }
      } else {
        const where = part.map((n) => `CreditNoteNumber=="${n.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(' OR ');
        const r = await this.pacer.call('credit note lookup', () => this.api.getCreditNotes(this.xeroTenantId, undefined, where));
        for (const cn of r.body.creditNotes ?? []) {
          if (cn.creditNoteID && cn.creditNoteNumber && String(cn.status) !== 'DELETED' && String(cn.status) !== 'VOIDED') {
            found.set(cn.creditNoteNumber, { id: cn.creditNoteID, number: cn.creditNoteNumber, status: String(cn.status) });
          }
        }
      }
    }
    return found;
  }

  /** Creates up to 50 invoices or credit notes in one call; one outcome per element, in order. */
  async createDocuments(kind: DocumentKind, docs: (XeroInvoicePayload | XeroCreditNotePayload)[], unitdp: 2 | 4, idempotencyKey: string): Promise<ElementResult<DocRef>[]> {
    if (docs.length > XERO_BATCH_SIZE) throw new RangeError('at most 50 documents per call');
    if (kind === 'invoice') {
      const r = await this.pacer.call('invoices', () =>
        this.api.createInvoices(this.xeroTenantId, { invoices: docs.map((d) => invoiceModel(d as XeroInvoicePayload)) as Invoice[] }, false, unitdp, idempotencyKey),
      );
      const out = r.body.invoices ?? [];
      return docs.map((_, i) => {
        const e = out[i] as (Invoice & { statusAttributeString?: string }) | undefined;
        return isOk(e) && e?.invoiceID ? { ok: true, value: { id: e.invoiceID, number: e.invoiceNumber ?? '', status: String(e.status ?? '') } } : { ok: false, errors: elementErrors(e) };
      });
    }
    const r = await this.pacer.call('credit notes', () =>
      this.api.createCreditNotes(this.xeroTenantId, { creditNotes: docs.map((d) => creditNoteModel(d as XeroCreditNotePayload)) as CreditNote[] }, false, unitdp, idempotencyKey),
    );
    const out = r.body.creditNotes ?? [];
    return docs.map((_, i) => {
      const e = out[i] as (CreditNote & { statusAttributeString?: string }) | undefined;
      return isOk(e) && e?.creditNoteID ? { ok: true, value: { id: e.creditNoteID, number: e.creditNoteNumber ?? '', status: String(e.status ?? '') } } : { ok: false, errors: elementErrors(e) };
    });
  }

  async allocateCreditNote(creditNoteId: string, invoiceId: string, amount: string, date: string, idempotencyKey: string): Promise<void> {
    await this.pacer.call('credit note allocation', () =>
      this.api.createCreditNoteAllocation(this.xeroTenantId, creditNoteId, { allocations: [{ invoice: { invoiceID: invoiceId }, amount: Number(amount), date }] }, false, idempotencyKey),
    );
  }
}
