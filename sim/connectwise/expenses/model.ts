// The simulator's expense records: members' expense reports and their entries,
// the setup tables they point at (expense types, payment types,
// classifications, expense tax types) and the part of the accounting setup
// that maps expenses to GL accounts. ConnectWise's published models
// (shared/cw-types.ts) type the wire; these add what the sim must know to
// compute it (each entry's GL entry id, an expense type's GL account, a
// company payment type's offset account).
import type { CwSchemas } from '../../../shared/cw-types.js';

export type ExpenseStatus = NonNullable<CwSchemas['ExpenseReport']['status']>;

/** ConnectWise's three classifications, as UnpostedExpense spells them. */
export type ExpenseClassificationKey = 'Reimbursable' | 'NonReimbursable' | 'Personal';

export interface SimExpenseClassification {
  id: number;
  /** As ConnectWise shows it: "Reimbursable", "Non-Reimbursable", "Personal". */
  name: string;
  key: ExpenseClassificationKey;
  /** The company paid (a company card or account). */
  companyFlag: boolean;
  /** The member paid, or owes it. */
  employeeFlag: boolean;
}

export interface SimExpenseType {
  id: number;
  name: string;
  amountCaption: string;
  /** GL account the expense is debited to (the accounting setup's mapping for this type). */
  glAccount: string;
  billExpenses: 'Billable' | 'DoNotBill' | 'NoCharge' | 'NoDefault';
  mileageFlag: boolean;
  reimbursementRate?: number;
}

export interface SimPaymentType {
  id: number;
  name: string;
  classificationId: number;
  companyFlag: boolean;
  defaultFlag: boolean;
  /** Company payment types: the GL account company-paid expenses are credited to (the card or account). */
  offsetAccount?: string;
}

export interface SimExpenseTaxType {
  id: number;
  name: string;
  ratePercent: string;
}

export interface SimTicket {
  id: number;
  summary: string;
  companyId: number;
  /** The ticket's "bill unapproved time and expense": its expenses reach the accounting interface before approval. */
  billUnapproved: boolean;
}

export interface SimProject {
  id: number;
  name: string;
  companyId: number;
}

export interface SimExpenseReport {
  id: number;
  member: string; // member identifier
  year: number;
  period: number;
  dateStart: string; // YYYY-MM-DD
  dateEnd: string;
  dueDate: string;
  status: ExpenseStatus;
  updatedAt: string;
}

export interface SimExpenseEntry {
  id: number;
  /** The UnpostedExpense id / processedRecordIds value. */
  glEntryId: number;
  reportId: number;
  typeId: number;
  paymentTypeId: number;
  classificationId: number;
  /** Receipt amount, tax included (exact decimal text). */
  amount: string;
  /** The tax contained in `amount`, per tax type. */
  taxes: { typeId: number; amount: string }[];
  /** Instant of the local calendar date's midnight in the server's time zone. */
  date: string;
  currencyCode: string;
  locationId: number;
  companyId: number;
  chargeTo?: { type: 'ServiceTicket' | 'ProjectTicket' | 'ChargeCode' | 'Activity'; id: number };
  ticketId?: number;
  projectId?: number;
  agreement?: { id: number; name: string; type: string };
  /** Part of the amount an agreement covers. */
  agreementAmount?: string;
  billableOption: 'Billable' | 'DoNotBill' | 'NoCharge' | 'NoDefault';
  notes: string;
}

export interface SimExpenseSetup {
  /** Time & expense setup: is there a second approval tier? */
  secondTierApproval: boolean;
  /** GL accounts of the accounting setup for expenses. */
  accountsPayable: string;
  expenseTax: string;
}

export interface SimExpenseState {
  setup: SimExpenseSetup;
  classifications: SimExpenseClassification[];
  types: SimExpenseType[];
  paymentTypes: SimPaymentType[];
  taxTypes: SimExpenseTaxType[];
  tickets: SimTicket[];
  projects: SimProject[];
  reports: SimExpenseReport[];
  entries: SimExpenseEntry[];
}
