// A rolling restart in the middle of a bulk run (issue 13, "Run it for real"):
// two instances on one PostgreSQL database; each in turn gets SIGTERM mid-run
// and is replaced, as an orchestrator rolls a deployment. A draining instance
// says not ready at once, starts no further chunk, hands its step on and exits
// 0. pg-boss's expiry is set far beyond the test (10 minutes), so the run can
// only finish in time if no step is left behind by a stopped instance; every
// invoice then lands once in Xero (total to the cent) with exactly one
// ConnectWise batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { api, startBulkStack, type BulkStack, type Instance } from './harness.js';
import { rollOut } from './roll-out.js';
import { expectSyncedOnce, seed, waitForRun, xeroFaults } from './checks.js';

let stack: BulkStack;
beforeAll(async () => {
  stack = await startBulkStack({ engine: 'postgres', env: { LOG_LEVEL: 'info', BULK_JOB_EXPIRE_SECONDS: '600', SHUTDOWN_GRACE_SECONDS: '20' } });
}, 60_000);
afterAll(async () => stack?.close());

/** The run's view from an instance, until `until`; a refused connection is tried again only while the instance lives. */
async function waitOn(inst: Instance, runId: string, until: (v: any) => boolean, timeoutMs = 180_000): Promise<any> {
  const token = await stack.session(inst.url);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await waitForRun(inst.url, token, runId, until, Math.max(1, deadline - Date.now()));
    } catch (err) {
      if (!(err instanceof TypeError) || inst.proc.exitCode !== null || Date.now() > deadline) throw err;
    }
  }
}

const t0 = Date.now();
const phase = (what: string) => console.log(`[rolling-restart] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);

async function activeSteps(): Promise<number> {
  const c = new pg.Client({ connectionString: stack.env.DATABASE_URL });
  await c.connect();
  const r = await c.query(`select count(*)::int n from pgboss.job where name = 'bulk-org-step' and state = 'active'`);
  await c.end();
  return (r.rows[0] as { n: number }).n;
}

describe('a rolling restart of two instances on PostgreSQL', () => {
  it('in the middle of a bulk run loses nothing and duplicates nothing', async () => {
    const { inst: a, token } = await stack.first();
    const b = await stack.spawnInstance();
    // Enough chunks and slow enough that the run is still going through both restarts (Xero answers in
    // 200 ms; an instance finishes what it has going when it drains: 8 lanes' chunks and up to 4 closing
    // their ConnectWise batches, of 40).
    const { invoiceIds, glEntryIds } = await seed(stack, 2000, 50);
    await xeroFaults(stack, { latencyMs: 200 });

    const started = await api(a.url, token, 'POST', '/api/batch/runs', { glEntryIds, batching: 'record' });
    expect(started.status).toBe(201);
    const runId = started.body.id as string;
    phase('run started');

    // Roll A: SIGTERM mid-run, then its replacement A2 starts.
    await waitOn(a, runId, (v) => v.counts.done >= 50);
    phase('rolling A');
    await rollOut(a);
    const afterA = await waitOn(b, runId, () => true);
    phase(`A gone (${afterA.counts.done} done)`);
    expect(afterA.counts.remaining, 'the run must still be going when A is rolled').toBeGreaterThan(0);
    const a2 = await stack.spawnInstance();

    // Roll B once the run moved on without A: SIGTERM mid-run, then B2.
    await waitOn(a2, runId, (v) => v.counts.done >= afterA.counts.done + 50);
    phase('rolling B');
    await rollOut(b);
    const afterB = await waitOn(a2, runId, () => true);
    phase(`B gone (${afterB.counts.done} done)`);
    expect(afterB.counts.remaining, 'the run must still be going when B is rolled').toBeGreaterThan(0);
    const b2 = await stack.spawnInstance();

    // The new instances finish it — well before pg-boss would expire a step a stopped instance kept.
    const done = await waitOn(b2, runId, (v) => v.status === 'done', 360_000);
    phase('run done');
    expect(done.counts).toMatchObject({ total: 2000, done: 2000, failed: 0, remaining: 0 });
    expect(await activeSteps()).toBe(0);
    const steps = (i: Instance) => i.lines.filter((l) => l.startsWith(`[bulk] step run=${runId} `)).length;
    expect(steps(a) + steps(b), 'the rolled instances worked steps before they went').toBeGreaterThan(0);
    expect(steps(a2) + steps(b2), 'their replacements finished the run').toBeGreaterThan(0);

    // Both sides: each invoice once in Xero to the cent, and in exactly one ConnectWise batch of its own.
    await xeroFaults(stack, { latencyMs: 0 });
    expectSyncedOnce(stack, invoiceIds);
  }, 600_000);
});
