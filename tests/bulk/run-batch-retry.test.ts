// "One batch per run" and "Retry failed": a record that failed in the run and
// is brought to Xero by the retry is closed in a ConnectWise batch of its own.
// The fault matrix (bench/faults.ts) found it taken as closed by the run's
// first batch (same identifier, found, marked synced) and left unposted in
// ConnectWise while the run said synced.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startBulkStack, type BulkStack, type Instance } from './harness.js';
import { cwBatchesByGl, seed, waitForRun, xeroDocs } from './checks.js';

let stack: BulkStack;
let inst: Instance;
let token: string;
beforeAll(async () => {
  stack = await startBulkStack({ engine: 'sqlite' });
  ({ inst, token } = await stack.first());
}, 60_000);
afterAll(async () => stack?.close());

/** Someone else's push holds the record's lease (as a push from the invoice screen does while it works). */
function holdLease(cwInvoiceId: number, held: boolean): void {
  const db = new Database(join(stack.env.DATA_DIR!, 'cw-xero-sync.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    const at = new Date().toISOString();
    db.prepare(`insert into sync_ledger (tenant_id, record_kind, cw_record_id, state, created_at, updated_at) values ('democo', 'invoice', ?, 'new', ?, ?) on conflict do nothing`).run(String(cwInvoiceId), at, at);
    db.prepare(`update sync_ledger set lease_owner = ?, lease_until = ? where tenant_id = 'democo' and record_kind = 'invoice' and cw_record_id = ?`).run(
      held ? 'someone-else' : null,
      held ? new Date(Date.now() + 10 * 60_000).toISOString() : null,
      String(cwInvoiceId),
    );
  } finally {
    db.close();
  }
}

describe('one batch per run, then Retry failed', () => {
  it('closes the retried record in a batch of its own: in Xero once and posted in ConnectWise', async () => {
    const { invoiceIds, glEntryIds } = await seed(stack, 3, 3);
    const [, , late] = invoiceIds as [number, number, number];
    holdLease(late, true);
    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds, batching: 'run' });
    expect(started.status).toBe(201);
    const runId = started.body.id as string;
    const first = await waitForRun(inst.url, token, runId, (v) => v.status === 'done', 60_000);
    expect(first.counts).toMatchObject({ total: 3, done: 2, failed: 1 });
    expect(first.items.find((i: { cwInvoiceId: number }) => i.cwInvoiceId === late).problem.code).toBe('busy');

    holdLease(late, false);
    const retried = await api(inst.url, token, 'POST', `/api/batch/runs/${runId}/retry`);
    expect(retried.status).toBe(200);
    const end = await waitForRun(inst.url, token, runId, (v) => v.status === 'done' && v.counts.remaining === 0, 60_000);
    expect(end.counts).toMatchObject({ total: 3, done: 3, failed: 0 });

    const docs = xeroDocs(stack);
    const batches = cwBatchesByGl(stack);
    for (const [n, id] of invoiceIds.entries()) {
      expect(docs.get(`INV-${id}`)?.count, `INV-${id} in Xero`).toBe(1);
      expect(batches.get(glEntryIds[n]!), `INV-${id} posted in ConnectWise`).toHaveLength(1);
    }
    // The run's first batch holds the two it closed; the retried record has its own.
    expect(batches.get(glEntryIds[0]!)![0]!.size).toBe(2);
    expect(batches.get(glEntryIds[2]!)![0]!.size).toBe(1);
    expect(batches.get(glEntryIds[2]!)![0]!.id).not.toBe(batches.get(glEntryIds[0]!)![0]!.id);
  }, 90_000);
});
