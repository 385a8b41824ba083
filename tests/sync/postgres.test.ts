// The key scenario on PostgreSQL (DATABASE_URL, a fresh schema): a double
// click and a crash between the Xero create and the ConnectWise batch still
// converge to one Xero invoice, one closed batch and one ledger row; the
// credit memo is allocated. Same HTTP API, same simulators.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setEngineFaults } from '../support/engine-faults.js';
import type { CwBatchPort } from '../../server/engine/ports.js';
import { PG_URL, freshDb } from '../support/db.js';
import { AU_ORG, cwBatchesHolding, ledgerRows, setXeroFaults, startSyncStack, xeroCreditNotesByNumber, xeroInvoicesByNumber, type SyncStack } from './helpers.js';

let s: SyncStack;
let pgDb: Awaited<ReturnType<typeof freshDb>>;

beforeAll(async () => {
  // A fresh schema, migrated with its own migration tables (the server then finds them on its search_path).
  pgDb = await freshDb('postgres');
  const schema = pgDb.schema!;
  s = await startSyncStack({
    serverEnv: { DATABASE_URL: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, SECRETS_KEY: randomBytes(32).toString('base64url') },
  });
}, 60_000);
afterAll(async () => {
  await s?.close();
  await pgDb?.drop();
});

it('runs on PostgreSQL', () => {
  expect(s.server.deps.db.engine).toBe('postgres');
});

it('a crash before the batch, then a double click, converge to one of everything', async () => {
  let crashes = 1;
  setEngineFaults(s.server.deps, {
    cw: (port: CwBatchPort): CwBatchPort => ({
      findBatches: (ids) => {
        if (crashes-- > 0) throw new Error('injected crash before the batch');
        return port.findBatches(ids);
      },
      createBatch: (id, gl, flag) => port.createBatch(id, gl, flag),
    }),
  });
  expect((await s.push(1002)).status).toBe(503);
  setEngineFaults(s.server.deps, undefined);
  await setXeroFaults(s, { latencyMs: 150 });
  const [a, b] = await Promise.all([s.push(1002), new Promise((r) => setTimeout(r, 30)).then(() => s.push(1002))]);
  await setXeroFaults(s, { latencyMs: 0 });
  expect([a.body.outcome, b.body.outcome].sort()).toEqual(['busy', 'synced']);
  const api = await s.xeroApi(AU_ORG);
  expect(await xeroInvoicesByNumber(api, AU_ORG, 'INV-1002')).toHaveLength(1);
  expect((await cwBatchesHolding(s, 5002)).map((x) => x.recordIds)).toEqual([[5002]]);
  const rows = await ledgerRows(s, 1002);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ state: 'synced', lease_owner: null });
  expect((await s.view(1002)).body.chip).toBe('synced');

  // The credit memo applied to it lands as a credit note allocated to it.
  expect((await s.push(1004)).body.outcome).toBe('synced');
  const notes = await xeroCreditNotesByNumber(api, AU_ORG, 'CM-1004');
  expect(notes).toHaveLength(1);
  const note = (await api.getCreditNote(AU_ORG, notes[0]!.creditNoteID!)).body.creditNotes![0]!;
  expect(note.allocations?.map((x) => x.invoice?.invoiceNumber)).toEqual(['INV-1002']);
});
