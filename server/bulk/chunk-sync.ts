// One chunk of a bulk run: up to 50 ConnectWise invoices of one Xero
// organisation, pushed exactly once each, in as few calls as possible:
//
//   1. ledger leases for the records (a single push of one of them in another
//      tab waits for us, and we skip one it holds)
//   2. ConnectWise: one export for all GL entries, invoices / companies /
//      contacts by `id in (…)`; pure mapping per record
//   3. contacts: one POST Contacts per ≤ 50 companies whose link is missing or
//      whose mapped contact changed (summarizeErrors=false)
//   4. documents: records an earlier attempt may have created are looked up by
//      number first (one GET per 50); the rest are created in one call per
//      ≤ 50 with summarizeErrors=false and an Idempotency-Key derived from the
//      elements' keys, so a lost answer is replayed by Xero, not duplicated
//   5. ConnectWise batches: one per record with its deterministic identifier
//      (looked up first, one call per chunk), or — "one per run" — left for
//      the run's single batch (worker.ts)
//
// Each record's outcome is recorded on its own (run item + ledger row): a bad
// record never sinks its batch-mates. A cancel is honoured only before step 3
// and before step 4: once documents exist in Xero their ConnectWise batches
// are always closed, so no record is left half-written.
import { contentHash } from '../domain/content-hash.js';
import { mapContact } from '../domain/contact-mapping.js';
import { withContactId } from '../domain/invoice-mapping.js';
import { batchIdentifier, documentIdempotencyKey, sha256, type PreparedDocument } from '../sync/invoice-push.js';
import type { Ledger, LedgerRow, RecordKey } from '../sync/ledger.js';
import type { CwBulkReader } from './cw-bulk-reader.js';
import { prepareMany, type PreparedRecord } from './prepare-many.js';
import type { Batching, ItemRow, RunStore } from './run-store.js';
import { XERO_BATCH_SIZE, type DocRef, type XeroBulk } from './xero-bulk.js';
import type { XeroRefs } from '../domain/xero-refs.js';
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { XeroRejected } from './xero-pacer.js';
import { storableMessage, storableProblemMessage } from '../sync/stored-words.js';

export interface ChunkDeps {
  tenantId: string;
  runId: string;
  xeroTenantId: string;
  batching: Batching;
  store: RunStore;
  ledger: Ledger;
  cw: CwBulkReader;
  xero: XeroBulk;
  refs: XeroRefs;
  settings: InvoiceMappingSettings;
  leaseOwner: string;
  /** True once a person asked to cancel the run. */
  cancelled(): Promise<boolean>;
}

export interface ChunkResult {
  /** True when the chunk stopped for a cancel before touching Xero. */
  stoppedForCancel: boolean;
}

const LEASE_MS = 5 * 60_000;

interface Live {
  item: ItemRow;
  key: RecordKey;
  row: LedgerRow;
  prepared: PreparedDocument;
  contactId?: string;
  doc?: DocRef;
}

function recordKey(tenantId: string, item: ItemRow): RecordKey {
  return { tenantId, kind: 'invoice', cwRecordId: item.cw_record_id };
}

/** One key for a batch call from its elements' keys: the same elements give the same key. */
export function batchKey(prefix: string, elementKeys: string[]): string {
  return `cwxs-${prefix}-${sha256(...elementKeys).slice(0, 48)}`;
}

function xeroWords(err: unknown): string {
  if (err instanceof XeroRejected) {
    const b = err.body as { Message?: string; Detail?: string; Elements?: { ValidationErrors?: { Message?: string }[] }[] } | null;
    const msgs = (b?.Elements ?? []).flatMap((e) => (e.ValidationErrors ?? []).map((v) => v.Message ?? '')).filter(Boolean);
    return [...new Set(msgs)].join('; ') || b?.Detail || b?.Message || err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export async function syncChunk(d: ChunkDeps, items: ItemRow[]): Promise<ChunkResult> {
  const leased: { item: ItemRow; key: RecordKey; row: LedgerRow }[] = [];
  try {
    // 1. leases
    for (const item of items) {
      const key = recordKey(d.tenantId, item);
      const row = await d.ledger.acquire(key, d.leaseOwner, LEASE_MS);
      if (!row) {
        await d.store.updateItem(d.runId, item.seq, { state: 'failed', error_code: 'busy', error_message: 'Someone was pushing this invoice from its own screen at the same time; "Retry failed" picks it up again.' }, true);
        continue;
      }
      leased.push({ item, key, row });
    }
    if (leased.length === 0) return { stoppedForCancel: false };

    // Records the ledger calls synced go through the same steps: if ConnectWise
    // still lists them as unposted (their batch was deleted since), they are
    // posted again; if not, our batch for them is found (see ourBatches).
    const todo = leased;

    // 2. read and map
    const prepared: PreparedRecord[] = await prepareMany(d.cw, {
      refs: todo.map((l) => ({ cwInvoiceId: Number(l.item.cw_record_id), glEntryId: Number(l.item.gl_entry_id) })),
      orgOf: () => ({ xeroTenantId: d.xeroTenantId, refs: d.refs }),
      settings: d.settings,
    });
    const live: Live[] = [];
    // Posted since the run began: by us (a batch closed just before a crash or a
    // lost answer) when ConnectWise holds our deterministic batch for it.
    const posted = todo.filter((_, i) => { const p = prepared[i]!; return !p.ok && p.notUnposted; });
    const ours = posted.length ? await ourBatches(d, posted.map((l) => l.item)) : new Map<string, number>();
    for (const [i, l] of todo.entries()) {
      const p = prepared[i]!;
      const batchId = ours.get(l.item.cw_record_id);
      if (!p.ok && p.notUnposted && batchId != null && l.row.xero_document_id) {
        await d.ledger.update(l.key, { state: 'synced', cw_batch_id: batchId, cw_batch_identifier: recordBatchIdentifier(l.item), synced_at: new Date().toISOString(), error_code: null, error_message: null });
        await d.store.updateItem(d.runId, l.item.seq, { state: 'synced', xero_document_id: l.row.xero_document_id, xero_number: l.row.xero_number, error_code: null, error_message: null, where_to_fix: null }, true);
        continue;
      }
      if (!p.ok) {
        const first = p.problems[0]!;
        await d.store.updateItem(d.runId, l.item.seq, { state: 'needs_attention', error_code: first.code, error_message: storableProblemMessage(first.code), where_to_fix: first.where ?? null }, true);
        await d.ledger.update(l.key, { state: 'needs_attention', error_code: first.code, error_message: storableProblemMessage(first.code) });
        continue;
      }
      live.push({ ...l, prepared: p.prepared });
    }
    if (live.length === 0) return { stoppedForCancel: false };
    if (await d.cancelled()) return { stoppedForCancel: true };

    // 3. contacts
    await upsertContacts(d, live);
    const withContact = live.filter((r) => r.contactId);
    if (withContact.length === 0) return { stoppedForCancel: false };
    if (await d.cancelled()) return { stoppedForCancel: true };

    // 4. documents
    await pushDocuments(d, withContact);
    const created = withContact.filter((r) => r.doc);

    // 5. ConnectWise batches (always, even if cancelled meanwhile: nothing half-written)
    if (d.batching === 'record') await closeRecordBatches(d, created);
    else {
      for (const r of created) await d.store.updateItem(d.runId, r.item.seq, { state: 'xero_created', xero_document_id: r.doc!.id, xero_number: r.doc!.number }, true);
    }
    return { stoppedForCancel: false };
  } finally {
    for (const l of leased) await d.ledger.release(l.key, d.leaseOwner);
  }
}

async function failRecords(d: ChunkDeps, records: Live[], code: string, message: string, where: string | null): Promise<void> {
  for (const r of records) {
    await d.store.updateItem(d.runId, r.item.seq, { state: 'needs_attention', error_code: code, error_message: storableMessage(code, message).slice(0, 500), where_to_fix: where }, true);
    await d.ledger.update(r.key, { state: 'needs_attention', error_code: code, error_message: storableMessage(code, message).slice(0, 300) });
  }
}

async function upsertContacts(d: ChunkDeps, live: Live[]): Promise<void> {
  const byCompany = new Map<string, Live[]>();
  for (const r of live) {
    const id = r.prepared.contact.cwCompanyId;
    byCompany.set(id, [...(byCompany.get(id) ?? []), r]);
  }
  const toSend: { companyId: string; payload: ReturnType<typeof mapContact>['contact']; hash: string; records: Live[] }[] = [];
  for (const [companyId, records] of byCompany) {
    const payload = mapContact(records[0]!.prepared.contact.mapping).contact;
    const hash = contentHash(payload);
    const link = await d.ledger.contactLink(d.tenantId, d.xeroTenantId, companyId);
    if (link && link.content_hash === hash) {
      for (const r of records) r.contactId = link.xero_contact_id;
      continue;
    }
    // Linked: update that very contact. Not linked: Xero matches our ContactNumber (the CW identifier) or creates one.
    toSend.push({ companyId, payload: link ? { ...payload, ContactID: link.xero_contact_id } : payload, hash, records });
  }
  for (let i = 0; i < toSend.length; i += XERO_BATCH_SIZE) {
    const part = toSend.slice(i, i + XERO_BATCH_SIZE);
    const key = batchKey('cons', part.map((c) => sha256(d.tenantId, d.xeroTenantId, c.companyId, c.hash)));
    let results;
    try {
      results = await d.xero.upsertContacts(part.map((c) => c.payload), key);
    } catch (err) {
      if (!(err instanceof XeroRejected)) throw err;
      for (const c of part) await failRecords(d, c.records, 'xero_contact_rejected', `Xero refused the customer: ${xeroWords(err)}`, 'Xero › Contacts');
      continue;
    }
    for (const [j, c] of part.entries()) {
      const res = results[j]!;
      if (res.ok) {
        await d.ledger.linkContact(d.tenantId, d.xeroTenantId, c.companyId, res.value, c.hash);
        for (const r of c.records) {
          r.contactId = res.value;
          await d.ledger.update(r.key, { xero_contact_id: res.value });
        }
      } else {
        await failRecords(d, c.records, 'xero_contact_rejected', `Xero refused the customer: ${res.errors.join('; ')}`, 'ConnectWise › Companies (this customer) or Xero › Contacts');
      }
    }
  }
}

async function pushDocuments(d: ChunkDeps, records: Live[]): Promise<void> {
  // Records an earlier attempt may have reached Xero with: look them up by number.
  // (A fresh row — state "new" — was never sent; a row that only ever needed attention was never sent either.)
  const maybeThere = records.filter(
    (r) => (r.row.state !== 'new' && r.row.state !== 'needs_attention') || r.row.xero_document_id != null || r.row.error_code === 'retryable',
  );
  for (const kind of ['invoice', 'creditNote'] as const) {
    const ofKind = maybeThere.filter((r) => r.prepared.kind === kind);
    if (ofKind.length === 0) continue;
    const found = await d.xero.findByNumber(kind, ofKind.map((r) => r.prepared.number));
    for (const r of ofKind) {
      const doc = found.get(r.prepared.number);
      if (!doc) continue;
      if (r.row.content_hash && r.row.content_hash !== r.prepared.contentHash) {
        await failRecords(d, [r], 'changed_since_sync', `Xero already has ${doc.number}, and ConnectWise changed this invoice since; open it in ConnectWise and use "Re-sync" to update Xero.`, 'ConnectWise › Finance › Invoices (this invoice)');
        r.contactId = undefined;
        continue;
      }
      r.doc = doc;
    }
  }
  const toCreate = records.filter((r) => r.contactId && !r.doc);
  for (const r of toCreate) {
    await d.ledger.update(r.key, { state: 'pushing', gl_entry_ids: r.prepared.glEntryIds.join(','), xero_tenant_id: d.xeroTenantId, error_code: null, error_message: null });
  }
  // Items the mapping found missing in Xero, once for the chunk.
  const items = new Map<string, (typeof toCreate)[number]['prepared']['itemsToCreate'][number]>();
  for (const r of toCreate) for (const it of r.prepared.itemsToCreate) if (it.Code) items.set(it.Code, it);
  if (items.size) {
    await d.xero.ensureItems([...items.values()], batchKey('itm', [...items.keys()].sort()));
    // The organisation's cached facts now know them: later chunks do not send them again.
    for (const code of items.keys()) if (!d.refs.items.some((i) => i.Code === code)) d.refs.items.push({ Code: code });
  }

  const groups = new Map<string, Live[]>();
  for (const r of toCreate) {
    const g = `${r.prepared.kind}:${r.prepared.unitdp}`;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  for (const [g, list] of groups) {
    const [kind, unitdp] = g.split(':') as ['invoice' | 'creditNote', string];
    for (let i = 0; i < list.length; i += XERO_BATCH_SIZE) {
      const part = list.slice(i, i + XERO_BATCH_SIZE);
      const key = batchKey('docs', part.map((r) => `${documentIdempotencyKey(d.tenantId, r.prepared, 'create')}:${r.contactId}`));
      let results;
      try {
        results = await d.xero.createDocuments(kind, part.map((r) => withContactId(r.prepared.document, r.contactId!)), Number(unitdp) as 2 | 4, key);
      } catch (err) {
        if (!(err instanceof XeroRejected)) throw err;
        await failRecords(d, part, 'xero_validation', `Xero refused the batch: ${xeroWords(err)}`, 'Xero');
        continue;
      }
      for (const [j, r] of part.entries()) {
        const res = results[j]!;
        if (res.ok) r.doc = res.value;
        else await failRecords(d, [r], 'xero_validation', `Xero refused this ${kind === 'invoice' ? 'invoice' : 'credit note'}: ${res.errors.join('; ')}`, 'Xero');
      }
    }
  }
  for (const r of records) {
    if (!r.doc) continue;
    await d.ledger.update(r.key, { state: 'xero_created', xero_document_id: r.doc.id, xero_number: r.doc.number, xero_status: r.doc.status, content_hash: r.prepared.contentHash, xero_tenant_id: d.xeroTenantId, gl_entry_ids: r.prepared.glEntryIds.join(',') });
  }
  await allocateCreditNotes(d, records.filter((r) => r.doc && r.prepared.kind === 'creditNote' && r.prepared.allocations.length));
}

async function allocateCreditNotes(d: ChunkDeps, notes: Live[]): Promise<void> {
  for (const r of notes) {
    const targets = await d.xero.findByNumber('invoice', r.prepared.allocations.map((a) => a.invoiceNumber));
    for (const a of r.prepared.allocations) {
      const inv = targets.get(a.invoiceNumber);
      if (!inv) continue; // allocated when the memo is re-synced after its invoice (as the single push says)
      await d.xero.allocateCreditNote(r.doc!.id, inv.id, a.amount, a.date ?? new Date().toISOString().slice(0, 10), `cwxs-alc-${sha256(d.tenantId, d.xeroTenantId, r.doc!.id, inv.id, a.amount).slice(0, 48)}`);
    }
  }
}

function recordBatchIdentifier(item: ItemRow): string {
  return batchIdentifier({ cwInvoiceId: item.cw_record_id, glEntryIds: [item.gl_entry_id] });
}

/** Our single-record batches (by their deterministic identifiers) for these records: cw_record_id → batch id. */
async function ourBatches(d: ChunkDeps, items: ItemRow[]): Promise<Map<string, number>> {
  const byIdentifier = new Map(items.map((i) => [recordBatchIdentifier(i), i.cw_record_id] as const));
  const found = await d.cw.batchesByIdentifier([...byIdentifier.keys()]);
  return new Map(found.filter((b) => byIdentifier.has(b.batchIdentifier)).map((b) => [byIdentifier.get(b.batchIdentifier)!, b.id] as const));
}

async function closeRecordBatches(d: ChunkDeps, records: Live[]): Promise<void> {
  if (records.length === 0) return;
  const ids = records.map((r) => batchIdentifier(r.prepared));
  const existing = new Map((await d.cw.batchesByIdentifier(ids)).map((b) => [b.batchIdentifier, b.id] as const));
  await Promise.all(
    records.map(async (r, i) => {
      const identifier = ids[i]!;
      if (existing.has(identifier)) return;
      const made = await d.cw.createBatch(identifier, r.prepared.glEntryIds.map(Number));
      if (made.id != null) existing.set(identifier, made.id);
    }),
  );
  const unknown = ids.filter((id) => !existing.has(id));
  if (unknown.length) for (const b of await d.cw.batchesByIdentifier(unknown)) existing.set(b.batchIdentifier, b.id);
  for (const [i, r] of records.entries()) {
    const identifier = ids[i]!;
    const batchId = existing.get(identifier);
    if (batchId == null) throw new Error(`ConnectWise did not show batch ${identifier} after creating it`);
    await d.ledger.update(r.key, { state: 'synced', cw_batch_identifier: identifier, cw_batch_id: batchId, synced_at: new Date().toISOString(), error_code: null, error_message: null });
    await d.store.updateItem(d.runId, r.item.seq, { state: 'synced', xero_document_id: r.doc!.id, xero_number: r.doc!.number, error_code: null, error_message: null, where_to_fix: null }, true);
  }
}
