// The expense tab's API (issue 10): GET /api/expenses/reports/:id/sync — where
// an expense report stands and the Xero bill(s) it becomes — and
// POST /api/expenses/reports/:id/push. Never stored: built live from
// ConnectWise, the ledger and Xero.
import { z } from 'zod';
import { decimalString, syncChip, syncProblem } from './api.js';

export const expenseReportIdParam = z.object({
  id: z.coerce.number({ message: 'id: expected a ConnectWise expense report id' }).int('id: expected a ConnectWise expense report id').positive('id: expected a ConnectWise expense report id').max(2_147_483_647, 'id: expected a ConnectWise expense report id'),
});

export const expenseClassification = z.enum(['Reimbursable', 'NonReimbursable', 'Personal']);

/** One Xero bill (or bill credit note) the report becomes, exactly as it will land. */
export const expenseBillView = z.object({
  /** Stable identity of the bill ("r2001-AUD"; with Enhanced Expenses "m3-w2026-05-04-AUD#1"). */
  key: z.string(),
  /** 'bill' (ACCPAY) or 'billCredit' (ACCPAYCREDIT: the member owes the company). */
  documentKind: z.enum(['bill', 'billCredit']),
  number: z.string(),
  /** The member, as the supplier contact. */
  contactName: z.string(),
  date: z.string(),
  dueDate: z.string().nullable(),
  currency: z.string(),
  /** The status it is pushed as (DRAFT / AUTHORISED), in Xero's words in the pod. */
  status: z.string(),
  /** Enhanced Expenses: the week the bill holds ("2026-05-04 – 2026-05-10"). */
  week: z.string().nullable(),
  reportIds: z.array(z.number().int()),
  lines: z.array(
    z.object({
      lineNumber: z.number().int(),
      date: z.string(),
      classification: expenseClassification,
      description: z.string(),
      account: z.string(),
      tax: z.string(),
      amount: decimalString,
      taxAmount: decimalString,
    }),
  ),
  subtotal: decimalString,
  tax: decimalString,
  total: decimalString,
  /** What ConnectWise says is owed to the member for these entries (after Wise-Pay payments). */
  connectwiseTotal: decimalString,
  totalsAgree: z.boolean(),
  /** Wise-Pay payments applied to the bill once it is approved, from the card's account. */
  payments: z.array(z.object({ glEntryId: z.string(), account: z.string(), amount: decimalString, date: z.string(), paymentType: z.string(), state: z.enum(['planned', 'applied', 'waiting_approval']) })),
  /** What stays owed to (or by) the member after the payments. */
  amountDue: decimalString,
  problems: z.array(z.object({ severity: z.string(), text: z.string(), fixWhere: z.string(), line: z.number().int().nullable() })),
  ready: z.boolean(),
  chip: syncChip,
  /** The bill in Xero once pushed. */
  xero: z.object({ documentId: z.string(), number: z.string(), status: z.string(), url: z.string(), amountPaid: decimalString.nullable(), amountDue: decimalString.nullable() }).nullable(),
  /** The last push's problem (needs attention), in words. */
  lastProblem: z.string().nullable(),
});
export type ExpenseBillView = z.infer<typeof expenseBillView>;

export const expenseReportView = z.object({
  report: z.object({
    id: z.number().int(),
    member: z.object({ identifier: z.string(), name: z.string() }),
    /** ConnectWise's approval status (Open, PendingApproval, ApprovedByTierOne, ApprovedByTierTwo, Rejected …). */
    status: z.string(),
    dateStart: z.string().nullable(),
    dateEnd: z.string().nullable(),
    entryCount: z.number().int(),
  }),
  /** Approval releases a report to Xero (decided here, never by the tab). */
  release: z.object({ released: z.boolean(), message: z.string().nullable() }),
  chip: syncChip,
  /** One sentence saying where the report stands. */
  headline: z.string(),
  organisation: z.object({ xeroTenantId: z.string(), name: z.string() }).nullable(),
  bills: z.array(expenseBillView),
  /** Problems of the whole report (not connected, not approved, …). */
  problems: z.array(syncProblem),
  /** How each classification on this report posts, in an accountant's words. */
  howItPosts: z.array(z.object({ classification: expenseClassification, words: z.string() })),
  /** May this member push (admins, until the permission setting of issue 12). */
  mayPush: z.boolean(),
  /** A sentence saying who can push, for members who may not. */
  whoCanPush: z.string().nullable(),
  canPush: z.boolean(),
  pushLabel: z.enum(['Push to Xero', 'Re-sync']),
  /** Approved reports are pushed automatically by the scheduled scan. */
  autoPush: z.boolean(),
});
export type ExpenseReportView = z.infer<typeof expenseReportView>;

export const expensePushResponse = z.object({
  outcome: z.enum(['synced', 'unchanged', 'needs_attention', 'busy']),
  message: z.string(),
  view: expenseReportView,
});
export type ExpensePushResponse = z.infer<typeof expensePushResponse>;

// ==== The batch pod's Expenses tab: GET /api/batch/expenses, expense runs ====

/**
 * Where an unposted expense report stands for a run: ready to push, held (its
 * approval does not release it yet), needs attention (the mapping's first
 * blocking problem), or already in Xero (ConnectWise still lists it).
 */
export const batchExpenseReadiness = z.enum(['ready', 'held', 'needs_attention', 'synced']);
export type BatchExpenseReadiness = z.infer<typeof batchExpenseReadiness>;

/** One expense report with unposted GL entries. */
export const batchExpenseRow = z.object({
  reportId: z.number().int(),
  member: z.object({ identifier: z.string(), name: z.string() }),
  /** ConnectWise's approval status of the report. */
  status: z.string(),
  dateStart: z.string().nullable(),
  dateEnd: z.string().nullable(),
  /** The report's GL entries waiting in ConnectWise's unposted list. */
  entryCount: z.number().int(),
  /** What those entries add up to, per currency, as ConnectWise lists them. */
  totals: z.array(z.object({ currency: z.string(), total: decimalString })),
  readiness: batchExpenseReadiness,
  /** Why it is held or needs attention, and where to fix it. */
  problem: syncProblem.nullable(),
});
export type BatchExpenseRow = z.infer<typeof batchExpenseRow>;

export const batchExpensesResponse = z.object({
  items: z.array(batchExpenseRow),
  total: z.number().int(),
  /** Starting, retrying and cancelling expense runs is for CW–Xero Sync admins (as pushing one report is). */
  mayRun: z.boolean(),
  whoCanRun: z.string().nullable(),
});
export type BatchExpensesResponse = z.infer<typeof batchExpensesResponse>;

const reportIdItem = z.number({ message: 'reportIds: expected ConnectWise expense report ids (numbers)' }).int('reportIds: expected ConnectWise expense report ids').positive('reportIds: expected ConnectWise expense report ids').max(2_147_483_647, 'reportIds: expected ConnectWise expense report ids');

/** POST /api/batch/runs with kind 'expense': the selected reports, or every ready one. */
export const batchExpenseRunRequest = z
  .object({
    kind: z.literal('expense'),
    reportIds: z.array(reportIdItem).min(1, 'reportIds: select at least one expense report').max(5000, 'reportIds: at most 5000 reports in one run').optional(),
    all: z.literal(true, { message: 'all: expected true (every ready report)' }).optional(),
  })
  .strict()
  .refine((b) => !!b.reportIds !== !!b.all, { message: 'reportIds: give the selected expense report ids, or all: true', path: ['reportIds'] });
export type BatchExpenseRunRequest = z.input<typeof batchExpenseRunRequest>;
