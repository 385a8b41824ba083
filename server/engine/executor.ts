// The one executor: pushes up to 50 records of one Xero organisation, exactly
// once each, in as few calls as possible — the dialog's push is a run of one.
//
//   1. leases on the records' ledger rows (renewed while we work; a crashed
//      push's lease lapses within seconds and the next push takes over)
//   2. unchanged since the last sync, and still in our ConnectWise batch: done
//   3. contacts: stored link → match among Xero's candidates → create; one
//      POST Contacts for all that need writing (decide.ts decideContact)
//   4. documents: ours by the ledger's id, else looked up by number where an
//      earlier create of ours may have landed; created in one PUT per ≤ 50,
//      updated in one POST per ≤ 50 (decide.ts decideDocument). A document
//      under our number that we did not create is refused, never written.
//   5. allocations of credit notes to the invoices ConnectWise applied them to
//      (the run's own invoices first, then Xero)
//   6. ConnectWise batches, one per record with its deterministic identifier
//      (looked up first), or left for the run's single batch; a record with
//      no GL entries of its own is done once in Xero, and one that goes with
//      others of the push (closesAfter) is posted only once they are in Xero
//
// Each record's outcome is its own (ledger row + the caller's `onOutcome`): a
// bad record never sinks its batch-mates. A cancel is honoured before 3 and
// before 4 only: once documents exist their batches are always closed. An
// outage or crash stops the whole step; the rows keep what was done, so the
// next attempt resumes.
import { contentHash } from '../domain/content-hash.js';
import type { XeroContactPayload, XeroContactRecord, XeroItemPayload } from '../domain/xero-wire.js';
import { decideContact, decideDocument, numberTakenProblem, type DocumentDecision } from './decide.js';
import { LeaseLost, NeedsAttention, XeroRefused, XeroUnavailable } from './errors.js';
import { batchKey, idempotencyKey, recordBatchIdentifier, sha256 } from './keys.js';
import type { DocumentKindEntry, XeroDocumentRef } from './kinds.js';
import { LEASE_MS, type Ledger, type LedgerRow, type RecordKey } from './ledger.js';
import type { CwBatchPort, EngineDocumentPayload, PreparedRecord, XeroEnginePort } from './ports.js';
import { storableMessage, xeroValidationWords, type Problem } from './problems.js';
import { WHERE_BY_CODE } from './where.js';
import { chunks } from './xero-port.js';
import { xeroStatusWords } from '../../shared/xero-status.js';

/** A record's outcome once it is in Xero: its document and status in Xero's own words ("awaiting payment", not AUTHORISED). */
function inXeroWords(kind: DocumentKindEntry, doc: XeroDocumentRef): string {
  return `In Xero as ${kind.words.xero} ${doc.number} (${xeroStatusWords(doc.status).toLowerCase()}).`;
}

export interface RunContext {
  tenantId: string;
  xeroTenantId: string;
  ledger: Ledger;
  xero: XeroEnginePort;
  cw: CwBatchPort;
  /** This attempt's lease owner (a random id per push; `bulk:<run id>` for a run). */
  leaseOwner: string;
  /** 'run': documents are left xero_created for the run's single ConnectWise batch. */
  batching: 'record' | 'run';
  /** True once a person asked to cancel (runs). */
  cancelled?: () => Promise<boolean>;
  /** Called as each record's outcome is settled (a run records it at once). */
  onOutcome?: (o: RecordOutcome) => Promise<void>;
  /**
   * Contacts this run already read or wrote (Xero contact id → the payload hash they were brought to):
   * a run's later chunks do not read them again. A single push has none: it always reads.
   */
  checkedContacts?: Map<string, string>;
  /** Called once Xero holds items we created (the cached organisation facts learn them). */
  onItemsCreated?: (codes: string[]) => Promise<void>;
  /**
   * Called once this push's Xero work is done (documents, allocations, payments; the ledger holds each
   * document), before its ConnectWise batches are closed: a run's lane goes on to its next chunk's Xero
   * calls meanwhile. The push itself still ends only once its batches are closed (or it failed).
   */
  xeroDone?: () => void;
}

export type OutcomeState = 'synced' | 'unchanged' | 'xero_created' | 'needs_attention' | 'busy';

export interface RecordOutcome {
  cwRecordId: string;
  kind: DocumentKindEntry;
  state: OutcomeState;
  xero?: { id: string; number: string; status: string } | undefined;
  cwBatchId?: number | undefined;
  /** In words, live (never stored as they are). */
  problems: Problem[];
  /** The first problem's words as they may be stored (problems.ts storableMessage): what the ledger and run rows keep. */
  storedMessage?: string;
  message: string;
  /** A Xero document under our number that we did not create (for the dialog's comparison). */
  taken?: XeroDocumentRef | undefined;
  /** Synced: the document as Xero answered this push, when nothing was written to it since (the dialog shows it without reading it again). */
  document?: XeroDocumentRef | undefined;
}

interface Work {
  p: PreparedRecord;
  key: RecordKey;
  /** The row as it was when we took the lease (what earlier attempts left). */
  row: LedgerRow;
  contactId?: string;
  doc?: XeroDocumentRef;
  decision?: DocumentDecision;
  done?: RecordOutcome;
}

const keyOf = (tenantId: string, p: PreparedRecord): RecordKey => ({ tenantId, kind: p.kind.recordKind, cwRecordId: p.cwRecordId });

/** Xero replays a refusal for a repeated key: after a refusal, the next attempt (once fixed) gets a key of its own. */
function refusalSalt(row: LedgerRow): string {
  return row.error_code === 'xero_validation' || row.error_code === 'xero_contact_rejected' || row.error_code === 'xero_payment_refused' ? `after-refusal:${row.updated_at}` : '';
}

/** The Idempotency-Key of this record's create with this content (also the ledger's evidence that we sent it). */
export function createKey(tenantId: string, p: PreparedRecord, salt = ''): string {
  return idempotencyKey('doc', tenantId, p.xeroTenantId, p.kind.name, 'create', p.glEntryIds.join(','), p.contentHash, ...(salt ? [salt] : []));
}

export function batchIdentifierOf(p: Pick<PreparedRecord, 'kind' | 'cwRecordId' | 'glEntryIds'>): string {
  return recordBatchIdentifier(p.kind.source.batchPrefix, p.cwRecordId, p.glEntryIds);
}

function groupBy<T>(list: T[], by: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of list) m.set(by(t), [...(m.get(by(t)) ?? []), t]);
  return m;
}

export async function runRecords(ctx: RunContext, records: PreparedRecord[]): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = [];
  const settle = async (w: Work | null, o: RecordOutcome) => {
    if (w) w.done = o;
    outcomes.push(o);
    await ctx.onOutcome?.(o);
  };
  const attention = async (w: Work, problem: Problem, taken?: XeroDocumentRef) => {
    const storedMessage = storableMessage(problem.code, problem.message);
    await ctx.ledger.needsAttention(w.key, problem.code, storedMessage);
    await settle(w, { cwRecordId: w.p.cwRecordId, kind: w.p.kind, state: 'needs_attention', problems: [problem], message: problem.message, storedMessage, ...(w.doc ? { xero: pick(w.doc) } : {}), ...(taken ? { taken } : {}) });
  };

  // 0. What the mapping blocks never leases anything.
  const work: Work[] = [];
  for (const p of records) {
    if (p.problems.length) {
      const first = p.problems[0]!;
      await settle(null, { cwRecordId: p.cwRecordId, kind: p.kind, state: 'needs_attention', problems: p.problems, message: first.message, storedMessage: storableMessage(first.code, first.message, true) });
      continue;
    }
    const key = keyOf(ctx.tenantId, p);
    const row = await ctx.ledger.acquire(key, ctx.leaseOwner);
    if (!row) {
      await settle(null, { cwRecordId: p.cwRecordId, kind: p.kind, state: 'busy', problems: [], message: `This ${p.kind.words.cw} is being pushed right now (another click or tab, or a batch run); the result appears in a moment.` });
      continue;
    }
    work.push({ p, key, row });
  }
  if (work.length === 0) return outcomes;

  // 1. Keep the leases ours while we work (waiting out Xero's limits can take minutes).
  const lost = new Set<string>();
  const heartbeat = setInterval(() => {
    const open = work.filter((w) => !w.done);
    for (const [kind, ws] of groupBy(open, (w) => w.key.kind)) {
      void ctx.ledger
        .renew(ctx.tenantId, kind as RecordKey['kind'], ws.map((w) => w.key.cwRecordId), ctx.leaseOwner)
        .then((held) => ws.forEach((w) => held.has(w.key.cwRecordId) || lost.add(w.key.cwRecordId)))
        .catch(() => undefined);
    }
  }, LEASE_MS / 3);
  heartbeat.unref?.();
  const live = () => work.filter((w) => !w.done);
  let batchesAhead: Promise<Map<string, number>> | undefined;

  try {
    // 2. Unchanged since the last sync and still in our batch.
    // (A record with payments of its own always looks at its document: they wait for its approval in Xero.)
    const maybeUnchanged = work.filter((w) => w.row.state === 'synced' && w.row.content_hash === w.p.contentHash && w.row.xero_tenant_id === ctx.xeroTenantId && w.row.cw_batch_identifier && !w.p.payments?.length);
    // Step 6's look-up of our batches is made now, side by side with Xero's work (one call for step 2's and
    // step 6's identifiers): the leases are ours, so no one else makes these records' batches meanwhile.
    const batchIds = ctx.batching === 'record' ? work.filter((w) => postedBy(w.p).length > 0).map((w) => batchIdentifierOf({ ...w.p, glEntryIds: postedBy(w.p) })) : [];
    const lookup = [...new Set([...maybeUnchanged.map((w) => w.row.cw_batch_identifier!), ...batchIds])];
    // A failed look-up stops the step where its answer is needed (before any batch), as it did when made there.
    batchesAhead = lookup.length ? Promise.resolve().then(() => ctx.cw.findBatches(lookup)) : undefined;
    batchesAhead?.catch(() => undefined); // thrown where awaited, never left unhandled
    if (maybeUnchanged.length) {
      const found = await batchesAhead!;
      for (const w of maybeUnchanged) {
        if (!found.has(w.row.cw_batch_identifier!)) continue; // our batch was deleted since: post it again
        await settle(w, {
          cwRecordId: w.p.cwRecordId,
          kind: w.p.kind,
          state: 'unchanged',
          problems: [],
          message: 'Already in Xero and unchanged since the last sync.',
          xero: { id: w.row.xero_document_id ?? '', number: w.row.xero_number ?? '', status: w.row.xero_status ?? '' },
          cwBatchId: found.get(w.row.cw_batch_identifier!),
        });
      }
    }
    for (const w of live()) await ctx.ledger.begin(w.key, { documentKind: w.p.kind.name, glEntryIds: w.p.glEntryIds, xeroTenantId: ctx.xeroTenantId });
    if (live().length && (await ctx.cancelled?.())) return outcomes;

    // 3. Contacts.
    await bindContacts(ctx, live(), attention);
    if (live().length && (await ctx.cancelled?.())) return outcomes;

    // 4. Documents.
    await pushDocuments(ctx, live(), attention);

    // 5. Allocations, and the record's own payments (Wise-Pay).
    await allocate(ctx, live(), work, attention);
    await pay(ctx, live(), attention);

    // 6. ConnectWise batches (always, even if cancelled meanwhile: nothing half-written).
    ctx.xeroDone?.();
    const inXero = live().filter((w) => w.doc);
    for (const w of inXero) if (lost.has(w.key.cwRecordId)) throw new LeaseLost();
    // A record with nothing of its own to post (a cost-of-sale journal: its GL entry is its invoice's) is done once in Xero, whatever the batching.
    for (const w of inXero.filter((x) => postedBy(x.p).length === 0)) {
      await ctx.ledger.syncedWithoutBatch(w.key);
      await settle(w, { cwRecordId: w.p.cwRecordId, kind: w.p.kind, state: 'synced', xero: pick(w.doc!), problems: [], message: inXeroWords(w.p.kind, w.doc!) });
    }
    await holdForCompanions(live().filter((w) => w.doc), outcomes, attention);
    const posting = live().filter((w) => w.doc);
    if (ctx.batching === 'run') {
      for (const w of posting) await settle(w, { cwRecordId: w.p.cwRecordId, kind: w.p.kind, state: 'xero_created', xero: pick(w.doc!), problems: [], message: `In Xero as ${w.p.kind.words.xero} ${w.doc!.number}; the run's ConnectWise batch follows.` });
    } else await closeBatches(ctx, posting, settle, attention, batchesAhead);
    return outcomes;
  } catch (err) {
    // The whole step stopped (outage, crash, lease lost): the rows keep what was done.
    if (!(err instanceof LeaseLost)) for (const w of live()) await ctx.ledger.interrupted(w.key, err instanceof Error ? err.name : 'unknown failure').catch(() => undefined);
    throw err;
  } finally {
    clearInterval(heartbeat);
    for (const w of work) await ctx.ledger.release(w.key, ctx.leaseOwner).catch(() => undefined);
  }
}

const pick = (d: XeroDocumentRef) => ({ id: d.id, number: d.number, status: d.status });

type Attention = (w: Work, problem: Problem, taken?: XeroDocumentRef) => Promise<void>;

function refusedWords(err: unknown): string {
  return err instanceof XeroRefused ? xeroValidationWords(err.body).join('; ') || err.message : err instanceof Error ? err.message : String(err);
}

async function bindContacts(ctx: RunContext, ws: Work[], attention: Attention): Promise<void> {
  const withContact = ws.filter((w) => w.p.contact);
  const byCompany = groupBy(withContact, (w) => w.p.contact!.cwCompanyId);
  if (byCompany.size === 0) return;
  const links = new Map((await ctx.ledger.contactLinks(ctx.tenantId, ctx.xeroTenantId, [...byCompany.keys()])).map((l) => [l.cw_company_id, l] as const));
  const resolved: Pending[] = [];
  const needLinked: Pending[] = [];
  const needMatch: Pending[] = [];
  for (const [companyId, records] of byCompany) {
    const c = records[0]!.p.contact!;
    const baseHash = contentHash(c.map().contact);
    const link = links.get(companyId);
    const item: Pending = { companyId, records, baseHash };
    // Linked: read what Xero holds (someone may have edited it there) and send only what differs —
    // once per run: a contact this run already brought to this payload is used as it is.
    if (link && link.content_hash === baseHash && ctx.checkedContacts?.get(link.xero_contact_id) === baseHash) resolved.push({ ...item, contactId: link.xero_contact_id });
    else if (link) needLinked.push({ ...item, contactId: link.xero_contact_id });
    else needMatch.push(item);
  }
  // Linked, but ConnectWise changed: send only what Xero lacks (an archived or gone contact is matched afresh).
  if (needLinked.length) {
    const existing = new Map((await ctx.xero.getContacts(needLinked.map((n) => n.contactId!))).map((c) => [c.ContactID!, c] as const));
    for (const n of needLinked) {
      const x = existing.get(n.contactId!);
      if (!x || x.ContactStatus === 'ARCHIVED') {
        needMatch.push({ companyId: n.companyId, records: n.records, baseHash: n.baseHash });
        continue;
      }
      const m = n.records[0]!.p.contact!.map(x);
      resolved.push(m.changed ? { ...n, payload: { ...m.contact, ContactID: n.contactId! } } : n);
    }
  }
  // Not linked: match among Xero's candidates, else create. Two customers of this chunk that would create
  // (or adopt) the same contact are decided one after the other, as two single pushes would be: the
  // second sees the first's contact.
  let candidates = needMatch.length
    ? await ctx.xero.findContactCandidates(needMatch.map((n) => n.records[0]!.p.contact!.match).map((m) => ({ contactNumber: m.identifier, name: m.name, accountNumber: m.accountNumber })))
    : [];
  let pending = needMatch;
  await saveAndLink(ctx, resolved, attention);
  while (pending.length) {
    const owners = await ctx.ledger.contactLinkOwners(ctx.tenantId, ctx.xeroTenantId);
    const decided: Pending[] = [];
    const deferred: Pending[] = [];
    const taken = new Set<string>();
    for (const n of pending) {
      const c = n.records[0]!.p.contact!;
      const d = decideContact({ candidates, match: c, linkOwners: owners });
      if (d.action === 'refuse') {
        for (const w of n.records) await attention(w, d.problem);
        continue;
      }
      const claim = d.action === 'create' ? `name:${c.match.name.trim().toLowerCase()}` : `id:${d.contactId}`;
      if (taken.has(claim)) {
        deferred.push(n);
        continue;
      }
      taken.add(claim);
      if (d.action === 'create') decided.push({ ...n, payload: c.map().contact });
      else {
        const existing = candidates.find((x) => x.ContactID === d.contactId)!;
        decided.push(d.action === 'update' ? { ...n, contactId: d.contactId, payload: { ...c.map(existing).contact, ContactID: d.contactId } } : { ...n, contactId: d.contactId });
      }
    }
    const saved = await saveAndLink(ctx, decided, attention);
    candidates = [...candidates, ...saved];
    pending = deferred;
  }
}

interface Pending {
  companyId: string;
  records: Work[];
  /** The payload without regard to Xero: its hash is the link's "nothing changed" mark. */
  baseHash: string;
  payload?: XeroContactPayload;
  contactId?: string;
}

/** Writes the contacts that need writing (one POST per 50), links each company and binds its records; answers what Xero saved. */
async function saveAndLink(ctx: RunContext, resolved: Pending[], attention: Attention): Promise<XeroContactRecord[]> {
  const saved: XeroContactRecord[] = [];
  const toSave = resolved.filter((r) => r.payload);
  for (const part of chunks(toSave)) {
    const key = batchKey('cons', part.map((r) => sha256(ctx.tenantId, ctx.xeroTenantId, r.companyId, contentHash(r.payload!), refusalSalt(r.records[0]!.row))));
    try {
      const results = await ctx.xero.saveContacts(part.map((r) => r.payload!), key);
      for (const [i, r] of part.entries()) {
        const res = results[i]!;
        if (res.ok && res.value.ContactID) {
          r.contactId = res.value.ContactID;
          saved.push(res.value);
        } else {
          r.contactId = undefined;
          const words = res.ok ? 'Xero answered without a contact id' : res.errors.join('; ');
          for (const w of r.records) await attention(w, { code: 'xero_contact_rejected', message: `Xero refused the contact: ${words}.`, where: 'ConnectWise › Companies (this customer) or Xero › Contacts' });
        }
      }
    } catch (err) {
      if (!(err instanceof XeroRefused)) throw err;
      for (const r of part) {
        r.contactId = undefined;
        for (const w of r.records) await attention(w, { code: 'xero_contact_rejected', message: `Xero refused the contact: ${refusedWords(err)}.`, where: 'Xero › Contacts' });
      }
    }
  }
  for (const r of resolved) {
    if (!r.contactId) continue;
    ctx.checkedContacts?.set(r.contactId, r.baseHash);
    await ctx.ledger.linkContact(ctx.tenantId, ctx.xeroTenantId, r.companyId, r.contactId, r.baseHash);
    for (const w of r.records) {
      if (w.done) continue;
      w.contactId = r.contactId;
      await ctx.ledger.contactBound(w.key, r.contactId);
    }
  }
  return saved;
}

function payloadFor(w: Work): EngineDocumentPayload {
  return (w.contactId ? { ...w.p.document, Contact: { ContactID: w.contactId } } : w.p.document) as EngineDocumentPayload;
}

async function pushDocuments(ctx: RunContext, all: Work[], attention: Attention): Promise<void> {
  const ws = all.filter((w) => !w.p.contact || w.contactId);
  for (const [, ofKind] of groupBy(ws, (w) => w.p.kind.name)) {
    const kind = ofKind[0]!.p.kind;
    // Ours by the ledger's id…
    const withId = ofKind.filter((w) => w.row.xero_document_id && w.row.xero_tenant_id === ctx.xeroTenantId);
    const byId = new Map((withId.length ? await ctx.xero.getDocuments(kind, withId.map((w) => w.row.xero_document_id!)) : []).map((d) => [d.id, d] as const));
    // …else, where an earlier create of ours may have landed (or numbers repeat), by number.
    const lookup = ofKind.filter((w) => !byId.has(w.row.xero_document_id ?? '') && w.p.number && (w.row.create_key || w.p.postedInOurBatch || !kind.xero.numberUnique));
    const byNumber = await numberCandidates(ctx, kind, lookup.length ? await ctx.xero.findDocumentsByNumber(kind, lookup.map((w) => w.p.number)) : []);
    for (const w of ofKind) {
      w.decision = decideDocument({ p: w.p, row: w.row, byId: byId.get(w.row.xero_document_id ?? ''), byNumber: byNumber.of(w), createKey: createKey(ctx.tenantId, w.p, refusalSalt(w.row)), contactId: w.contactId });
      byNumber.give(w.decision);
    }
    const writing = ofKind.filter((w) => w.decision!.action === 'create' || w.decision!.action === 'update');
    try {
      await ensureItems(ctx, writing);
    } catch (err) {
      if (!(err instanceof NeedsAttention)) throw err;
      for (const w of writing) w.decision = { action: 'refuse', problem: { code: err.code, message: err.message, ...(err.where ? { where: err.where } : {}) } };
    }
    for (const w of ofKind) {
      const d = w.decision!;
      if (d.action === 'keep') w.doc = d.doc;
      if (d.action === 'refuse') {
        if (d.doc) w.doc = d.doc; // ours, and it stays named in the ledger
        await attention(w, d.problem, d.taken);
      }
    }
    await createAll(ctx, ofKind.filter((w) => w.decision!.action === 'create'), attention);
    await updateAll(ctx, ofKind.filter((w) => w.decision!.action === 'update'), attention);
    for (const w of ofKind) if (w.doc && !w.done) await ctx.ledger.xeroCreated(w.key, w.doc, w.p.contentHash, ctx.xeroTenantId);
  }
}

async function ensureItems(ctx: RunContext, ws: Work[]): Promise<void> {
  const items = new Map<string, XeroItemPayload>();
  for (const w of ws) for (const it of w.p.itemsToCreate) if (it.Code) items.set(it.Code, it);
  if (items.size === 0) return;
  const codes = [...items.keys()].sort();
  try {
    await ctx.xero.ensureItems([...items.values()], idempotencyKey('itm', ctx.tenantId, ctx.xeroTenantId, ...codes, contentHash([...items.values()])));
    await ctx.onItemsCreated?.(codes);
  } catch (err) {
    if (!(err instanceof XeroRefused)) throw err;
    throw new NeedsAttention('xero_validation', `Xero refused the new items: ${refusedWords(err)}.`, 'Xero › Products and services');
  }
}

/** A refusal that only says the number is taken: the lookup decides whose it is. */
const NUMBER_TAKEN = /# must be unique|number .*(must be unique|already (been )?used|already exists)/i;

async function createAll(ctx: RunContext, ws: Work[], attention: Attention): Promise<void> {
  for (const [, group] of groupBy(ws, (w) => String(w.p.unitdp))) {
    for (const part of chunks(group)) {
      const kind = part[0]!.p.kind;
      const keys = part.map((w) => createKey(ctx.tenantId, w.p, refusalSalt(w.row)));
      // Recorded before it is sent: from now on a document under our number may be ours.
      for (const [i, w] of part.entries()) await ctx.ledger.createSent(w.key, keys[i]!);
      let results;
      try {
        results = await ctx.xero.createDocuments(kind, part.map(payloadFor), part[0]!.p.unitdp, batchKey('docs', keys.map((k, i) => `${k}:${part[i]!.contactId ?? ''}`)));
      } catch (err) {
        if (err instanceof XeroRefused) {
          for (const w of part) await attention(w, { code: 'xero_validation', message: `Xero refused the ${kind.words.xero}: ${refusedWords(err)}.`, where: 'Xero' });
          continue;
        }
        if (!(err instanceof XeroUnavailable)) throw err;
        // The answer was lost (or Xero is down): look before creating again, with a key of its own.
        const landed = await recoverLost(ctx, part);
        const again = part.filter((w) => !landed.has(w));
        if (again.length === 0) continue;
        results = await ctx.xero.createDocuments(kind, again.map(payloadFor), again[0]!.p.unitdp, batchKey('docs-again', [...again.map((w) => `${w.p.cwRecordId}:${w.p.contentHash}`), String(Date.now())]));
        await settleCreates(ctx, again, results, attention);
        continue;
      }
      await settleCreates(ctx, part, results, attention);
    }
  }
}

/**
 * Documents found under our numbers, per record: never one that another of
 * our records already names in the ledger, nor one this pass has already
 * given to a record — two bills of one vendor may share number, date and
 * total (two deliveries of a PO), and each is one record's only.
 */
async function numberCandidates(ctx: RunContext, kind: DocumentKindEntry, docs: XeroDocumentRef[]) {
  const named = new Map((await ctx.ledger.byXeroDocuments(ctx.tenantId, kind.recordKind, docs.map((d) => d.id))).map((r) => [r.xero_document_id!, r.cw_record_id] as const));
  const byNumber = groupBy(docs, (d) => d.number);
  const given = new Set<string>();
  return {
    of: (w: Work) => (byNumber.get(w.p.number) ?? []).filter((d) => !given.has(d.id) && (named.get(d.id) ?? w.p.cwRecordId) === w.p.cwRecordId),
    all: (w: Work) => byNumber.get(w.p.number) ?? [],
    give: (d: DocumentDecision) => {
      if ((d.action === 'keep' || d.action === 'update') && d.doc) given.add(d.doc.id);
    },
  };
}

/** After a lost create: which of these Xero holds now (our number, our contact, our total). */
async function recoverLost(ctx: RunContext, ws: Work[]): Promise<Set<Work>> {
  const kind = ws[0]!.p.kind;
  const found = await numberCandidates(ctx, kind, await ctx.xero.findDocumentsByNumber(kind, ws.map((w) => w.p.number)));
  const landed = new Set<Work>();
  for (const w of ws) {
    const d = decideDocument({ p: w.p, row: { ...w.row, create_key: 'sent' }, byNumber: found.of(w), createKey: 'sent', contactId: w.contactId });
    found.give(d);
    if (d.action === 'keep') {
      w.doc = d.doc;
      landed.add(w);
    }
  }
  return landed;
}

async function settleCreates(ctx: RunContext, ws: Work[], results: Awaited<ReturnType<XeroEnginePort['createDocuments']>>, attention: Attention): Promise<void> {
  const taken: Work[] = [];
  for (const [i, w] of ws.entries()) {
    const res = results[i]!;
    if (res.ok) w.doc = res.value;
    else if (w.p.kind.xero.numberUnique && res.errors.some((e) => NUMBER_TAKEN.test(e))) taken.push(w);
    else await attention(w, { code: 'xero_validation', message: `Xero refused this ${w.p.kind.words.xero}: ${res.errors.join('; ')}.`, where: 'Xero' });
  }
  if (taken.length === 0) return;
  // Someone's document carries our number: whose? Ours only by our own earlier create (the row as we found it).
  const found = await numberCandidates(ctx, taken[0]!.p.kind, await ctx.xero.findDocumentsByNumber(taken[0]!.p.kind, taken.map((w) => w.p.number)));
  for (const w of taken) {
    const d = decideDocument({ p: w.p, row: w.row, byNumber: found.of(w), createKey: createKey(ctx.tenantId, w.p, refusalSalt(w.row)), contactId: w.contactId });
    found.give(d);
    if (d.action === 'keep') w.doc = d.doc;
    else if (d.action === 'update') await updateAll(ctx, [Object.assign(w, { decision: d })], attention);
    else if (d.action === 'refuse') await attention(w, d.problem, d.taken);
    else {
      const other = found.all(w)[0];
      if (other) await attention(w, numberTakenProblem(w.p, other), other);
      else await attention(w, { code: 'xero_validation', message: `Xero refused this ${w.p.kind.words.xero}: its number is taken.`, where: 'Xero' });
    }
  }
}

async function updateAll(ctx: RunContext, ws: Work[], attention: Attention): Promise<void> {
  for (const [, group] of groupBy(ws, (w) => String(w.p.unitdp))) {
    for (const part of chunks(group)) {
      const kind = part[0]!.p.kind;
      const keys = part.map((w) => idempotencyKey('doc', ctx.tenantId, ctx.xeroTenantId, kind.name, 'update', w.p.glEntryIds.join(','), w.p.contentHash, (w.decision as { doc: XeroDocumentRef }).doc.id, refusalSalt(w.row)));
      try {
        const results = await ctx.xero.updateDocuments(kind, part.map((w) => ({ id: (w.decision as { doc: XeroDocumentRef }).doc.id, payload: payloadFor(w) })), part[0]!.p.unitdp, batchKey('upd', keys));
        for (const [i, w] of part.entries()) {
          const res = results[i]!;
          if (res.ok) w.doc = res.value;
          else {
            w.doc = (w.decision as { doc: XeroDocumentRef }).doc; // the document exists: never orphaned
            await attention(w, { code: 'xero_validation', message: `Xero refused the update of ${kind.words.xero} ${w.doc.number}: ${res.errors.join('; ')}.`, where: 'Xero' });
          }
        }
      } catch (err) {
        if (!(err instanceof XeroRefused)) throw err;
        for (const w of part) {
          w.doc = (w.decision as { doc: XeroDocumentRef }).doc;
          await attention(w, { code: 'xero_validation', message: `Xero refused the update of ${kind.words.xero} ${w.doc.number}: ${refusedWords(err)}.`, where: 'Xero' });
        }
      }
    }
  }
}

async function allocate(ctx: RunContext, live: Work[], all: Work[], attention: Attention): Promise<void> {
  const notes = live.filter((w) => w.doc && w.p.kind.allocatesTo && w.p.allocations.length);
  for (const w of notes) {
    // Xero allocates only approved credit notes; a draft waits (the preview says so).
    if (w.doc!.status !== 'AUTHORISED') continue;
    const target = w.p.kind.allocatesTo!;
    const inRun = new Map(all.filter((o) => o.doc && o.p.kind === target).map((o) => [o.p.number, o.doc!] as const));
    const wanted = w.p.allocations.map((a) => a.invoiceNumber).filter((n) => !inRun.has(n));
    const fromXero = new Map((wanted.length ? await ctx.xero.findDocumentsByNumber(target, wanted) : []).map((d) => [d.number, d] as const));
    let note = w.doc!;
    if (note.allocatedInvoiceIds === undefined) note = (await ctx.xero.getDocuments(w.p.kind, [note.id]))[0] ?? note;
    let missing: string | undefined;
    for (const a of w.p.allocations) {
      const invoice = inRun.get(a.invoiceNumber) ?? fromXero.get(a.invoiceNumber);
      if (!invoice) {
        missing = a.invoiceNumber;
        continue;
      }
      if (note.allocatedInvoiceIds?.includes(invoice.id)) continue; // already allocated: never twice
      await ctx.xero.allocateCreditNote(note.id, invoice.id, a.amount, a.date ?? w.p.document.Date ?? '', idempotencyKey('alc', ctx.tenantId, ctx.xeroTenantId, note.id, invoice.id, a.amount));
    }
    if (missing) {
      await attention(w, {
        code: 'allocation_target_missing',
        message: `ConnectWise applied this ${w.p.kind.words.cw} to ${target.words.cw} ${missing}, which is not in Xero yet. Sync that ${target.words.cw}, then push this ${w.p.kind.words.cw} again to allocate it.`,
        where: `ConnectWise › Finance › Invoices (${missing})`,
      });
    }
  }
}

/** The GL entries this push posts in ConnectWise. */
const postedBy = (p: PreparedRecord): string[] => p.postGlEntryIds ?? p.glEntryIds;

/**
 * The record's own payments (Wise-Pay), once Xero has approved its document:
 * those the document does not carry yet (by the mark in their Reference) in
 * one PUT Payments per 50. A refusal (a lock date, an account in another
 * currency) leaves the document as it is and the record needing attention
 * with Xero's reason; a lost answer stops the step, and the next attempt
 * reads the document's payments before paying anything.
 */
async function pay(ctx: RunContext, live: Work[], attention: Attention): Promise<void> {
  const due = live.filter((w) => w.doc && w.p.kind.paysFromAccounts && w.p.payments?.length && w.doc.status === 'AUTHORISED');
  if (due.length === 0) return;
  // The create/update answers may not list payments: read the documents once.
  const unread = due.filter((w) => w.doc!.payments === undefined);
  if (unread.length) {
    const read = new Map((await ctx.xero.getDocuments(unread[0]!.p.kind, unread.map((w) => w.doc!.id))).map((d) => [d.id, d] as const));
    for (const w of unread) w.doc = read.get(w.doc!.id) ?? w.doc;
  }
  const wanted = due.flatMap((w) => {
    const made = w.doc!.payments ?? [];
    return (w.p.payments ?? []).filter((p) => !made.some((m) => m.reference.includes(p.mark))).map((p) => ({ w, p }));
  });
  for (const part of chunks(wanted)) {
    const results = await ctx.xero.createPayments(
      part.map(({ w, p }) => ({ documentId: w.doc!.id, accountCode: p.accountCode, amount: p.amount, date: p.date, reference: p.reference })),
      batchKey('pay', part.map(({ w, p }) => idempotencyKey('pay', ctx.tenantId, ctx.xeroTenantId, w.doc!.id, p.mark, p.amount, refusalSalt(w.row)))),
    );
    const refused = new Map<Work, string[]>();
    for (const [i, { w }] of part.entries()) {
      const r = results[i]!;
      if (!r.ok) refused.set(w, [...(refused.get(w) ?? []), ...r.errors]);
    }
    for (const [w, errors] of refused) {
      if (w.done) continue;
      await attention(w, {
        code: 'xero_payment_refused',
        message: `The ${w.p.kind.words.xero} ${w.doc!.number} is in Xero, but Xero refused its card payment: ${errors.join('; ')}. It stays unpaid in Xero until this is fixed and pushed again.`,
        where: WHERE_BY_CODE.xero_payment_refused!,
      });
    }
  }
}

/**
 * Records whose companions in this push (closesAfter) are not in Xero stay
 * unposted in ConnectWise: in Xero, needing attention with the companion's
 * reason, so posting never says more is in Xero than is.
 */
async function holdForCompanions(ws: Work[], outcomes: RecordOutcome[], attention: Attention): Promise<void> {
  const inXero = (id: string) => outcomes.some((o) => o.cwRecordId === id && (o.state === 'synced' || o.state === 'unchanged'));
  for (const w of ws) {
    const missing = (w.p.closesAfter ?? []).find((id) => !inXero(id));
    if (missing === undefined) continue;
    const o = outcomes.find((x) => x.cwRecordId === missing);
    const what = o ? `its ${o.kind.words.xero}` : 'a record it goes with';
    await attention(w, {
      code: 'companion_not_in_xero',
      message: `In Xero as ${w.p.kind.words.xero} ${w.doc!.number}, but ${what} is not, so ConnectWise does not post this ${w.p.kind.words.cw} yet. Fix what stopped it and push again (nothing is made twice).`,
      where: o?.problems[0]?.where ?? 'Xero',
    });
  }
}

/** `lookedUp`: the batches found for (at least) these records' identifiers since their leases were taken. */
async function closeBatches(ctx: RunContext, ws: Work[], settle: (w: Work, o: RecordOutcome) => Promise<void>, attention: Attention, lookedUp?: Promise<Map<string, number>>): Promise<void> {
  if (ws.length === 0) return;
  const ids = ws.map((w) => batchIdentifierOf({ ...w.p, glEntryIds: postedBy(w.p) }));
  const existing = new Map(await (lookedUp ?? ctx.cw.findBatches(ids)));
  // ConnectWise is asked a few at a time (its own limiter paces the tenant). A batch ConnectWise did
  // not confirm leaves its record xero_created (the next attempt finds the batch by its identifier);
  // the others are recorded first, then the step stops.
  let interruption: unknown;
  const made: [Work, string][] = [];
  for (const part of chunks(ws.map((w, i) => [w, ids[i]!] as const), 8)) {
    const results = await Promise.allSettled(
      part.map(async ([w, identifier]) => {
        if (existing.has(identifier)) return made.push([w, identifier]);
        try {
          const id = await ctx.cw.createBatch(identifier, postedBy(w.p), w.p.kind.source.exportFlag);
          if (id !== undefined) existing.set(identifier, id);
          made.push([w, identifier]);
        } catch (err) {
          if (!(err instanceof NeedsAttention)) throw err;
          await attention(w, { code: err.code, message: err.message, ...(err.where ? { where: err.where } : {}) });
        }
        return undefined;
      }),
    );
    for (const r of results) if (r.status === 'rejected') interruption ??= r.reason;
  }
  // The ids ConnectWise did not answer with, read back in one look-up for the chunk.
  const unknown = made.map(([, identifier]) => identifier).filter((i) => !existing.has(i));
  if (unknown.length) for (const [identifier, id] of await ctx.cw.findBatches(unknown)) existing.set(identifier, id);
  for (const [w, identifier] of made) {
    const id = existing.get(identifier);
    if (id === undefined) {
      interruption ??= new Error('ConnectWise created an accounting batch but does not list it');
      continue;
    }
    await ctx.ledger.synced(w.key, { identifier, id });
    // Allocations and payments change the document after Xero's answer: then it is read again by whoever shows it.
    const document = w.p.allocations.length === 0 && !w.p.payments?.length ? w.doc : undefined;
    await settle(w, { cwRecordId: w.p.cwRecordId, kind: w.p.kind, state: 'synced', xero: pick(w.doc!), cwBatchId: id, problems: [], message: inXeroWords(w.p.kind, w.doc!), ...(document ? { document } : {}) });
  }
  if (interruption !== undefined) throw interruption;
}
