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
import { pushResponse, type CostOfSaleJournalView } from '../../shared/api.js';
import { atRestText } from '../support/at-rest.js';
import { setEngineFaults } from '../support/engine-faults.js';
import { AU_ORG, NZ_ORG, cwBatchesHolding, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;

beforeAll(async () => {
  s = await startSyncStack();
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
});
