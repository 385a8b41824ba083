// Reads what the expense mapping needs from the tenant's ConnectWise: the
// report and its entries, their unposted GL entries (finance/accounting/
// unpostedexpenses), the export of exactly those GL entries (expenseBills,
// unsummarised), the member, and ConnectWise's time zone. Nothing is posted by
// an export. Every answer is checked with zod (loosely: ConnectWise adds fields
// freely) and then typed with ConnectWise's published models.
import { z } from 'zod';
import type { CwClient } from '../cw/client.js';
import type { CwExpenseEntry, CwExpenseReport, CwGLExportExpenseBill, CwMember, CwUnpostedExpense } from '../../shared/cw-types.js';

const ref = z.object({ id: z.number().int().nullish(), identifier: z.string().nullish(), name: z.string().nullish() }).loose();
const reportSchema = z.object({ id: z.number().int(), member: ref, status: z.string().nullish(), dateStart: z.string().nullish(), dateEnd: z.string().nullish() }).loose();
const entrySchema = z.object({ id: z.number().int(), expenseReport: ref.nullish(), amount: z.number().nullish(), date: z.string().nullish() }).loose();
const unpostedSchema = z.object({ id: z.number().int(), expenseDetailId: z.number().int().nullish(), locationId: z.number().int().nullish(), member: ref.nullish() }).loose();
const memberSchema = z.object({ id: z.number().int(), identifier: z.string().min(1), firstName: z.string().nullish(), lastName: z.string().nullish(), defaultLocation: ref.nullish() }).loose();
const exportSchema = z.object({ expenseBills: z.array(z.object({ id: z.number().int().nullish(), detail: z.array(z.object({}).loose()).nullish() }).loose()).nullish() }).loose();
const infoSchema = z.object({ serverTimeZone: z.string().nullish() }).loose();

export type ExpenseReportRecord = CwExpenseReport & z.infer<typeof reportSchema>;
export type ExpenseMemberRecord = CwMember & { id: number; identifier: string };

export async function readExpenseReport(cw: CwClient, reportId: number): Promise<ExpenseReportRecord> {
  return (await cw.get(`expense/reports/${reportId}`, reportSchema, { what: `expense report ${reportId}` })) as ExpenseReportRecord;
}

export async function readReportEntries(cw: CwClient, reportId: number): Promise<CwExpenseEntry[]> {
  return (await cw.list('expense/entries', entrySchema, { query: { conditions: `expenseReport/id=${reportId}` }, maxPages: 10 })) as CwExpenseEntry[];
}

/** `conditions` lists of ids stay short enough for a URL: at most this many ids in one. */
const IDS_PER_QUERY = 100;

async function listByIds<T>(ids: readonly number[], read: (part: number[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) out.push(...(await read(unique.slice(i, i + IDS_PER_QUERY))));
  return out;
}

/** These expense reports (a batch run's): status, member and dates. */
export async function readExpenseReports(cw: CwClient, reportIds: readonly number[]): Promise<ExpenseReportRecord[]> {
  return listByIds(reportIds, async (part) => (await cw.list('expense/reports', reportSchema, { query: { conditions: `id in (${part.join(',')})` }, maxPages: 10 })) as ExpenseReportRecord[]);
}

/** Expense entries by their own ids (which report each belongs to), or every entry of these reports. */
export async function readExpenseEntries(cw: CwClient, by: { entryIds: readonly number[] } | { reportIds: readonly number[] }): Promise<CwExpenseEntry[]> {
  const [ids, field] = 'entryIds' in by ? [by.entryIds, 'id'] : [by.reportIds, 'expenseReport/id'];
  return listByIds(ids, async (part) => (await cw.list('expense/entries', entrySchema, { query: { conditions: `${field} in (${part.join(',')})` }, maxPages: 20 })) as CwExpenseEntry[]);
}

/** The unposted GL entries of these expense entries (all unposted expenses when `entryIds` is omitted). */
export async function readUnpostedExpenses(cw: CwClient, entryIds?: readonly number[]): Promise<CwUnpostedExpense[]> {
  if (entryIds && entryIds.length === 0) return [];
  const conditions = entryIds ? `expenseDetailId in (${entryIds.join(',')})` : undefined;
  return (await cw.list('finance/accounting/unpostedexpenses', unpostedSchema, { ...(conditions ? { query: { conditions } } : {}), maxPages: 20 })) as CwUnpostedExpense[];
}

/** POST finance/accounting/export of exactly these GL entries, one detail per entry (summarizeExpenses off). */
export async function exportExpenses(cw: CwClient, glEntryIds: readonly number[], batchIdentifier: string): Promise<CwGLExportExpenseBill[]> {
  if (glEntryIds.length === 0) return [];
  const body = await cw.post(
    'finance/accounting/export',
    { batchIdentifier, exportExpensesFlag: true, includedExpenseIds: [...glEntryIds], summarizeExpenses: false },
    exportSchema,
    { what: 'the export of the expenses' },
  );
  return (body.expenseBills ?? []) as CwGLExportExpenseBill[];
}

export async function readMember(cw: CwClient, memberId: number): Promise<ExpenseMemberRecord> {
  return (await cw.get(`system/members/${memberId}`, memberSchema, { what: `member ${memberId}` })) as ExpenseMemberRecord;
}

/** ConnectWise's time zone (weeks and entry dates are its calendar days). */
export async function readServerTimeZone(cw: CwClient): Promise<string> {
  const info = await cw.get('system/info', infoSchema, { what: 'system info' });
  return info.serverTimeZone || 'UTC';
}
