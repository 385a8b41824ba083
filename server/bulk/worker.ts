// The work of one job: {runId, tenantId, xeroTenantId}. It pushes the next
// records of that organisation (up to 1000, in chunks of ≤ 50 pushed side by
// side in lanes where they cannot touch the same contact, item or number —
// lanes.ts) and says whether more remain; the job engine then queues the next
// step. Only one job per organisation is active at a time across all instances (the engine's
// singleton per organisation), so this process's pacer paces the organisation.
// Everything it needs is read from the run tables and ConnectWise: a job that
// was interrupted (crash, kill, expiry) is simply run again.
import type { AppDeps } from '../deps.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import type { CwClient } from '../cw/client.js';
import { ApiError } from '../http/errors.js';
import { loadTenantSettings } from '../settings.js';
import { XeroDayLimit, XeroUnavailable } from '../engine/errors.js';
import { batchIdentifierOf, type RecordOutcome } from '../engine/executor.js';
import { runBatchIdentifier } from '../engine/keys.js';
import { invoiceKind, kindEntry } from '../engine/kinds.js';
import { Ledger } from '../engine/ledger.js';
import { orgFacts } from '../engine/org-facts.js';
import { pushRecords } from '../engine/push.js';
import { createCwBatchPort } from '../engine/cw-port.js';
import { storableMessage } from '../engine/problems.js';
import { xeroTransport, type XeroTransport } from '../engine/transport.js';
import { createXeroPort, XERO_BATCH_SIZE } from '../engine/xero-port.js';
import { ContactDirectory, type ContactQuery } from '../engine/contact-directory.js';
import type { PreparedRecord } from '../engine/ports.js';
import { contentHash } from '../domain/content-hash.js';
import { planUnits } from './lanes.js';
import { CW_DEFAULT_PRIORITY, CW_LOWEST_PRIORITY } from './cw-limiter.js';
import { jobSettings } from '../jobs/settings.js';
import { WHERE } from '../engine/where.js';
import { CwBulkReader } from './cw-bulk-reader.js';
import { prepareMany } from './prepare-many.js';
import { RunStore, type ItemRow } from './run-store.js';
import { bulkLog } from './log.js';
import { forgetWords, rememberWords } from './live-words.js';
import { runExpenseStep } from './expense-step.js';
import { runProcurementStep } from './procurement-step.js';
import { costOfSaleSource } from '../procurement/cost-of-sale.js';
import { refreshAlert } from '../alerts/exception-alerts.js';
import { isDraining } from '../lifecycle.js';

export interface OrgJob {
  runId: string;
  tenantId: string;
  xeroTenantId: string;
}

export type StepResult = { next: 'more' } | { next: 'done' } | { next: 'later'; at: Date };

export async function runOrgStep(deps: AppDeps, job: OrgJob): Promise<StepResult> {
  const result = await orgStep(deps, job);
  // A step that ends a run: the tenant's exception alert ticket follows the records left needing a person (never fails the run).
  if (result.next === 'done') await refreshAlert(deps, job.tenantId);
  return result;
}

async function orgStep(deps: AppDeps, job: OrgJob): Promise<StepResult> {
  const store = new RunStore(deps.db, deps.now);
  const run = await store.get(job.tenantId, job.runId);
  if (!run || run.status === 'done' || run.status === 'cancelled') return { next: 'done' };
  if (run.record_kind === 'expense') return runExpenseStep(deps, job, run);
  if (run.record_kind === 'procurement') return runProcurementStep(deps, job, run);
  const ledger = new Ledger(deps.db, deps.now);
  const cwClient = await cwClientForTenant(deps, job.tenantId);
  const cw = new CwBulkReader(cwClient, job.tenantId);
  const batches = createCwBatchPort(cwClient, job.tenantId);
  try {
    if (run.status === 'cancelling') {
      await store.cancelPending(run.id);
      if (run.batching === 'run') await closeRunBatch(store, ledger, batches, job);
      await settle(store, run.id);
      forgetRun(deps, run.id);
      return { next: 'done' };
    }
    const items = await store.nextPending(run.id, job.xeroTenantId, STEP_RECORDS);
    if (items.length === 0) {
      if (run.batching === 'run') await closeRunBatch(store, ledger, batches, job);
      await settle(store, run.id);
      forgetRun(deps, run.id);
      return { next: 'done' };
    }
    if (run.status === 'waiting_day') await store.transition(run.id, ['waiting_day'], 'running', { waiting_until: null, waiting_reason: null });

    // "Waiting for Xero's limit" or "Xero is not answering — retrying", on the run's panel; written at most once a second.
    const transport = xeroTransport(deps, job.tenantId, job.xeroTenantId);
    let lastNotice = 0;
    const unsubscribe = transport.onNotice((n) => {
      if (Date.now() - lastNotice < 1000) return;
      lastNotice = Date.now();
      void store.setWaiting(run.id, new Date(n.untilMs), n.reason === 'concurrent' ? 'xero_concurrent' : n.reason === 'unavailable' ? 'xero_unavailable' : 'xero_minute');
    });
    const callsBefore = transport.calls;
    let pushed = 0;
    try {
      const prepared = (await takePrepared(deps, job, items)) ?? (await prepareItems(deps, job, cw, cwClient, items));
      const itemOf = new Map(items.map((i) => [i.cw_record_id, i] as const));
      const ready = [];
      const posted: ItemRow[] = [];
      // An invoice's cost-of-sale journal goes in the same push as its invoice, which waits for it (closesAfter).
      const journals = new Map<string, PreparedRecord>();
      const withJournals = (part: PreparedRecord[]) => [...part, ...part.flatMap((p) => journals.get(p.cwRecordId) ?? [])];
      for (const [n, p] of prepared.entries()) {
        const item = items[n]!;
        if (p.ok) {
          ready.push(p.prepared);
          if (p.costOfSale) journals.set(p.prepared.cwRecordId, p.costOfSale);
        }
        else if (p.notUnposted) posted.push(item);
        else {
          const first = p.problems[0]!;
          rememberWords(deps, run.id, item.cw_record_id, first.message);
          await store.updateItem(run.id, item.seq, { state: 'needs_attention', error_code: first.code, error_message: storableMessage(first.code, first.message, true), where_to_fix: first.where ?? null }, true);
        }
      }
      if (posted.length) await notUnposted(store, ledger, batches, job, posted);
      const checkedContacts = checkedContactsOf(deps, run.id);
      const { units, contacts } = await planStep(deps, transport, ledger, job, ready, checkedContacts);
      // A step ends well within its job's expiry (the job engine would otherwise run it again beside
      // itself): past an eighth of it, no further unit starts (the ones going finish); what is left stays pending.
      const stopStartingAt = Date.now() + (jobSettings().expireSeconds * 1000) / 8;
      const push = (part: PreparedRecord[], lane: number, xeroDone?: () => void) =>
        pushRecords(deps, job.tenantId, job.xeroTenantId, cwClient, withJournals(part), {
          ...(xeroDone ? { xeroDone } : {}),
          priority: 'run',
          // One owner per run, not per instance: only one job of an organisation is active at a time, so a job
          // retried on another instance after this one died takes over the dead one's leases at once.
          leaseOwner: `bulk:${run.id}`,
          batching: run.batching === 'run' ? 'run' : 'record',
          cancelled: async () => (await store.status(run.id)) === 'cancelling',
          checkedContacts,
          contacts,
          // The step's lanes queue for ConnectWise one behind the other, all behind people's pushes (cw-port.ts).
          cwPriority: Math.min(CW_LOWEST_PRIORITY, CW_DEFAULT_PRIORITY + 1 + lane),
          onOutcome: async (o) => {
            const item = itemOf.get(o.cwRecordId);
            // A cost-of-sale journal has no item of its own: its invoice's outcome says whether both are in Xero.
            if (!item) return;
            if (o.problems[0]) rememberWords(deps, run.id, o.cwRecordId, o.problems[0].message);
            else forgetWords(deps, run.id, o.cwRecordId);
            return recordOutcome(store, run.id, item, o);
          },
        });
      // Lanes take the next unit as they come free, so they end together. Once every unit is taken, the
      // next step's records are read from ConnectWise while the last ones finish.
      // A lane goes on to its next unit once the last chunk of this one is in Xero: that chunk's
      // ConnectWise batches are closed meanwhile (the push keeps its leases until they are), so Xero's
      // minute is spent as fast as its limits allow, not at ConnectWise's pace. The step ends once
      // every push has ended.
      const closing: Promise<unknown>[] = [];
      const closingNow = new Set<Promise<void>>();
      let next = 0;
      let stopped = false;
      const lane = async (index: number) => {
        for (let taken = 0; next < units.length && !stopped; taken++) {
          // Xero runs ahead of ConnectWise by at most CLOSING_AHEAD chunks whose batches are still being closed.
          while (closingNow.size >= CLOSING_AHEAD) await Promise.race(closingNow);
          if (next >= units.length || stopped) return;
          // An instance shutting down (SIGTERM, server/lifecycle.ts) starts no further chunk: the step ends
          // with the chunks going and the rest stays pending for the next step, on another instance.
          if (isDraining(deps)) return;
          if (taken > 0 && Date.now() > stopStartingAt) return;
          const unit = units[next++]!;
          if (next === units.length) prefetch(deps, job, store, cw, cwClient, items);
          try {
            for (const part of unit) {
              if (part !== unit[0] && isDraining(deps)) break;
              pushed += part.length;
              // A unit's chunks may touch the same things: each waits for the one before to end.
              if (part !== unit[unit.length - 1]) {
                await push(part, index);
                continue;
              }
              let xeroDone!: () => void;
              const inXero = new Promise<void>((resolve) => (xeroDone = resolve));
              const pushing = push(part, index, xeroDone);
              const ended = pushing.catch((err: unknown) => {
                stopped = true; // no lane starts another unit
                throw err;
              });
              ended.catch(() => undefined); // thrown once the lanes end, never left unhandled
              closing.push(ended);
              await Promise.race([inXero, pushing]);
              const settled = ended.then(
                () => void closingNow.delete(settled),
                () => void closingNow.delete(settled),
              );
              closingNow.add(settled);
            }
          } catch (err) {
            stopped = true; // no lane starts another unit
            throw err;
          }
        }
      };
      // Every lane finishes the unit it is on; the step then stops on the first failure (the rows keep what was done).
      const lanes = await Promise.allSettled(Array.from({ length: Math.min(STEP_LANES, units.length) }, (_, i) => lane(i)));
      const pushes = await Promise.allSettled(closing);
      const failure = [...lanes, ...pushes].find((r) => r.status === 'rejected');
      if (failure) throw failure.reason;
    } finally {
      unsubscribe();
    }
    await store.setWaiting(run.id, null, null);
    bulkLog(deps.config, 'info', `step run=${run.id} org=${job.xeroTenantId} records=${pushed} pid=${process.pid} xeroCalls=${transport.calls - callsBefore}`);
    // A chunk stopped for a cancel comes back here as "more": the next step sees the cancel and settles.
    return { next: 'more' };
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) {
      // Something a person must do first (e.g. reconnect Xero): say so on each
      // record of this organisation, which "Retry failed" picks up afterwards,
      // instead of retrying in silence.
      bulkLog(deps.config, 'warn', `run=${job.runId} org=${job.xeroTenantId} stopped: ${err.code}`);
      await store.failPending(run.id, job.xeroTenantId, err.code, err.message, WHERE.settingsXero);
      await settle(store, run.id);
      forgetRun(deps, run.id);
      return { next: 'done' };
    }
    if (err instanceof XeroUnavailable) {
      // Xero (or the network) stayed down through the transport's retries: the step goes again shortly, and the panel says so.
      const at = err.retryAt ?? new Date(Date.now() + 20_000);
      bulkLog(deps.config, 'warn', `run=${job.runId} org=${job.xeroTenantId} Xero not answering; next try ${at.toISOString()}`);
      await store.setWaiting(run.id, at, 'xero_unavailable');
      return { next: 'later', at };
    }
    if (err instanceof XeroDayLimit) {
      bulkLog(deps.config, 'warn', `run=${job.runId} org=${job.xeroTenantId} paused: Xero's daily limit, resumes ${err.resumeAt.toISOString()}`);
      await store.transition(run.id, ['running'], 'waiting_day', { waiting_until: err.resumeAt.toISOString(), waiting_reason: 'xero_day' });
      return { next: 'later', at: err.resumeAt };
    }
    throw err;
  }
}

/**
 * Lanes a step pushes side by side: more than Xero's 5 at once, so that while some lanes wait for Xero
 * (its minute spent, say) the others close their ConnectWise batches. People's pushes go first on both.
 */
export const STEP_LANES = 8;
/**
 * Chunks in Xero whose ConnectWise batches are still being closed, at most, before a lane starts
 * another unit: 200 batches, about 2.5 s of ConnectWise at 8 at once — more than a chunk's Xero
 * calls take, so ConnectWise is never left idle while Xero has work; and with the lanes' own chunks,
 * what a draining instance still finishes before it hands its step on.
 */
export const CLOSING_AHEAD = 4;
/** Records a step takes: twenty chunks of 50, so a step's start (reading ConnectWise, the first Xero calls) is paid once per 1000. */
export const STEP_RECORDS = 20 * XERO_BATCH_SIZE;

/**
 * The step's contacts and units of work. The contacts its customers may match
 * are read once for the step (contact-directory.ts); units go side by side only
 * where that read covers every customer that may be matched — one not linked
 * yet, or linked but not yet used by this run as it is (its contact may have
 * been archived in Xero) — so no two units can take one contact. Otherwise the
 * step's chunks are one unit, one after another.
 */
async function planStep(deps: AppDeps, transport: XeroTransport, ledger: Ledger, job: OrgJob, ready: PreparedRecord[], checked: Map<string, string>): Promise<{ units: PreparedRecord[][][]; contacts: ContactDirectory }> {
  const byCompany = new Map<string, PreparedRecord>();
  for (const p of ready) if (p.contact && !byCompany.has(p.contact.cwCompanyId)) byCompany.set(p.contact.cwCompanyId, p);
  const links = new Map((await ledger.contactLinks(job.tenantId, job.xeroTenantId, [...byCompany.keys()])).map((l) => [l.cw_company_id, l.xero_contact_id] as const));
  const queryOf = (p: PreparedRecord): ContactQuery => ({ contactNumber: p.contact!.match.identifier, name: p.contact!.match.name, accountNumber: p.contact!.match.accountNumber });
  const unlinked: ContactQuery[] = [];
  const unsettled: string[] = [];
  for (const [companyId, p] of byCompany) {
    const linked = links.get(companyId);
    if (!linked) unlinked.push(queryOf(p));
    // The executor uses a contact this run already brought to this very payload as it is; any other it reads again.
    else if (checked.get(linked) !== contentHash(p.contact!.map().contact)) unsettled.push(linked);
  }
  // The whole list read by this run's last step within the minute, with what the run saved since, serves again.
  const recent = recentDirectory(deps, job);
  const contacts = !unlinked.length && !unsettled.length ? ContactDirectory.empty() : recent ?? (await ContactDirectory.load(transport, 'run', createXeroPort(transport, 'run'), unlinked, unsettled));
  if (contacts.isWhole && contacts !== recent) keepDirectory(deps, job, contacts);
  const units = planUnits(ready, (p) => {
    if (!p.contact) return [];
    const linked = links.get(p.contact.cwCompanyId);
    return [...(linked ? [linked] : []), ...contacts.candidatesFor([queryOf(p)]).map((c) => c.ContactID!)];
  });
  const sideBySide = contacts.isWhole || unsettled.length === 0;
  return { units: sideBySide ? units : [units.flat()], contacts };
}

/**
 * Per server, run and organisation: the organisation's whole contact list as a step of the run read it
 * (and learnt what the run saved since), used again by the next steps for a minute — a month end reads
 * it once, not once per step; Xero's changes made meanwhile by others are seen at the next reading.
 */
const DIRECTORY_REUSE_MS = 60_000;
const directoriesByDeps = new WeakMap<object, Map<string, ContactDirectory>>();

function recentDirectory(deps: AppDeps, job: OrgJob): ContactDirectory | undefined {
  const key = `${job.runId}\u0000${job.xeroTenantId}`;
  const d = directoriesByDeps.get(deps)?.get(key);
  if (d && Date.now() - d.readAt < DIRECTORY_REUSE_MS) return d;
  directoriesByDeps.get(deps)?.delete(key);
  return undefined;
}

function keepDirectory(deps: AppDeps, job: OrgJob, d: ContactDirectory): void {
  let byRun = directoriesByDeps.get(deps);
  if (!byRun) directoriesByDeps.set(deps, (byRun = new Map()));
  byRun.set(`${job.runId}\u0000${job.xeroTenantId}`, d);
}

/** A settled run's memory on this server (contacts checked and read, the next step's records) goes. */
function forgetRun(deps: AppDeps, runId: string): void {
  checkedByDeps.get(deps)?.delete(runId);
  for (const byRun of [directoriesByDeps.get(deps), nextByDeps.get(deps)]) for (const key of byRun?.keys() ?? []) if (key.startsWith(`${runId}\u0000`)) byRun!.delete(key);
}

/** ConnectWise's side of a step's records, mapped for the engine (prepare-many.ts). */
async function prepareItems(deps: AppDeps, job: OrgJob, cw: CwBulkReader, cwClient: CwClient, items: ItemRow[]) {
  const { refs } = await orgFacts(deps, job.tenantId, job.xeroTenantId, 'run');
  const settings = (await loadTenantSettings(deps.db, job.tenantId)).invoiceMapping;
  return prepareMany(cw, {
    refs: items.map((i) => ({ cwInvoiceId: Number(i.cw_record_id), glEntryId: Number(i.gl_entry_id) })),
    orgOf: () => ({ xeroTenantId: job.xeroTenantId, refs }),
    settings,
    costOfSale: costOfSaleSource(cwClient, await loadTenantSettings(deps.db, job.tenantId)),
  });
}

/**
 * Per server, run and organisation: the next step's records, prepared while this step's last chunks
 * finish — used by the next step on this server if it takes exactly those records within a minute
 * (as ConnectWise said seconds earlier, as a step's own reading is), else dropped. In memory only.
 */
const PREFETCH_MS = 60_000;
const nextByDeps = new WeakMap<object, Map<string, { seqs: string; at: number; prepared: ReturnType<typeof prepareItems> }>>();
const seqsOf = (items: ItemRow[]) => items.map((i) => i.seq).join(',');

function prefetch(deps: AppDeps, job: OrgJob, store: RunStore, cw: CwBulkReader, cwClient: CwClient, current: ItemRow[]): void {
  let byRun = nextByDeps.get(deps);
  if (!byRun) nextByDeps.set(deps, (byRun = new Map()));
  const key = `${job.runId}\u0000${job.xeroTenantId}`;
  const mine = new Set(current.map((i) => i.seq));
  const slot = { seqs: '', at: Date.now(), prepared: Promise.resolve([]) as ReturnType<typeof prepareItems> };
  byRun.set(key, slot);
  slot.prepared = (async () => {
    const items = (await store.nextPending(job.runId, job.xeroTenantId, STEP_RECORDS + current.length)).filter((i) => !mine.has(i.seq)).slice(0, STEP_RECORDS);
    slot.seqs = seqsOf(items);
    return items.length ? prepareItems(deps, job, cw, cwClient, items) : [];
  })();
  slot.prepared.catch(() => undefined);
  setTimeout(() => byRun.get(key) === slot && byRun.delete(key), PREFETCH_MS).unref?.();
}

/** The records this step takes, as the last step prepared them, if it did (else undefined: read them afresh). */
async function takePrepared(deps: AppDeps, job: OrgJob, items: ItemRow[]): Promise<Awaited<ReturnType<typeof prepareItems>> | undefined> {
  const byRun = nextByDeps.get(deps);
  const key = `${job.runId}\u0000${job.xeroTenantId}`;
  const slot = byRun?.get(key);
  byRun?.delete(key);
  if (!slot || Date.now() - slot.at > PREFETCH_MS) return undefined;
  const prepared = await slot.prepared.catch(() => undefined);
  return prepared && slot.seqs === seqsOf(items) && prepared.length === items.length ? prepared : undefined;
}

/** Per server and run, in memory: the contacts the run already brought up to date (forgotten when the run settles). */
const checkedByDeps = new WeakMap<object, Map<string, Map<string, string>>>();
function checkedContactsOf(deps: AppDeps, runId: string): Map<string, string> {
  let runs = checkedByDeps.get(deps);
  if (!runs) checkedByDeps.set(deps, (runs = new Map()));
  let m = runs.get(runId);
  if (!m) runs.set(runId, (m = new Map()));
  return m;
}

/** A record's outcome in the run's table: ids, states and codes (the words are stored only where they carry no accounting data). */
async function recordOutcome(store: RunStore, runId: string, item: ItemRow, o: RecordOutcome): Promise<void> {
  const ids = o.xero ? { xero_document_id: o.xero.id || null, xero_number: o.xero.number || null } : {};
  if (o.state === 'synced' || o.state === 'unchanged') {
    await store.updateItem(runId, item.seq, { state: 'synced', ...ids, error_code: null, error_message: null, where_to_fix: null }, true);
  } else if (o.state === 'xero_created') {
    await store.updateItem(runId, item.seq, { state: 'xero_created', ...ids }, true);
  } else if (o.state === 'busy') {
    await store.updateItem(runId, item.seq, { state: 'failed', error_code: 'busy', error_message: 'Someone was pushing this record from its own screen at the same time; "Retry failed" picks it up again.' }, true);
  } else {
    const p = o.problems[0];
    await store.updateItem(runId, item.seq, { state: 'needs_attention', ...ids, error_code: p?.code ?? 'needs_attention', error_message: o.storedMessage ?? null, where_to_fix: p?.where ?? null }, true);
  }
}

/**
 * Posted since the run began: by us (a batch closed just before a crash or a
 * lost answer) when ConnectWise holds our deterministic batch for it — one
 * look-up for all of the chunk's such records.
 */
async function notUnposted(store: RunStore, ledger: Ledger, batches: ReturnType<typeof createCwBatchPort>, job: OrgJob, items: ItemRow[]): Promise<void> {
  const rows = new Map((await ledger.list(job.tenantId, invoiceKind.recordKind, items.map((i) => i.cw_record_id))).map((r) => [r.cw_record_id, r] as const));
  const identifierOf = (item: ItemRow) => {
    const row = rows.get(item.cw_record_id);
    const kind = row?.document_kind ? kindEntry(row.document_kind) : invoiceKind;
    return row?.cw_batch_identifier ?? batchIdentifierOf({ kind, cwRecordId: item.cw_record_id, glEntryIds: [item.gl_entry_id] });
  };
  const found = await batches.findBatches(items.map(identifierOf));
  for (const item of items) {
    const row = rows.get(item.cw_record_id);
    const identifier = identifierOf(item);
    const batchId = found.get(identifier);
    if (batchId != null && row?.xero_document_id) {
      await ledger.synced({ tenantId: job.tenantId, kind: invoiceKind.recordKind, cwRecordId: item.cw_record_id }, { identifier, id: batchId });
      await store.updateItem(job.runId, item.seq, { state: 'synced', xero_document_id: row.xero_document_id, xero_number: row.xero_number, error_code: null, error_message: null, where_to_fix: null }, true);
      continue;
    }
    await store.updateItem(job.runId, item.seq, { state: 'needs_attention', error_code: 'cw_not_unposted', error_message: 'ConnectWise no longer lists this record as unposted (it was posted or deleted since the list was read).', where_to_fix: WHERE.cwBatches }, true);
  }
}

/**
 * "One batch per run": the run's records of this organisation that are in Xero, closed in one ConnectWise
 * batch. Its identifier names the run, the organisation and exactly these records: after a crash the same
 * records still wait (they are marked synced in one statement, last), so the batch is found, not made twice;
 * records a "Retry failed" brings to Xero later close in a batch of their own.
 */
async function closeRunBatch(store: RunStore, ledger: Ledger, batches: ReturnType<typeof createCwBatchPort>, job: OrgJob): Promise<void> {
  const waiting = await store.itemsInState(job.runId, job.xeroTenantId, 'xero_created');
  if (waiting.length === 0) return;
  const glEntryIds = waiting.map((w) => w.gl_entry_id);
  const identifier = runBatchIdentifier(job.runId, job.xeroTenantId, glEntryIds);
  let id = (await batches.findBatches([identifier])).get(identifier);
  if (id === undefined) id = (await batches.createBatch(identifier, glEntryIds, invoiceKind.source.exportFlag)) ?? (await batches.findBatches([identifier])).get(identifier);
  if (id === undefined) throw new Error(`ConnectWise did not show batch ${identifier} after creating it`);
  for (const w of waiting) await ledger.synced({ tenantId: job.tenantId, kind: invoiceKind.recordKind, cwRecordId: w.cw_record_id }, { identifier, id });
  await store.markSynced(job.runId, waiting.map((w) => w.seq));
}

/** A run with nothing left to do is done (or cancelled, when a person cancelled it). */
async function settle(store: RunStore, runId: string): Promise<void> {
  const counts = await store.counts(runId);
  if ((counts.pending ?? 0) > 0 || (counts.xero_created ?? 0) > 0) return;
  const at = new Date().toISOString();
  if (!(await store.transition(runId, ['cancelling'], 'cancelled', { finished_at: at, waiting_until: null, waiting_reason: null }))) {
    await store.transition(runId, ['running', 'waiting_day'], 'done', { finished_at: at, waiting_until: null, waiting_reason: null });
  }
}
