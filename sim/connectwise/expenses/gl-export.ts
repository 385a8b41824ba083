// The accounting export's expense part (exportExpensesFlag). Accounts come from
// the accounting setup (views.ts entryAccounts); every amount is exact.
//
//   expenses[]      one GLExportExpense per GL entry: total = the amount net of
//                   tax on `accountNumber` (the debit), `offset` = the credit
//                   (accounts payable for reimbursable; the company payment
//                   type's offset account for company-paid) with −amount; the
//                   tax in the amount is a second row (same id, glTypeId "ET",
//                   the expense tax account). Rows of one entry sum to zero.
//   expenseBills[]  one GLExportExpenseBill per expense report and currency:
//                   what the company owes the member. detail[] per entry:
//                     "EE" the expense net of tax (reimbursable and company-paid),
//                     "ET" the tax in it,
//                     "EO" the company-paid offset, −amount (non-reimbursable
//                          and personal: not owed to the member / owed back).
//                   total = Σ detail = reimbursable amounts − personal amounts.
//                   summarizeExpenses: one detail per (glTypeId, account,
//                   classification), its `id` listing the GL entries (billable
//                   when all of them are).
//   vendors[]       one GLExportVendor per member (vendorNumber = identifier).
import type { CwGLExportExpense, CwGLExportExpenseBill, CwGLExportExpenseBillDetail, CwGLExportVendor } from '../../../shared/cw-types.js';
import type { SimState } from '../model.js';
import { money, sum, wire } from '../money.js';
import { companyRef, currencyRef } from '../views.js';
import type { SimExpenseEntry } from './model.js';
import { classificationKey, classificationOf, entryAccounts, entryTax, memberRef, paymentTypeOf, reportOf, typeOf } from './views.js';

export interface ExpenseExportPart {
  expenses: CwGLExportExpense[];
  expenseBills: CwGLExportExpenseBill[];
  vendors: CwGLExportVendor[];
}

function expenseRows(state: SimState, e: SimExpenseEntry): CwGLExportExpense[] {
  const r = reportOf(state, e);
  const acc = entryAccounts(state, e);
  const member = memberRef(state, r.member);
  const company = state.companies.find((c) => c.id === e.companyId)!;
  const project = e.projectId ? state.expenses.projects.find((p) => p.id === e.projectId) : undefined;
  const personal = classificationKey(state, e) === 'Personal';
  const tax = personal ? money(0) : entryTax(e);
  const amount = money(e.amount);
  const description = `${typeOf(state, e).name} (${classificationOf(state, e).name}, ${paymentTypeOf(state, e).name})`;
  const base = {
    id: e.glEntryId,
    documentDate: e.date,
    documentType: 'EX',
    apAccountNumber: state.expenses.setup.accountsPayable,
    memo: e.notes,
    periodStartDate: `${r.dateStart}T00:00:00Z`,
    periodEndDate: `${r.dateEnd}T00:00:00Z`,
    member,
    vendorNumber: r.member,
    company: companyRef(state, e.companyId),
    companyAccountNumber: company.accountNumber ?? '',
    ...(project ? { project: { id: project.id, name: project.name } } : {}),
    currency: currencyRef(state, e.currencyCode),
  };
  const rows: CwGLExportExpense[] = [
    {
      ...base,
      accountNumber: acc.debit,
      glTypeId: acc.glType,
      description,
      total: wire(amount.minus(tax)),
      offset: { id: e.glEntryId, documentDate: e.date, documentType: 'EX', accountNumber: acc.credit, glTypeId: 'EO', member, memo: e.notes, description, total: wire(amount.negated()) },
    },
  ];
  if (!tax.isZero()) rows.push({ ...base, accountNumber: state.expenses.setup.expenseTax, glTypeId: 'ET', description: `Tax: ${description}`, total: wire(tax) });
  return rows;
}

function billDetails(state: SimState, e: SimExpenseEntry): CwGLExportExpenseBillDetail[] {
  const key = classificationKey(state, e);
  const cls = classificationOf(state, e);
  const acc = entryAccounts(state, e);
  const amount = money(e.amount);
  const tax = key === 'Personal' ? money(0) : entryTax(e);
  const base = {
    id: [e.glEntryId],
    documentDate: e.date,
    memo: e.notes,
    company: companyRef(state, e.companyId),
    expenseClass: { id: cls.id, name: cls.name },
    currency: currencyRef(state, e.currencyCode),
    billable: e.billableOption === 'Billable',
    reimbursable: key === 'Reimbursable',
    companyAdvance: key !== 'Reimbursable',
  };
  const out: CwGLExportExpenseBillDetail[] = [];
  if (key !== 'Personal') {
    out.push({ ...base, glTypeId: 'EE', accountNumber: typeOf(state, e).glAccount, total: wire(amount.minus(tax)) });
    if (!tax.isZero()) out.push({ ...base, glTypeId: 'ET', accountNumber: state.expenses.setup.expenseTax, total: wire(tax) });
  }
  if (key !== 'Reimbursable') out.push({ ...base, glTypeId: 'EO', accountNumber: acc.credit, total: wire(amount.negated()) });
  return out;
}

function summarize(details: CwGLExportExpenseBillDetail[]): CwGLExportExpenseBillDetail[] {
  const groups = new Map<string, CwGLExportExpenseBillDetail[]>();
  for (const d of details) {
    const k = [d.glTypeId, d.accountNumber, d.expenseClass?.id].join('|');
    groups.set(k, [...(groups.get(k) ?? []), d]);
  }
  return [...groups.values()].map((g) => {
    const first = g[0]!;
    const sameCompany = g.every((d) => d.company?.id === first.company?.id);
    const { company: _company, ...rest } = first;
    return {
      ...rest,
      ...(sameCompany && first.company ? { company: first.company } : {}),
      id: g.flatMap((d) => d.id ?? []),
      billable: g.every((d) => d.billable),
      documentDate: g.map((d) => d.documentDate ?? '').sort().at(-1)!,
      memo: g.length === 1 ? first.memo! : `${g.length} expenses`,
      total: wire(sum(g.map((d) => d.total ?? 0))),
    };
  });
}

export function buildExpenseExport(state: SimState, entries: SimExpenseEntry[], summarizeExpenses: boolean): ExpenseExportPart {
  const bills = new Map<string, SimExpenseEntry[]>();
  for (const e of [...entries].sort((a, b) => a.reportId - b.reportId || a.id - b.id)) {
    const k = `${e.reportId}|${e.currencyCode}`;
    bills.set(k, [...(bills.get(k) ?? []), e]);
  }
  const expenseBills: CwGLExportExpenseBill[] = [...bills.values()].map((group) => {
    const r = reportOf(state, group[0]!);
    const details = group.flatMap((e) => billDetails(state, e));
    const detail = summarizeExpenses ? summarize(details) : details;
    return {
      id: r.id,
      documentDate: `${r.dateEnd}T00:00:00Z`,
      documentType: 'EB',
      documentNumber: `ER-${r.id}`,
      memo: `Expense report ${r.id}, ${r.dateStart} – ${r.dateEnd}`,
      glClass: '',
      apAccountNumber: state.expenses.setup.accountsPayable,
      member: memberRef(state, r.member),
      vendorNumber: r.member,
      currency: currencyRef(state, group[0]!.currencyCode),
      total: wire(sum(details.map((d) => d.total ?? 0))),
      detail,
    };
  });
  const members = [...new Set(entries.map((e) => reportOf(state, e).member))].sort();
  return {
    expenses: [...entries].sort((a, b) => a.glEntryId - b.glEntryId).flatMap((e) => expenseRows(state, e)),
    expenseBills,
    vendors: members.map((m) => ({ member: memberRef(state, m), vendorNumber: m, accountNumber: m })),
  };
}

