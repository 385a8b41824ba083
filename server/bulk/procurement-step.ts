// The work of one job of a procurement run ({runId, tenantId, xeroTenantId},
// as for invoices — worker.ts dispatches here on bulk_runs.record_kind): the
// next purchase orders and inventory transactions of that organisation, read
// again from ConnectWise and prepared as the tab prepares them
// (procurement-runs.ts prepareUnits: a PO's bills, an adjustment's or a
// transfer's journal). What a person must fix first, or a PO whose lines are
// still waiting, is said on its item; the rest go through the one engine in
// chunks of ≤ 50 documents, as a run (priority 'run', lease owner
// `bulk:<run id>`), each with its own ConnectWise batch. An item is settled
// once all its documents are: synced when every one is, else the first one's
// problem (code and the storable sentence; Xero's own words only in memory).
import type { AppDeps } from '../deps.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import type { RecordOutcome } from '../engine/executor.js';
import { inventoryJournalKind, purchaseBillKind } from '../engine/kinds.js';
import { Ledger, type LedgerRow } from '../engine/ledger.js';
import { orgFacts } from '../engine/org-facts.js';
import type { PreparedRecord } from '../engine/ports.js';
import { storableMessage, type Problem } from '../engine/problems.js';
import { pushRecords } from '../engine/push.js';
import { WHERE } from '../engine/where.js';
import { chunks } from '../engine/xero-port.js';
import { purchaseBillPrefix } from '../procurement/prepare-purchase.js';
import { loadTenantSettings } from '../settings.js';
import { forgetWords, rememberWords } from './live-words.js';
import { NOT_UNPOSTED, parseProcurementKey, prepareUnits, readUnpostedProcurement, type UnitPrep } from './procurement-runs.js';
import { runRecordStep } from './record-step.js';
import type { ItemRow, RunRow, RunStore } from './run-store.js';
import type { OrgJob, StepResult } from './worker.js';

/** Items one step takes: a PO makes a bill or a few, a transaction one journal — about a Xero call of 50. */
export const PROCUREMENT_STEP_ITEMS = 25;

export async function runProcurementStep(deps: AppDeps, job: OrgJob, run: RunRow): Promise<StepResult> {
  return runRecordStep(deps, job, run, { name: 'procurement', itemsPerStep: PROCUREMENT_STEP_ITEMS, push: pushProcurement });
}

/** Its location books into another organisation now: the item goes there on "Retry failed". */
const MOVED: Problem = {
  code: 'location_moved',
  message: 'Its location now books into another Xero organisation than when the run started; "Retry failed" takes it there.',
  where: WHERE.settingsLocations,
};

/** Our ledger rows of an item's documents: a PO's bills (every one of ours), or the transaction's journal. */
async function rowsOfItem(ledger: Ledger, tenantId: string, key: string): Promise<LedgerRow[]> {
  const k = parseProcurementKey(key);
  if (!k) return [];
  if ('poId' in k) return ledger.listByPrefixes(tenantId, purchaseBillKind.recordKind, [purchaseBillPrefix(k.poId)]);
  return ledger.list(tenantId, inventoryJournalKind.recordKind, [k.recordId]);
}

/** The stored form of an item's Xero documents: every id, comma-separated in order, and their numbers. */
function documentsOf(docs: { id: string; number: string }[]): Pick<ItemRow, 'xero_document_id' | 'xero_number'> {
  const made = docs.filter((d) => d.id);
  return { xero_document_id: made.map((d) => d.id).join(',') || null, xero_number: made.map((d) => d.number).join(', ') || null };
}

const WHAT: Record<UnitPrep['unit']['kind'], string> = { purchaseOrder: 'purchase order', adjustment: 'inventory adjustment', transfer: 'inventory transfer' };

/** Settles what needs no Xero, pushes the rest's documents, settles each item; returns how many documents went. */
async function pushProcurement(deps: AppDeps, store: RunStore, run: RunRow, job: OrgJob, items: ItemRow[]): Promise<number> {
  const cw = await cwClientForTenant(deps, job.tenantId);
  const [units, settings] = await Promise.all([readUnpostedProcurement(cw, items.map((i) => i.cw_record_id)), loadTenantSettings(deps.db, job.tenantId)]);
  const ledger = new Ledger(deps.db, deps.now);
  const attention = async (item: ItemRow, problem: Problem, stored: string) => {
    rememberWords(deps, run.id, item.cw_record_id, problem.message);
    await store.updateItem(run.id, item.seq, { state: 'needs_attention', error_code: problem.code, error_message: stored, where_to_fix: problem.where ?? null }, true);
  };
  const synced = async (item: ItemRow, rows: LedgerRow[]) => {
    forgetWords(deps, run.id, item.cw_record_id);
    await store.updateItem(run.id, item.seq, { state: 'synced', ...documentsOf(rows.map((r) => ({ id: r.xero_document_id ?? '', number: r.xero_number ?? '' }))), error_code: null, error_message: null, where_to_fix: null }, true);
  };

  const present: ItemRow[] = [];
  for (const item of items) {
    if (units.some((u) => u.key === item.cw_record_id)) {
      present.push(item);
      continue;
    }
    // Nothing of it is unposted any more: pushed meanwhile (its PO's pod, another run) when our documents of it are synced.
    const rows = await rowsOfItem(ledger, job.tenantId, item.cw_record_id);
    if (rows.length && rows.every((r) => r.state === 'synced' && r.xero_document_id)) await synced(item, rows);
    else await attention(item, NOT_UNPOSTED, NOT_UNPOSTED.message);
  }
  if (present.length === 0) return 0;

  const facts = await orgFacts(deps, job.tenantId, job.xeroTenantId, 'run');
  const prepared = await prepareUnits(deps, job.tenantId, {
    cw,
    units: units.filter((u) => present.some((i) => i.cw_record_id === u.key)),
    settings,
    facts: async (org) => (org === job.xeroTenantId ? facts : MOVED),
  });
  // Each item waits for all of its documents (a PO: a bill per packing slip).
  const waiting = new Map<ItemRow, { prep: UnitPrep; records: PreparedRecord[] }>();
  for (const item of present) {
    const prep = prepared.get(item.cw_record_id)!;
    if (prep.readiness === 'needs_attention' || prep.readiness === 'held') {
      const p = prep.problem ?? NOT_UNPOSTED;
      await attention(item, p, storableMessage(p.code, p.message, prep.problemFromMapping === true));
    } else if (prep.records.length === 0) {
      // Every receipt of the PO is on a bill of ours already.
      await synced(item, await rowsOfItem(ledger, job.tenantId, item.cw_record_id));
    } else waiting.set(item, { prep, records: prep.records });
  }
  const outcomes = new Map<string, RecordOutcome>();
  const settleReady = async () => {
    for (const [item, w] of waiting) {
      const done = w.records.map((r) => outcomes.get(r.cwRecordId));
      if (done.some((o) => !o)) continue;
      waiting.delete(item);
      await settleItem(deps, store, run, item, w, done as RecordOutcome[]);
    }
  };
  const records = [...waiting.values()].flatMap((w) => w.records);
  for (const part of chunks(records)) {
    if ((await store.status(run.id)) === 'cancelling') break;
    await pushRecords(deps, job.tenantId, job.xeroTenantId, cw, part, {
      priority: 'run',
      // One owner per run, as an invoice run's: a step retried on another instance takes over the dead one's leases.
      leaseOwner: `bulk:${run.id}`,
      batching: 'record',
      cancelled: async () => (await store.status(run.id)) === 'cancelling',
      onOutcome: async (o) => {
        outcomes.set(o.cwRecordId, o);
        await settleReady();
      },
    });
  }
  return records.length;
}

/** An item's outcome from its documents' outcomes, in the run's table: ids, states and codes. */
async function settleItem(deps: AppDeps, store: RunStore, run: RunRow, item: ItemRow, w: { prep: UnitPrep; records: PreparedRecord[] }, outcomes: RecordOutcome[]): Promise<void> {
  const docs = documentsOf(outcomes.flatMap((o) => (o.xero ? [o.xero] : [])));
  const attention = outcomes.findIndex((o) => o.state === 'needs_attention');
  if (attention >= 0) {
    const o = outcomes[attention]!;
    const p = o.problems[0];
    // The document's number leads Xero's (or the mapping's) words while this server holds them.
    const number = w.records[attention]!.number;
    rememberWords(deps, run.id, item.cw_record_id, number ? `${number}: ${o.message}` : o.message);
    await store.updateItem(run.id, item.seq, { state: 'needs_attention', ...docs, error_code: p?.code ?? 'needs_attention', error_message: o.storedMessage ?? null, where_to_fix: p?.where ?? null }, true);
    return;
  }
  const other = outcomes.find((o) => o.state !== 'synced' && o.state !== 'unchanged');
  if (other) {
    const what = WHAT[w.prep.unit.kind];
    const message = other.state === 'busy' ? `Someone was pushing this ${what} from its own screen at the same time; "Retry failed" picks it up again.` : `This ${what} did not finish; "Retry failed" finishes it (nothing is sent twice).`;
    await store.updateItem(run.id, item.seq, { state: 'failed', ...docs, error_code: other.state, error_message: message }, true);
    return;
  }
  forgetWords(deps, run.id, item.cw_record_id);
  await store.updateItem(run.id, item.seq, { state: 'synced', ...docs, error_code: null, error_message: null, where_to_fix: null }, true);
}
