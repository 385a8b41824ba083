// The simulator's own records. ConnectWise's published models (shared/cw-types.ts)
// type everything that goes on the wire; these add what the API models do not
// carry but the sim must know to compute them (invoice lines and time entries,
// the GL mapping, tax rates).
import type { FaultPhaseSetting } from '../net-faults.js';
import type {
  CwCompany,
  CwContact,
  CwHostedScreen,
  CwHostedSetup,
  CwLocation,
  CwMember,
  CwPayment,
} from '../../shared/cw-types.js';
import type { SimExpenseState } from './expenses/model.js';
import type { ProcurementState } from './procurement/model.js';
import type { ServiceState } from './service/model.js';

export type InvoiceType = 'Standard' | 'Agreement' | 'CreditMemo' | 'Miscellaneous';

/** How the accounting setup summarises time: see gl-export.ts. */
export type SummarizeInvoices = 'Default' | 'Condensed' | 'Detailed';

export interface SimTaxCode {
  id: number;
  name: string; // GST, NZGST, EXEMPT
  description: string;
  ratePercent: string; // exact, e.g. "10"
}

export interface SimBillingTerms {
  id: number;
  name: string;
  dueDays: number;
}

export interface SimCurrency {
  id: number;
  currencyCode: string;
  symbol: string;
  name: string;
}

export interface SimProduct {
  id: number; // catalog item id
  identifier: string; // item code
  description: string;
  unitOfMeasure: { id: number; name: string };
  inventory: boolean; // an inventory part carries cost/inventory accounts
  glAccount?: string; // overrides the mapping's product revenue account
  subCategoryId?: number; // its product sub-category (SimState.subCategories); export lines carry it as subCategory
}

/** A product sub-category (procurement/subcategories) under its category. */
export interface SimSubCategory {
  id: number;
  name: string;
  category: { id: number; name: string };
  inactiveFlag: boolean;
}

interface LineBase {
  id: number;
  description: string;
  quantity: string; // exact decimal text
  unitPrice: string; // exact decimal text, may have more than 2 decimals
  taxable: boolean;
}

/** One time entry billed on the invoice (the export aggregates these). */
export interface SimTimeLine extends LineBase {
  kind: 'time';
  timeEntryId: number;
  member: string; // member identifier
  workType: string;
  dateEntered: string;
}

export interface SimProductLine extends LineBase {
  kind: 'product';
  productId: number;
  unitCost: string;
  /** Inventory parts: the warehouse the part ships from (default: the Sydney warehouse, 1). */
  warehouseId?: number;
}

/** The agreement's recurring amount on an agreement invoice. */
export interface SimAgreementLine extends LineBase {
  kind: 'agreement';
}

/** Negative: the part of the time an agreement covers, on a time-billing invoice. */
export interface SimAgreementCreditLine extends LineBase {
  kind: 'agreementCredit';
}

export interface SimExpenseLine extends LineBase {
  kind: 'expense';
}

export type SimLine = SimTimeLine | SimProductLine | SimAgreementLine | SimAgreementCreditLine | SimExpenseLine;

export interface SimInvoice {
  id: number;
  glEntryId: number; // the UnpostedInvoice id / processedRecordIds value
  invoiceNumber: string;
  type: InvoiceType;
  statusName: string;
  companyId: number;
  billToCompanyId: number;
  attentionContactId: number;
  locationId: number;
  departmentId: number;
  date: string; // ISO
  billingTermsId: number;
  customerPO: string;
  reference: string;
  currencyCode: string;
  taxCodeId: number;
  description: string;
  agreement?: { id: number; name: string; type: string };
  /** Credit memos: the invoice this one was applied to in ConnectWise. */
  appliedToInvoiceId?: number;
  lines: SimLine[];
  updatedAt: string;
}

export interface SimGlMapping {
  interfaceIdentifier: string;
  summarizeInvoices: SummarizeInvoices;
  accountsReceivable: string;
  serviceRevenue: string;
  productRevenue: string;
  agreementRevenue: string;
  expenseRevenue: string;
  costOfGoodsSold: string;
  inventory: string;
  accountsPayable: string;
  salesTax: string;
  /**
   * The accounting package setup's GL captions (finance/glCaptions): segment1 is
   * the account; `classSegment` is a second segment of type "Class", and
   * `classByLocation` the class each billing location's AR and product revenue
   * mappings carry in it — which every invoice of that location exports as
   * `glClass` (header and lines).
   */
  classSegment: { caption: string };
  classByLocation: Record<number, string>;
}

export interface SimBatch {
  id: number;
  batchIdentifier: string;
  exportInvoicesFlag: boolean;
  exportExpensesFlag: boolean;
  exportProductsFlag: boolean;
  closedFlag: boolean;
  glInterfaceIdentifier?: string;
  recordIds: number[]; // GL entry ids
  /** Expense batches: the export's expenseBills summarised (CreateAccountingBatchRequest.summarizeExpenses). */
  summarizeExpenses?: boolean;
  createdAt: string;
}

export interface SimPayment extends CwPayment {
  id: number;
  invoiceId: number;
}

export interface SimFaults {
  latencyMs: number;
  errorRate: number;
  rate429: number;
  retryAfterSeconds: number;
  /** When an injected 500/503, drop or timeout strikes: before the work, after it (a lost answer), or either at random (sim/net-faults.ts). */
  errorPhase: FaultPhaseSetting;
  /** A share of calls whose connection is closed without an answer. */
  dropRate: number;
  /** A share of calls whose answer is held timeoutMs. */
  timeoutRate: number;
  timeoutMs: number;
}

export interface SimMemberHash {
  memberIdentifier: string;
  issuedAtMs: number;
}

export interface SimState {
  info: { version: string; serverTimeZone: string };
  locations: CwLocation[];
  departments: { id: number; identifier: string; name: string }[];
  members: CwMember[];
  companies: CwCompany[];
  contacts: CwContact[];
  taxCodes: SimTaxCode[];
  billingTerms: SimBillingTerms[];
  currencies: SimCurrency[];
  products: SimProduct[];
  subCategories: SimSubCategory[];
  glMapping: SimGlMapping;
  invoices: SimInvoice[];
  payments: SimPayment[];
  /** Expense reports and entries with their setup tables (expenses/). */
  expenses: SimExpenseState;
  /** Vendors' purchase orders, warehouses, adjustments and transfers (procurement/). */
  procurement: ProcurementState;
  /** Service boards, their statuses, tickets and notes (service/). */
  service: ServiceState;
  batches: SimBatch[];
  hostedScreens: CwHostedScreen[];
  hostedSetups: CwHostedSetup[];
  memberHashes: Map<string, SimMemberHash>;
  faults: SimFaults;
  nextId: { payment: number; batch: number; hostedSetup: number };
}
