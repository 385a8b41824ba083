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
import { accountingApiFor } from '../xero/accounting.js';
import { loadTenantSettings } from '../settings.js';
import { Ledger } from '../sync/ledger.js';
import { sha256 } from '../sync/invoice-push.js';
import { CwBulkReader } from './cw-bulk-reader.js';
import { syncChunk } from './chunk-sync.js';
import { RunStore } from './run-store.js';
import { XeroBulk, XERO_BATCH_SIZE } from './xero-bulk.js';
import { DayLimitReached, pacerFor, type PacerLimits } from './xero-pacer.js';
import { cachedOrgFacts } from '../sync/xero-org-refs.js';
import { bulkLog } from './log.js';

export interface OrgJob {
  runId: string;
  tenantId: string;
  xeroTenantId: string;
}

export type StepResult = { next: 'more' } | { next: 'done' } | { next: 'later'; at: Date };

export interface WorkerOptions {
  /** Xero limits the pacer keeps to (tests lower them). */
  limits?: PacerLimits;
}

export async function runOrgStep(deps: AppDeps, job: OrgJob, opts: WorkerOptions = {}): Promise<StepResult> {
  const store = new RunStore(deps.db, deps.now);
  const run = await store.get(job.tenantId, job.runId);
  if (!run || run.status === 'done' || run.status === 'cancelled') return { next: 'done' };
  const ledger = new Ledger(deps.db, deps.now);
  const cwClient = await cwClientForTenant(deps, job.tenantId);
  const cw = new CwBulkReader(cwClient, job.tenantId);
  try {
    if (run.status === 'cancelling') {
      await store.cancelPending(run.id);
      if (run.batching === 'run') await closeRunBatch(store, ledger, cw, job);
      await settle(store, run.id);
      return { next: 'done' };
    }
    const items = await store.nextPending(run.id, job.xeroTenantId, XERO_BATCH_SIZE);
    if (items.length === 0) {
      if (run.batching === 'run') await closeRunBatch(store, ledger, cw, job);
      await settle(store, run.id);
      return { next: 'done' };
    }
    if (run.status === 'waiting_day') await store.transition(run.id, ['waiting_day'], 'running', { waiting_until: null, waiting_reason: null });

    const pacer = pacerFor(job.xeroTenantId, opts.limits);
    let lastNotice = 0;
    pacer.onWait = (w) => {
      // "Waiting for Xero's limit", shown as such; written at most once a second.
      if (Date.now() - lastNotice < 1000) return;
      lastNotice = Date.now();
      void store.setWaiting(run.id, new Date(w.untilMs), w.reason === 'concurrent' ? 'xero_concurrent' : 'xero_minute');
    };
    const handle = await accountingApiFor(deps, job.tenantId, job.xeroTenantId);
    const xero = new XeroBulk(handle.api, job.xeroTenantId, pacer);
    const { refs } = await cachedOrgFacts(deps, job.tenantId, job.xeroTenantId, () => xero.loadFacts());
    const settings = (await loadTenantSettings(deps.db, job.tenantId)).invoiceMapping;
    await syncChunk(
      {
        tenantId: job.tenantId,
        runId: run.id,
        xeroTenantId: job.xeroTenantId,
        batching: run.batching === 'run' ? 'run' : 'record',
        store,
        ledger,
        cw,
        xero,
        refs,
        settings,
        // One owner per run, not per instance: only one job of an organisation is active at a time, so a job
        // retried on another instance after this one died takes over the dead one's leases at once.
        leaseOwner: `bulk:${run.id}`,
        cancelled: async () => (await store.status(run.id)) === 'cancelling',
      },
      items,
    );
    pacer.onWait = undefined;
    await store.setWaiting(run.id, null, null);
    bulkLog(deps.config, 'info', `step run=${run.id} org=${job.xeroTenantId} records=${items.length} pid=${process.pid} xeroCalls=${pacer.calls}`);
    // A chunk stopped for a cancel comes back here as "more": the next step sees the cancel and settles.
    return { next: 'more' };
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) {
      // Something a person must do first (e.g. reconnect Xero): say so on each
      // record of this organisation, which "Retry failed" picks up afterwards,
      // instead of retrying in silence.
      bulkLog(deps.config, 'warn', `run=${job.runId} org=${job.xeroTenantId} stopped: ${err.code}`);
      await store.failPending(run.id, job.xeroTenantId, err.code, err.message, 'CW–Xero Sync settings › Xero');
      await settle(store, run.id);
      return { next: 'done' };
    }
    if (err instanceof DayLimitReached) {
      bulkLog(deps.config, 'warn', `run=${job.runId} org=${job.xeroTenantId} paused: Xero's daily limit, resumes ${err.resumeAt.toISOString()}`);
      await store.transition(run.id, ['running'], 'waiting_day', { waiting_until: err.resumeAt.toISOString(), waiting_reason: 'xero_day' });
      return { next: 'later', at: err.resumeAt };
    }
    throw err;
  }
}

/** "One batch per run": the run's records of this organisation that are in Xero, closed in one ConnectWise batch. */
async function closeRunBatch(store: RunStore, ledger: Ledger, cw: CwBulkReader, job: OrgJob): Promise<void> {
  const waiting = await store.itemsInState(job.runId, job.xeroTenantId, 'xero_created');
  if (waiting.length === 0) return;
  // Deterministic per run and organisation: found, not made twice, after a crash.
  const identifier = `cwxs-run-${sha256(job.runId, job.xeroTenantId).slice(0, 24)}`;
  let id = (await cw.batchesByIdentifier([identifier]))[0]?.id;
  if (id == null) id = (await cw.createBatch(identifier, waiting.map((w) => Number(w.gl_entry_id)))).id ?? (await cw.batchesByIdentifier([identifier]))[0]?.id;
  if (id == null) throw new Error(`ConnectWise did not show batch ${identifier} after creating it`);
  for (const w of waiting) {
    await ledger.update({ tenantId: job.tenantId, kind: 'invoice', cwRecordId: w.cw_record_id }, { state: 'synced', cw_batch_identifier: identifier, cw_batch_id: id, synced_at: new Date().toISOString() });
    await store.updateItem(job.runId, w.seq, { state: 'synced' });
  }
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
