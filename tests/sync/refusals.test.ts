// Refusals a person must resolve, each in words and with nothing half-done:
// an invoice ConnectWise already posted in someone else's batch; someone
// posting it in ConnectWise while our push runs; Xero refusing the document
// (an account archived in Xero after we read the chart of accounts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CwBatchPort } from '../../server/engine/ports.js';
import { setEngineFaults } from '../support/engine-faults.js';
import type { XeroSim } from '../../sim/xero/index.js';
import { AU_ORG, NZ_ORG, cwBatchesHolding, ledgerRows, startSyncStack, xeroInvoicesByNumber, type SyncStack } from './helpers.js';

let s: SyncStack;
beforeAll(async () => {
  s = await startSyncStack();
}, 60_000);
afterAll(async () => {
  setEngineFaults(s?.server.deps, undefined);
  await s?.close();
});

it('an invoice posted in a ConnectWise batch we did not make is refused before anything reaches Xero', async () => {
  await s.cwPost('finance/accounting/batches', { batchIdentifier: 'Month end by hand', exportInvoicesFlag: true, processedRecordIds: [5011] });
  const v = await s.view(1011);
  expect(v.body.chip).toBe('needs_attention');
  expect(v.body.canPush).toBe(false);
  expect(v.body.problems.map((p: { code: string }) => p.code)).toEqual(['cw_posted_elsewhere']);
  expect(v.body.problems[0].message).toMatch(/already posted invoice INV-1011 in an accounting batch that CW–Xero Sync did not make/);
  const p = await s.push(1011);
  expect(p.body.outcome).toBe('needs_attention');
  const api = await s.xeroApi(AU_ORG);
  expect(await xeroInvoicesByNumber(api, AU_ORG, 'INV-1011')).toHaveLength(0);
});

it('someone posting it in ConnectWise while our push runs: the batch refusal names their batch', async () => {
  setEngineFaults(s.server.deps, {
    cw: (port: CwBatchPort): CwBatchPort => ({
      findBatches: (ids) => port.findBatches(ids),
      createBatch: async (id, gl, flag) => {
        await s.cwPost('finance/accounting/batches', { batchIdentifier: 'Posted meanwhile', exportInvoicesFlag: true, processedRecordIds: gl.map(Number) });
        return port.createBatch(id, gl, flag);
      },
    }),
  });
  const p = await s.push(1014);
  setEngineFaults(s.server.deps, undefined);
  expect(p.body.outcome).toBe('needs_attention');
  expect(p.body.message).toMatch(/already posted this record in batch "Posted meanwhile"/);
  expect((await cwBatchesHolding(s, 5014)).map((b) => b.batchIdentifier)).toEqual(['Posted meanwhile']);
  expect((await ledgerRows(s, 1014))[0]).toMatchObject({ state: 'needs_attention', error_code: 'cw_already_posted' });
  // The Xero invoice exists once; the view says what happened.
  const api = await s.xeroApi(NZ_ORG);
  expect(await xeroInvoicesByNumber(api, NZ_ORG, 'INV-1014')).toHaveLength(1);
});

it("Xero's own validation words reach the dialog, and nothing is created", async () => {
  // Read the chart of accounts (cached), then archive account 200 in Xero behind our back.
  expect((await s.view(1015)).body.chip).toBe('ready');
  const sim = s.xero!.sim as XeroSim;
  const account = sim.ctx.org(AU_ORG)!.accounts.find((a) => a.Code === '200')!;
  account.Status = 'ARCHIVED';
  try {
    const p = await s.push(1015);
    expect(p.body.outcome).toBe('needs_attention');
    expect(p.body.message).toMatch(/^Xero refused this invoice: .+/);
    expect(p.body.view.chip).toBe('needs_attention');
    const api = await s.xeroApi(AU_ORG);
    expect(await xeroInvoicesByNumber(api, AU_ORG, 'INV-1015')).toHaveLength(0);
    expect(await cwBatchesHolding(s, 5015)).toHaveLength(0);
  } finally {
    account.Status = 'ACTIVE';
  }
  // Fixed in Xero: the same push now goes through.
  const again = await s.push(1015);
  expect(again.body.outcome).toBe('synced');
});
