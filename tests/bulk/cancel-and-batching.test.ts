// Cancel stops a run after the call in flight and leaves no record
// half-written: each is either fully synced (in Xero once and in its own
// ConnectWise batch) or untouched (not in Xero, still unposted, listed again).
// "One batch per run" closes one ConnectWise batch for the whole run. Bad
// input gets a 400 naming the field; another tenant's session cannot see a run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startBulkStack, type BulkStack, type Instance } from './harness.js';
import { cwBatchesByGl, expectSyncedOnce, seed, waitForRun, xeroDocs, xeroFaults } from './checks.js';
import { connectXero } from '../xero-connect/flow.js';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID } from '../../sim/xero/seed.js';

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
    // More records than a step's lanes take at once (4 chunks of 50), so some are still to start when the cancel comes.
    const { glEntryIds } = await seed(stack, 600, 40);
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
    expect(end.counts.done + end.counts.cancelled).toBe(600);

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
    const cancelledIds = new Set(end.items.filter((i: { state: string }) => i.state === 'cancelled').map((i: { glEntryId: number }) => i.glEntryId));
    const listed: { glEntryId: number; readiness: string }[] = [];
    for (let page = 1; ; page++) {
      const list = await api(inst.url, token, 'GET', `/api/batch/unposted?pageSize=200&page=${page}`);
      listed.push(...list.body.items.filter((r: { glEntryId: number }) => cancelledIds.has(r.glEntryId)));
      if (list.body.items.length < 200) break;
    }
    expect(listed.length).toBe(cancelledIds.size);
    expect(listed.every((r) => r.readiness === 'ready')).toBe(true);
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

  it('"all matching" takes the list filter: only the Auckland invoices, into the Kiwi organisation', async () => {
    const state = stack.cw.sim.state;
    const auckland = state.invoices.filter((i) => i.locationId === 2 && !state.batches.some((b) => b.recordIds.includes(i.glEntryId)));
    expect(auckland.length).toBeGreaterThan(0);
    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { all: true, filter: { locationId: 2 } });
    expect(started.status).toBe(201);
    const end = await waitForRun(inst.url, token, started.body.id, (v) => v.status === 'done', 60_000);
    expect(end.items.map((i: { glEntryId: number }) => i.glEntryId).sort()).toEqual(auckland.map((i) => i.glEntryId).sort());
    expect(end.counts).toMatchObject({ total: auckland.length, done: auckland.length, failed: 0 });
    const kiwi = xeroDocs(stack, KIWI_TENANT_ID);
    for (const inv of auckland) expect(kiwi.get(inv.invoiceNumber)?.count, inv.invoiceNumber).toBe(1);
  }, 60_000);

  // Last: it disconnects Xero.
  it('with Xero disconnected, records need attention with the reason and where to fix it; after reconnecting, "Retry failed" syncs them', async () => {
    const status = await api(inst.url, token, 'GET', '/api/xero/status');
    for (const conn of status.body.connections as { id: string }[]) {
      expect((await api(inst.url, token, 'DELETE', `/api/xero/connections/${conn.id}`)).status).toBe(200);
    }
    const { invoiceIds, glEntryIds } = await seed(stack, 12, 4);
    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds });
    expect(started.status).toBe(201);
    const failed = await waitForRun(inst.url, token, started.body.id, (v) => v.status === 'done', 60_000);
    expect(failed.counts).toMatchObject({ total: 12, done: 0, failed: 12 });
    // Disconnecting unmapped the locations: each record says so, and where to fix it.
    expect(failed.items[0].problem.code).toBe('xero_org_not_connected');
    expect(failed.items[0].problem.where).toMatch(/settings/i);

    expect((await connectXero(inst.url, token)).ok).toBe(true);
    const map = await api(inst.url, token, 'PUT', '/api/xero/location-map', { mappings: [{ cwLocationId: 1, xeroTenantId: HARBOUR_TENANT_ID }, { cwLocationId: 2, xeroTenantId: KIWI_TENANT_ID }] });
    expect(map.status).toBe(200);
    const retried = await api(inst.url, token, 'POST', `/api/batch/runs/${started.body.id}/retry`);
    expect(retried.status).toBe(200);
    const done = await waitForRun(inst.url, token, started.body.id, (v) => v.status === 'done' && v.counts.remaining === 0, 60_000);
    expect(done.counts).toMatchObject({ total: 12, done: 12, failed: 0 });
    expectSyncedOnce(stack, invoiceIds);
  }, 90_000);
});
