// Bulk jobs on PostgreSQL through pg-boss 10 (the release for Node 20).
//   - queue policy "singleton" + singletonKey per organisation: at most ONE
//     active job per organisation across every server instance;
//   - a job is one step (one chunk of ≤ 50 records); the step queues the
//     next before it completes, so the instances take turns on a long run;
//   - an instance killed mid-step leaves its job active until pg-boss expires
//     it (expireInSeconds) and retries it on any instance; the step re-reads
//     the run tables and the ledger makes every record exactly-once.
import { loggableError } from '../http/errors.js';
import PgBoss from 'pg-boss';
import type { AppDeps } from '../deps.js';
import { runOrgStep, type OrgJob } from '../bulk/worker.js';
import { BULK_QUEUE, orgKey, type BulkJobQueue } from './queue.js';
import { jobSettings } from './settings.js';

/** pg-boss's own schema: next to the app's (search_path in DATABASE_URL's options), else "pgboss". */
export function bossSchema(databaseUrl: string): string {
  try {
    const opts = new URL(databaseUrl).searchParams.get('options') ?? '';
    const m = /search_path\s*=\s*([a-z_][a-z0-9_]*)/i.exec(opts);
    if (m?.[1]) return `${m[1]}_pgboss`;
  } catch {
    /* not a URL: default schema */
  }
  return 'pgboss';
}

export async function startPgBossQueue(deps: AppDeps): Promise<BulkJobQueue> {
  const s = jobSettings();
  const boss = new PgBoss({
    connectionString: deps.config.databaseUrl!,
    schema: bossSchema(deps.config.databaseUrl!),
    max: 4,
    maintenanceIntervalSeconds: s.maintenanceSeconds,
    monitorStateIntervalSeconds: 60,
  });
  boss.on('error', (err) => console.error(`[bulk-jobs] ${err.message}`));
  let stopping = false;
  await boss.start();
  await boss.createQueue(BULK_QUEUE, { name: BULK_QUEUE, policy: 'singleton', retryLimit: 50, retryDelay: 2, retryBackoff: true, expireInSeconds: s.expireSeconds });

  const send = async (job: OrgJob, startAfter?: Date) => {
    const data = { runId: job.runId, tenantId: job.tenantId, xeroTenantId: job.xeroTenantId };
    const options = { singletonKey: orgKey(job), expireInSeconds: s.expireSeconds, retryLimit: 50, retryDelay: 2, retryBackoff: true };
    await (startAfter ? boss.sendAfter(BULK_QUEUE, data, options, startAfter) : boss.send(BULK_QUEUE, data, options));
  };

  await boss.work<OrgJob>(BULK_QUEUE, { pollingIntervalSeconds: s.pollSeconds, batchSize: 1 }, async ([job]) => {
    if (!job) return;
    const data: OrgJob = { runId: String(job.data.runId), tenantId: String(job.data.tenantId), xeroTenantId: String(job.data.xeroTenantId) };
    let r: Awaited<ReturnType<typeof runOrgStep>>;
    try {
      r = await runOrgStep(deps, data);
    } catch (err) {
      // pg-boss stores a failed job's error text in its tables: hand it only
      // the error's name, never a message that could quote accounting data.
      console.error(`[bulk-jobs] step of run ${data.runId} failed: ${loggableError(err)}`);
      throw new Error(`bulk step failed (${err instanceof Error ? err.name : 'unknown failure'}); pg-boss retries it`);
    }
    if (r.next === 'more') await send(data);
    else if (r.next === 'later') await send(data, r.at);
  });

  return {
    engine: 'pg-boss',
    enqueue: send,
    async check() {
      if (stopping) return false;
      return !!(await boss.getQueue(BULK_QUEUE));
    },
    async stop(opts = {}) {
      stopping = true;
      // graceful: pg-boss stops fetching at once, waits for the step in flight up to the grace, then
      // fails what is still active back to the queue (retried after retryDelay, on any instance).
      const graceful = opts.graceMs !== undefined;
      await boss.stop({ graceful, close: true, wait: true, timeout: graceful ? Math.max(1000, opts.graceMs!) : 2000 }).catch(() => undefined);
    },
  };
}
