// The ConnectWise simulator's lost answers, dropped connections and held
// answers (faults.ts over sim/net-faults.ts), before and after the work.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API, API_AUTH, CLIENT_ID, startSim, type Sim } from './helpers.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
});

const setFaults = (b: unknown) => fetch(`${sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
const batchesHolding = (gl: number) => sim.sim.state.batches.filter((b) => b.recordIds.includes(gl)).length;
/** A batch of one seeded invoice's GL entry, sent as a client would (fetch, so a drop is seen as a failed fetch). */
const postBatch = (identifier: string, gl: number, init: RequestInit = {}) =>
  fetch(`${sim.url}${API}/finance/accounting/batches`, {
    method: 'POST',
    headers: { authorization: API_AUTH, clientId: CLIENT_ID, 'content-type': 'application/json' },
    body: JSON.stringify({ batchIdentifier: identifier, exportInvoicesFlag: true, processedRecordIds: [gl] }),
    ...init,
  });

describe('connection faults', () => {
  it('a 5xx after the work is a lost answer: the batch exists though the client heard 500/503', async () => {
    await setFaults({ errorRate: 1, errorPhase: 'after' });
    const r = await postBatch('lost-answer', 5001);
    expect([500, 503]).toContain(r.status);
    await setFaults({ errorRate: 0 });
    expect(batchesHolding(5001)).toBe(1);
    // Asked again, ConnectWise refuses the identifier it already holds.
    expect((await postBatch('lost-answer', 5001)).status).toBe(400);
  });

  it('a 5xx before the work writes nothing', async () => {
    await setFaults({ errorRate: 1, errorPhase: 'before' });
    expect([500, 503]).toContain((await postBatch('not-made', 5002)).status);
    await setFaults({ errorRate: 0 });
    expect(batchesHolding(5002)).toBe(0);
  });

  it('a dropped connection: no answer at all; after the work the batch exists, before it does not', async () => {
    await setFaults({ dropRate: 1, errorPhase: 'after' });
    await expect(postBatch('dropped-after', 5003)).rejects.toThrow();
    await setFaults({ errorPhase: 'before' });
    await expect(postBatch('dropped-before', 5004)).rejects.toThrow();
    await setFaults({ dropRate: 0 });
    expect(batchesHolding(5003)).toBe(1);
    expect(batchesHolding(5004)).toBe(0);
    expect(sim.sim.injected).toMatchObject({ drop: 2, afterWork: 1 });
    expect((await sim.get('/system/info')).status).toBe(200);
  });

  it('a held answer: a client that waits less gives up; held before the work, the batch still lands after the hold', async () => {
    await setFaults({ timeoutRate: 1, timeoutMs: 600, errorPhase: 'before' });
    await expect(postBatch('held', 5005, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(batchesHolding(5005)).toBe(0);
    await expect.poll(() => batchesHolding(5005), { timeout: 5_000 }).toBe(1);
    await setFaults({ timeoutRate: 0 });
    const state = await (await fetch(`${sim.url}/__sim/state`)).json();
    expect(state.injected).toMatchObject({ timeout: 1 });
  });

  it('refuses bad fault settings', async () => {
    for (const body of [{ dropRate: 2 }, { timeoutMs: 0 }, { errorPhase: 'during' }, { timeoutRate: -0.5 }]) expect((await setFaults(body)).status).toBe(400);
  });
});
