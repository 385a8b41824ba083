// Two bills of one vendor may share number, date and total (two deliveries of
// one purchase order). When both creates' answer is lost, the recovery gives
// each record its own Xero bill — never both the same one, never a third.
// The executor runs over a real ledger (SQLite) and an in-memory Xero port.
import { afterEach, describe, expect, it } from 'vitest';
import { runRecords } from '../../server/engine/executor.js';
import { XeroUnavailable } from '../../server/engine/errors.js';
import { purchaseBillKind, type XeroDocumentRef } from '../../server/engine/kinds.js';
import { Ledger } from '../../server/engine/ledger.js';
import type { CwBatchPort, PreparedRecord, XeroEnginePort } from '../../server/engine/ports.js';
import { freshDb } from '../support/db.js';

const record = (id: string): PreparedRecord =>
  ({
    kind: purchaseBillKind,
    cwRecordId: id,
    number: 'INV-77',
    glEntryIds: [id === 'a' ? '9001' : '9002'],
    xeroTenantId: 'org',
    contentHash: `h-${id}`,
    problems: [],
    unitdp: 2,
    total: '100.00',
    currency: 'AUD',
    document: { Type: 'ACCPAY', InvoiceNumber: 'INV-77', Date: '2026-05-05', DueDate: '2026-06-04', Contact: { ContactNumber: 'V1' }, Status: 'AUTHORISED', LineAmountTypes: 'Exclusive', CurrencyCode: 'AUD', LineItems: [] },
    itemsToCreate: [],
    allocations: [],
  }) as unknown as PreparedRecord;

let drop: (() => Promise<void>) | undefined;
afterEach(async () => drop?.());

describe('twin bills after a lost answer', () => {
  it('each record gets its own bill', async () => {
    const db = await freshDb('sqlite');
    drop = db.drop;
    const made: XeroDocumentRef[] = [];
    let lose = true;
    const xero: XeroEnginePort = {
      getContacts: async () => [],
      findContactCandidates: async () => [],
      saveContacts: async () => [],
      ensureItems: async () => undefined,
      getDocuments: async (_k, ids) => made.filter((d) => ids.includes(d.id)),
      findDocumentsByNumber: async (_k, numbers) => made.filter((d) => numbers.includes(d.number)),
      createDocuments: async (_k, payloads) => {
        const docs = payloads.map((_, i) => ({ id: `x${made.length + i + 1}`, number: 'INV-77', status: 'AUTHORISED', total: '100.00', amountPaid: '0.00', amountCredited: '0.00', amountDue: '100.00', date: '2026-05-05', type: 'ACCPAY' }));
        made.push(...docs);
        if (lose) {
          lose = false;
          throw new XeroUnavailable('answer lost');
        }
        return docs.map((value) => ({ ok: true as const, value }));
      },
      updateDocuments: async () => [],
      allocateCreditNote: async () => undefined,
      createPayments: async () => [],
    };
    const batches = new Map<string, number>();
    const cw: CwBatchPort = {
      findBatches: async (ids) => new Map(ids.filter((i) => batches.has(i)).map((i) => [i, batches.get(i)!] as const)),
      createBatch: async (identifier) => {
        batches.set(identifier, batches.size + 1);
        return batches.size;
      },
    };
    const out = await runRecords({ tenantId: 't', xeroTenantId: 'org', ledger: new Ledger(db, () => new Date()), xero, cw, leaseOwner: 'me', batching: 'record' }, [record('a'), record('b')]);
    expect(out.map((o) => o.state)).toEqual(['synced', 'synced']);
    expect(made).toHaveLength(2);
    expect(new Set(out.map((o) => o.xero?.id))).toEqual(new Set(['x1', 'x2']));
  });
});
