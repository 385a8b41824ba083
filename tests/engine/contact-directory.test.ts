// A batch step's contacts read once (server/engine/contact-directory.ts): the
// organisation's whole list when its pages cost fewer calls than the searches
// and reads it replaces, else the searches; look-ups answered from it as Xero's
// where-search would (matchContact still decides); saved contacts learnt.
import { describe, expect, it } from 'vitest';
import { Contact } from 'xero-node';
import { CONTACT_PAGE_SIZE, ContactDirectory, withContactDirectory, type ContactQuery } from '../../server/engine/contact-directory.js';
import type { XeroEnginePort } from '../../server/engine/ports.js';
import type { XeroTransport } from '../../server/engine/transport.js';
import type { XeroContactRecord } from '../../server/domain/xero-wire.js';

interface Call {
  page?: number;
  pageSize?: number;
  order?: string;
  includeArchived?: boolean;
}

/** Xero's contact list, answered a page at a time through a transport that records each call. */
function fakeXero(contacts: Partial<Contact>[]) {
  const calls: Call[] = [];
  const api = {
    getContacts: async (_t: string, _ims: unknown, _where: unknown, order: string, _ids: unknown, page: number, includeArchived: boolean, _summary: unknown, _term: unknown, pageSize: number) => {
      calls.push({ page, pageSize, order, includeArchived });
      const slice = contacts.slice((page - 1) * pageSize, page * pageSize);
      return { body: { contacts: slice, pagination: { page, pageSize, pageCount: Math.ceil(contacts.length / pageSize), itemCount: contacts.length } } };
    },
  };
  const transport = { call: async (_what: string, fn: (a: unknown, t: string) => Promise<unknown>) => fn(api, 'org') } as unknown as XeroTransport;
  return { transport, calls };
}

function fakePort(found: XeroContactRecord[] = []) {
  const searched: ContactQuery[][] = [];
  const read: string[][] = [];
  const port = {
    findContactCandidates: async (qs: ContactQuery[]) => {
      searched.push(qs);
      return found;
    },
    getContacts: async (ids: string[]) => {
      read.push(ids);
      return ids.map((ContactID) => ({ ContactID, Name: `read ${ContactID}` }));
    },
    saveContacts: async (payloads: { Name: string }[]) => payloads.map((p, i) => ({ ok: true as const, value: { ContactID: `new-${i}`, Name: p.Name, ContactStatus: 'ACTIVE' as const } })),
  } as unknown as XeroEnginePort;
  return { port, searched, read };
}

const query = (n: number): ContactQuery => ({ contactNumber: `C${n}`, name: `Customer ${n}` });
const queries = (count: number) => Array.from({ length: count }, (_, i) => query(i));

describe('ContactDirectory', () => {
  it('reads the whole list when it takes fewer calls than the searches (one page for 30 customers, instead of two searches)', async () => {
    const xero = fakeXero([
      { contactID: 'a', name: 'Customer 1', contactNumber: 'OTHER', contactStatus: Contact.ContactStatusEnum.ACTIVE },
      { contactID: 'b', name: 'Someone', contactNumber: 'c2', contactStatus: Contact.ContactStatusEnum.ARCHIVED },
      { contactID: 'c', name: 'Someone Else', accountNumber: 'ACC-3' },
      { contactID: 'd', name: 'Unrelated' },
    ]);
    const { port, searched } = fakePort();
    const d = await ContactDirectory.load(xero.transport, 'run', port, queries(30), []);
    expect(xero.calls).toEqual([{ page: 1, pageSize: CONTACT_PAGE_SIZE, order: 'UpdatedDateUTC ASC', includeArchived: true }]);
    expect(searched).toHaveLength(0);
    expect(d.isWhole).toBe(true);
    expect(d.covers(query(999))).toBe(true);
    // As Xero's where-search: number, name or account number (any case, spaces as matchContact sees them), archived too.
    expect(d.candidatesFor([{ contactNumber: 'C2', name: '  customer   1 ' }]).map((c) => c.ContactID).sort()).toEqual(['a', 'b']);
    expect(d.candidatesFor([{ contactNumber: 'none', name: 'none', accountNumber: 'acc-3' }]).map((c) => c.ContactID)).toEqual(['c']);
    expect(d.candidatesFor([{ contactNumber: 'none', name: 'none' }])).toEqual([]);
  });

  it('reads every page while they cost fewer calls than the searches', async () => {
    const list = Array.from({ length: 2 * CONTACT_PAGE_SIZE + 5 }, (_, i) => ({ contactID: `id${i}`, name: `Contact ${i}` }));
    const xero = fakeXero(list);
    const d = await ContactDirectory.load(xero.transport, 'run', fakePort().port, queries(100), []);
    expect(xero.calls.map((c) => c.page)).toEqual([1, 2, 3]);
    expect(d.isWhole).toBe(true);
    expect(d.candidatesFor([{ contactNumber: 'x', name: `Contact ${2 * CONTACT_PAGE_SIZE + 4}` }])).toHaveLength(1);
  });

  it('searches instead when the list is longer than the searches cost, and covers only what it searched', async () => {
    const list = Array.from({ length: 5 * CONTACT_PAGE_SIZE }, (_, i) => ({ contactID: `id${i}`, name: `Contact ${i}` }));
    const xero = fakeXero(list);
    const { port, searched } = fakePort([{ ContactID: 'found', Name: 'Customer 1', ContactNumber: 'C1' }]);
    const d = await ContactDirectory.load(xero.transport, 'run', port, queries(30), []);
    expect(xero.calls).toHaveLength(1); // the first page said how long the list is
    expect(searched).toEqual([queries(30)]);
    expect(d.isWhole).toBe(false);
    expect(d.covers(query(1))).toBe(true);
    expect(d.covers(query(31))).toBe(false);
    expect(d.candidatesFor([query(1)]).map((c) => c.ContactID)).toEqual(['found']);
    // The first page's contacts are not taken for a whole list.
    expect(d.candidatesFor([{ contactNumber: 'x', name: 'Contact 1' }])).toEqual([]);
  });

  it('one search for at most 25 customers, no list', async () => {
    const xero = fakeXero([]);
    const { port, searched } = fakePort();
    await ContactDirectory.load(xero.transport, 'run', port, queries(25), []);
    expect(xero.calls).toHaveLength(0);
    expect(searched).toHaveLength(1);
  });

  it('counts the reads of linked contacts it replaces: 20 customers and 60 linked contacts read the list', async () => {
    const xero = fakeXero([{ contactID: 'l1', name: 'Linked 1' }]);
    const d = await ContactDirectory.load(xero.transport, 'run', fakePort().port, queries(20), Array.from({ length: 60 }, (_, i) => `l${i}`));
    expect(xero.calls).toHaveLength(1);
    expect(d.known('l1')?.Name).toBe('Linked 1');
  });
});

describe('withContactDirectory', () => {
  it('answers covered look-ups from the directory, asks Xero for the rest, and learns what is saved', async () => {
    const xero = fakeXero([{ contactID: 'l1', name: 'Linked 1', contactNumber: 'L1' }]);
    const { port, searched, read } = fakePort([{ ContactID: 'x', Name: 'From Xero' }]);
    const d = await ContactDirectory.load(xero.transport, 'run', port, queries(30), []);
    const p = withContactDirectory(port, d);
    expect(await p.findContactCandidates([{ contactNumber: 'L1', name: 'whatever' }])).toMatchObject([{ ContactID: 'l1' }]);
    expect(searched).toHaveLength(0);
    // Linked contacts: from the whole list where it has them, from Xero otherwise.
    expect((await p.getContacts(['l1', 'gone', 'l1'])).map((c) => c.ContactID).sort()).toEqual(['gone', 'l1']);
    expect(read).toEqual([['gone']]);
    // A contact the step saves is a candidate for the step's later chunks.
    await p.saveContacts([{ Name: 'Customer 40', ContactNumber: 'C40' }], 'key');
    expect((await p.findContactCandidates([query(40)])).map((c) => c.ContactID)).toEqual(['new-0']);
  });

  it('with searched candidates only, an uncovered query goes to Xero as before', async () => {
    const list = Array.from({ length: 5 * CONTACT_PAGE_SIZE }, (_, i) => ({ contactID: `id${i}`, name: `Contact ${i}` }));
    const xero = fakeXero(list);
    const { port, searched } = fakePort([{ ContactID: 'x', Name: 'Customer 1', ContactNumber: 'C1' }]);
    const d = await ContactDirectory.load(xero.transport, 'run', port, queries(30), []);
    searched.length = 0;
    const p = withContactDirectory(port, d);
    const got = await p.findContactCandidates([query(1), query(77)]);
    expect(searched).toEqual([[query(77)]]);
    expect(got.map((c) => c.ContactID)).toEqual(['x']);
  });
});
