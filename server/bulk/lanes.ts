// A batch step's records as units of work that may be pushed side by side:
// Xero's calls of one chunk wait on each other (contacts, then documents, then
// ConnectWise's batches), so a step runs several chunks at once and the
// organisation's pacing (5 at once, 60 a minute) and ConnectWise's (8 at once)
// limit a month end, not one chunk's round trips.
//
// Side by side must decide exactly as one after the other would, so records
// that could touch the same thing are in one chunk, or in chunks of one unit
// that run one after another (in run order):
//   - the same ConnectWise company, or customers that could create or take
//     the same Xero contact: the same number, account number or name (as
//     matchContact compares them), or a candidate contact in common;
//   - the same new item to create in Xero;
//   - the same document number (a credit note and the invoices it is applied to).
// Chunks are filled to 50 (Xero's most a call) so no call is spent on a part-chunk.
// Pure: the caller says which candidate contacts each customer has.
import { matchText } from '../domain/contact-mapping.js';
import type { PreparedRecord } from '../engine/ports.js';
import { XERO_BATCH_SIZE } from '../engine/xero-port.js';

/** What a record may share with another: if any key is shared, they are never pushed side by side. */
export function conflictKeys(p: PreparedRecord, candidateIds: readonly string[]): string[] {
  const keys: string[] = [];
  const text = (prefix: string, v: string | undefined) => {
    const t = matchText(v);
    if (t) keys.push(`${prefix}:${t}`);
  };
  if (p.contact) {
    keys.push(`company:${p.contact.cwCompanyId}`);
    const payload = p.contact.map().contact;
    // A contact number may be met as an account number (matchContact accepts either): one namespace.
    for (const n of [p.contact.match.identifier, p.contact.match.accountNumber, payload.ContactNumber, payload.AccountNumber]) text('number', n);
    for (const n of [p.contact.match.name, payload.Name]) text('name', n);
    for (const id of candidateIds) keys.push(`contact:${id}`);
  }
  for (const item of p.itemsToCreate) text('item', item.Code);
  text('document', p.number);
  for (const a of p.allocations) text('document', a.invoiceNumber);
  return keys;
}

/** Records that share no key with any record outside: in run order. */
export function conflictGroups(records: readonly PreparedRecord[], candidatesOf: (p: PreparedRecord) => readonly string[]): PreparedRecord[][] {
  // Union-find over the records, joined through the keys they share.
  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  for (const [i, p] of records.entries()) {
    for (const key of conflictKeys(p, candidatesOf(p))) {
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, PreparedRecord[]>();
  for (const [i, p] of records.entries()) {
    const root = find(i);
    const members = groups.get(root);
    if (members) members.push(p);
    else groups.set(root, [p]);
  }
  return [...groups.values()];
}

/**
 * Units of work: each a list of chunks (≤ 50 records) to push one after another; different units may
 * be pushed side by side. Groups are packed whole into the first chunk with room (so chunks are full);
 * a group larger than a chunk is a unit of its own, its chunks in order.
 */
export function planUnits(records: readonly PreparedRecord[], candidatesOf: (p: PreparedRecord) => readonly string[], size = XERO_BATCH_SIZE): PreparedRecord[][][] {
  const chunks: PreparedRecord[][] = [];
  const units: PreparedRecord[][][] = [];
  for (const group of conflictGroups(records, candidatesOf)) {
    if (group.length > size) {
      const own: PreparedRecord[][] = [];
      for (let i = 0; i < group.length; i += size) own.push(group.slice(i, i + size));
      units.push(own);
      continue;
    }
    const room = chunks.find((c) => c.length + group.length <= size);
    if (room) room.push(...group);
    else chunks.push([...group]);
  }
  return [...chunks.map((c) => [c]), ...units];
}
