// Two server instances on one PostgreSQL database share a run through
// pg-boss: the run started on one is worked by both (one step per
// organisation at a time), and when one is killed mid-run the other finishes
// it after the dead step expires — every invoice once in Xero, one batch each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { api, startBulkStack, type BulkStack } from './harness.js';
import { expectSyncedOnce, seed, waitForRun, xeroFaults } from './checks.js';

let stack: BulkStack;
beforeAll(async () => {
  // A step here ends within an eighth of its job's expiry plus its last chunks (seconds on a loaded
  // machine): 30 s keeps a live step from being taken for a dead one, and a dead one is retried soon enough.
  stack = await startBulkStack({ engine: 'postgres', env: { LOG_LEVEL: 'info', BULK_JOB_EXPIRE_SECONDS: '30' } });
}, 60_000);
afterAll(async () => stack?.close());

async function stepsByState(): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: stack.env.DATABASE_URL });
  await c.connect();
  const r = await c.query(`select state, count(*)::int n from pgboss.job where name = 'bulk-org-step' group by state`);
  await c.end();
  return Object.fromEntries(r.rows.map((x: { state: string; n: number }) => [x.state, x.n]));
}

describe('two instances on PostgreSQL', () => {
  it('share a run; killing one loses nothing and duplicates nothing', async () => {
    const { inst: a, token } = await stack.first();
    // Enough records for several steps (a step pushes a few chunks of 50 side by side).
    const { invoiceIds, glEntryIds } = await seed(stack, 1000, 50);
    // Slow enough that A is still going while B starts (a few seconds on a loaded machine).
    await xeroFaults(stack, { latencyMs: 400 });

    const started = await api(a.url, token, 'POST', '/api/batch/runs', { glEntryIds, batching: 'record' });
    expect(started.status).toBe(201);
    const runId = started.body.id as string;
    const steps = (i: typeof a) => i.lines.filter((l) => l.startsWith(`[bulk] step run=${runId} `)).length;
    // A works the run alone at first …
    await waitForRun(a.url, token, runId, (v) => v.counts.done >= 50 && steps(a) >= 1);
    // … then a second instance joins; it sees the same run (same database) …
    const b = await stack.spawnInstance();
    const tokenB = await stack.session(b.url);
    const seen = await api(b.url, tokenB, 'GET', `/api/batch/runs/${runId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.counts.remaining, 'the run must still be going when A dies').toBeGreaterThan(0);
    // … and A dies mid-run.
    await a.kill('SIGKILL');
    const done = await waitForRun(b.url, tokenB, runId, (v) => v.status === 'done', 150_000);
    // Both instances worked steps of this run (A before it died, B after).
    expect(steps(a)).toBeGreaterThan(0);
    expect(steps(b)).toBeGreaterThan(0);
    expect(done.counts).toMatchObject({ total: 1000, done: 1000, failed: 0, remaining: 0 });
    await xeroFaults(stack, { latencyMs: 0 });
    expectSyncedOnce(stack, invoiceIds);

    // The steps went through pg-boss's queue (one job per step): ids only in their payloads.
    const states = await stepsByState();
    expect((states.completed ?? 0) + (states.failed ?? 0) + (states.retry ?? 0)).toBeGreaterThanOrEqual(2);
    const c = new pg.Client({ connectionString: stack.env.DATABASE_URL });
    await c.connect();
    const payloads = await c.query(`select data::text d from pgboss.job where name = 'bulk-org-step'`);
    await c.end();
    for (const row of payloads.rows as { d: string }[]) expect(Object.keys(JSON.parse(row.d)).sort()).toEqual(['runId', 'tenantId', 'xeroTenantId']);
  }, 240_000);
});
