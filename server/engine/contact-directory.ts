// The Xero contacts a batch step's customers may match, read once for the
// whole step (up to 200 records) instead of once per chunk of 50: the
// organisation's whole contact list (GET Contacts, 1000 a page) when that
// takes fewer calls than the per-customer searches (25 customers a call) and
// the reads of linked contacts (50 a call) it replaces, else those searches.
// The chunks' executors then find candidates here (the same rule as Xero's
// where-search: number, account number or name; matchContact still decides),
// and contacts they save are learnt, so a later chunk of the step sees them.
// The step's lanes are planned from the same candidates (bulk/lanes.ts): two
// customers that could take one contact are never pushed side by side.
// In memory for one step only (names): never stored.
import type { Contact } from 'xero-node';
import { matchText } from '../domain/contact-mapping.js';
import { contactRecord } from '../domain/xero-node-models.js';
import type { XeroContactRecord } from '../domain/xero-wire.js';
import type { XeroEnginePort } from './ports.js';
import type { Priority } from './scheduler.js';
import type { XeroTransport } from './transport.js';
import { CONTACT_SEARCH_SIZE, XERO_BATCH_SIZE } from './xero-port.js';

export type ContactQuery = Parameters<XeroEnginePort['findContactCandidates']>[0][number];

/** Xero's largest page of contacts (`pageSize`, default 100). */
export const CONTACT_PAGE_SIZE = 1000;

const queryKey = (q: ContactQuery) => JSON.stringify([matchText(q.contactNumber), matchText(q.name), matchText(q.accountNumber)]);

type Field = 'number' | 'name' | 'account';
const fieldsOf = (c: XeroContactRecord): [Field, string][] => [
  ['number', matchText(c.ContactNumber)],
  ['name', matchText(c.Name)],
  ['account', matchText(c.AccountNumber)],
];

export class ContactDirectory {
  private readonly byId = new Map<string, XeroContactRecord>();
  /** Contact ids by each matched text (number, name, account number), as matchContact compares them. */
  private readonly byText = new Map<string, Set<string>>();
  /** The whole list was read: every query is covered, every contact known. */
  private whole = false;
  /** Queries whose candidates were searched for (when the list was too long to read). */
  private readonly searched = new Set<string>();
  /** Xero calls the directory made. */
  calls = 0;
  /** When it was read (ms). */
  readonly readAt = Date.now();

  /** Nothing read: covers nothing (every look-up goes to Xero as before). */
  static empty(): ContactDirectory {
    return new ContactDirectory();
  }

  /**
   * Reads what `unlinked` customers may match and what `linked` contacts hold: the whole list when
   * its pages cost fewer calls than the searches and reads it replaces (the first page says how many
   * there are), else the searches for `unlinked` only (linked contacts are then read as before).
   */
  static async load(transport: XeroTransport, priority: Priority, port: Pick<XeroEnginePort, 'findContactCandidates'>, unlinked: ContactQuery[], linkedIds: string[]): Promise<ContactDirectory> {
    const d = new ContactDirectory();
    const searches = Math.ceil(unlinked.length / CONTACT_SEARCH_SIZE);
    const budget = searches + Math.ceil(new Set(linkedIds).size / XERO_BATCH_SIZE);
    if (budget >= 2) {
      // Oldest change first: a contact changed while we page moves to the end, so none is skipped.
      const page = async (n: number) => {
        d.calls++;
        const r = (await transport.call('contact list', (a, t) => a.getContacts(t, undefined, undefined, 'UpdatedDateUTC ASC', undefined, n, true, undefined, undefined, CONTACT_PAGE_SIZE), { priority })) as {
          body: { contacts?: Contact[]; pagination?: { pageCount?: number } };
        };
        const contacts = r.body.contacts ?? [];
        for (const c of contacts) d.add(contactRecord(c));
        return { full: contacts.length >= CONTACT_PAGE_SIZE, pageCount: r.body.pagination?.pageCount };
      };
      const first = await page(1);
      if (!first.full || (first.pageCount ?? Infinity) <= budget) {
        let last = first;
        for (let n = 2; last.full; n++) last = await page(n);
        d.whole = true;
        return d;
      }
      d.byId.clear();
      d.byText.clear();
    }
    if (unlinked.length) {
      d.calls += searches;
      for (const c of await port.findContactCandidates(unlinked)) d.add(c);
      for (const q of unlinked) d.searched.add(queryKey(q));
    }
    return d;
  }

  /** True when every contact of the organisation is here (read at the step's start, plus what the step saved). */
  get isWhole(): boolean {
    return this.whole;
  }

  covers(q: ContactQuery): boolean {
    return this.whole || this.searched.has(queryKey(q));
  }

  /** Contacts whose number, account number or name is a query's (any case, spaces as matchContact sees them). */
  candidatesFor(qs: readonly ContactQuery[]): XeroContactRecord[] {
    const ids = new Set<string>();
    for (const q of qs) {
      for (const [field, text] of [['number', matchText(q.contactNumber)], ['name', matchText(q.name)], ['account', matchText(q.accountNumber)]] as const) {
        if (text) for (const id of this.byText.get(`${field}:${text}`) ?? []) ids.add(id);
      }
    }
    return [...ids].map((id) => this.byId.get(id)!);
  }

  /** Linked contacts as Xero held them (only when the whole list was read). */
  known(id: string): XeroContactRecord | undefined {
    return this.whole ? this.byId.get(id) : undefined;
  }

  /** Contacts Xero saved for the step (created or updated): later look-ups see them as they are now. */
  learn(saved: readonly XeroContactRecord[]): void {
    for (const c of saved) this.add(c);
  }

  private add(c: XeroContactRecord): void {
    if (!c.ContactID) return;
    const before = this.byId.get(c.ContactID);
    if (before) for (const [field, text] of fieldsOf(before)) this.byText.get(`${field}:${text}`)?.delete(c.ContactID);
    this.byId.set(c.ContactID, c);
    for (const [field, text] of fieldsOf(c)) {
      if (!text) continue;
      const key = `${field}:${text}`;
      const ids = this.byText.get(key);
      if (ids) ids.add(c.ContactID);
      else this.byText.set(key, new Set([c.ContactID]));
    }
  }
}

/**
 * The engine's Xero port answering contact look-ups from the directory where it
 * covers them (Xero is asked for the rest, as before) and teaching it the contacts it saves.
 */
export function withContactDirectory(port: XeroEnginePort, directory: ContactDirectory): XeroEnginePort {
  return {
    ...port,
    async getContacts(ids) {
      const unique = [...new Set(ids)];
      const unknown = unique.filter((id) => !directory.known(id));
      const fromXero = unknown.length ? await port.getContacts(unknown) : [];
      return [...unique.map((id) => directory.known(id)).filter((c): c is XeroContactRecord => !!c), ...fromXero];
    },
    async findContactCandidates(qs) {
      const rest = qs.filter((q) => !directory.covers(q));
      const fromXero = rest.length ? await port.findContactCandidates(rest) : [];
      const seen = new Set(fromXero.map((c) => c.ContactID));
      return [...fromXero, ...directory.candidatesFor(qs.filter((q) => directory.covers(q))).filter((c) => !seen.has(c.ContactID))];
    },
    async saveContacts(payloads, key) {
      const results = await port.saveContacts(payloads, key);
      directory.learn(results.flatMap((r) => (r.ok ? [r.value] : [])));
      return results;
    },
  };
}
