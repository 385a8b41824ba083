// "Push approved reports automatically" (expense setting autoPushApproved):
// approval is what releases an expense, and approvals are often made from
// ConnectWise's approval lists, where no tab of ours is open — so the payment
// schedule's tick (the same per-tenant claim, once per interval across
// instances) also scans the unposted expenses and pushes every released
// report's bills through the engine. Unapproved ones stay held.
import type { AppDeps } from '../deps.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { expenseRelease } from '../domain/expense-grouping.js';
import { loadTenantSettings } from '../settings.js';
import { z } from 'zod';
import { readUnpostedExpenses } from './cw-expense-source.js';
import { pushExpenseBills } from './expense-service.js';
import { prepareExpenseReport } from './prepare-expenses.js';

export interface ExpenseScanResult {
  /** Reports with unposted entries that were looked at. */
  reports: number;
  pushed: number;
  held: number;
  needsAttention: number;
}

const entryReport = z.object({ id: z.number().int(), expenseReport: z.object({ id: z.number().int() }).loose().nullish() }).loose();
const reportStatus = z.object({ id: z.number().int(), status: z.string().nullish() }).loose();

export async function pushApprovedExpenses(deps: AppDeps, tenantId: string): Promise<ExpenseScanResult> {
  const result: ExpenseScanResult = { reports: 0, pushed: 0, held: 0, needsAttention: 0 };
  const settings = await loadTenantSettings(deps.db, tenantId);
  if (!settings.expenses.autoPushApproved) return result;
  const cw = await cwClientForTenant(deps, tenantId);
  const unposted = await readUnpostedExpenses(cw);
  const entryIds = [...new Set(unposted.map((u) => u.expenseDetailId).filter((id): id is number => typeof id === 'number'))];
  if (entryIds.length === 0) return result;
  const reportIds = new Set<number>();
  for (let i = 0; i < entryIds.length; i += 100) {
    const entries = await cw.list('expense/entries', entryReport, { query: { conditions: `id in (${entryIds.slice(i, i + 100).join(',')})`, fields: 'id,expenseReport' }, maxPages: 2 });
    for (const e of entries) if (e.expenseReport?.id) reportIds.add(e.expenseReport.id);
  }
  for (const reportId of [...reportIds].sort((a, b) => a - b)) {
    result.reports++;
    const status = await cw.get(`expense/reports/${reportId}`, reportStatus, { what: `expense report ${reportId}` });
    if (!expenseRelease(status.status, settings.expenses.secondTierApproval).released) {
      result.held++;
      continue;
    }
    const prep = await prepareExpenseReport(deps, tenantId, reportId);
    if (prep.bills.every((b) => b.prepared.problems.length > 0) || !prep.organisation) {
      result.needsAttention++;
      continue;
    }
    const outcomes = await pushExpenseBills(deps, tenantId, 'schedule', prep);
    if (outcomes.some((o) => o.state === 'needs_attention')) result.needsAttention++;
    else result.pushed++;
  }
  return result;
}
