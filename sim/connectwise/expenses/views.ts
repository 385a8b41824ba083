// Projects the sim's expense records onto ConnectWise's wire models
// (ExpenseReport, ExpenseEntry, ExpenseType, PaymentType, Classification,
// ExpenseTaxTypeInfo, UnpostedExpense), and decides what the accounting
// interface sees: an entry is unposted while no closed batch holds its GL
// entry and either its report has its final approval (tier two, or tier one
// when the setup has no second tier) or it is charged to a ticket that bills
// unapproved expenses (ConnectWise lets those through before approval).
import type {
  CwExpenseClassification,
  CwExpenseEntry,
  CwExpenseReport,
  CwExpenseTaxTypeInfo,
  CwExpenseType,
  CwPaymentType,
  CwUnpostedExpense,
} from '../../../shared/cw-types.js';
import type { SimState } from '../model.js';
import { money, sum, wire } from '../money.js';
import { companyRef, currencyRef } from '../views.js';
import type { ExpenseClassificationKey, ExpenseStatus, SimExpenseEntry, SimExpenseReport } from './model.js';

const API = '/v4_6_release/apis/3.0';

export function memberRef(state: SimState, identifier: string) {
  const m = state.members.find((x) => x.identifier === identifier)!;
  return { id: m.id!, identifier: m.identifier, name: `${m.firstName} ${m.lastName}`, _info: { member_href: `${API}/system/members/${m.id}` } };
}

export function reportOf(state: SimState, e: SimExpenseEntry): SimExpenseReport {
  return state.expenses.reports.find((r) => r.id === e.reportId)!;
}

export function classificationOf(state: SimState, e: SimExpenseEntry) {
  return state.expenses.classifications.find((c) => c.id === e.classificationId)!;
}

export function typeOf(state: SimState, e: SimExpenseEntry) {
  return state.expenses.types.find((t) => t.id === e.typeId)!;
}

export function paymentTypeOf(state: SimState, e: SimExpenseEntry) {
  return state.expenses.paymentTypes.find((p) => p.id === e.paymentTypeId)!;
}

export function entryTax(e: SimExpenseEntry) {
  return sum(e.taxes.map((t) => t.amount));
}

/** The report's final approval: tier two, or tier one when the setup has no second tier. */
export function finallyApproved(state: SimState, status: ExpenseStatus): boolean {
  return status === 'ApprovedByTierTwo' || (status === 'ApprovedByTierOne' && !state.expenses.setup.secondTierApproval);
}

export function isExpensePosted(state: SimState, e: SimExpenseEntry): boolean {
  return state.batches.some((b) => b.closedFlag && b.recordIds.includes(e.glEntryId));
}

/** In finance/accounting/unpostedexpenses (and so in an expense export). */
export function isUnpostedExpense(state: SimState, e: SimExpenseEntry): boolean {
  if (isExpensePosted(state, e)) return false;
  const ticket = e.ticketId ? state.expenses.tickets.find((t) => t.id === e.ticketId) : undefined;
  return finallyApproved(state, reportOf(state, e).status) || ticket?.billUnapproved === true;
}

export function reportEntries(state: SimState, reportId: number): SimExpenseEntry[] {
  return state.expenses.entries.filter((e) => e.reportId === reportId);
}

/**
 * The accounts an entry posts to, from the accounting setup:
 *   Reimbursable     debit the expense type's account, credit accounts payable (owed to the member)
 *   NonReimbursable  debit the expense type's account, credit the company payment type's offset account
 *   Personal         debit accounts payable (the member owes it back), credit the payment type's offset account
 * The tax contained in the amount is debited to the expense tax account (not for personal expenses).
 */
export function entryAccounts(state: SimState, e: SimExpenseEntry): { debit: string; credit: string; glType: 'EE' | 'EO' | 'EI' } {
  const key = classificationOf(state, e).key;
  const setup = state.expenses.setup;
  const offset = paymentTypeOf(state, e).offsetAccount ?? setup.accountsPayable;
  if (key === 'Reimbursable') return { debit: typeOf(state, e).glAccount, credit: setup.accountsPayable, glType: 'EE' };
  if (key === 'NonReimbursable') return { debit: typeOf(state, e).glAccount, credit: offset, glType: 'EO' };
  return { debit: setup.accountsPayable, credit: offset, glType: 'EI' };
}

export function classificationKey(state: SimState, e: SimExpenseEntry): ExpenseClassificationKey {
  return classificationOf(state, e).key;
}

export function toCwExpenseReport(state: SimState, r: SimExpenseReport): CwExpenseReport {
  return {
    id: r.id,
    member: memberRef(state, r.member),
    year: r.year,
    period: r.period,
    dateStart: `${r.dateStart}T00:00:00Z`,
    dateEnd: `${r.dateEnd}T00:00:00Z`,
    status: r.status,
    total: wire(sum(reportEntries(state, r.id).map((e) => e.amount))),
    dueDate: `${r.dueDate}T00:00:00Z`,
    _info: { lastUpdated: r.updatedAt, entries_href: `${API}/expense/entries?conditions=expenseReport/id=${r.id}` },
  };
}

function chargeToRefs(state: SimState, e: SimExpenseEntry) {
  const ticket = e.ticketId ? state.expenses.tickets.find((t) => t.id === e.ticketId) : undefined;
  const project = e.projectId ? state.expenses.projects.find((p) => p.id === e.projectId) : undefined;
  return {
    ...(ticket ? { ticket: { id: ticket.id, summary: ticket.summary, _info: { ticket_href: `${API}/service/tickets/${ticket.id}` } } } : {}),
    ...(project ? { project: { id: project.id, name: project.name, _info: { project_href: `${API}/project/projects/${project.id}` } } } : {}),
  };
}

export function toCwExpenseEntry(state: SimState, e: SimExpenseEntry): CwExpenseEntry {
  const r = reportOf(state, e);
  const type = typeOf(state, e);
  const pt = paymentTypeOf(state, e);
  const cls = classificationOf(state, e);
  return {
    id: e.id,
    expenseReport: { id: r.id, name: `${r.dateStart} – ${r.dateEnd}` },
    company: companyRef(state, e.companyId),
    ...(e.chargeTo ? { chargeToId: e.chargeTo.id, chargeToType: e.chargeTo.type as CwExpenseEntry['chargeToType'] } : {}),
    type: { id: type.id, name: type.name },
    member: memberRef(state, r.member),
    paymentMethod: { id: pt.id, name: pt.name },
    classification: { id: cls.id, name: cls.name },
    amount: wire(money(e.amount)),
    billableOption: e.billableOption,
    date: e.date,
    locationId: e.locationId,
    businessUnitId: 10,
    notes: e.notes,
    ...(e.agreement ? { agreement: { ...e.agreement } } : {}),
    invoiceAmount: 0,
    taxes: e.taxes.map((t, i) => {
      const tt = state.expenses.taxTypes.find((x) => x.id === t.typeId)!;
      return { id: e.id * 10 + i + 1, amount: wire(money(t.amount)), type: { id: tt.id, name: tt.name } };
    }),
    currency: currencyRef(state, e.currencyCode),
    status: r.status,
    billAmount: e.billableOption === 'Billable' ? wire(money(e.amount)) : 0,
    agreementAmount: e.agreementAmount ? wire(money(e.agreementAmount)) : 0,
    ...chargeToRefs(state, e),
    _info: { lastUpdated: r.updatedAt },
  };
}

export function toCwExpenseType(state: SimState, id: number): CwExpenseType {
  const t = state.expenses.types.find((x) => x.id === id)!;
  return {
    id: t.id,
    name: t.name,
    amountCaption: t.amountCaption,
    ...(t.reimbursementRate !== undefined ? { reimbursementRate: t.reimbursementRate } : {}),
    billExpenses: t.billExpenses,
    invoiceMarkupOption: 'Percent',
    invoiceMarkupAmount: 0,
    advancedAmountFlag: false,
    mileageFlag: t.mileageFlag,
    quantityFlag: t.mileageFlag,
    inactiveFlag: false,
    integrationXRef: t.glAccount,
    defaultFlag: t.id === 1,
  };
}

export function toCwPaymentType(state: SimState, id: number): CwPaymentType {
  const p = state.expenses.paymentTypes.find((x) => x.id === id)!;
  const cls = state.expenses.classifications.find((c) => c.id === p.classificationId)!;
  return { id: p.id, name: p.name, classification: { id: cls.id, name: cls.name }, defaultFlag: p.defaultFlag, companyFlag: p.companyFlag };
}

export function toCwClassification(state: SimState, id: number): CwExpenseClassification {
  const c = state.expenses.classifications.find((x) => x.id === id)!;
  return { id: c.id, name: c.name, multiplier: 1, defaultFlag: c.id === 1, companyFlag: c.companyFlag, employeeFlag: c.employeeFlag };
}

export function toCwTaxType(state: SimState, id: number): CwExpenseTaxTypeInfo {
  const t = state.expenses.taxTypes.find((x) => x.id === id)!;
  return { id: t.id, name: t.name, inactive: false };
}

export function toUnpostedExpense(state: SimState, e: SimExpenseEntry): CwUnpostedExpense {
  const r = reportOf(state, e);
  const type = typeOf(state, e);
  const pt = paymentTypeOf(state, e);
  const accounts = entryAccounts(state, e);
  const amount = money(e.amount);
  const billable = e.billableOption === 'Billable' ? amount : money(0);
  const tax = entryTax(e);
  const taxType = e.taxes[0] ? state.expenses.taxTypes.find((x) => x.id === e.taxes[0]!.typeId) : undefined;
  return {
    id: e.glEntryId,
    locationId: e.locationId,
    departmentId: 10,
    company: companyRef(state, e.companyId),
    accountNumber: accounts.debit,
    creditAccount: accounts.credit,
    expenseDetailId: e.id,
    expenseType: { id: type.id, name: type.name },
    classification: classificationKey(state, e),
    glType: accounts.glType,
    member: memberRef(state, r.member),
    dateExpense: e.date,
    chargeDescription: e.notes,
    inPolicy: true,
    paymentMethod: { id: pt.id, name: pt.name },
    currency: currencyRef(state, e.currencyCode),
    total: wire(amount),
    billableAmount: wire(billable),
    nonBillableAmount: wire(amount.minus(billable)),
    ...(e.agreement ? { agreement: { ...e.agreement } } : {}),
    agreementAmountCovered: e.agreementAmount ? wire(money(e.agreementAmount)) : 0,
    ...chargeToRefs(state, e),
    ...(taxType ? { taxCode: { id: taxType.id, name: taxType.name } } : {}),
    itemTaxableFlag: !tax.isZero(),
    salesTaxAmount: wire(tax),
    _info: { expenseEntry_href: `${API}/expense/entries/${e.id}`, expenseReport_href: `${API}/expense/reports/${r.id}` },
  };
}
