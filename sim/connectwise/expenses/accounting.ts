// The expense side of the Accounting Interface, called from routes/accounting.ts:
// what an export with exportExpensesFlag holds, which GL entry ids a batch
// may post, what a closed batch re-exports, and its batch entries.
// includedExpenseIds / excludedExpenseIds and processedRecordIds take the
// UnpostedExpense ids (the GL entry ids, 7000 + n), as for invoices.
import type { CwBatchEntry, CwGLExport } from '../../../shared/cw-types.js';
import { invalidField } from '../errors.js';
import type { SimBatch, SimState } from '../model.js';
import { type ExpenseExportPart, buildExpenseExport } from './gl-export.js';
import type { SimExpenseEntry } from './model.js';
import { isUnpostedExpense } from './views.js';

export interface ExpenseExportRequest {
  exportExpensesFlag?: boolean | null;
  includedExpenseIds?: (number | null)[];
  excludedExpenseIds?: (number | null)[];
  locationId?: number | null;
  summarizeExpenses?: boolean | null;
}

/** The export's expense part: unposted expenses up to `thru` (ms), in the location, included and not excluded. */
export function expenseExport(state: SimState, req: ExpenseExportRequest, thru: number): Partial<ExpenseExportPart> {
  if (!req.exportExpensesFlag) return {};
  const included = (req.includedExpenseIds ?? []).filter((x): x is number => x !== null);
  const excluded = new Set((req.excludedExpenseIds ?? []).filter((x): x is number => x !== null));
  const both = included.find((x) => excluded.has(x));
  if (both !== undefined) throw invalidField('exportAccountingBatchRequest', 'includedExpenseIds', `id ${both} is both included and excluded`);
  const entries = state.expenses.entries.filter(
    (e) =>
      isUnpostedExpense(state, e) &&
      Date.parse(e.date) <= thru &&
      (req.locationId == null || e.locationId === req.locationId) &&
      (included.length === 0 || included.includes(e.glEntryId)) &&
      !excluded.has(e.glEntryId),
  );
  return buildExpenseExport(state, entries, req.summarizeExpenses === true);
}

/** An export with its expense part added; members join the other vendors (procurement's). */
export function withExpenses(exp: CwGLExport, part: Partial<ExpenseExportPart>): CwGLExport {
  if (!part.expenses) return exp;
  return { ...exp, expenses: part.expenses, expenseBills: part.expenseBills ?? [], vendors: [...(exp.vendors ?? []), ...(part.vendors ?? [])] };
}

/** The expense entry behind a GL entry id, if it is one. */
export function expenseRecord(state: SimState, glEntryId: number): SimExpenseEntry | undefined {
  return state.expenses.entries.find((e) => e.glEntryId === glEntryId);
}

/** A batch may post an expense GL entry only with exportExpensesFlag and while it is in the unposted list. */
export function checkExpenseRecord(state: SimState, e: SimExpenseEntry, exportExpensesFlag: boolean | null | undefined): void {
  if (!exportExpensesFlag) throw invalidField('createAccountingBatchRequest', 'exportExpensesFlag', `GL entry ${e.glEntryId} is an expense; set exportExpensesFlag`);
  const posted = state.batches.some((b) => b.closedFlag && b.recordIds.includes(e.glEntryId));
  if (!posted && !isUnpostedExpense(state, e)) {
    throw invalidField('createAccountingBatchRequest', 'processedRecordIds', `GL entry ${e.glEntryId} was not found among the unposted records (its expense report is not approved)`, 'NotFound');
  }
}

/** What a closed batch re-exports of its expenses. */
export function batchExpenseExport(state: SimState, b: SimBatch): Partial<ExpenseExportPart> {
  const entries = state.expenses.entries.filter((e) => b.recordIds.includes(e.glEntryId));
  if (!entries.length) return {};
  return buildExpenseExport(state, entries, b.summarizeExpenses === true);
}

/** Batch entries (BatchEntry) of the expense rows: debit the row's account, credit its offset. */
export function expenseBatchEntries(exp: CwGLExport, firstId: number): CwBatchEntry[] {
  const out: CwBatchEntry[] = [];
  let id = firstId;
  const side = (amount: number) => (amount >= 0 ? { debit: Math.abs(amount), credit: 0 } : { debit: 0, credit: Math.abs(amount) });
  for (const x of exp.expenses ?? []) {
    out.push({ id: ++id, accountType: x.glTypeId ?? '', name: x.member?.name ?? '', accountNumber: x.accountNumber ?? '', ...side(x.total ?? 0), cost: 0 });
    if (x.offset) out.push({ id: ++id, accountType: x.offset.glTypeId ?? '', name: x.member?.name ?? '', accountNumber: x.offset.accountNumber ?? '', ...side(x.offset.total ?? 0), cost: 0 });
  }
  return out;
}
