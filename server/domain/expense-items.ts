// ConnectWise's expense export read per entry. The accounting export's
// `expenseBills[].detail[]` carries each GL entry's posting from ConnectWise's
// GL mapping — "EE" the expense net of tax (debit the expense type's account),
// "ET" the tax in it, "EO" the company-paid offset (−amount, credit the payment
// type's account) — and the unposted list ties a GL entry to its expense entry
// (notes, charge-to, payment type, date). Export the expenses unsummarised:
// each detail must name one GL entry.
//
// How each classification posts (in an accountant's words; see
// `classificationPosting` for the sentence the tab shows):
//   Reimbursable     the member paid; the company owes them the amount.
//   NonReimbursable  the company paid (a company card or account); nothing is
//                    owed to the member: the expense is settled from the
//                    account it was charged to.
//   Personal         a personal purchase the company paid; the member owes it
//                    back, so it reduces what the company owes them.
import type {
  CwExpenseEntry,
  CwGLExportExpenseBill,
  CwGLExportExpenseBillDetail,
  CwUnpostedExpense,
} from '../../shared/cw-types.js';
import { EXPENSE_SECTION, settingsWhere } from '../../shared/settings-sections.js';
import { localDate } from './expense-weeks.js';
import { type Dec, NotANumberError, ZERO, fromCw, sum } from './money.js';
import { type MappingProblem, ProblemList } from './problems.js';

export type ExpenseClassification = 'Reimbursable' | 'NonReimbursable' | 'Personal';

export const WHERE_EXPENSE = {
  cwReport: 'ConnectWise › Time & Expense › Expense reports (this report)',
  cwExpenseGl: 'ConnectWise › System › Setup Tables › GL Accounts (Accounting Interface) › Expenses',
  // The settings pod's Expenses card (its title, and its Wise-Pay and tax type sections).
  settingsExpenses: settingsWhere('expenses'),
  settingsWisePay: `${settingsWhere('expenses')} › ${EXPENSE_SECTION.wisePay}`,
  settingsExpenseTax: `${settingsWhere('expenses')} › ${EXPENSE_SECTION.taxTypes}`,
} as const;

/** One GL entry (one expense entry) with its posting. Amounts in ConnectWise's sign. */
export interface ExpenseItem {
  glEntryId: string;
  entry: CwExpenseEntry;
  reportId: number;
  memberId: number;
  memberIdentifier: string;
  classification: ExpenseClassification;
  currency: string;
  /** The day spent, in ConnectWise's time zone (YYYY-MM-DD); '' when unknown (a blocking problem says so). */
  date: string;
  /** The receipt amount, tax included. */
  gross: Dec;
  /** "EE": the expense net of tax and its GL account (none for personal). */
  expense: { accountNumber: string; total: Dec } | null;
  /** "ET": the tax in the amount. */
  tax: Dec;
  /** "EO": the company-paid offset (−gross) and its GL account (non-reimbursable and personal). */
  offset: { accountNumber: string; total: Dec } | null;
  /** What ConnectWise says the company owes the member for this entry (Σ of its details). */
  owed: Dec;
  paymentType: { id: number | null; name: string };
  problems: MappingProblem[];
}

const CLASSIFICATIONS: Record<string, ExpenseClassification> = {
  reimbursable: 'Reimbursable',
  nonreimbursable: 'NonReimbursable',
  personal: 'Personal',
};

/** "Non-Reimbursable", "NonReimbursable", "non reimbursable" → NonReimbursable. */
export function classificationOf(name: string | null | undefined): ExpenseClassification | null {
  return CLASSIFICATIONS[(name ?? '').toLowerCase().replace(/[^a-z]/g, '')] ?? null;
}

/** How a classification posts, in an accountant's words (the tab and the README say the same). */
export function classificationPosting(c: ExpenseClassification, wisePay: boolean): string {
  switch (c) {
    case 'Reimbursable':
      return 'Paid by the member: a bill line on the expense account, with its input tax, payable to the member.';
    case 'NonReimbursable':
      return wisePay
        ? 'Paid by the company: a bill line on the expense account, with its input tax, paid at once from the company account it was charged to (Wise-Pay), so nothing is owed to the member.'
        : "Paid by the company: a bill line on the expense account, with its input tax, and a line taking the amount off again on ConnectWise's offset account (the card's clearing account), so nothing is owed to the member.";
    case 'Personal':
      return "A personal purchase the company paid: a negative line on ConnectWise's offset account (the card's clearing account), without tax; the member owes it back, so it reduces what the company owes them.";
  }
}

export interface ReadExpenseItemsInput {
  /** `expenseBills` of POST finance/accounting/export (exportExpensesFlag, unsummarised). */
  expenseBills: CwGLExportExpenseBill[];
  /** finance/accounting/unpostedexpenses rows of these GL entries (GL entry id → expense entry). */
  unposted: CwUnpostedExpense[];
  /** expense/entries of the reports. */
  entries: CwExpenseEntry[];
  /** ConnectWise's time zone (system/info serverTimeZone). */
  timeZone: string;
}

/** Every GL entry of the export's expense bills, read with its posting and its entry. */
export function readExpenseItems(input: ReadExpenseItemsInput): ExpenseItem[] {
  const byGl = new Map<string, { bill: CwGLExportExpenseBill; details: { d: CwGLExportExpenseBillDetail; index: string }[] }>();
  input.expenseBills.forEach((bill, b) => {
    (bill.detail ?? []).forEach((d, i) => {
      const ids = d.id ?? [];
      const key = ids.length === 1 ? String(ids[0]) : `summarised:${b}:${i}`;
      const slot = byGl.get(key) ?? { bill, details: [] };
      slot.details.push({ d, index: `expenseBills[${b}].detail[${i}]` });
      byGl.set(key, slot);
    });
  });
  const items: ExpenseItem[] = [];
  for (const [gl, { bill, details }] of [...byGl.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    const problems = new ProblemList();
    if (gl.startsWith('summarised:')) {
      problems.blocking({
        code: 'expense-export-summarized',
        message: 'The ConnectWise export summarises several expenses in one detail line; export them with summarizeExpenses off.',
        where: WHERE_EXPENSE.cwReport,
        area: 'connectwise',
        field: details[0]!.index,
      });
    }
    const unposted = input.unposted.find((u) => String(u.id) === gl);
    const entry = input.entries.find((e) => e.id !== undefined && e.id === unposted?.expenseDetailId);
    const field = details[0]!.index;
    if (!entry || !unposted) {
      problems.blocking({
        code: 'expense-entry-missing',
        message: `ConnectWise's export has GL entry ${gl}, but its expense entry was not found among the report's entries.`,
        where: WHERE_EXPENSE.cwReport,
        area: 'connectwise',
        field,
      });
    }
    const cls = classificationOf(unposted?.classification ?? details[0]!.d.expenseClass?.name ?? entry?.classification?.name);
    if (!cls) {
      problems.blocking({
        code: 'expense-classification-unknown',
        message: `GL entry ${gl} has a classification the sync does not know ("${details[0]!.d.expenseClass?.name ?? ''}").`,
        where: WHERE_EXPENSE.cwReport,
        area: 'connectwise',
        field: `${field}.expenseClass`,
      });
    }
    const num = (v: number | null | undefined, at: string): Dec => {
      try {
        return fromCw(v, null);
      } catch (e) {
        if (!(e instanceof NotANumberError)) throw e;
        problems.blocking({ code: 'cw-number-invalid', message: `GL entry ${gl} has no valid amount in the export.`, where: WHERE_EXPENSE.cwReport, area: 'connectwise', field: at });
        return ZERO;
      }
    };
    const part = (type: string) => details.filter((x) => x.d.glTypeId === type);
    const ee = part('EE')[0];
    const eo = part('EO')[0];
    const tax = sum(part('ET').map((x) => num(x.d.total, `${x.index}.total`)));
    const owed = sum(details.map((x) => num(x.d.total, `${x.index}.total`)));
    const date = localDate(entry?.date ?? details[0]!.d.documentDate, input.timeZone);
    if (!date) {
      problems.blocking({
        code: 'date-missing',
        message: `GL entry ${gl} has no valid date (or the time zone "${input.timeZone}" is unknown).`,
        where: WHERE_EXPENSE.cwReport,
        area: 'connectwise',
        field: `${field}.documentDate`,
      });
    }
    const gross = entry ? num(entry.amount, `entries[${entry.id}].amount`) : owed;
    const expense = ee ? { accountNumber: (ee.d.accountNumber ?? '').trim(), total: num(ee.d.total, `${ee.index}.total`) } : null;
    const offset = eo ? { accountNumber: (eo.d.accountNumber ?? '').trim(), total: num(eo.d.total, `${eo.index}.total`) } : null;
    if (cls && ((cls !== 'Personal' && !expense) || (cls !== 'Reimbursable' && !offset))) {
      problems.blocking({
        code: 'expense-gl-incomplete',
        message: `ConnectWise's GL mapping gave GL entry ${gl} (${cls}) no ${!expense && cls !== 'Personal' ? 'expense' : 'offset'} account line.`,
        where: WHERE_EXPENSE.cwExpenseGl,
        area: 'connectwise',
        field,
      });
    }
    items.push({
      glEntryId: gl,
      entry: entry ?? { amount: null, date: '' },
      reportId: bill.id ?? entry?.expenseReport?.id ?? 0,
      memberId: bill.member?.id ?? entry?.member?.id ?? 0,
      memberIdentifier: bill.member?.identifier ?? bill.vendorNumber ?? entry?.member?.identifier ?? '',
      classification: cls ?? 'Reimbursable',
      currency: (details[0]!.d.currency?.currencyCode ?? bill.currency?.currencyCode ?? entry?.currency?.currencyCode ?? '').toUpperCase(),
      date: date ?? '',
      gross,
      expense,
      tax,
      offset,
      owed,
      paymentType: { id: entry?.paymentMethod?.id ?? unposted?.paymentMethod?.id ?? null, name: entry?.paymentMethod?.name ?? unposted?.paymentMethod?.name ?? '' },
      problems: problems.items,
    });
  }
  return items;
}
