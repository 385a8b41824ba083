// The batch pod's Expenses tab (issue 10): ConnectWise's unposted expenses
// grouped by expense report, each with its readiness, and runs of reports
// through the same run tables, job engine and engine as invoice runs. A run's
// item is one report (cw_record_id = the report id); its step is
// expense-step.ts. The readiness words come from the same places as the
// report's own tab: expenseRelease (held until approved), the mapping's
// blocking problems, the location map.
import type { AppDeps } from '../deps.js';
import type { CwClient } from '../cw/client.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { expenseRelease } from '../domain/expense-grouping.js';
import { WHERE_EXPENSE } from '../domain/expense-items.js';
import { memberName } from '../domain/member-contact.js';
import { Dec, fromCw, sum, toFixed } from '../domain/money.js';
import { XeroUnavailable } from '../engine/errors.js';
import { kindEntry } from '../engine/kinds.js';
import { Ledger } from '../engine/ledger.js';
import { storedProblem, type Problem } from '../engine/problems.js';
import { WHERE } from '../engine/where.js';
import { chunks } from '../engine/xero-port.js';
import { ApiError } from '../http/errors.js';
import type { Session } from '../session.js';
import { loadTenantSettings, type TenantSettings } from '../settings.js';
import { locationResolver } from '../xero/location-map.js';
import { readExpenseEntries, readExpenseReports, readMember, readServerTimeZone, readUnpostedExpenses, type ExpenseMemberRecord, type ExpenseReportRecord } from '../expenses/cw-expense-source.js';
import { mayPush, requirePusherNow, whoCanPush } from '../permission.js';
import { expenseLocationOf, expenseRecordUrl, prepareExpenseBills, type ExpenseBillPrep } from '../expenses/prepare-expenses.js';
import type { CwExpenseEntry, CwUnpostedExpense } from '../../shared/cw-types.js';
import type { BatchExpenseReadiness, BatchExpenseRow, BatchExpenseRunRequest, BatchExpensesResponse } from '../../shared/expense-api.js';
import { enqueueRun, factsOrProblem, notBookable } from './service.js';
import { RunStore, type ItemRow, type NewRunItem, type RunRow } from './run-store.js';

/** An expense report with GL entries in ConnectWise's unposted list. */
export interface UnpostedReport {
  report: ExpenseReportRecord;
  /** Its unposted GL entries, lowest id first. */
  unposted: CwUnpostedExpense[];
}

/** What the Expenses tab and a run read of ConnectWise. */
export interface ExpenseReading {
  reports: UnpostedReport[];
  /** The expense entries behind the unposted GL entries. */
  entries: CwExpenseEntry[];
  members: Map<number, ExpenseMemberRecord>;
}

/** A report's ConnectWise export found none of its unposted GL entries (posted or changed since they were listed). */
export const EXPORT_EMPTY: Problem = {
  code: 'expense-export-empty',
  message: "ConnectWise's export holds none of this report's unposted expenses (posted or changed since they were listed); refresh the list.",
  where: WHERE_EXPENSE.cwReport,
};

/** ConnectWise no longer lists the report's expenses as unposted: the same sentence as an invoice run's. */
export const NOT_UNPOSTED: Problem = {
  code: 'cw_not_unposted',
  message: 'ConnectWise no longer lists this record as unposted (it was posted or deleted since the list was read).',
  where: WHERE.cwBatches,
};

/**
 * Unposted expense GL entries grouped by report (ConnectWise's unposted list
 * names the entry, its entry names the report), with the reports and members.
 * `reportIds` narrows to those reports.
 */
export async function readUnpostedReports(cw: CwClient, reportIds?: readonly number[]): Promise<ExpenseReading> {
  let unposted: CwUnpostedExpense[];
  let entries: CwExpenseEntry[];
  if (reportIds) {
    entries = await readExpenseEntries(cw, { reportIds });
    unposted = [];
    // Their entries' ids go into one `conditions` each hundred (a URL stays short).
    for (const part of chunks(entries.map((e) => e.id!), 100)) unposted.push(...(await readUnpostedExpenses(cw, part)));
  } else {
    unposted = await readUnpostedExpenses(cw);
    entries = await readExpenseEntries(cw, { entryIds: unposted.map((u) => u.expenseDetailId).filter((id): id is number => typeof id === 'number') });
  }
  const reportOfEntry = new Map(entries.map((e) => [e.id!, e.expenseReport?.id] as const));
  const byReport = new Map<number, CwUnpostedExpense[]>();
  for (const u of unposted) {
    const reportId = reportOfEntry.get(u.expenseDetailId ?? -1);
    // A GL entry whose expense entry ConnectWise no longer shows belongs to no report we can name: not listed.
    if (typeof reportId !== 'number') continue;
    byReport.set(reportId, [...(byReport.get(reportId) ?? []), u]);
  }
  const reports = await readExpenseReports(cw, [...byReport.keys()]);
  const memberIds = [...new Set(reports.map((r) => r.member.id).filter((id): id is number => typeof id === 'number'))];
  const members = new Map<number, ExpenseMemberRecord>();
  for (const id of memberIds) members.set(id, await readMember(cw, id));
  return {
    reports: reports
      .filter((r) => byReport.has(r.id))
      .sort((a, b) => a.id - b.id)
      .map((report) => ({ report, unposted: [...byReport.get(report.id)!].sort((a, b) => (a.id ?? 0) - (b.id ?? 0)) })),
    entries,
    members,
  };
}

export interface ReportReadiness {
  readiness: BatchExpenseReadiness;
  problem: Problem | null;
  /** The organisation the report books into, where the location map says. */
  xeroTenantId: string | null;
  /** Its bills, when the report is released and its organisation could be read. */
  bills: ExpenseBillPrep[];
}

/**
 * Each report's readiness, decided as its tab decides it: held until approved,
 * then the location map, the organisation's facts and the mapping of its
 * bills (one export per organisation for all its released reports).
 */
export async function assessReports(deps: AppDeps, tenantId: string, cw: CwClient, reading: ExpenseReading, settings: TenantSettings, timeZone: string): Promise<Map<number, ReportReadiness>> {
  const out = new Map<number, ReportReadiness>();
  const resolve = await locationResolver(deps, tenantId);
  const released = new Map<string, UnpostedReport[]>();
  for (const r of reading.reports) {
    const member = reading.members.get(r.report.member.id ?? -1);
    const org = resolve(expenseLocationOf(r.unposted, member));
    const xeroTenantId = org.ok ? org.xeroTenantId : null;
    const release = expenseRelease(r.report.status, settings.expenses.secondTierApproval);
    if (!release.released) out.set(r.report.id, { readiness: 'held', problem: storedProblem(release.code, release.message), xeroTenantId, bills: [] });
    else if (!org.ok) out.set(r.report.id, { readiness: 'needs_attention', problem: org.problem, xeroTenantId, bills: [] });
    else released.set(org.xeroTenantId, [...(released.get(org.xeroTenantId) ?? []), r]);
  }
  const ledger = new Ledger(deps.db, deps.now);
  for (const [xeroTenantId, reports] of released) {
    const attention = (problem: Problem) => reports.forEach((r) => out.set(r.report.id, { readiness: 'needs_attention', problem, xeroTenantId, bills: [] }));
    const facts = await factsOrProblem(deps, tenantId, xeroTenantId);
    if ('code' in facts) {
      attention(facts);
      continue;
    }
    let bills: ExpenseBillPrep[];
    try {
      const unposted = reports.flatMap((r) => r.unposted);
      bills = await prepareExpenseBills(deps, tenantId, { cw, unposted, entries: reading.entries, members: [...reading.members.values()], settings, xeroTenantId, facts, timeZone, recordUrl: await expenseRecordUrl(deps, tenantId) });
    } catch (err) {
      // A week's draft bill could not be read from Xero: readiness shows again in a minute.
      if (!(err instanceof XeroUnavailable)) throw err;
      attention({ code: 'xero_unavailable', message: 'Xero is not answering for this organisation; readiness shows again in a minute.', where: WHERE.settingsXero });
      continue;
    }
    const rows = new Map((await ledger.list(tenantId, 'expense', bills.map((b) => b.recordId))).map((r) => [r.cw_record_id, r] as const));
    for (const r of reports) {
      const mine = bills.filter((b) => b.group.reportIds.includes(r.report.id));
      const blocked = mine.find((b) => b.prepared.problems.length);
      const synced = mine.every((b) => {
        const row = rows.get(b.recordId);
        return row?.state === 'synced' && row.content_hash === b.prepared.contentHash;
      });
      const [readiness, problem]: [BatchExpenseReadiness, Problem | null] = mine.length === 0 ? ['needs_attention', EXPORT_EMPTY] : blocked ? ['needs_attention', blocked.prepared.problems[0]!] : synced ? ['synced', null] : ['ready', null];
      out.set(r.report.id, { readiness, problem, xeroTenantId, bills: mine });
    }
  }
  return out;
}

function toRow(r: UnpostedReport, member: ExpenseMemberRecord | undefined, a: ReportReadiness): BatchExpenseRow {
  const byCurrency = new Map<string, Dec[]>();
  for (const u of r.unposted) {
    const currency = u.currency?.currencyCode ?? '';
    byCurrency.set(currency, [...(byCurrency.get(currency) ?? []), fromCw(u.total)]);
  }
  return {
    reportId: r.report.id,
    member: { identifier: r.report.member.identifier ?? member?.identifier ?? '', name: member ? memberName(member) : (r.report.member.name ?? r.report.member.identifier ?? '') },
    status: r.report.status ?? '',
    dateStart: r.report.dateStart?.slice(0, 10) ?? null,
    dateEnd: r.report.dateEnd?.slice(0, 10) ?? null,
    entryCount: r.unposted.length,
    totals: [...byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amounts]) => ({ currency, total: toFixed(sum(amounts)) })),
    readiness: a.readiness,
    problem: a.problem ? { code: a.problem.code, message: a.problem.message, ...(a.problem.where ? { where: a.problem.where } : {}) } : null,
  };
}

/** GET /api/batch/expenses: every unposted expense report with its readiness. */
export async function listUnpostedExpenses(deps: AppDeps, session: Pick<Session, 'tenantId' | 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>): Promise<BatchExpensesResponse> {
  const cw = await cwClientForTenant(deps, session.tenantId);
  const [reading, settings, timeZone] = await Promise.all([readUnpostedReports(cw), loadTenantSettings(deps.db, session.tenantId), readServerTimeZone(cw)]);
  const readiness = await assessReports(deps, session.tenantId, cw, reading, settings, timeZone);
  const items = reading.reports.map((r) => toRow(r, reading.members.get(r.report.member.id ?? -1), readiness.get(r.report.id)!));
  return { items, total: items.length, mayRun: mayPush(settings, session), whoCanRun: mayPush(settings, session) ? null : whoCanPush(settings) };
}

/**
 * Starts a run over the selected expense reports, or every ready one. Only
 * reports with unposted expenses in ConnectWise count; a held one selected
 * anyway is reported held by its step, not pushed.
 */
export async function startExpenseRun(deps: AppDeps, session: Pick<Session, 'tenantId' | 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>, input: Omit<BatchExpenseRunRequest, 'kind'>): Promise<RunRow> {
  await requirePusherNow(deps, session);
  const tenantId = session.tenantId;
  const cw = await cwClientForTenant(deps, tenantId);
  let chosen: UnpostedReport[];
  let reading: ExpenseReading;
  if (input.all) {
    const [read, settings, timeZone] = await Promise.all([readUnpostedReports(cw), loadTenantSettings(deps.db, tenantId), readServerTimeZone(cw)]);
    reading = read;
    const readiness = await assessReports(deps, tenantId, cw, reading, settings, timeZone);
    chosen = reading.reports.filter((r) => readiness.get(r.report.id)?.readiness === 'ready');
    if (chosen.length === 0) throw new ApiError(400, 'nothing_selected', 'all: no unposted expense report is ready to sync.', 'all');
  } else {
    const ids = input.reportIds ?? [];
    reading = await readUnpostedReports(cw, ids);
    chosen = reading.reports;
    const found = new Set(chosen.map((r) => r.report.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw new ApiError(409, 'not_unposted', `reportIds: ${missing.length} of the selected expense reports have no unposted expenses in ConnectWise (e.g. report ${missing[0]}); refresh the list.`, 'reportIds');
  }
  const resolve = await locationResolver(deps, tenantId);
  const items: NewRunItem[] = [];
  const whyNot = new Map<string, Problem & { where: string }>();
  for (const r of chosen) {
    const org = resolve(expenseLocationOf(r.unposted, reading.members.get(r.report.member.id ?? -1)));
    items.push({ cwRecordId: String(r.report.id), glEntryId: String(r.unposted[0]!.id), xeroTenantId: org.ok ? org.xeroTenantId : '' });
    if (!org.ok) whyNot.set(String(r.report.id), org.problem);
  }
  const store = new RunStore(deps.db, deps.now);
  const run = await store.create(tenantId, session.memberIdentifier, 'record', items, 'expense');
  for (const item of await store.itemsInState(run.id, '', 'pending')) await notBookable(store, run.id, item, whyNot.get(item.cw_record_id)!);
  await enqueueRun(deps, run.id, tenantId);
  return run;
}

/** "Retry failed" of reports whose location was not mapped when the run started: mapped now, else they keep the reason. */
export async function remapExpenseItems(deps: AppDeps, tenantId: string, runId: string, unmapped: ItemRow[]): Promise<void> {
  const store = new RunStore(deps.db, deps.now);
  const reading = await readUnpostedReports(await cwClientForTenant(deps, tenantId), unmapped.map((u) => Number(u.cw_record_id)));
  const resolve = await locationResolver(deps, tenantId);
  for (const item of unmapped) {
    const r = reading.reports.find((x) => String(x.report.id) === item.cw_record_id);
    if (!r) {
      await store.updateItem(runId, item.seq, { state: 'needs_attention', error_code: NOT_UNPOSTED.code, error_message: NOT_UNPOSTED.message, where_to_fix: NOT_UNPOSTED.where! });
      continue;
    }
    const org = resolve(expenseLocationOf(r.unposted, reading.members.get(r.report.member.id ?? -1)));
    if (org.ok) await store.setItemOrg(runId, item.seq, org.xeroTenantId);
    else await notBookable(store, runId, item, org.problem);
  }
}

export interface BatchRunDocument {
  documentId: string;
  number: string;
  url: string;
}

/**
 * The Xero documents of an expense run's reports, each linked by its kind (a
 * bill or a bill credit note). A report's item keeps every bill's id, in bill
 * order, comma-separated (expense-step.ts); the numbers come from the ledger.
 */
export async function expenseRunDocuments(deps: AppDeps, tenantId: string, items: ItemRow[]): Promise<Map<number, BatchRunDocument[]>> {
  const idsOf = (i: ItemRow) => (i.xero_document_id ?? '').split(',').filter(Boolean);
  const rows = new Map((await new Ledger(deps.db, deps.now).byXeroDocuments(tenantId, 'expense', [...new Set(items.flatMap(idsOf))])).map((r) => [r.xero_document_id!, r] as const));
  const storedNumbers = (i: ItemRow) => (i.xero_number ?? '').split(', ');
  return new Map(
    items.map((i) => [
      i.seq,
      idsOf(i).map((id, n) => {
        const row = rows.get(id);
        return { documentId: id, number: row?.xero_number ?? storedNumbers(i)[n] ?? '', url: kindEntry(row?.document_kind ?? 'expenseBill').xero.url(deps.config.xero.appUrl, id) };
      }),
    ]),
  );
}

/** "Retry failed" and "Cancel" of an expense run are for members who may push expense reports (an invoice run's are for everyone). */
export async function requireRunControl(deps: AppDeps, session: Pick<Session, 'tenantId' | 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>, runId: string): Promise<void> {
  const run = await new RunStore(deps.db, deps.now).get(session.tenantId, runId);
  if (run?.record_kind === 'expense') await requirePusherNow(deps, session);
}
