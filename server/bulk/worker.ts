// The work of one job: {runId, tenantId, xeroTenantId}. It pushes the next
// chunk (≤ 50) of that organisation's pending records and says whether more
// remain; the job engine then queues the next step. Only one job per
// organisation is active at a time across all instances (the engine's
// singleton per organisation), so this process's pacer paces the organisation.
// Everything it needs is read from the run tables and ConnectWise: a job that
// was interrupted (crash, kill, expiry) is simply run again.
import type { AppDeps } from '../deps.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { ApiError } from '../http/errors.js';
import { loadTenantSettings } from '../settings.js';
import { XeroDayLimit, XeroUnavailable } from '../engine/errors.js';
import { batchIdentifierOf, type RecordOutcome } from '../engine/executor.js';
import { runBatchIdentifier } from '../engine/keys.js';
import { invoiceKind, kindEntry } from '../engine/kinds.js';
import { Ledger } from '../engine/ledger.js';
import { orgFacts } from '../engine/org-facts.js';
import { pushRecords } from '../engine/push.js';
import { createCwBatchPort } from '../engine/cw-port.js';
import { storableMessage } from '../engine/problems.js';
import { xeroTransport } from '../engine/transport.js';
import { XERO_BATCH_SIZE } from '../engine/xero-port.js';
import { WHERE } from '../engine/where.js';
import { CwBulkReader } from './cw-bulk-reader.js';
import { prepareMany } from './prepare-many.js';
import { RunStore, type ItemRow } from './run-store.js';
import { bulkLog } from './log.js';
import { forgetWords, rememberWords } from './live-words.js';
import { runExpenseStep } from './expense-step.js';
import { runProcurementStep } from './procurement-step.js';
import type { PreparedRecord } from '../engine/ports.js';
import { costOfSaleSource } from '../procurement/cost-of-sale.js';

export interface OrgJob {
  runId: string;
  tenantId: string;
  xeroTenantId: string;
}

export type StepResult = { next: 'more' } | { next: 'done' } | { next: 'later'; at: Date };

export async function runOrgStep(deps: AppDeps, job: OrgJob): Promise<StepResult> {
  const store = new RunStore(deps.db, deps.now);
  const run = await store.get(job.tenantId, job.runId);
  if (!run || run.status === 'done' || run.status === 'cancelled') return { next: 'done' };
  if (run.record_kind === 'expense') return runExpenseStep(deps, job, run);
  if (run.record_kind === 'procurement') return runProcurementStep(deps, job, run);
  const ledger = new Ledger(deps.db, deps.now);
  const cwClient = await cwClientForTenant(deps, job.tenantId);
  const cw = new CwBulkReader(cwClient, job.tenantId);
  const batches = createCwBatchPort(cwClient, job.tenantId);
  try {
    if (run.status === 'cancelling') {
      await store.cancelPending(run.id);
      if (run.batching === 'run') await closeRunBatch(store, ledger, batches, job);
      await settle(store, run.id);
      checkedByDeps.get(deps)?.delete(run.id);
      return { next: 'done' };
    }
    const items = await store.nextPending(run.id, job.xeroTenantId, XERO_BATCH_SIZE);
    if (items.length === 0) {
      if (run.batching === 'run') await closeRunBatch(store, ledger, batches, job);
      await settle(store, run.id);
      checkedByDeps.get(deps)?.delete(run.id);
      return { next: 'done' };
    }
    if (run.status === 'waiting_day') await store.transition(run.id, ['waiting_day'], 'running', { waiting_until: null, waiting_reason: null });

    // "Waiting for Xero's limit" or "Xero is not answering — retrying", on the run's panel; written at most once a second.
    const transport = xeroTransport(deps, job.tenantId, job.xeroTenantId);
    let lastNotice = 0;
    const unsubscribe = transport.onNotice((n) => {
      if (Date.now() - lastNotice < 1000) return;
      lastNotice = Date.now();
      void store.setWaiting(run.id, new Date(n.untilMs), n.reason === 'concurrent' ? 'xero_concurrent' : n.reason === 'unavailable' ? 'xero_unavailable' : 'xero_minute');
    });
    const callsBefore = transport.calls;
    try {
      const { refs } = await orgFacts(deps, job.tenantId, job.xeroTenantId, 'run');
      const settings = (await loadTenantSettings(deps.db, job.tenantId)).invoiceMapping;
      const prepared = await prepareMany(cw, {
        refs: items.map((i) => ({ cwInvoiceId: Number(i.cw_record_id), glEntryId: Number(i.gl_entry_id) })),
        orgOf: () => ({ xeroTenantId: job.xeroTenantId, refs }),
        settings,
        costOfSale: costOfSaleSource(cwClient, await loadTenantSettings(deps.db, job.tenantId)),
      });
      const itemOf = new Map(items.map((i) => [i.cw_record_id, i] as const));
      const ready = [];
      const posted: ItemRow[] = [];
      // An invoice's cost-of-sale journal goes in the same push as its invoice, which waits for it (closesAfter).
      const journals = new Map<string, PreparedRecord>();
      const withJournals = (part: PreparedRecord[]) => [...part, ...part.flatMap((p) => journals.get(p.cwRecordId) ?? [])];
      for (const [n, p] of prepared.entries()) {
        const item = items[n]!;
        if (p.ok) {
          ready.push(p.prepared);
          if (p.costOfSale) journals.set(p.prepared.cwRecordId, p.costOfSale);
        }
        else if (p.notUnposted) posted.push(item);
        else {
          const first = p.problems[0]!;
          rememberWords(deps, run.id, item.cw_record_id, first.message);
          await store.updateItem(run.id, item.seq, { state: 'needs_attention', error_code: first.code, error_message: storableMessage(first.code, first.message, true), where_to_fix: first.where ?? null }, true);
        }
      }
      if (posted.length) await notUnposted(store, ledger, batches, job, posted);
      await pushRecords(deps, job.tenantId, job.xeroTenantId, cwClient, withJournals(ready), {
        priority: 'run',
        // One owner per run, not per instance: only one job of an organisation is active at a time, so a job
        // retried on another instance after this one died takes over the dead one's leases at once.
        leaseOwner: `bulk:${run.id}`,
        batching: run.batching === 'run' ? 'run' : 'record',
        cancelled: async () => (await store.status(run.id)) === 'cancelling',
        checkedContacts: checkedContactsOf(deps, run.id),
        onOutcome: async (o) => {
          const item = itemOf.get(o.cwRecordId);
          // A cost-of-sale journal has no item of its own: its invoice's outcome says whether both are in Xero.
          if (!item) return;
          if (o.problems[0]) rememberWords(deps, run.id, o.cwRecordId, o.problems[0].message);
          else forgetWords(deps, run.id, o.cwRecordId);
          return recordOutcome(store, run.id, item, o);
        },
      });
    } finally {
      unsubscribe();
    }
    await store.setWaiting(run.id, null, null);
    bulkLog(deps.config, 'info', `step run=${run.id} org=${job.xeroTenantId} records=${items.length} pid=${process.pid} xeroCalls=${transport.calls - callsBefore}`);
    // A chunk stopped for a cancel comes back here as "more": the next step sees the cancel and settles.
    return { next: 'more' };
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) {
      // Something a person must do first (e.g. reconnect Xero): say so on each
      // record of this organisation, which "Retry failed" picks up afterwards,
      // instead of retrying in silence.
      bulkLog(deps.config, 'warn', `run=${job.runId} org=${job.xeroTenantId} stopped: ${err.code}`);
      await store.failPending(run.id, job.xeroTenantId, err.code, err.message, WHERE.settingsXero);
      await settle(store, run.id);
      checkedByDeps.get(deps)?.delete(run.id);
      return { next: 'done' };
    }
    if (err instanceof XeroUnavailable) {
      // Xero (or the network) stayed down through the transport's retries: the step goes again shortly, and the panel says so.
      const at = err.retryAt ?? new Date(Date.now() + 20_000);
      bulkLog(deps.config, 'warn', `run=${job.runId} org=${job.xeroTenantId} Xero not answering; next try ${at.toISOString()}`);
      await store.setWaiting(run.id, at, 'xero_unavailable');
      return { next: 'later', at };
    }
    if (err instanceof XeroDayLimit) {
      bulkLog(deps.config, 'warn', `run=${job.runId} org=${job.xeroTenantId} paused: Xero's daily limit, resumes ${err.resumeAt.toISOString()}`);
      await store.transition(run.id, ['running'], 'waiting_day', { waiting_until: err.resumeAt.toISOString(), waiting_reason: 'xero_day' });
      return { next: 'later', at: err.resumeAt };
    }
    throw err;
  }
}

/** Per server and run, in memory: the contacts the run already brought up to date (forgotten when the run settles). */
const checkedByDeps = new WeakMap<object, Map<string, Map<string, string>>>();
function checkedContactsOf(deps: AppDeps, runId: string): Map<string, string> {
  let runs = checkedByDeps.get(deps);
  if (!runs) checkedByDeps.set(deps, (runs = new Map()));
  let m = runs.get(runId);
  if (!m) runs.set(runId, (m = new Map()));
  return m;
}

/** A record's outcome in the run's table: ids, states and codes (the words are stored only where they carry no accounting data). */
async function recordOutcome(store: RunStore, runId: string, item: ItemRow, o: RecordOutcome): Promise<void> {
  const ids = o.xero ? { xero_document_id: o.xero.id || null, xero_number: o.xero.number || null } : {};
  if (o.state === 'synced' || o.state === 'unchanged') {
    await store.updateItem(runId, item.seq, { state: 'synced', ...ids, error_code: null, error_message: null, where_to_fix: null }, true);
  } else if (o.state === 'xero_created') {
    await store.updateItem(runId, item.seq, { state: 'xero_created', ...ids }, true);
  } else if (o.state === 'busy') {
    await store.updateItem(runId, item.seq, { state: 'failed', error_code: 'busy', error_message: 'Someone was pushing this record from its own screen at the same time; "Retry failed" picks it up again.' }, true);
  } else {
    const p = o.problems[0];
    await store.updateItem(runId, item.seq, { state: 'needs_attention', ...ids, error_code: p?.code ?? 'needs_attention', error_message: o.storedMessage ?? null, where_to_fix: p?.where ?? null }, true);
  }
}

/**
 * Posted since the run began: by us (a batch closed just before a crash or a
 * lost answer) when ConnectWise holds our deterministic batch for it — one
 * look-up for all of the chunk's such records.
 */
async function notUnposted(store: RunStore, ledger: Ledger, batches: ReturnType<typeof createCwBatchPort>, job: OrgJob, items: ItemRow[]): Promise<void> {
  const rows = new Map((await ledger.list(job.tenantId, invoiceKind.recordKind, items.map((i) => i.cw_record_id))).map((r) => [r.cw_record_id, r] as const));
  const identifierOf = (item: ItemRow) => {
    const row = rows.get(item.cw_record_id);
    const kind = row?.document_kind ? kindEntry(row.document_kind) : invoiceKind;
    return row?.cw_batch_identifier ?? batchIdentifierOf({ kind, cwRecordId: item.cw_record_id, glEntryIds: [item.gl_entry_id] });
  };
  const found = await batches.findBatches(items.map(identifierOf));
  for (const item of items) {
    const row = rows.get(item.cw_record_id);
    const identifier = identifierOf(item);
    const batchId = found.get(identifier);
    if (batchId != null && row?.xero_document_id) {
      await ledger.synced({ tenantId: job.tenantId, kind: invoiceKind.recordKind, cwRecordId: item.cw_record_id }, { identifier, id: batchId });
      await store.updateItem(job.runId, item.seq, { state: 'synced', xero_document_id: row.xero_document_id, xero_number: row.xero_number, error_code: null, error_message: null, where_to_fix: null }, true);
      continue;
    }
    await store.updateItem(job.runId, item.seq, { state: 'needs_attention', error_code: 'cw_not_unposted', error_message: 'ConnectWise no longer lists this record as unposted (it was posted or deleted since the list was read).', where_to_fix: WHERE.cwBatches }, true);
  }
}

/**
 * "One batch per run": the run's records of this organisation that are in Xero, closed in one ConnectWise
 * batch. Its identifier names the run, the organisation and exactly these records: after a crash the same
 * records still wait (they are marked synced in one statement, last), so the batch is found, not made twice;
 * records a "Retry failed" brings to Xero later close in a batch of their own.
 */
async function closeRunBatch(store: RunStore, ledger: Ledger, batches: ReturnType<typeof createCwBatchPort>, job: OrgJob): Promise<void> {
  const waiting = await store.itemsInState(job.runId, job.xeroTenantId, 'xero_created');
  if (waiting.length === 0) return;
  const glEntryIds = waiting.map((w) => w.gl_entry_id);
  const identifier = runBatchIdentifier(job.runId, job.xeroTenantId, glEntryIds);
  let id = (await batches.findBatches([identifier])).get(identifier);
  if (id === undefined) id = (await batches.createBatch(identifier, glEntryIds, invoiceKind.source.exportFlag)) ?? (await batches.findBatches([identifier])).get(identifier);
  if (id === undefined) throw new Error(`ConnectWise did not show batch ${identifier} after creating it`);
  for (const w of waiting) await ledger.synced({ tenantId: job.tenantId, kind: invoiceKind.recordKind, cwRecordId: w.cw_record_id }, { identifier, id });
  await store.markSynced(job.runId, waiting.map((w) => w.seq));
}

/** A run with nothing left to do is done (or cancelled, when a person cancelled it). */
async function settle(store: RunStore, runId: string): Promise<void> {
  const counts = await store.counts(runId);
  if ((counts.pending ?? 0) > 0 || (counts.xero_created ?? 0) > 0) return;
  const at = new Date().toISOString();
  if (!(await store.transition(runId, ['cancelling'], 'cancelled', { finished_at: at, waiting_until: null, waiting_reason: null }))) {
    await store.transition(runId, ['running', 'waiting_day'], 'done', { finished_at: at, waiting_until: null, waiting_reason: null });
  }
}
