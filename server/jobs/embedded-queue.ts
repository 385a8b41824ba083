// Bulk jobs in the embedded (SQLite, one process) mode. No SQLite job library
// fits well enough (plainjob is 0.0.x and has no per-key singleton), so this is
// a thin adapter over the SAME durable state the pg-boss mode uses — the run
// tables — with the same semantics:
//   - one chain per organisation: its steps run one after another, never two at once;
//   - a step that throws is retried with back-off (as pg-boss retries);
//   - "later" (Xero's daily limit) is a timer to the given time;
//   - on start, every unfinished run (running / cancelling / waiting_day) is
//     queued again, so a restart resumes where the process stopped. Nothing
//     is held only in memory: a lost queue entry is rebuilt from the tables.
import type { AppDeps } from '../deps.js';
import { RunStore } from '../bulk/run-store.js';
import { loggableError } from '../http/errors.js';
import { runOrgStep, type OrgJob } from '../bulk/worker.js';
import { orgKey, type BulkJobQueue } from './queue.js';

interface Chain {
  jobs: OrgJob[];
  running: boolean;
}

export async function startEmbeddedQueue(deps: AppDeps): Promise<BulkJobQueue> {
  const chains = new Map<string, Chain>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const idle = new Set<() => void>();

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref();
    timers.add(t);
  };

  const drive = async (key: string, chain: Chain) => {
    if (chain.running) return;
    chain.running = true;
    let failures = 0;
    try {
      while (!stopped && chain.jobs.length) {
        const job = chain.jobs[0]!;
        try {
          const r = await runOrgStep(deps, job);
          failures = 0;
          if (r.next === 'more') continue;
          chain.jobs.shift();
          if (r.next === 'later') later(Math.max(0, r.at.getTime() - Date.now()), () => void enqueue(job));
        } catch (err) {
          failures++;
          console.error(`[bulk-jobs] step of run ${job.runId} failed (${failures}): ${loggableError(err)}`);
          if (stopped) break;
          await new Promise<void>((r) => later(Math.min(60_000, 500 * 2 ** Math.min(failures, 7)), r));
        }
      }
    } finally {
      chain.running = false;
      if (chain.jobs.length === 0) chains.delete(key);
      for (const f of idle) f();
    }
  };

  const enqueue = async (job: OrgJob, startAfter?: Date) => {
    if (stopped) return;
    if (startAfter && startAfter.getTime() > Date.now()) {
      later(startAfter.getTime() - Date.now(), () => void enqueue(job));
      return;
    }
    const key = orgKey(job);
    let chain = chains.get(key);
    if (!chain) chains.set(key, (chain = { jobs: [], running: false }));
    if (!chain.jobs.some((j) => j.runId === job.runId)) chain.jobs.push(job);
    void drive(key, chain);
  };

  // Resume what a previous process left unfinished.
  const store = new RunStore(deps.db, deps.now);
  for (const run of await store.unfinished()) {
    const orgs = await store.orgsWithPending(run.id);
    const resumeAt = run.status === 'waiting_day' && run.waiting_until ? new Date(run.waiting_until) : undefined;
    for (const xeroTenantId of orgs.length ? orgs : ['']) {
      if (!xeroTenantId) continue;
      await enqueue({ runId: run.id, tenantId: run.tenant_id, xeroTenantId }, resumeAt);
    }
  }

  return {
    engine: 'embedded',
    enqueue,
    async check() {
      return !stopped;
    },
    async stop(opts = {}) {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // Let a step in flight finish its current call (it checks `stopped` between steps).
      const deadline = Date.now() + (opts.graceMs ?? 5_000);
      while ([...chains.values()].some((c) => c.running) && Date.now() < deadline) {
        await new Promise<void>((r) => {
          idle.add(r);
          setTimeout(r, 200).unref();
        });
      }
    },
  };
}
