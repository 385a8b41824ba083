import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startBulkStack, type BulkStack } from './harness.js';

let stack: BulkStack;
beforeAll(async () => {
  stack = await startBulkStack({ engine: 'sqlite' });
}, 60_000);
afterAll(async () => stack?.close());

describe('smoke', () => {
  it('lists and syncs', async () => {
    const { inst, token } = await stack.first();
    const seeded = await fetch(`${stack.cw.url}/__sim/bulk-seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invoices: 60, customers: 20 }) });
    expect(seeded.status).toBe(200);
    const list = await api(inst.url, token, 'GET', '/api/batch/unposted?pageSize=200');
    console.log(list.status, JSON.stringify(list.body).slice(0, 1500));
    const run = await api(inst.url, token, 'POST', '/api/batch/runs', { all: true });
    console.log(run.status, JSON.stringify(run.body).slice(0, 500));
    for (let i = 0; i < 60; i++) {
      const v = await api(inst.url, token, 'GET', `/api/batch/runs/${run.body.id}?limit=5`);
      console.log(JSON.stringify(v.body.counts), v.body.status);
      if (v.body.status === 'done') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const v = await api(inst.url, token, 'GET', `/api/batch/runs/${run.body.id}?limit=100`);
    console.log(JSON.stringify(v.body.items.filter((i: any) => i.state !== 'synced')).slice(0, 3000));
  }, 120_000);
});
