// The work of one job of an expense run ({runId, tenantId, xeroTenantId}, as
// for invoices — worker.ts dispatches here on bulk_runs.record_kind): the next
// expense reports of that organisation, read again from ConnectWise. Reports
// whose approval does not release them are held; the released ones' unposted
// entries become their bills (prepareExpenseBills, the tab's own preparation)
// and go through the one engine in chunks of ≤ 50 bills, as a run (priority
// 'run', lease owner `bulk:<run id>`). A report's item is settled once all its
// bills are: synced when every one is, else the first bill's problem (code and
// the storable sentence; Xero's own words only in memory). A report left
// unsettled by a cancel stays pending and is cancelled by the next step.
import type { AppDeps } from '../deps.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { expenseRelease } from '../domain/expense-grouping.js';
import type { RecordOutcome } from '../engine/executor.js';
import { Ledger } from '../engine/ledger.js';
import { orgFacts } from '../engine/org-facts.js';
import { storableMessage, storedProblem, type Problem } from '../engine/problems.js';
import { pushRecords } from '../engine/push.js';
import { chunks } from '../engine/xero-port.js';
import { readServerTimeZone } from '../expenses/cw-expense-source.js';
import { expenseRecordUrl, prepareExpenseBills, reportBillPrefixes, type ExpenseBillPrep } from '../expenses/prepare-expenses.js';
import { loadTenantSettings } from '../settings.js';
import { EXPORT_EMPTY, NOT_UNPOSTED, readUnpostedReports, type UnpostedReport } from './expense-runs.js';
import { forgetWords, rememberWords } from './live-words.js';
import { runRecordStep } from './record-step.js';
import { RunStore, type ItemRow, type RunRow } from './run-store.js';
import type { OrgJob, StepResult } from './worker.js';

/** Reports one step takes: each is one bill or a few, so a step's bills are about a Xero call of 50. */
export const EXPENSE_STEP_REPORTS = 25;

export async function runExpenseStep(deps: AppDeps, job: OrgJob, run: RunRow): Promise<StepResult> {
  // The frame (cancel, Xero's waits, a person's fix, outage, day limit) is every record kind's: record-step.ts.
  return runRecordStep(deps, job, run, { name: 'expense', itemsPerStep: EXPENSE_STEP_REPORTS, push: pushReports });
}

/** Settles what can be settled without Xero, pushes the released reports' bills, settles each report; returns how many bills went. */
async function pushReports(deps: AppDeps, store: RunStore, run: RunRow, job: OrgJob, items: ItemRow[]): Promise<number> {
  const cw = await cwClientForTenant(deps, job.tenantId);
  const [reading, settings, timeZone] = await Promise.all([readUnpostedReports(cw, items.map((i) => Number(i.cw_record_id))), loadTenantSettings(deps.db, job.tenantId), readServerTimeZone(cw)]);
  const ledger = new Ledger(deps.db, deps.now);
  const attention = async (item: ItemRow, problem: Problem, stored: string) => {
    rememberWords(deps, run.id, item.cw_record_id, problem.message);
    await store.updateItem(run.id, item.seq, { state: 'needs_attention', error_code: problem.code, error_message: stored, where_to_fix: problem.where ?? null }, true);
  };

  const released: { item: ItemRow; report: UnpostedReport }[] = [];
  for (const item of items) {
    const report = reading.reports.find((r) => String(r.report.id) === item.cw_record_id);
    if (!report) {
      // Nothing of it is unposted any more: pushed meanwhile (its tab, another run) when our bills of it are synced.
      const entries = reading.entries.filter((e) => String(e.expenseReport?.id) === item.cw_record_id);
      const memberId = entries[0]?.member?.id ?? 0;
      const rows = await ledger.listByPrefixes(job.tenantId, 'expense', reportBillPrefixes(Number(item.cw_record_id), memberId, entries, settings, timeZone));
      if (rows.length && rows.every((r) => r.state === 'synced' && r.xero_document_id)) {
        forgetWords(deps, run.id, item.cw_record_id);
        await store.updateItem(run.id, item.seq, { state: 'synced', ...documentsOf(rows.map((r) => ({ id: r.xero_document_id!, number: r.xero_number ?? '' }))), error_code: null, error_message: null, where_to_fix: null }, true);
      } else await attention(item, NOT_UNPOSTED, NOT_UNPOSTED.message);
      continue;
    }
    const release = expenseRelease(report.report.status, settings.expenses.secondTierApproval);
    if (!release.released) {
      await attention(item, storedProblem(release.code, release.message), storableMessage(release.code, release.message));
      continue;
    }
    released.push({ item, report });
  }
  if (released.length === 0) return 0;

  const facts = await orgFacts(deps, job.tenantId, job.xeroTenantId, 'run');
  const bills = await prepareExpenseBills(deps, job.tenantId, {
    cw,
    unposted: released.flatMap((r) => r.report.unposted),
    entries: reading.entries,
    members: [...reading.members.values()],
    settings,
    xeroTenantId: job.xeroTenantId,
    facts,
    timeZone,
    recordUrl: await expenseRecordUrl(deps, job.tenantId),
  });
  // Each report waits for all of its bills (with Enhanced Expenses a week's bill may hold several reports).
  const waiting = new Map<ItemRow, ExpenseBillPrep[]>();
  for (const { item, report } of released) {
    const mine = bills.filter((b) => b.group.reportIds.includes(report.report.id));
    if (mine.length) waiting.set(item, mine);
    else await attention(item, EXPORT_EMPTY, EXPORT_EMPTY.message);
  }
  const outcomes = new Map<string, RecordOutcome>();
  const settleReady = async () => {
    for (const [item, mine] of waiting) {
      const done = mine.map((b) => outcomes.get(b.recordId));
      if (done.some((o) => !o)) continue;
      waiting.delete(item);
      await settleReport(deps, store, run, item, mine, done as RecordOutcome[]);
    }
  };
  const records = bills.filter((b) => [...waiting.values()].some((mine) => mine.includes(b))).map((b) => b.prepared);
  for (const part of chunks(records)) {
    if ((await store.status(run.id)) === 'cancelling') break;
    await pushRecords(deps, job.tenantId, job.xeroTenantId, cw, part, {
      priority: 'run',
      // One owner per run, as an invoice run's: a step retried on another instance takes over the dead one's leases.
      leaseOwner: `bulk:${run.id}`,
      cancelled: async () => (await store.status(run.id)) === 'cancelling',
      onOutcome: async (o) => {
        outcomes.set(o.cwRecordId, o);
        await settleReady();
      },
    });
  }
  return records.length;
}

/** The stored form of a report's Xero documents: every bill's id, comma-separated in bill order, and their numbers. */
function documentsOf(docs: { id: string; number: string }[]): Pick<ItemRow, 'xero_document_id' | 'xero_number'> {
  const made = docs.filter((d) => d.id);
  return { xero_document_id: made.map((d) => d.id).join(',') || null, xero_number: made.map((d) => d.number).join(', ') || null };
}

/** A report's outcome from its bills' outcomes, in the run's table: ids, states and codes. */
async function settleReport(deps: AppDeps, store: RunStore, run: RunRow, item: ItemRow, bills: ExpenseBillPrep[], outcomes: RecordOutcome[]): Promise<void> {
  const docs = documentsOf(outcomes.flatMap((o) => (o.xero ? [o.xero] : [])));
  const attention = outcomes.findIndex((o) => o.state === 'needs_attention');
  if (attention >= 0) {
    const o = outcomes[attention]!;
    const p = o.problems[0];
    // The bill's number leads Xero's (or the mapping's) words while this server holds them.
    rememberWords(deps, run.id, item.cw_record_id, `${bills[attention]!.prepared.number}: ${o.message}`);
    await store.updateItem(run.id, item.seq, { state: 'needs_attention', ...docs, error_code: p?.code ?? 'needs_attention', error_message: o.storedMessage ?? null, where_to_fix: p?.where ?? null }, true);
    return;
  }
  const other = outcomes.find((o) => o.state !== 'synced' && o.state !== 'unchanged');
  if (other) {
    // 'busy': the report's tab (or the scheduled push) was pushing one of its bills right then.
    const message = other.state === 'busy' ? 'Someone was pushing this expense report from its own screen at the same time; "Retry failed" picks it up again.' : 'This report did not finish; "Retry failed" finishes it (nothing is sent twice).';
    await store.updateItem(run.id, item.seq, { state: 'failed', ...docs, error_code: other.state, error_message: message }, true);
    return;
  }
  forgetWords(deps, run.id, item.cw_record_id);
  await store.updateItem(run.id, item.seq, { state: 'synced', ...docs, error_code: null, error_message: null, where_to_fix: null }, true);
}
