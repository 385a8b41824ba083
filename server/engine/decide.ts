// The engine's per-record decisions, pure: given what the ledger recorded and
// what Xero holds, what to do with the contact and with the document. The
// executor gathers the facts (one record or fifty) and calls these; the
// dialog's preview calls them too, so it says what the push will hit.
import Decimal from 'decimal.js';
import { matchContact } from '../domain/contact-mapping.js';
import type { XeroContactRecord } from '../domain/xero-wire.js';
import { notEditableWords, type XeroDocumentRef } from './kinds.js';
import type { LedgerRow } from './ledger.js';
import type { PreparedRecord } from './ports.js';
import type { Problem } from './problems.js';
import { WHERE } from './where.js';

export type ContactDecision =
  | { action: 'use'; contactId: string }
  | { action: 'update'; contactId: string }
  | { action: 'create' }
  | { action: 'refuse'; problem: Problem };

/**
 * The contact of a record without a usable stored link: a match among Xero's
 * candidates by number, account number, then name — never guessing, never one
 * linked to another ConnectWise company — else a new one.
 * `changed` says whether ConnectWise holds something the matched contact lacks.
 */
export function decideContact(args: {
  candidates: readonly XeroContactRecord[];
  match: PreparedRecord['contact'] & object;
  /** Xero contact id → the ConnectWise company it is linked to. */
  linkOwners: ReadonlyMap<string, string>;
}): ContactDecision {
  const { match, linkOwners } = args;
  const m = matchContact(args.candidates, { identifier: match.match.identifier, name: match.match.name, accountNumber: match.match.accountNumber });
  if (m.kind === 'link' || m.kind === 'number' || m.kind === 'name') {
    // Never take a contact another ConnectWise company is linked to: say so instead.
    const owner = linkOwners.get(m.contact.ContactID!);
    if (owner && owner !== match.cwCompanyId) {
      return {
        action: 'refuse',
        problem: {
          code: 'contact-name-taken',
          message: `The Xero contact matching this customer (${m.contact.Name ?? 'no name'}${m.contact.ContactNumber ? `, ${m.contact.ContactNumber}` : ''}) belongs to another ConnectWise company; rename one of them.`,
          where: `${WHERE.xeroContacts} (or ${WHERE.cwCompany})`,
        },
      };
    }
    return match.map(m.contact).changed ? { action: 'update', contactId: m.contact.ContactID! } : { action: 'use', contactId: m.contact.ContactID! };
  }
  if (m.kind === 'ambiguous' || m.kind === 'conflict') {
    const first = m.problems[0];
    return { action: 'refuse', problem: { code: first?.code ?? 'contact-ambiguous', message: first?.message ?? 'Several Xero contacts match this customer.', where: first?.where ?? WHERE.xeroContacts } };
  }
  return { action: 'create' };
}

export type DocumentDecision =
  /** Xero already holds exactly this content in our document. */
  | { action: 'keep'; doc: XeroDocumentRef }
  | { action: 'update'; doc: XeroDocumentRef }
  | { action: 'create' }
  | { action: 'refuse'; problem: Problem; taken?: XeroDocumentRef; /** Our own document Xero will not change (it stays ours). */ doc?: XeroDocumentRef };

/**
 * What to do with the record's Xero document. Ours is the one the ledger
 * names, or — after a lost answer — one under our number that our own earlier
 * create made (the ledger recorded the create's key, and Xero's document is
 * for our contact with our total). A document that merely carries the same
 * number is someone else's: never taken, never written.
 */
export function decideDocument(args: {
  p: PreparedRecord;
  row: Pick<LedgerRow, 'content_hash' | 'create_key' | 'xero_document_id'> | undefined;
  /** The document the ledger names, as Xero has it now (undefined: none, deleted or gone). */
  byId?: XeroDocumentRef | undefined;
  /** Documents under our number (looked up when the ledger names none). */
  byNumber?: readonly XeroDocumentRef[] | undefined;
  /** The create key this very content would be sent with. */
  createKey: string;
  contactId?: string | undefined;
}): DocumentDecision {
  const { p, row } = args;
  const kind = p.kind;
  const ours = (doc: XeroDocumentRef, sameContent: boolean): DocumentDecision => {
    if (sameContent) return { action: 'keep', doc };
    if (kind.xero.isLocked(doc)) return { action: 'refuse', doc, problem: { code: 'xero_not_editable', message: notEditableWords(kind, doc), where: 'Xero' } };
    return { action: 'update', doc };
  };
  if (args.byId && args.byId.status !== 'DELETED') {
    if (args.byId.status === 'VOIDED') return { action: 'refuse', doc: args.byId, problem: { code: 'xero_not_editable', message: notEditableWords(kind, args.byId), where: 'Xero' } };
    return ours(args.byId, row?.content_hash === p.contentHash);
  }
  const same = (args.byNumber ?? []).filter((d) => d.status !== 'DELETED' && (kind.xero.numberField === null || d.number === p.number));
  if (same.length === 0) return { action: 'create' };
  // Our own create (recorded before it was sent, or proven by our ConnectWise batch holding the record) for our contact and total.
  // Where numbers may repeat (bills), the date must match too: the number alone proves nothing.
  const mine = row?.create_key || p.postedInOurBatch
    ? same.find(
        (d) =>
          (!args.contactId || d.contact?.id === args.contactId) &&
          new Decimal(d.total).eq(new Decimal(p.total).abs()) &&
          (kind.xero.numberUnique || !d.date || d.date === p.document.Date),
      )
    : undefined;
  if (mine) return ours(mine, row?.create_key === args.createKey);
  // Bills may repeat a number: a different supplier's or total's bill is simply another bill.
  if (!kind.xero.numberUnique) return { action: 'create' };
  const taken = same[0]!;
  return { action: 'refuse', taken, problem: numberTakenProblem(p, taken) };
}

/** Xero's document under our number is someone else's: say whose, and the ways out. */
export function numberTakenProblem(p: PreparedRecord, taken: XeroDocumentRef): Problem {
  const w = p.kind.words;
  const theirs = `${taken.contact?.name ? `for ${taken.contact.name}, ` : ''}total ${taken.total}${taken.currency ? ` ${taken.currency}` : ''}, ${taken.status}`;
  const ours = `total ${new Decimal(p.total).abs().toFixed(2)} ${p.currency}`;
  return {
    code: 'xero_number_taken',
    message:
      `Xero already has ${w.xero} ${taken.number} (${theirs}) that CW–Xero Sync did not create; ConnectWise's ${w.cw} has ${ours}. ` +
      `Nothing was written to it. Renumber the one in Xero, set a number prefix in the CW–Xero Sync settings, ` +
      `or — only if it truly is this ${w.cw} (e.g. migrated) — an admin can "Link to this Xero ${w.xero}".`,
    where: `Xero (or ${WHERE.settingsNumbering})`,
  };
}
