// Pushing one ConnectWise invoice (or credit memo) to Xero, exactly once.
//
// The push is a sequence of steps, each of which can be interrupted (crash,
// timeout, 429) and re-run safely:
//   1. lease the ledger row            — a second click or tab waits instead of racing
//   2. contact: link → match → create   — Idempotency-Key per payload, link stored after
//   3. document: ledger id → look up by number → create with an Idempotency-Key
//                derived from tenant, GL entries and content
//   4. ConnectWise batch of exactly this record, with a deterministic
//      batchIdentifier that is looked up before it is created
//   5. ledger row: synced
// Re-running after a crash at any point finds what the earlier run did (ledger,
// Xero by number, Xero idempotency replay, CW batch by identifier) and carries on.
import Decimal from 'decimal.js';
import { type ContactMappingInput, mapContact, matchContact } from '../domain/contact-mapping.js';
import type { AllocationPlan } from '../domain/invoice-mapping.js';
import { contentHash, sha256Hex } from '../domain/content-hash.js';
import type { XeroContactPayload, XeroContactRecord, XeroDocumentPayload, XeroItemPayload } from '../domain/xero-wire.js';
import type { Ledger, LedgerRow, RecordKey } from './ledger.js';
import { storableMessage } from './stored-words.js';

export type DocumentKind = 'invoice' | 'creditNote';

export interface Problem {
  code: string;
  message: string;
  /** Where a person fixes it, in words ("ConnectWise › Finance › Invoice 1043", "Settings › Tax mapping"). */
  where?: string;
  field?: string;
}

/**
 * Everything a push needs, computed from ConnectWise by the mapping core
 * (see prepare-invoice.ts, toPreparedDocument). Held in memory only: it holds
 * names and amounts, so it is never stored or logged.
 */
export interface PreparedDocument {
  cwInvoiceId: string;
  kind: DocumentKind;
  /** The number the Xero document carries (ConnectWise's, with any prefix). */
  number: string;
  glEntryIds: string[];
  xeroTenantId: string;
  /** SHA-256 of the mapped document: "changed since sync" is a different hash. */
  contentHash: string;
  /** Blocking problems only: any one refuses the push. */
  problems: Problem[];
  /** The `unitdp` query for the document calls (4 when a quantity or price has more than 2 places). */
  unitdp: 2 | 4;
  contact: {
    cwCompanyId: string;
    /** What matchContact needs: identifier (= Xero ContactNumber), name, account number. */
    company: { identifier: string; name?: string; accountNumber?: string };
    /** The contact mapping's input without `existing`: the push adds what Xero holds, to send only changes. */
    mapping: Omit<ContactMappingInput, 'existing'>;
  };
  /** The Xero Invoice / CreditNote payload; its Contact is bound to the ContactID at push time. */
  document: XeroDocumentPayload;
  itemsToCreate: XeroItemPayload[];
  /** Where ConnectWise applied a credit memo: allocate in Xero too. */
  allocations: AllocationPlan[];
}

export interface XeroDocumentRef {
  id: string;
  number: string;
  status: string;
  /** Decimal strings, used in memory only (editable? paid?), never stored. */
  total: string;
  amountPaid: string;
  amountCredited: string;
  amountDue: string;
  /** Credit notes: the invoices they are allocated to. */
  allocatedInvoiceIds?: string[];
}

/** The Xero calls a push makes, for one organisation. Implemented over xero-node (xero-push-port.ts). */
export interface XeroPushPort {
  getContact(id: string): Promise<XeroContactRecord | undefined>;
  /** Every contact (archived too) whose ContactNumber, AccountNumber or Name matches: one query. */
  findContactCandidates(q: { contactNumber: string; accountNumber?: string | undefined; name: string }): Promise<XeroContactRecord[]>;
  createContact(payload: XeroContactPayload, idempotencyKey: string): Promise<XeroContactRecord>;
  updateContact(id: string, payload: XeroContactPayload, idempotencyKey: string): Promise<void>;
  ensureItems(items: XeroItemPayload[], idempotencyKey: string): Promise<void>;
  findDocumentByNumber(kind: DocumentKind, number: string): Promise<XeroDocumentRef | undefined>;
  getDocument(kind: DocumentKind, id: string): Promise<XeroDocumentRef | undefined>;
  createDocument(kind: DocumentKind, payload: XeroDocumentPayload, unitdp: 2 | 4, idempotencyKey: string): Promise<XeroDocumentRef>;
  updateDocument(kind: DocumentKind, id: string, payload: XeroDocumentPayload, unitdp: 2 | 4, idempotencyKey: string): Promise<XeroDocumentRef>;
  allocateCreditNote(creditNoteId: string, invoiceId: string, amount: string, date: string, idempotencyKey: string): Promise<void>;
}

/** The ConnectWise calls a push makes (cw-batch-port.ts). */
export interface CwPushPort {
  findBatch(batchIdentifier: string): Promise<{ id: number } | undefined>;
  createBatch(batchIdentifier: string, glEntryIds: string[]): Promise<{ id: number }>;
}

export interface PushOutcome {
  state: 'synced' | 'unchanged' | 'needs_attention' | 'busy';
  kind: DocumentKind;
  xeroDocumentId?: string | undefined;
  xeroNumber?: string | undefined;
  xeroStatus?: string | undefined;
  cwBatchId?: number | undefined;
  problems: Problem[];
  message: string;
}

/** A failure that a person must resolve; the ledger row records it and the dialog explains it. */
export class NeedsAttention extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly where?: string,
  ) {
    super(message);
  }
}

/** Another push took the lease over (ours ran past it): stop; that push finishes the job. */
export class LeaseLost extends Error {
  constructor() {
    super('another push of this record took over');
  }
}

/** Statuses in which Xero still takes changes to a document. */
export const EDITABLE_STATUSES = new Set(['DRAFT', 'SUBMITTED', 'AUTHORISED']);
const LEASE_MS = 2 * 60_000;

/** Paid or credited in Xero (payments or allocations), or in a status Xero will not change. */
export function isLockedInXero(doc: Pick<XeroDocumentRef, 'status' | 'amountPaid' | 'amountCredited'>, kind: DocumentKind): boolean {
  if (!EDITABLE_STATUSES.has(doc.status)) return true;
  if (!new Decimal(doc.amountPaid).isZero()) return true;
  // A credit note's allocations are our own doing; an invoice's credits are someone's payment.
  return kind === 'invoice' && !new Decimal(doc.amountCredited).isZero();
}

/** SHA-256 of the parts, each ended by a NUL so ("ab","c") and ("a","bc") differ. */
export function sha256(...parts: string[]): string {
  return sha256Hex(parts.map((p) => `${p}\u0000`).join(''));
}

/** Xero replays the first response for a repeated key: same tenant, org, records, content and operation → same key. */
export function documentIdempotencyKey(tenantId: string, p: PreparedDocument, op: 'create' | 'update', salt = ''): string {
  const parts = [tenantId, p.xeroTenantId, p.kind, op, p.glEntryIds.join(','), p.contentHash];
  return `cwxs-doc-${sha256(...(salt ? [...parts, salt] : parts)).slice(0, 48)}`;
}

/**
 * Xero replays a refusal for a repeated key too. After Xero refused this
 * record's document (nothing was created), the next attempt — once someone
 * fixed it in Xero — needs a key of its own: salted with when the refusal was
 * recorded. A crash retry after a successful create never reaches a create.
 */
function retrySalt(row: LedgerRow): string {
  return row.error_code === 'xero_validation' ? `after-refusal:${row.updated_at}` : '';
}

export const BATCH_IDENTIFIER_PREFIX = 'cwxs-inv-';

/**
 * ≤ 50 characters, deterministic per record and its GL entries, so after a
 * crash the batch is found by looking it up rather than created twice. The
 * prefix plus the invoice id lets a lost ledger row find its batch too.
 */
export function batchIdentifier(p: Pick<PreparedDocument, 'cwInvoiceId' | 'glEntryIds'>): string {
  return `${BATCH_IDENTIFIER_PREFIX}${p.cwInvoiceId}-${sha256(p.glEntryIds.join(',')).slice(0, 12)}`.slice(0, 50);
}

export interface PushDeps {
  ledger: Ledger;
  xero: XeroPushPort;
  cw: CwPushPort;
  /** Identifies this attempt's lease (a random id per request). */
  leaseOwner: string;
}

export async function pushInvoice(tenantId: string, p: PreparedDocument, deps: PushDeps): Promise<PushOutcome> {
  const key: RecordKey = { tenantId, kind: 'invoice', cwRecordId: p.cwInvoiceId };
  if (p.problems.length > 0) {
    return { state: 'needs_attention', kind: p.kind, problems: p.problems, message: 'This invoice needs attention before it can be pushed.' };
  }
  const row = await deps.ledger.acquire(key, deps.leaseOwner, LEASE_MS);
  if (!row) {
    return { state: 'busy', kind: p.kind, problems: [], message: 'This invoice is being pushed right now (another click or tab); the result appears here in a moment.' };
  }
  try {
    if (row.state === 'synced' && row.content_hash === p.contentHash && row.cw_batch_id != null && row.xero_tenant_id === p.xeroTenantId) {
      // Unchanged, unless someone deleted our ConnectWise batch since: then post it again.
      if (row.cw_batch_identifier && (await deps.cw.findBatch(row.cw_batch_identifier))) {
        return outcomeFromRow(row, 'unchanged', p.kind, 'Already in Xero and unchanged since the last sync.');
      }
    }
    await deps.ledger.update(key, {
      state: 'pushing',
      gl_entry_ids: p.glEntryIds.join(','),
      xero_tenant_id: p.xeroTenantId,
      error_code: null,
      error_message: null,
    });
    // Waiting out Xero's rate limits can take minutes: keep the lease ours
    // between steps, and stop if another push took it over meanwhile.
    const keepLease = async () => {
      if (!(await deps.ledger.acquire(key, deps.leaseOwner, LEASE_MS))) throw new LeaseLost();
    };
    const contactId = await syncContact(tenantId, p, deps);
    await keepLease();
    await deps.ledger.update(key, { xero_contact_id: contactId });
    const doc = await syncDocument(tenantId, p, contactId, row, deps);
    await keepLease();
    await deps.ledger.update(key, {
      state: 'xero_created',
      xero_document_id: doc.id,
      xero_number: doc.number,
      xero_status: doc.status,
      content_hash: p.contentHash,
    });
    if (p.kind === 'creditNote') await allocate(tenantId, p, doc, deps);
    await keepLease();
    const batch = await closeBatch(p, deps);
    await deps.ledger.update(key, { state: 'synced', cw_batch_identifier: batchIdentifier(p), cw_batch_id: batch.id, synced_at: new Date().toISOString() });
    const done = await deps.ledger.get(key);
    return outcomeFromRow(done!, 'synced', p.kind, `In Xero as ${p.kind === 'invoice' ? 'invoice' : 'credit note'} ${doc.number} (${doc.status}).`);
  } catch (err) {
    if (err instanceof NeedsAttention) {
      await deps.ledger.update(key, { state: 'needs_attention', error_code: err.code, error_message: storableMessage(err.code, err.message).slice(0, 500) });
      const problem: Problem = { code: err.code, message: err.message, ...(err.where ? { where: err.where } : {}) };
      const r = await deps.ledger.get(key);
      return { ...outcomeFromRow(r!, 'needs_attention', p.kind, err.message), problems: [problem] };
    }
    // Anything else (timeout, 5xx after retries, crash) leaves the row where
    // the last completed step put it; a retry resumes from there.
    if (err instanceof LeaseLost) throw err; // the row is the other push's now
    await deps.ledger.update(key, { error_code: 'retryable', error_message: `Push interrupted (${err instanceof Error ? err.name : 'unknown failure'}); pushing again resumes it.` }).catch(() => undefined);
    throw err;
  } finally {
    await deps.ledger.release(key, deps.leaseOwner).catch(() => undefined);
  }
}

function outcomeFromRow(row: LedgerRow, state: PushOutcome['state'], kind: DocumentKind, message: string): PushOutcome {
  return {
    state,
    kind,
    xeroDocumentId: row.xero_document_id ?? undefined,
    xeroNumber: row.xero_number ?? undefined,
    xeroStatus: row.xero_status ?? undefined,
    cwBatchId: row.cw_batch_id ?? undefined,
    problems: [],
    message,
  };
}

function contactKey(tenantId: string, p: PreparedDocument, target: string, payload: XeroContactPayload): string {
  return `cwxs-con-${sha256(tenantId, p.xeroTenantId, target, contentHash(payload)).slice(0, 48)}`;
}

/**
 * The customer's Xero contact: the stored link, else matchContact over one
 * query's candidates (contacts linked to other CW companies excluded), else a
 * new contact. An existing contact is updated only when mapContact says
 * ConnectWise changed something Xero holds.
 */
async function syncContact(tenantId: string, p: PreparedDocument, deps: PushDeps): Promise<string> {
  const c = p.contact;
  const link = await deps.ledger.contactLink(tenantId, p.xeroTenantId, c.cwCompanyId);
  const keep = async (existing: XeroContactRecord): Promise<string> => {
    const id = existing.ContactID!;
    const m = mapContact({ ...c.mapping, existing });
    if (m.changed) await deps.xero.updateContact(id, m.contact, contactKey(tenantId, p, id, m.contact));
    await deps.ledger.linkContact(tenantId, p.xeroTenantId, c.cwCompanyId, id, contentHash(m.contact));
    return id;
  };
  if (link) {
    const existing = await deps.xero.getContact(link.xero_contact_id);
    if (existing?.ContactID && existing.ContactStatus !== 'ARCHIVED') return keep(existing);
  }
  const taken = await deps.ledger.contactIdsLinkedElsewhere(tenantId, p.xeroTenantId, c.cwCompanyId);
  const candidates = (
    await deps.xero.findContactCandidates({ contactNumber: c.company.identifier, accountNumber: c.company.accountNumber, name: c.company.name ?? '' })
  ).filter((x) => x.ContactID && !taken.has(x.ContactID));
  const match = matchContact(candidates, { identifier: c.company.identifier, name: c.company.name ?? '', accountNumber: c.company.accountNumber }, link?.xero_contact_id);
  if (match.kind === 'link' || match.kind === 'number' || match.kind === 'name') return keep(match.contact);
  if (match.kind === 'ambiguous' || match.kind === 'conflict') {
    const first = match.problems[0];
    throw new NeedsAttention(first?.code ?? 'contact_ambiguous', first?.message ?? 'Several Xero contacts match this customer.', first?.where);
  }
  const payload = mapContact(c.mapping).contact;
  const created = await deps.xero.createContact(payload, contactKey(tenantId, p, `new:${c.cwCompanyId}`, payload));
  await deps.ledger.linkContact(tenantId, p.xeroTenantId, c.cwCompanyId, created.ContactID!, contentHash(payload));
  return created.ContactID!;
}

async function syncDocument(tenantId: string, p: PreparedDocument, contactId: string, row: LedgerRow, deps: PushDeps): Promise<XeroDocumentRef> {
  const payload = { ...p.document, Contact: { ContactID: contactId } } as XeroDocumentPayload;
  let existing: XeroDocumentRef | undefined;
  if (row.xero_document_id && row.xero_tenant_id === p.xeroTenantId) existing = await deps.xero.getDocument(p.kind, row.xero_document_id);
  if (existing?.status === 'DELETED') existing = undefined;
  // A lost ledger row, or a crash between Xero's answer and our write: find
  // the document by its number instead of creating a second one.
  existing ??= await deps.xero.findDocumentByNumber(p.kind, p.number);
  if (existing) {
    // This very content already landed (a retry after a crash past the create).
    if (row.content_hash === p.contentHash && row.xero_document_id === existing.id) return existing;
    if (isLockedInXero(existing, p.kind)) {
      if (!row.content_hash && !row.xero_document_id && existing.status !== 'VOIDED') {
        // The ledger row was lost after a sync and the document has moved on in
        // Xero (paid): it is ours (same number), so adopt it rather than fail.
        return existing;
      }
      throw new NeedsAttention('xero_not_editable', notEditableWords(p.kind, existing), 'Xero');
    }
    await ensureItems(tenantId, p, deps);
    return deps.xero.updateDocument(p.kind, existing.id, payload, p.unitdp, documentIdempotencyKey(tenantId, p, 'update', retrySalt(row)));
  }
  await ensureItems(tenantId, p, deps);
  return deps.xero.createDocument(p.kind, payload, p.unitdp, documentIdempotencyKey(tenantId, p, 'create', retrySalt(row)));
}

/** Why Xero will not take ConnectWise's changes, and what to do. */
export function notEditableWords(kind: DocumentKind, d: Pick<XeroDocumentRef, 'number' | 'status' | 'amountPaid' | 'amountCredited'>): string {
  const what = kind === 'invoice' ? 'invoice' : 'credit note';
  if (d.status === 'PAID') return `Xero ${what} ${d.number} is paid, so Xero will not take the ConnectWise changes. Remove the payment in Xero first, or correct ConnectWise to match Xero.`;
  if (d.status === 'VOIDED') return `Xero ${what} ${d.number} was voided in Xero, so it cannot be synced again under that number. Give the ConnectWise ${kind === 'invoice' ? 'invoice' : 'credit memo'} a new number or handle it in Xero by hand.`;
  const paid = !new Decimal(d.amountPaid).isZero() || !new Decimal(d.amountCredited).isZero();
  if (paid) return `Xero ${what} ${d.number} has payments or credits applied, so Xero will not take the ConnectWise changes. Remove them in Xero first, or correct ConnectWise to match Xero.`;
  return `Xero ${what} ${d.number} is ${d.status}, so Xero will not take the ConnectWise changes.`;
}

async function ensureItems(tenantId: string, p: PreparedDocument, deps: PushDeps): Promise<void> {
  if (p.itemsToCreate.length === 0) return;
  await deps.xero.ensureItems(p.itemsToCreate, `cwxs-itm-${sha256(tenantId, p.xeroTenantId, contentHash(p.itemsToCreate)).slice(0, 48)}`);
}

async function allocate(tenantId: string, p: PreparedDocument, creditNote: XeroDocumentRef, deps: PushDeps): Promise<void> {
  // Xero allocates only approved credit notes; a draft waits (the preview warns).
  if (p.allocations.length === 0 || creditNote.status !== 'AUTHORISED') return;
  let note = creditNote;
  for (const a of p.allocations) {
    const invoice = await deps.xero.findDocumentByNumber('invoice', a.invoiceNumber);
    if (!invoice) {
      throw new NeedsAttention(
        'allocation_target_missing',
        `ConnectWise applied this credit memo to invoice ${a.invoiceNumber}, which is not in Xero yet. Sync that invoice, then push this credit memo again to allocate it.`,
        `ConnectWise › Invoice ${a.invoiceNumber}`,
      );
    }
    // Already allocated (a retry after a crash past this step, or a re-sync): never twice.
    if (note.allocatedInvoiceIds === undefined) note = (await deps.xero.getDocument('creditNote', note.id)) ?? note;
    if (note.allocatedInvoiceIds?.includes(invoice.id)) continue;
    await deps.xero.allocateCreditNote(
      note.id,
      invoice.id,
      a.amount,
      a.date ?? p.document.Date,
      `cwxs-alc-${sha256(tenantId, p.xeroTenantId, note.id, invoice.id, a.amount).slice(0, 48)}`,
    );
  }
}

async function closeBatch(p: PreparedDocument, deps: PushDeps): Promise<{ id: number }> {
  const identifier = batchIdentifier(p);
  const found = await deps.cw.findBatch(identifier);
  if (found) return found;
  return deps.cw.createBatch(identifier, p.glEntryIds);
}
