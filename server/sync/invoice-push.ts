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
import { createHash } from 'node:crypto';
import type { Ledger, LedgerRow, RecordKey } from './ledger.js';

export type DocumentKind = 'invoice' | 'creditNote';

export interface Problem {
  code: string;
  message: string;
  /** Where a person fixes it, in words ("ConnectWise › Finance › Invoice 1043", "Settings › Tax mapping"). */
  where?: string;
  field?: string;
}

/** Everything a push needs, computed from ConnectWise by the mapping core. Held in memory only. */
export interface PreparedDocument {
  cwInvoiceId: string;
  kind: DocumentKind;
  /** The number the Xero document carries (ConnectWise's, with any prefix). */
  number: string;
  glEntryIds: string[];
  xeroTenantId: string;
  /** SHA-256 of the mapped document: "changed since sync" is a different hash. */
  contentHash: string;
  problems: Problem[];
  contact: {
    cwCompanyId: string;
    /** ConnectWise company identifier, stored in Xero as ContactNumber for matching. */
    contactNumber: string;
    accountNumber?: string;
    name: string;
    payload: Record<string, unknown>;
    payloadHash: string;
  };
  /** The Xero Invoice / CreditNote payload without its Contact. */
  document: Record<string, unknown>;
  itemsToCreate: Record<string, unknown>[];
  /** Credit memos ConnectWise applied to an invoice: allocate in Xero too. */
  allocation?: { invoiceNumber: string; amount: string } | undefined;
}

export interface XeroDocumentRef {
  id: string;
  number: string;
  status: string;
  /** Decimal string; only used in memory to decide whether a document is still editable. */
  amountPaid?: string;
}

export interface XeroContactRef {
  id: string;
  name: string;
  contactNumber?: string | undefined;
  accountNumber?: string | undefined;
  status?: string | undefined;
}

/** The Xero calls a push makes, for one organisation. Implemented over xero-node. */
export interface XeroPushPort {
  getContact(id: string): Promise<XeroContactRef | undefined>;
  findContacts(q: { contactNumber?: string; accountNumber?: string; name?: string }): Promise<XeroContactRef[]>;
  createContact(payload: Record<string, unknown>, idempotencyKey: string): Promise<XeroContactRef>;
  updateContact(id: string, payload: Record<string, unknown>, idempotencyKey: string): Promise<void>;
  ensureItems(items: Record<string, unknown>[], idempotencyKey: string): Promise<void>;
  findDocumentByNumber(kind: DocumentKind, number: string): Promise<XeroDocumentRef | undefined>;
  getDocument(kind: DocumentKind, id: string): Promise<XeroDocumentRef | undefined>;
  createDocument(kind: DocumentKind, payload: Record<string, unknown>, idempotencyKey: string): Promise<XeroDocumentRef>;
  updateDocument(kind: DocumentKind, id: string, payload: Record<string, unknown>, idempotencyKey: string): Promise<XeroDocumentRef>;
  allocateCreditNote(creditNoteId: string, invoiceId: string, amount: string, idempotencyKey: string): Promise<void>;
}

/** The ConnectWise calls a push makes. */
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

const EDITABLE = new Set(['DRAFT', 'SUBMITTED', 'AUTHORISED']);
const LEASE_MS = 2 * 60_000;

export function sha256(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex');
}

/** Xero replays the first response for a repeated key: same tenant, records and content → same key. */
export function documentIdempotencyKey(tenantId: string, p: PreparedDocument, op: 'create' | 'update'): string {
  return `cwxs-doc-${sha256(tenantId, p.xeroTenantId, p.kind, op, p.glEntryIds.join(','), p.contentHash).slice(0, 48)}`;
}

/**
 * ≤ 50 characters, deterministic per record and its GL entries, so after a
 * crash the batch is found by looking it up rather than created twice. A
 * re-sync of an already-batched invoice finds the same batch.
 */
export function batchIdentifier(p: Pick<PreparedDocument, 'cwInvoiceId' | 'glEntryIds'>): string {
  return `cwxs-inv-${p.cwInvoiceId}-${sha256(p.glEntryIds.join(',')).slice(0, 12)}`.slice(0, 50);
}

export interface PushDeps {
  ledger: Ledger;
  xero: XeroPushPort;
  cw: CwPushPort;
  /** Identifies this attempt's lease (e.g. a random id per request). */
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
    if (row.state === 'synced' && row.content_hash === p.contentHash && row.cw_batch_id != null) {
      return outcomeFromRow(row, 'unchanged', p.kind, 'Already in Xero and unchanged since the last sync.');
    }
    await deps.ledger.update(key, {
      state: 'pushing',
      gl_entry_ids: p.glEntryIds.join(','),
      xero_tenant_id: p.xeroTenantId,
      error_code: null,
      error_message: null,
    });
    const contactId = await syncContact(tenantId, p, deps);
    await deps.ledger.update(key, { xero_contact_id: contactId });
    const doc = await syncDocument(tenantId, p, contactId, row, deps);
    await deps.ledger.update(key, {
      state: 'xero_created',
      xero_document_id: doc.id,
      xero_number: doc.number,
      xero_status: doc.status,
      content_hash: p.contentHash,
    });
    if (p.kind === 'creditNote' && p.allocation) await allocate(tenantId, p, doc, deps);
    const batch = await closeBatch(p, deps);
    await deps.ledger.update(key, { state: 'synced', cw_batch_identifier: batchIdentifier(p), cw_batch_id: batch.id, synced_at: new Date().toISOString() });
    const done = await deps.ledger.get(key);
    return outcomeFromRow(done!, 'synced', p.kind, `In Xero as ${doc.number} (${doc.status}).`);
  } catch (err) {
    if (err instanceof NeedsAttention) {
      await deps.ledger.update(key, { state: 'needs_attention', error_code: err.code, error_message: err.message });
      const problem: Problem = { code: err.code, message: err.message, ...(err.where ? { where: err.where } : {}) };
      const r = await deps.ledger.get(key);
      return { ...outcomeFromRow(r!, 'needs_attention', p.kind, err.message), problems: [problem] };
    }
    // Anything else (timeout, 5xx after retries, crash) leaves the row where
    // the last completed step put it; a retry resumes from there.
    await deps.ledger.update(key, { error_code: 'retryable', error_message: err instanceof Error ? err.message.slice(0, 300) : 'push interrupted' });
    throw err;
  } finally {
    await deps.ledger.release(key, deps.leaseOwner);
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

async function syncContact(tenantId: string, p: PreparedDocument, deps: PushDeps): Promise<string> {
  const c = p.contact;
  const link = await deps.ledger.contactLink(tenantId, p.xeroTenantId, c.cwCompanyId);
  const updateKey = (id: string) => `cwxs-con-${sha256(tenantId, p.xeroTenantId, id, c.payloadHash).slice(0, 48)}`;
  if (link) {
    const existing = await deps.xero.getContact(link.xero_contact_id);
    if (existing && existing.status !== 'ARCHIVED') {
      if (link.content_hash !== c.payloadHash) {
        await deps.xero.updateContact(existing.id, c.payload, updateKey(existing.id));
        await deps.ledger.linkContact(tenantId, p.xeroTenantId, c.cwCompanyId, existing.id, c.payloadHash);
      }
      return existing.id;
    }
  }
  const taken = await deps.ledger.contactIdsLinkedElsewhere(tenantId, p.xeroTenantId, c.cwCompanyId);
  const free = (list: XeroContactRef[]) => list.filter((x) => !taken.has(x.id) && x.status !== 'ARCHIVED');
  let match: XeroContactRef | undefined = free(await deps.xero.findContacts({ contactNumber: c.contactNumber }))[0];
  if (!match && c.accountNumber) match = free(await deps.xero.findContacts({ accountNumber: c.accountNumber }))[0];
  if (!match) {
    const byName = free(await deps.xero.findContacts({ name: c.name }));
    if (byName.length > 1) {
      throw new NeedsAttention('contact_ambiguous', `Xero has ${byName.length} contacts named like this customer; give the ConnectWise company an account number that one of them carries.`, 'Xero › Contacts');
    }
    match = byName[0];
  }
  if (match) {
    await deps.xero.updateContact(match.id, c.payload, updateKey(match.id));
    await deps.ledger.linkContact(tenantId, p.xeroTenantId, c.cwCompanyId, match.id, c.payloadHash);
    return match.id;
  }
  const created = await deps.xero.createContact(c.payload, `cwxs-con-${sha256(tenantId, p.xeroTenantId, c.cwCompanyId, c.payloadHash).slice(0, 48)}`);
  await deps.ledger.linkContact(tenantId, p.xeroTenantId, c.cwCompanyId, created.id, c.payloadHash);
  return created.id;
}

async function syncDocument(tenantId: string, p: PreparedDocument, contactId: string, row: LedgerRow, deps: PushDeps): Promise<XeroDocumentRef> {
  const payload = { ...p.document, Contact: { ContactID: contactId } };
  let existing: XeroDocumentRef | undefined;
  if (row.xero_document_id && row.xero_tenant_id === p.xeroTenantId) existing = await deps.xero.getDocument(p.kind, row.xero_document_id);
  // A lost ledger row, or a crash between Xero's answer and our write: find
  // the document by its number instead of creating a second one.
  existing ??= await deps.xero.findDocumentByNumber(p.kind, p.number);
  if (existing && existing.status !== 'DELETED') {
    if (row.content_hash === p.contentHash && row.xero_document_id === existing.id) return existing;
    if (!EDITABLE.has(existing.status) || (existing.amountPaid && Number(existing.amountPaid) !== 0)) {
      throw new NeedsAttention(
        'xero_not_editable',
        `Xero ${p.kind === 'invoice' ? 'invoice' : 'credit note'} ${existing.number} is ${existing.status}${existing.amountPaid && Number(existing.amountPaid) !== 0 ? ' with payments applied' : ''}, so Xero will not take the ConnectWise changes. Remove the payments or void it in Xero, then re-sync; or correct ConnectWise to match Xero.`,
        'Xero',
      );
    }
    if (p.itemsToCreate.length) await deps.xero.ensureItems(p.itemsToCreate, `cwxs-itm-${sha256(tenantId, p.xeroTenantId, JSON.stringify(p.itemsToCreate)).slice(0, 48)}`);
    return deps.xero.updateDocument(p.kind, existing.id, payload, documentIdempotencyKey(tenantId, p, 'update'));
  }
  if (p.itemsToCreate.length) await deps.xero.ensureItems(p.itemsToCreate, `cwxs-itm-${sha256(tenantId, p.xeroTenantId, JSON.stringify(p.itemsToCreate)).slice(0, 48)}`);
  return deps.xero.createDocument(p.kind, payload, documentIdempotencyKey(tenantId, p, 'create'));
}

async function allocate(tenantId: string, p: PreparedDocument, creditNote: XeroDocumentRef, deps: PushDeps): Promise<void> {
  const a = p.allocation!;
  const invoice = await deps.xero.findDocumentByNumber('invoice', a.invoiceNumber);
  if (!invoice) {
    throw new NeedsAttention(
      'allocation_target_missing',
      `ConnectWise applied this credit memo to invoice ${a.invoiceNumber}, which is not in Xero yet. Sync that invoice, then re-sync this credit memo to allocate it.`,
      `ConnectWise › Invoice ${a.invoiceNumber}`,
    );
  }
  await deps.xero.allocateCreditNote(creditNote.id, invoice.id, a.amount, `cwxs-alc-${sha256(tenantId, p.xeroTenantId, creditNote.id, invoice.id, a.amount).slice(0, 48)}`);
}

async function closeBatch(p: PreparedDocument, deps: PushDeps): Promise<{ id: number }> {
  const identifier = batchIdentifier(p);
  const found = await deps.cw.findBatch(identifier);
  if (found) return found;
  return deps.cw.createBatch(identifier, p.glEntryIds);
}
