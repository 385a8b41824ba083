// SIGTERM on the embedded engine (one instance on SQLite, issue 13): the
// instance drains mid-run — no longer ready, its step starts no further chunk —
// and exits 0; started again on the same data folder it resumes the run, and
// every invoice lands once in Xero (total to the cent) with one ConnectWise batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { api, startBulkStack, type BulkStack } from './harness.js';
import { expectSyncedOnce, seed, waitForRun, xeroFaults } from './checks.js';
import { rollOut } from './roll-out.js';

let stack: BulkStack;
beforeAll(async () => {
  stack = await startBulkStack({ engine: 'sqlite', env: { SHUTDOWN_GRACE_SECONDS: '20' } });
}, 60_000);
afterAll(async () => stack?.close());

describe('SIGTERM on the embedded engine', () => {
  it('drains mid-run, exits 0, and the restarted instance finishes the run exactly once', async () => {
    const { inst, token } = await stack.first();
    // More chunks than one step has going at once (8 lanes, and up to 4 closing their ConnectWise batches).
    const { invoiceIds, glEntryIds } = await seed(stack, 1200, 60);
    await xeroFaults(stack, { latencyMs: 150 });
    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds, batching: 'record' });
    expect(started.status).toBe(201);
    const runId = started.body.id as string;

    await waitForRun(inst.url, token, runId, (v) => v.counts.done >= 20);
    await rollOut(inst);
    const mid = new Database(join(stack.env.DATA_DIR!, 'cw-xero-sync.sqlite'), { readonly: true });
    const left = mid.prepare(`select count(*) n from bulk_run_items where run_id = ? and state = 'pending'`).get(runId) as { n: number };
    mid.close();
    expect(left.n, 'the run must still be going when the instance stops').toBeGreaterThan(0);

    const next = await stack.spawnInstance();
    const done = await waitForRun(next.url, await stack.session(next.url), runId, (v) => v.status === 'done', 180_000);
    expect(done.counts).toMatchObject({ total: 1200, done: 1200, failed: 0, remaining: 0 });
    await xeroFaults(stack, { latencyMs: 0 });
    expectSyncedOnce(stack, invoiceIds);
  }, 300_000);
});
