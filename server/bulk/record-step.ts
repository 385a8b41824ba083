// One job step of a run whose items are ConnectWise records that each make
// one or more Xero documents (an expense report's bills, a purchase order's
// bills, an inventory transaction's journal): the frame every such kind
// shares, while the kind's `push` reads its items again from ConnectWise,
// pushes their documents through the one engine and settles each item.
//   - a cancelled run: its pending items are cancelled and it settles;
//   - the next items of the job's organisation, or the run settles;
//   - Xero's waits on the run's panel (its limits, an outage), in words;
//   - what a person must do first (reconnect Xero) fails the organisation's
//     pending items with the reason ("Retry failed" picks them up); an outage
//     or Xero's day limit waits and goes on.
// A step stopped for a cancel comes back as "more": the next step settles it.
import type { AppDeps } from '../deps.js';
import { XeroDayLimit, XeroUnavailable } from '../engine/errors.js';
import { xeroTransport } from '../engine/transport.js';
import { WHERE } from '../engine/where.js';
import { ApiError } from '../http/errors.js';
import { bulkLog } from './log.js';
import { RunStore, type ItemRow, type RunRow } from './run-store.js';
import type { OrgJob, StepResult } from './worker.js';

export interface RecordStepKind {
  /** For the log line ("expense", "procurement"). */
  name: string;
  /** Items one step takes (about a Xero call of 50 documents). */
  itemsPerStep: number;
  /** Pushes these items' documents and settles each item; answers how many documents went. */
  push(deps: AppDeps, store: RunStore, run: RunRow, job: OrgJob, items: ItemRow[]): Promise<number>;
}

export async function runRecordStep(deps: AppDeps, job: OrgJob, run: RunRow, kind: RecordStepKind): Promise<StepResult> {
  const store = new RunStore(deps.db, deps.now);
  try {
    if (run.status === 'cancelling') {
      await store.cancelPending(run.id);
      await store.settle(run.id);
      return { next: 'done' };
    }
    const items = await store.nextPending(run.id, job.xeroTenantId, kind.itemsPerStep);
    if (items.length === 0) {
      await store.settle(run.id);
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
    let documents = 0;
    try {
      documents = await kind.push(deps, store, run, job, items);
    } finally {
      unsubscribe();
    }
    await store.setWaiting(run.id, null, null);
    bulkLog(deps.config, 'info', `${kind.name} step run=${run.id} org=${job.xeroTenantId} items=${items.length} documents=${documents} pid=${process.pid} xeroCalls=${transport.calls - callsBefore}`);
    return { next: 'more' };
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) {
      bulkLog(deps.config, 'warn', `run=${job.runId} org=${job.xeroTenantId} stopped: ${err.code}`);
      await store.failPending(run.id, job.xeroTenantId, err.code, err.message, WHERE.settingsXero);
      await store.settle(run.id);
      return { next: 'done' };
    }
    if (err instanceof XeroUnavailable) {
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
