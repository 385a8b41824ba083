// The push's step machine with in-memory ports over a real ledger (SQLite):
// what it sends to Xero (contact bound by ContactID, unitdp, keys), that a
// lost lease stops it before ConnectWise is touched, that an unchanged
// record is not pushed again, and the pure helpers it rests on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapContact } from '../../server/domain/contact-mapping.js';
import type { XeroContactRecord, XeroDocumentPayload } from '../../server/domain/xero-wire.js';
import {
  LeaseLost,
  batchIdentifier,
  documentIdempotencyKey,
  isLockedInXero,
  pushInvoice,
  type CwPushPort,
  type DocumentKind,
  type XeroDocumentRef,
  type XeroPushPort,
} from '../../server/sync/invoice-push.js';
import { Ledger } from '../../server/sync/ledger.js';
import { toPreparedDocument } from '../../server/sync/prepare-invoice.js';
import { productInvoice } from '../domain/fixtures/cw-invoices.js';
import { mapFixture } from '../domain/map-fixture.js';
import { freshDb } from '../support/db.js';

const ORG = 'org-1';
let db: Awaited<ReturnType<typeof freshDb>>;
let ledger: Ledger;
beforeEach(async () => {
  db = await freshDb('sqlite');
  ledger = new Ledger(db, () => new Date());
});
afterEach(async () => db.drop());

function prepared() {
  const mapping = mapFixture(productInvoice);
  const contactInput = { company: productInvoice.company, customer: productInvoice.customer, invoice: productInvoice.invoice, settings: { contactAccountNumber: false } };
  return toPreparedDocument({ cwInvoiceId: 1002, xeroTenantId: ORG, mapping, contactInput, contact: mapContact(contactInput) });
}

class FakeXero implements XeroPushPort {
  contacts = new Map<string, XeroContactRecord>();
  docs = new Map<string, { kind: DocumentKind; payload: XeroDocumentPayload; unitdp: number; key: string; ref: XeroDocumentRef }>();
  onCreateDocument?: () => Promise<void>;
  async getContact(id: string) {
    return this.contacts.get(id);
  }
  async findContactCandidates(q: { contactNumber: string; name: string }) {
    return [...this.contacts.values()].filter((c) => c.ContactNumber === q.contactNumber || c.Name === q.name);
  }
  async createContact(payload: XeroContactRecord & { Name: string }) {
    const c = { ...payload, ContactID: `c${this.contacts.size + 1}`, ContactStatus: 'ACTIVE' as const };
    this.contacts.set(c.ContactID, c);
    return c;
  }
  async updateContact(id: string, payload: XeroContactRecord) {
    this.contacts.set(id, { ...this.contacts.get(id), ...payload, ContactID: id });
  }
  async ensureItems() {}
  async findDocumentByNumber(kind: DocumentKind, number: string) {
    return [...this.docs.values()].find((d) => d.kind === kind && d.ref.number === number)?.ref;
  }
  async getDocument(_kind: DocumentKind, id: string) {
    return this.docs.get(id)?.ref;
  }
  async createDocument(kind: DocumentKind, payload: XeroDocumentPayload, unitdp: 2 | 4, key: string) {
    await this.onCreateDocument?.();
    const id = `d${this.docs.size + 1}`;
    const number = 'InvoiceNumber' in payload ? payload.InvoiceNumber : (payload as { CreditNoteNumber: string }).CreditNoteNumber;
    const ref = { id, number, status: 'AUTHORISED', total: '0.00', amountPaid: '0.00', amountCredited: '0.00', amountDue: '0.00' };
    this.docs.set(id, { kind, payload, unitdp, key, ref });
    return ref;
  }
  async updateDocument(_kind: DocumentKind, id: string) {
    return this.docs.get(id)!.ref;
  }
  async allocateCreditNote() {}
}

function fakeCw() {
  const batches: { id: number; identifier: string; gl: string[] }[] = [];
  const port: CwPushPort = {
    findBatch: async (identifier) => batches.find((b) => b.identifier === identifier),
    createBatch: async (identifier, gl) => {
      const b = { id: batches.length + 1, identifier, gl };
      batches.push(b);
      return b;
    },
  };
  return { port, batches };
}

describe('pushInvoice', () => {
  it('creates the contact, then the document bound to it with unitdp and a deterministic key, then one batch', async () => {
    const xero = new FakeXero();
    const cw = fakeCw();
    const p = prepared();
    const out = await pushInvoice('t1', p, { ledger, xero, cw: cw.port, leaseOwner: 'a' });
    expect(out.state).toBe('synced');
    const [doc] = [...xero.docs.values()];
    expect(doc!.payload.Contact).toEqual({ ContactID: 'c1' });
    expect(doc!.unitdp).toBe(4); // 33.3333
    expect(doc!.key).toBe(documentIdempotencyKey('t1', p, 'create'));
    expect(cw.batches).toEqual([{ id: 1, identifier: batchIdentifier(p), gl: p.glEntryIds }]);
    const again = await pushInvoice('t1', p, { ledger, xero, cw: cw.port, leaseOwner: 'b' });
    expect(again.state).toBe('unchanged');
    expect(xero.docs.size).toBe(1);
    expect(cw.batches).toHaveLength(1);
  });

  it('another push holding the lease gets busy; a push whose lease was taken over stops before ConnectWise', async () => {
    const xero = new FakeXero();
    const cw = fakeCw();
    const p = prepared();
    const key = { tenantId: 't1', kind: 'invoice' as const, cwRecordId: '1002' };
    expect(await ledger.acquire(key, 'holder', 60_000)).toBeDefined();
    expect((await pushInvoice('t1', p, { ledger, xero, cw: cw.port, leaseOwner: 'x' })).state).toBe('busy');
    await ledger.release(key, 'holder');
    // While push "slow" is inside Xero, its lease expires and push "fast" takes it.
    xero.onCreateDocument = async () => {
      await db.k.updateTable('sync_ledger').set({ lease_until: new Date(0).toISOString() }).execute();
      await ledger.acquire(key, 'fast', 60_000);
    };
    await expect(pushInvoice('t1', p, { ledger, xero, cw: cw.port, leaseOwner: 'slow' })).rejects.toBeInstanceOf(LeaseLost);
    expect(cw.batches).toHaveLength(0);
    expect((await ledger.get(key))?.lease_owner).toBe('fast');
  });

  it('refuses a prepared document with blocking problems without touching anything', async () => {
    const xero = new FakeXero();
    const cw = fakeCw();
    const p = { ...prepared(), problems: [{ code: 'location_not_mapped', message: 'Map billing location 1' }] };
    const out = await pushInvoice('t1', p, { ledger, xero, cw: cw.port, leaseOwner: 'a' });
    expect(out).toMatchObject({ state: 'needs_attention', problems: [{ code: 'location_not_mapped' }] });
    expect(xero.docs.size + xero.contacts.size + cw.batches.length).toBe(0);
    expect(await ledger.get({ tenantId: 't1', kind: 'invoice', cwRecordId: '1002' })).toBeUndefined();
  });
});

describe('helpers', () => {
  it('batch identifiers are at most 50 characters, deterministic, and differ per record', () => {
    const a = batchIdentifier({ cwInvoiceId: '123456789012', glEntryIds: ['5001'] });
    expect(a.length).toBeLessThanOrEqual(50);
    expect(a).toBe(batchIdentifier({ cwInvoiceId: '123456789012', glEntryIds: ['5001'] }));
    expect(a).not.toBe(batchIdentifier({ cwInvoiceId: '123456789012', glEntryIds: ['5002'] }));
    expect(a.startsWith('cwxs-inv-123456789012-')).toBe(true);
  });

  it('a document is locked once paid, credited (invoices) or in a final status', () => {
    const base = { status: 'AUTHORISED', amountPaid: '0.00', amountCredited: '0.00' };
    expect(isLockedInXero(base, 'invoice')).toBe(false);
    expect(isLockedInXero({ ...base, amountPaid: '0.01' }, 'invoice')).toBe(true);
    expect(isLockedInXero({ ...base, amountCredited: '10.00' }, 'invoice')).toBe(true);
    expect(isLockedInXero({ ...base, amountCredited: '10.00' }, 'creditNote')).toBe(false);
    expect(isLockedInXero({ ...base, status: 'VOIDED' }, 'invoice')).toBe(true);
    expect(isLockedInXero({ ...base, status: 'DRAFT' }, 'creditNote')).toBe(false);
  });

  it('toPreparedDocument carries the mapping as it is and its blocking problems only', () => {
    const p = prepared();
    const mapping = mapFixture(productInvoice);
    expect(p).toMatchObject({ cwInvoiceId: '1002', kind: 'invoice', number: 'InvoiceNumber' in mapping.document ? mapping.document.InvoiceNumber : '', contentHash: mapping.contentHash, unitdp: mapping.unitdp });
    expect(p.contact.company.identifier).toBe(productInvoice.company.identifier);
    expect(p.problems).toEqual([]);
  });
});
