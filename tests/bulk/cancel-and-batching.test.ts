// Cancel stops a run after the call in flight and leaves no record
// half-written: each is either fully synced (in Xero once and in its own
// ConnectWise batch) or untouched (not in Xero, still unposted, listed again).
// "One batch per run" closes one ConnectWise batch for the whole run. Bad
// input gets a 400 naming the field; another tenant's session cannot see a run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startBulkStack, type BulkStack, type Instance } from './harness.js';
import { cwBatchesByGl, seed, waitForRun, xeroDocs, xeroFaults } from './checks.js';

let stack: BulkStack;
let inst: Instance;
let token: string;
beforeAll(async () => {
  stack = await startBulkStack({ engine: 'sqlite' });
  ({ inst, token } = await stack.first());
}, 60_000);
afterAll(async () => stack?.close());

describe('cancel, batching setting, validation', () => {
  it('a cancelled run leaves every record either fully synced or untouched', async () => {
    const { glEntryIds } = await seed(stack, 150, 40);
    await xeroFaults(stack, { latencyMs: 300 });
    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds });
    const runId = started.body.id as string;
    await waitForRun(inst.url, token, runId, (v) => v.counts.done >= 1);
    const cancel = await api(inst.url, token, 'POST', `/api/batch/runs/${runId}/cancel`);
    expect(cancel.status).toBe(200);
    expect(['cancelling', 'cancelled']).toContain(cancel.body.status);
    const end = await waitForRun(inst.url, token, runId, (v) => v.status === 'cancelled', 60_000);
    await xeroFaults(stack, { latencyMs: 0 });
    expect(end.counts.cancelled).toBeGreaterThan(0);
    expect(end.counts.done + end.counts.cancelled).toBe(150);

    const docs = xeroDocs(stack);
    const batches = cwBatchesByGl(stack);
    const state = stack.cw.sim.state;
    for (const item of end.items as { cwInvoiceId: number; glEntryId: number; state: string }[]) {
      const inv = state.invoices.find((i) => i.id === item.cwInvoiceId)!;
      if (item.state === 'synced') {
        expect(docs.get(inv.invoiceNumber)?.count, inv.invoiceNumber).toBe(1);
        expect(batches.get(item.glEntryId)?.length, inv.invoiceNumber).toBe(1);
      } else {
        expect(item.state).toBe('cancelled');
        expect(docs.has(inv.invoiceNumber), `${inv.invoiceNumber} must not be in Xero`).toBe(false);
        expect(batches.has(item.glEntryId), `${inv.invoiceNumber} must still be unposted`).toBe(false);
      }
    }
    // The cancelled ones are still there to sync: listed as unposted and ready.
    const list = await api(inst.url, token, 'GET', '/api/batch/unposted?pageSize=200');
    const cancelledIds = new Set(end.items.filter((i: { state: string }) => i.state === 'cancelled').map((i: { glEntryId: number }) => i.glEntryId));
    const listed = list.body.items.filter((r: { glEntryId: number }) => cancelledIds.has(r.glEntryId));
    expect(listed.length).toBe(Math.min(cancelledIds.size, list.body.items.length));
    expect(listed.every((r: { readiness: string }) => r.readiness === 'ready')).toBe(true);
  }, 120_000);

  it('"one batch per run" closes a single ConnectWise batch for the whole run', async () => {
    const { invoiceIds, glEntryIds } = await seed(stack, 30, 10);
    // The seed replaced earlier generated invoices; unposted ones of the seed proper stay aside.
    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds, batching: 'run' });
    expect(started.status).toBe(201);
    const end = await waitForRun(inst.url, token, started.body.id, (v) => v.status === 'done', 60_000);
    expect(end.counts).toMatchObject({ total: 30, done: 30, failed: 0 });
    const batches = cwBatchesByGl(stack);
    const ids = new Set(glEntryIds.map((g) => batches.get(g)?.[0]?.id));
    expect(ids.size).toBe(1);
    expect(batches.get(glEntryIds[0]!)![0]!.size).toBe(30);
    const docs = xeroDocs(stack);
    for (const id of invoiceIds) expect(docs.get(`INV-${id}`)?.count).toBe(1);
  }, 60_000);

  it('answers bad input with a 400 naming the field, and keeps runs to their tenant', async () => {
    const bad = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds: ['x'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/glEntryIds/);
    const neither = await api(inst.url, token, 'POST', '/api/batch/runs', { batching: 'run' });
    expect(neither.status).toBe(400);
    const badBatching = await api(inst.url, token, 'POST', '/api/batch/runs', { all: true, batching: 'weekly' });
    expect(badBatching.status).toBe(400);
    expect(JSON.stringify(badBatching.body)).toMatch(/batching/);
    const badQuery = await api(inst.url, token, 'GET', '/api/batch/unposted?throughDate=yesterday');
    expect(badQuery.status).toBe(400);
    expect(JSON.stringify(badQuery.body)).toMatch(/throughDate/);
    const badId = await api(inst.url, token, 'GET', '/api/batch/runs/not-a-run');
    expect(badId.status).toBe(400);
    const unknown = await api(inst.url, token, 'GET', '/api/batch/runs/7b0c1f1e-1111-4222-8333-444455556666');
    expect(unknown.status).toBe(404);
    const noSession = await fetch(`${inst.url}/api/batch/unposted`);
    expect(noSession.status).toBe(401);
  });
});
