// Inventory journals over HTTP (issue 11): an invoice with inventory parts
// pushes its cost-of-sale journal with it (shown in the dialog's preview,
// balanced to the cent, in Xero once; a crash after Xero made the journal is
// recovered by its Narration reference, never a second one; the invoice is
// posted in ConnectWise only once its journal is in Xero), and adjustments and
// transfers become journals through a procurement run. Xero is read back with
// xero-node.
import Decimal from 'decimal.js';
import type { ManualJournal } from 'xero-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inventoryJournalKind } from '../../server/engine/kinds.js';
import type { XeroEnginePort } from '../../server/engine/ports.js';
import { batchRunView, batchSummaryResponse, pushResponse, type BatchRunView, type CostOfSaleJournalView } from '../../shared/api.js';
import { batchProcurementResponse } from '../../shared/procurement-batch-api.js';
import { atRestText } from '../support/at-rest.js';
import { setEngineFaults } from '../support/engine-faults.js';
import { http } from '../support/stack.js';
import { AU_ORG, NZ_ORG, cwBatchesHolding, signIn, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;

let admin: string;
beforeAll(async () => {
  s = await startSyncStack();
  admin = await signIn(s, 'admin');
}, 60_000);
afterAll(async () => {
  await s?.close();
});
beforeEach(() => setEngineFaults(s.server.deps, undefined));

/** Xero's manual journals (not deleted) whose Narration carries this reference, read in full. */
async function journals(reference: string, org = AU_ORG): Promise<ManualJournal[]> {
  const api = await s.xeroApi(org);
  const r = await api.getManualJournals(org, undefined, `Narration.Contains("[${reference}]")`);
  const found = (r.body.manualJournals ?? []).filter((j) => String(j.status) !== 'DELETED');
  const out: ManualJournal[] = [];
  for (const j of found) out.push((await api.getManualJournal(org, j.manualJournalID!)).body.manualJournals![0]!);
  return out;
}
const cents = (j: ManualJournal, sign: 1 | -1) =>
  (j.journalLines ?? []).reduce((t, l) => (Math.sign(Number(l.lineAmount)) === sign ? t.plus(new Decimal(String(l.lineAmount)).abs()) : t), new Decimal(0)).toFixed(2);
const legs = (j: ManualJournal) => (j.journalLines ?? []).map((l) => [l.accountCode, new Decimal(String(l.lineAmount)).toFixed(2)]);
const ledger = (kind: string, id: string) =>
  s.server.deps.db.k.selectFrom('sync_ledger').selectAll().where('tenant_id', '=', 'democo').where('record_kind', '=', kind).where('cw_record_id', '=', id).executeTakeFirst();

const list = async (token?: string) => {
  const r = await http(`${s.server.url}/api/batch/procurement`, { token: token ?? admin });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return batchProcurementResponse.parse(r.body);
};
const start = (json: unknown, token?: string) => http(`${s.server.url}/api/batch/runs`, { token: token ?? admin, json });
const settled = async (id: string): Promise<BatchRunView> => {
  const until = Date.now() + 60_000;
  for (;;) {
    const r = await http(`${s.server.url}/api/batch/runs/${id}?limit=1000`, { token: admin });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const v = batchRunView.parse(r.body);
    if (v.status === 'done' || v.status === 'cancelled') return v;
    if (Date.now() > until) throw new Error(`run ${id} still ${v.status}: ${JSON.stringify(v.counts)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('cost of sale rides in its invoice\'s push', () => {
  it("invoice 1002's preview shows its journal balanced to the cent; the push makes it once, and the invoice is posted", async () => {
    const v = await s.view(1002);
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    const j = v.body.costOfSale as CostOfSaleJournalView;
    expect(j).toMatchObject({ reference: 'cwx:cogs:5002', date: '2026-02-10', status: 'POSTED', debits: '2911.89', credits: '2911.89', balanced: true, state: 'new', xero: null, problems: [] });
    // Debit cost of goods sold, credit the Sydney warehouse's inventory account, line by line.
    expect(j.lines.map((l) => [l.account, l.debit, l.credit])).toEqual([
      ['310', '2840.00', null], ['630', null, '2840.00'],
      ['310', '27.30', null], ['630', null, '27.30'],
      ['310', '44.59', null], ['630', null, '44.59'],
    ]);
    expect(v.body.canPush).toBe(true);

    const p = await s.push(1002);
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(pushResponse.parse(p.body).outcome).toBe('synced');
    const made = await journals('cwx:cogs:5002');
    expect(made).toHaveLength(1);
    expect(legs(made[0]!)).toEqual([['310', '2840.00'], ['630', '-2840.00'], ['310', '27.30'], ['630', '-27.30'], ['310', '44.59'], ['630', '-44.59']]);
    expect([cents(made[0]!, 1), cents(made[0]!, -1)]).toEqual(['2911.89', '2911.89']);
    expect(made[0]!.narration).toBe('Cost of sale for ConnectWise invoice INV-1002 [cwx:cogs:5002]');
    expect(String(made[0]!.status)).toBe('POSTED');

    // The journal posts nothing of its own in ConnectWise: the invoice's one batch holds the GL entry.
    expect((await cwBatchesHolding(s, 5002)).map((b) => b.batchIdentifier)).toEqual([expect.stringMatching(/^cwxs-inv-1002-/)]);
    const row = await ledger('inventory', 'cogs-1002');
    expect(row).toMatchObject({ state: 'synced', document_kind: 'inventoryJournal', xero_document_id: made[0]!.manualJournalID, cw_batch_id: null });
    // Ids, states and hashes only: no amount, account line or narration text at rest.
    expect(atRestText(row)).not.toMatch(/2911\.89|2840|Cost of sale|INV-1002 \[/);

    const after = await s.view(1002);
    expect(after.body.costOfSale).toMatchObject({ state: 'synced', xero: { documentId: made[0]!.manualJournalID, status: 'POSTED' } });
    expect(after.body.costOfSale.xero.url).toBe(inventoryJournalKind.xero.url(s.server.deps.config.xero.appUrl, made[0]!.manualJournalID!));
    expect(after.body.chip).toBe('synced');

    // Again: nothing new in Xero.
    const again = await s.push(1002);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(['unchanged', 'synced']).toContain(again.body.outcome);
    expect(await journals('cwx:cogs:5002')).toHaveLength(1);
  });

  it('a crash after Xero made the journal: the invoice stays unposted, and the next push finds the journal by its Narration — never a second one', async () => {
    // Invoice 1005 (a tax-exempt customer) sells 615.00 of stock.
    let crashed = 0;
    setEngineFaults(s.server.deps, {
      xero: (port): XeroEnginePort => ({
        ...port,
        async createDocuments(kind, payloads, unitdp, key) {
          const res = await port.createDocuments(kind, payloads, unitdp, key);
          if (kind.name === 'inventoryJournal' && crashed++ === 0) throw new Error('process died after Xero made the journal');
          return res;
        },
      }),
    });
    const p = await s.push(1005);
    expect(p.status, JSON.stringify(p.body)).toBe(503);
    expect(p.body.error.code).toBe('push_interrupted');
    expect(crashed).toBe(1);
    expect(await journals('cwx:cogs:5005')).toHaveLength(1);
    // The invoice waits for its journal: ConnectWise has not posted it.
    expect(await cwBatchesHolding(s, 5005)).toEqual([]);
    expect(await ledger('inventory', 'cogs-1005')).toMatchObject({ xero_document_id: null, create_key: expect.any(String) });

    // The dialog already sees it in Xero (by the Narration), and the push finishes without making another.
    const v = await s.view(1005);
    expect(v.body.costOfSale).toMatchObject({ reference: 'cwx:cogs:5005', debits: '615.00', credits: '615.00', balanced: true, state: 'pending' });
    setEngineFaults(s.server.deps, undefined);
    const again = await s.push(1005);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.outcome).toBe('synced');
    const made = await journals('cwx:cogs:5005');
    expect(made).toHaveLength(1);
    expect([cents(made[0]!, 1), cents(made[0]!, -1)]).toEqual(['615.00', '615.00']);
    expect(await ledger('inventory', 'cogs-1005')).toMatchObject({ state: 'synced', xero_document_id: made[0]!.manualJournalID });
    expect(await cwBatchesHolding(s, 5005)).toHaveLength(1);
  });

  it('a journal Xero refuses holds its invoice unposted, saying why; once Xero takes it the invoice is posted', async () => {
    // Invoice 1013 (Auckland, the NZ organisation) sells 462.00 of stock; Xero refuses the journal once.
    let refused = 0;
    setEngineFaults(s.server.deps, {
      xero: (port): XeroEnginePort => ({
        ...port,
        async createDocuments(kind, payloads, unitdp, key) {
          if (kind.name === 'inventoryJournal' && refused++ === 0) return payloads.map(() => ({ ok: false as const, errors: ['The journal date is before the lock date'] }));
          return port.createDocuments(kind, payloads, unitdp, key);
        },
      }),
    });
    const p = await s.push(1013);
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.outcome).toBe('needs_attention');
    expect(p.body.message).toMatch(/^Cost of sale journal: .*lock date/);
    expect(await journals('cwx:cogs:5013', NZ_ORG)).toEqual([]);
    expect(await cwBatchesHolding(s, 5013)).toEqual([]);
    expect(await ledger('invoice', '1013')).toMatchObject({ state: 'needs_attention', error_code: 'companion_not_in_xero', xero_document_id: expect.any(String) });
    expect(p.body.view.canPush).toBe(true);

    const again = await s.push(1013);
    expect(again.body.outcome, JSON.stringify(again.body)).toBe('synced');
    expect(await journals('cwx:cogs:5013', NZ_ORG)).toHaveLength(1);
    expect(await cwBatchesHolding(s, 5013)).toHaveLength(1);
    expect(again.body.view.chip).toBe('synced');
  });

  it("an invoice run pushes each invoice's journal with it: the run's one ConnectWise batch posts the invoice, the journal is done once in Xero", async () => {
    // Invoice 1006 (Auckland, the NZ organisation) sells 924.00 + 54.00 of stock.
    const started = await start({ glEntryIds: [5006], batching: 'run' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const end = await settled(started.body.id);
    expect(end.items).toMatchObject([{ cwInvoiceId: 1006, state: 'synced' }]);
    const made = await journals('cwx:cogs:5006', NZ_ORG);
    expect(made).toHaveLength(1);
    expect([cents(made[0]!, 1), cents(made[0]!, -1)]).toEqual(['978.00', '978.00']);
    expect(await ledger('inventory', 'cogs-1006')).toMatchObject({ state: 'synced', xero_document_id: made[0]!.manualJournalID, cw_batch_id: null });
    expect((await cwBatchesHolding(s, 5006)).map((b) => b.batchIdentifier)).toEqual([expect.not.stringMatching(/^cwxs-inv-1006-/)]);
    expect(await ledger('invoice', '1006')).toMatchObject({ state: 'synced' });
  });
});

describe('adjustments and transfers become journals through a procurement run', () => {
  it('lists unposted purchase orders and inventory transactions with readiness; only admins may run them; bad input names the field', async () => {
    const l = await list();
    expect(l.items.map((r) => r.key)).toEqual(['po:3001', 'po:3002', 'po:3003', 'po:3004', 'po:3005', 'adj-7201', 'adj-7202', 'xfer-7301']);
    const row = (key: string) => l.items.find((r) => r.key === key)!;
    expect(row('adj-7201')).toMatchObject({ kind: 'adjustment', glEntryId: 7201, total: '7.31', currency: 'AUD', documents: 1, readiness: 'ready', problem: null });
    expect(row('adj-7202')).toMatchObject({ kind: 'adjustment', total: '1579.80', readiness: 'ready' });
    expect(row('xfer-7301')).toMatchObject({ kind: 'transfer', glEntryId: 7301, total: '2840.00', currency: 'AUD', readiness: 'ready', detail: 'Manual journal on 631 ↔ 630' });
    // PO 3002's two deliveries are two bills; PO 3005 books into the New Zealand organisation in NZD.
    expect(row('po:3002')).toMatchObject({ kind: 'purchaseOrder', documents: 2, readiness: 'ready' });
    expect(row('po:3005')).toMatchObject({ currency: 'NZD', readiness: 'ready' });
    expect([l.mayRun, l.whoCanRun]).toEqual([true, null]);

    // A technician may not push: the list read-only, a run refused.
    const tech = await signIn(s, 'tech');
    const seen = await list(tech);
    expect(seen.mayRun).toBe(false);
    expect(seen.whoCanRun).toMatch(/^Only .*can push/);
    const refused = await start({ kind: 'procurement', keys: ['adj-7201'] }, tech);
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);

    for (const [json, field] of [
      [{ kind: 'procurement' }, 'keys'],
      [{ kind: 'procurement', keys: [] }, 'keys'],
      [{ kind: 'procurement', keys: ['cogs-1002'] }, 'keys.0'],
      [{ kind: 'procurement', keys: ['adj-7201'], all: true }, 'keys'],
      [{ kind: 'procurement', reportIds: [1] }, 'body'],
    ] as const) {
      const r = await start(json);
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(r.body.error.field, JSON.stringify(r.body)).toBe(field);
    }
    const gone = await start({ kind: 'procurement', keys: ['adj-9999'] });
    expect(gone.status).toBe(409);
    expect(gone.body.error.field).toBe('keys');
  });

  it('a run makes each journal once, balanced to the cent, in its own ConnectWise batch; a refusal is retried', async () => {
    // Xero refuses the revaluation's journal once.
    let refused = 0;
    setEngineFaults(s.server.deps, {
      xero: (port): XeroEnginePort => ({
        ...port,
        async createDocuments(kind, payloads, unitdp, key) {
          const results = await port.createDocuments(
            kind,
            payloads.filter((p) => !(refused === 0 && 'Narration' in p && p.Narration.includes('[cwx:adj:7202]'))),
            unitdp,
            key,
          );
          if (kind !== inventoryJournalKind || refused > 0) return results;
          // Put the refusal back in its place among the answers.
          const i = payloads.findIndex((p) => 'Narration' in p && p.Narration.includes('[cwx:adj:7202]'));
          if (i < 0) return results;
          refused++;
          return [...results.slice(0, i), { ok: false as const, errors: ['Account 310 is archived'] }, ...results.slice(i)];
        },
      }),
    });
    const started = await start({ kind: 'procurement', keys: ['adj-7201', 'adj-7202', 'xfer-7301'] });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const end = await settled(started.body.id);
    expect(end.kind).toBe('procurement');
    expect(end.counts).toMatchObject({ total: 3, done: 2, failed: 1 });
    const item = (key: string) => end.items.find((i) => i.cwRecordId === key)!;
    expect(item('adj-7202')).toMatchObject({ state: 'needs_attention', cwInvoiceId: 7202, problem: { code: 'xero_validation' } });
    expect(item('adj-7202').problem!.message).toMatch(/archived/);
    expect(item('adj-7201')).toMatchObject({ state: 'synced', xero: { number: 'cwx:adj:7201' } });
    expect(item('xfer-7301').xero!.url).toMatch(/\/Journal\/View\.aspx\?invoiceID=/);

    const writeOff = await journals('cwx:adj:7201');
    expect(writeOff).toHaveLength(1);
    expect(legs(writeOff[0]!)).toEqual([['630', '-7.31'], ['310', '7.31']]);
    const transfer = await journals('cwx:xfer:7301');
    expect(transfer).toHaveLength(1);
    expect(legs(transfer[0]!)).toEqual([['631', '2840.00'], ['630', '-2840.00']]);
    expect(await journals('cwx:adj:7202')).toEqual([]);
    // Each journal posts its own GL entry in a batch of ours; the refused one stays unposted.
    expect((await cwBatchesHolding(s, 7201)).map((b) => b.batchIdentifier)).toEqual([expect.stringMatching(/^cwxs-po-adj-7201-/)]);
    expect(await cwBatchesHolding(s, 7301)).toHaveLength(1);
    expect(await cwBatchesHolding(s, 7202)).toEqual([]);
    expect(await ledger('inventory', 'adj-7201')).toMatchObject({ state: 'synced', cw_batch_id: expect.anything() });
    // The run's rows hold ids, states and codes only.
    const runRows = await s.server.deps.db.k.selectFrom('bulk_run_items').selectAll().where('run_id', '=', end.id).execute();
    expect(atRestText(runRows)).not.toMatch(/7\.31|2840|1579|archived/);

    // Retry failed: Xero takes it now, to the cent, once.
    const retry = await http(`${s.server.url}/api/batch/runs/${end.id}/retry`, { method: 'POST', token: admin, json: {} });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    const after = await settled(end.id);
    expect(after.counts).toMatchObject({ total: 3, done: 3, failed: 0 });
    const revaluation = await journals('cwx:adj:7202');
    expect(revaluation).toHaveLength(1);
    expect([cents(revaluation[0]!, 1), cents(revaluation[0]!, -1)]).toEqual(['1579.80', '1579.80']);
    expect(await journals('cwx:adj:7201')).toHaveLength(1);
    // Posted in ConnectWise now: the tab no longer lists them.
    expect((await list()).items.map((r) => r.key)).not.toEqual(expect.arrayContaining(['adj-7201']));
    expect((await list()).items.some((r) => r.kind !== 'purchaseOrder')).toBe(false);

    // The batch pod's "synced today": procurement counts this run's three journals, not the cost-of-sale journals
    // that rode in the invoices' pushes above (those are the invoices': 1002, 1005, 1013 and 1006 are synced today).
    const cogsSynced = await s.server.deps.db.k.selectFrom('sync_ledger').select('cw_record_id').where('tenant_id', '=', 'democo').where('record_kind', '=', 'inventory').where('state', '=', 'synced').where('cw_record_id', 'like', 'cogs-%').execute();
    expect(cogsSynced.length).toBeGreaterThanOrEqual(4);
    const summary = async (kind: string) => {
      const r = await http(`${s.server.url}/api/batch/summary?kind=${kind}`, { token: admin });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return batchSummaryResponse.parse(r.body).kinds[0]!;
    };
    expect((await summary('procurement')).syncedToday).toBe(3);
    expect((await summary('invoice')).syncedToday).toBeGreaterThanOrEqual(4);
  });

  it('a purchase order in a run becomes its bill through the same engine', async () => {
    const started = await start({ kind: 'procurement', keys: ['po:3001'] });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const end = await settled(started.body.id);
    expect(end.items).toHaveLength(1);
    expect(end.items[0]).toMatchObject({ cwRecordId: 'po:3001', state: 'synced' });
    expect(end.items[0]!.documents).toHaveLength(1);
    expect(end.items[0]!.xero!.url).toMatch(/AccountsPayable\/View\.aspx/);
    expect((await list()).items.map((r) => r.key)).not.toContain('po:3001');
  });
});
