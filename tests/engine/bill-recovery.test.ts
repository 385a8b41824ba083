// Bills may repeat numbers in Xero: after a lost answer a bill is ours only by
// our recorded create key plus contact, date and total — never by number alone.
// And xero-node's dates (Date objects or strings) compare as the day.
import { describe, expect, it } from 'vitest';
import { decideDocument } from '../../server/engine/decide.js';
import { expenseBillKind, type XeroDocumentRef } from '../../server/engine/kinds.js';
import type { PreparedRecord } from '../../server/engine/ports.js';
import { xeroDay } from '../../server/engine/xero-port.js';

const p = {
  kind: expenseBillKind,
  cwRecordId: 'r2001-AUD#1',
  number: 'ER-2001',
  glEntryIds: ['7001'],
  xeroTenantId: 'org',
  contentHash: 'h',
  problems: [],
  unitdp: 2,
  total: '199.30',
  currency: 'AUD',
  document: { Type: 'ACCPAY', Date: '2026-05-05', DueDate: '2026-05-12', InvoiceNumber: 'ER-2001', Contact: {}, Status: 'AUTHORISED', LineAmountTypes: 'Exclusive', CurrencyCode: 'AUD', LineItems: [] },
  itemsToCreate: [],
  allocations: [],
} as unknown as PreparedRecord;
const doc = (over: Partial<XeroDocumentRef>): XeroDocumentRef => ({ id: 'x1', number: 'ER-2001', status: 'AUTHORISED', total: '199.30', amountPaid: '0.00', amountCredited: '0.00', amountDue: '199.30', date: '2026-05-05', contact: { id: 'c1' }, type: 'ACCPAY', ...over });

describe('a bill found under our number after a lost answer', () => {
  const row = { content_hash: null, create_key: 'k', xero_document_id: null };
  it('is ours with our contact, date and total', () => {
    expect(decideDocument({ p, row, byNumber: [doc({})], createKey: 'k', contactId: 'c1' })).toMatchObject({ action: 'keep' });
  });
  it('is another bill when its date, total or supplier differ (bills repeat numbers): ours is still created', () => {
    for (const other of [doc({ date: '2026-05-06' }), doc({ total: '199.31' }), doc({ contact: { id: 'c2' } })]) {
      expect(decideDocument({ p, row, byNumber: [other], createKey: 'k', contactId: 'c1' })).toEqual({ action: 'create' });
    }
  });
  it('is never ours without our create key (we never sent it)', () => {
    expect(decideDocument({ p, row: { ...row, create_key: null }, byNumber: [doc({})], createKey: 'k', contactId: 'c1' })).toEqual({ action: 'create' });
  });
});

describe('xeroDay', () => {
  it('reads Date objects, Xero’s /Date(ms)/ and ISO strings as the day', () => {
    expect(xeroDay(new Date('2026-05-05T00:00:00Z'))).toBe('2026-05-05');
    expect(xeroDay('/Date(1777939200000+0000)/')).toBe('2026-05-05');
    expect(xeroDay('2026-05-05T00:00:00')).toBe('2026-05-05');
  });
});
