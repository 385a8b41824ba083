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

/** No candidate contacts; every customer's contact may be written (none linked yet). */
const none = { candidatesOf: () => [], writesContact: () => true };
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
    const candidates = { candidatesOf: (p: PreparedRecord) => (p === c || p === d ? ['contact-9'] : []), writesContact: () => true };
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
    const { units } = planUnits(records, none);
    expect(units.map((u) => u.map((c) => c.length))).toEqual([[50], [50], [20]]);
    expect(new Set(units.flat(2).map((p) => p.cwRecordId)).size).toBe(120);
  });

  it("while the step may write a customer's contact it takes the customer's first record only: one contact write a customer, 50 customers a chunk", () => {
    // 120 customers with 3 invoices each, none linked: the first of each now (50, 50, 20), the rest next step.
    const records = Array.from({ length: 3 }, () => Array.from({ length: 120 }, (_, i) => record({ company: `n${i}` }))).flat();
    const { units, later } = planUnits(records, none);
    expect(units.map((u) => u.map((c) => c.length))).toEqual([[50], [50], [20]]);
    expect(new Set(units.flat(2).map((p) => p.contact!.cwCompanyId)).size).toBe(120);
    expect(later.map((p) => p.cwRecordId)).toEqual(records.slice(120).map((p) => p.cwRecordId));
    // Next step, their contacts settled: all go, side by side, chunks full.
    const next = planUnits(later, { candidatesOf: () => [], writesContact: () => false });
    expect(next.units.map((u) => u.map((c) => c.length))).toEqual([[50], [50], [50], [50], [40]]);
    expect(next.later).toEqual([]);
  });

  it('packs whole groups into the first chunk with room, never splitting a group across chunks pushed side by side', () => {
    // 17 pairs of customers sharing a name (3 records a pair): 16 pairs fit a chunk (48), the 17th goes to the next.
    const records = Array.from({ length: 17 }, (_, i) => [record({ company: `a${i}`, name: `Twin ${i}` }), record({ company: `b${i}`, name: `twin ${i}` }), record({ company: `c${i}`, identifier: `A${i}`.replace('A', 'Ca') })]).flat();
    const { units } = planUnits(records, none);
    expect(units.map((u) => u.map((c) => c.length))).toEqual([[48], [3]]);
    for (const unit of units) for (const chunk of unit) for (const p of chunk) {
      const others = units.filter((u) => u !== unit).flat(2);
      expect(others.some((o) => o.contact!.match.name.toLowerCase() === p.contact!.match.name.toLowerCase() || o.contact!.match.identifier.toLowerCase() === p.contact!.match.identifier.toLowerCase())).toBe(false);
    }
  });

  it('a settled customer\'s records go anywhere; a group larger than a chunk is a unit of its own, its chunks in run order', () => {
    // A customer whose contact this run already settled: its 120 records fill chunks pushed side by side.
    const settled = Array.from({ length: 120 }, () => record({ company: 'big' }));
    const free = planUnits(settled, { candidatesOf: () => [], writesContact: () => false });
    expect(free.units.map((u) => u.map((c) => c.length))).toEqual([[50], [50], [20]]);
    // 60 records creating the same new item are one group: one unit, 50 then 10.
    const sharing = Array.from({ length: 60 }, (_, i) => record({ company: `i${i}`, items: ['NEW-X'] }));
    const others = Array.from({ length: 10 }, (_, i) => record({ company: `o${i}` }));
    const { units } = planUnits([...sharing.slice(0, 30), ...others, ...sharing.slice(30)], none);
    const own = units.find((u) => u.length > 1)!;
    expect(own.map((c) => c.length)).toEqual([50, 10]);
    expect(own.flat().map((p) => p.cwRecordId)).toEqual(sharing.map((p) => p.cwRecordId));
    expect(units.filter((u) => u !== own).flat(2)).toHaveLength(10);
  });
});
