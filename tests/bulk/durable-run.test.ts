// A run of 200 generated invoices through Xero's 429s (injected and from a
// lowered concurrency limit), 5xx before and after the work (lost answers),
// ConnectWise 429s and 5xx, and a server instance killed mid-run: the next
// instance on the same database resumes the run, and every invoice lands in
// Xero exactly once (counted by number, total to the cent) with exactly one
// single-record ConnectWise batch. Nothing accounting-like is at rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { api, startBulkStack, type BulkStack } from './harness.js';
import { cwFaults, expectSyncedOnce, seed, waitForRun, xeroFaults } from './checks.js';
import { atRestText } from '../support/at-rest.js';

let stack: BulkStack;
beforeAll(async () => {
  // Xero lets 2 calls in at once here while we pace for 5: "concurrent" 429s happen for real.
  stack = await startBulkStack({ engine: 'sqlite', xeroLimits: { concurrent: 2 } });
}, 60_000);
afterAll(async () => stack?.close());

describe('a durable bulk run (embedded engine)', () => {
  it('survives 429s, 5xx and a killed instance, and syncs every invoice exactly once', async () => {
    const { inst, token } = await stack.first();
    const { invoiceIds, glEntryIds } = await seed(stack, 200, 60);
    await xeroFaults(stack, { latencyMs: 40, errorRate5xx: 0.08, errorPhase: 'after', throttleNext: 3, throttleRetryAfter: 1 });

    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds });
    expect(started.status).toBe(201);
    // ConnectWise faults once the run is going (starting a run while ConnectWise
    // errors is answered 503 in words, which is not what this test is about).
    await cwFaults(stack, { rate429: 0.03, errorRate: 0.03, retryAfterSeconds: 0 });
    const runId = started.body.id as string;
    expect(started.body.counts).toMatchObject({ total: 200, remaining: 200 });

    // Kill the instance once some records are done and others are not.
    await waitForRun(inst.url, token, runId, (v) => v.counts.done >= 40);
    await inst.kill('SIGKILL');
    const mid = new Database(join(stack.env.DATA_DIR!, 'cw-xero-sync.sqlite'), { readonly: true });
    const left = mid.prepare(`select count(*) n from bulk_run_items where run_id = ? and state = 'pending'`).get(runId) as { n: number };
    mid.close();
    expect(left.n).toBeGreaterThan(0);

    // Another instance on the same database resumes the run by itself.
    await xeroFaults(stack, { errorPhase: 'before' });
    const next = await stack.spawnInstance();
    const token2 = await stack.session(next.url);
    const done = await waitForRun(next.url, token2, runId, (v) => v.status === 'done', 150_000);
    expect(done.items.filter((i: { state: string }) => i.state !== "synced").map((i: unknown) => JSON.stringify(i))).toEqual([]);
    expect(done.counts).toMatchObject({ total: 200, done: 200, failed: 0, remaining: 0 });
    for (const item of done.items) expect(item.xero?.url).toMatch(/^https:\/\/go\.xero\.com\/AccountsReceivable\/View\.aspx\?InvoiceID=/);

    // The injected 429s were all met (and waited out) on the way: none reached a record.
    expect(stack.xero.sim.ctx.faults.throttleNext).toBe(0);
    await xeroFaults(stack, { errorRate5xx: 0, latencyMs: 0 });
    await cwFaults(stack, { rate429: 0, errorRate: 0 });
    expectSyncedOnce(stack, invoiceIds);

    // Only ids, states and messages at rest: no customer name or amount in the run tables or the ledger.
    const db = new Database(join(stack.env.DATA_DIR!, 'cw-xero-sync.sqlite'), { readonly: true });
    const dump = atRestText([db.prepare('select * from bulk_run_items').all(), db.prepare('select * from bulk_runs').all(), db.prepare('select * from sync_ledger').all()]);
    db.close();
    expect(dump).not.toMatch(/Bulk Customer|George Street|Remote support|165\.00|36\.30/);
  }, 240_000);
});
