// A batch step's units of work (server/bulk/lanes.ts): records that could touch
// the same contact, item or document number are never pushed side by side, and
// chunks are filled to 50.
import { describe, expect, it } from 'vitest';
import { conflictGroups, planUnits } from '../../server/bulk/lanes.js';
import type { PreparedRecord } from '../../server/engine/ports.js';

let seq = 0;
function record(o: { company: string; name?: string; identifier?: string; accountNumber?: string; number?: string; items?: string[]; allocatesTo?: string[] }): PreparedRecord {
  const id = String(++seq);
  const match = { identifier: o.identifier ?? `C${o.company}`, name: o.name ?? `Company ${o.company}`, ...(o.accountNumber ? { accountNumber: o.accountNumber } : {}) };
  return {
    cwRecordId: id,
    number: o.number ?? `INV-${id}`,
    contact: {
      cwCompanyId: o.company,
      match,
      map: () => ({ contact: { Name: match.name, ContactNumber: match.identifier, ...(match.accountNumber ? { AccountNumber: match.accountNumber } : {}) }, changed: false }),
    },
    itemsToCreate: (o.items ?? []).map((Code) => ({ Code })),
    allocations: (o.allocatesTo ?? []).map((invoiceNumber) => ({ invoiceNumber })),
  } as unknown as PreparedRecord;
}

const none = () => [];
const ids = (groups: PreparedRecord[][]) => groups.map((g) => g.map((p) => p.cwRecordId));

describe('conflict groups', () => {
  it("keeps one company's records together, and apart from other companies'", () => {
    const [a1, b1, a2] = [record({ company: '1' }), record({ company: '2' }), record({ company: '1' })];
    expect(ids(conflictGroups([a1!, b1!, a2!], none))).toEqual([[a1!.cwRecordId, a2!.cwRecordId], [b1!.cwRecordId]]);
  });

  it('joins customers that could create or take the same Xero contact', () => {
    const sameName = [record({ company: '1', name: 'Acme  Pty Ltd' }), record({ company: '2', name: 'acme pty ltd' })];
    // A contact number met as an account number: matchContact accepts either.
    const numberAsAccount = [record({ company: '3', identifier: 'X-7' }), record({ company: '4', accountNumber: 'x-7' })];
    expect(conflictGroups(sameName, none)).toHaveLength(1);
    expect(conflictGroups(numberAsAccount, none)).toHaveLength(1);
    // A Xero contact both could match (found in the step's contact list).
    const [c, d] = [record({ company: '5' }), record({ company: '6' })];
    const candidates = (p: PreparedRecord) => (p === c || p === d ? ['contact-9'] : []);
    expect(conflictGroups([c, d], candidates)).toHaveLength(1);
    expect(conflictGroups([c, d], none)).toHaveLength(2);
  });

  it('joins records creating the same new item, and a credit note with the invoices it is applied to', () => {
    expect(conflictGroups([record({ company: '1', items: ['NEW-1'] }), record({ company: '2', items: ['new-1'] })], none)).toHaveLength(1);
    const invoice = record({ company: '1', number: 'INV-77' });
    const memo = record({ company: '2', number: 'CN-1', allocatesTo: ['INV-77'] });
    expect(conflictGroups([invoice, memo, record({ company: '3' })], none)).toHaveLength(2);
  });
});

describe('units of work', () => {
  it('fills chunks to 50: 120 customers of one invoice each are three chunks, each a unit', () => {
    const records = Array.from({ length: 120 }, (_, i) => record({ company: `c${i}` }));
    const units = planUnits(records, none);
    expect(units.map((u) => u.map((c) => c.length))).toEqual([[50], [50], [20]]);
    expect(new Set(units.flat(2).map((p) => p.cwRecordId)).size).toBe(120);
  });

  it('packs whole groups into the first chunk with room, never splitting a customer across chunks pushed side by side', () => {
    // 17 customers with 3 invoices each: 16 fit a chunk (48), the 17th goes to the next.
    const records = Array.from({ length: 17 }, (_, i) => [0, 1, 2].map(() => record({ company: `k${i}` }))).flat();
    const units = planUnits(records, none);
    expect(units.map((u) => u.map((c) => c.length))).toEqual([[48], [3]]);
    for (const unit of units) for (const chunk of unit) for (const p of chunk) {
      const others = units.filter((u) => u !== unit).flat(2);
      expect(others.some((o) => o.contact!.cwCompanyId === p.contact!.cwCompanyId)).toBe(false);
    }
  });

  it('a customer with more than 50 records is a unit of its own, its chunks one after another in run order', () => {
    const big = Array.from({ length: 120 }, () => record({ company: 'big' }));
    const small = Array.from({ length: 10 }, (_, i) => record({ company: `s${i}` }));
    const units = planUnits([...big.slice(0, 60), ...small, ...big.slice(60)], none);
    const own = units.find((u) => u.length > 1)!;
    expect(own.map((c) => c.length)).toEqual([50, 50, 20]);
    expect(own.flat().map((p) => p.cwRecordId)).toEqual(big.map((p) => p.cwRecordId));
    expect(units.filter((u) => u !== own).flat(2)).toHaveLength(10);
  });
});
