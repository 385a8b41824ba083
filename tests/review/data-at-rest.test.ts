// No accounting data at rest: what the ledger and the bulk run tables keep
// about a record that needs attention is a code and words free of amounts,
// names and line text (the dialog computes the full words live on request).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { XeroEnginePort } from '../../server/engine/ports.js';
import { setEngineFaults } from '../support/engine-faults.js';
import { http } from '../support/stack.js';
import { ledgerRows, signIn, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;
let admin: string;
beforeAll(async () => {
  s = await startSyncStack({ serverEnv: { PAYMENT_SCHEDULE_TICK_SECONDS: '0' } });
  admin = await signIn(s, 'admin');
}, 60_000);
afterAll(async () => {
  setEngineFaults(s?.server.deps, undefined);
  await s?.close();
});

const AMOUNT = /\d+\.\d{2}/;

it("Xero's validation words (which can carry names and amounts) reach the person but are not stored", async () => {
  // A real Xero refusal of one element, such as "The contact name … is already assigned to another contact".
  const words = 'The contact name Harbour Dental Group is already assigned to another contact; Line total 1047.75 is invalid.';
  setEngineFaults(s.server.deps, {
    xero: (port: XeroEnginePort): XeroEnginePort => ({
      ...port,
      createDocuments: async (_kind, payloads) => payloads.map(() => ({ ok: false as const, errors: [words] })),
    }),
  });
  try {
    const p = await s.push(1009);
    expect(p.body.outcome).toBe('needs_attention');
    expect(p.body.message).toContain('Harbour Dental Group'); // the answer shows Xero's words
    const [row] = await ledgerRows(s, 1009);
    expect(row!.error_code).toBe('xero_validation');
    expect(row!.error_message).not.toMatch(/Harbour Dental/);
    expect(row!.error_message).not.toMatch(AMOUNT);
    const v = await s.view(1009);
    expect(v.body.chip).toBe('needs_attention');
    expect(v.body.problems[0].code).toBe('xero_validation');
  } finally {
    setEngineFaults(s.server.deps, undefined);
  }
});

it('a bulk run keeps the problem code of a record, not its words with amounts', async () => {
  // Units to 2 places: 3 × 33.3333 no longer adds up, a rounding difference stated in money.
  const put = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { invoiceMapping: { unitDecimalPlaces: 2 } } });
  expect(put.status).toBe(200);
  try {
    const v = await s.view(1002);
    const problem = v.body.problems.find((p: { code: string }) => /rounding|total/.test(p.code));
    expect(problem?.message).toMatch(AMOUNT); // the dialog, computed live, says how much
    const run = await http(`${s.server.url}/api/batch/runs`, { token: s.token, json: { glEntryIds: [5002] } });
    expect(run.status).toBe(201);
    let view = run.body;
    for (let i = 0; i < 200 && view.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await http(`${s.server.url}/api/batch/runs/${run.body.id}`, { token: s.token })).body;
    }
    expect(view.status).toBe('done');
    expect(view.items[0].state).toBe('needs_attention');
    expect(view.items[0].problem.code).toBe(problem.code);
    const items = await s.server.deps.db.k.selectFrom('bulk_run_items').selectAll().where('run_id', '=', run.body.id).execute();
    expect(items[0]!.error_code).toBe(problem.code);
    expect(items[0]!.error_message ?? '').not.toMatch(AMOUNT);
    const [row] = await ledgerRows(s, 1002);
    // A record the mapping blocks is never leased: no ledger row, or one without words.
    expect(row?.error_message ?? '').not.toMatch(AMOUNT);
  } finally {
    await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { invoiceMapping: { unitDecimalPlaces: 4 } } });
  }
});
