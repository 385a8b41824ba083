// The simulator's in-memory records. Amounts are decimal strings (never
// floats); timestamps are sim-clock milliseconds; dates are UTC midnights.
import type { LineAmountTypes } from './money.js';

export type DocStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';

export interface AccountRec {
  AccountID: string;
  Code: string;
  Name: string;
  Type: string;
  Status: 'ACTIVE' | 'ARCHIVED';
  TaxType: string;
  Description?: string;
  EnablePaymentsToAccount: boolean;
  ShowInExpenseClaims: boolean;
  BankAccountType?: 'BANK' | 'CREDITCARD';
  BankAccountNumber?: string;
  CurrencyCode?: string;
  SystemAccount?: string;
  ReportingCode?: string;
  updatedAt: number;
}

export interface TaxRateRec {
  Name: string;
  TaxType: string;
  ReportTaxType: string;
  rate: string;
  Status: 'ACTIVE' | 'ARCHIVED' | 'DELETED';
  revenue: boolean;
  expenses: boolean;
}

export interface TrackingCategoryRec {
  TrackingCategoryID: string;
  Name: string;
  Status: 'ACTIVE' | 'ARCHIVED';
  Options: { TrackingOptionID: string; Name: string; Status: 'ACTIVE' | 'ARCHIVED' }[];
}

export interface ItemRec {
  ItemID: string;
  Code: string;
  Name?: string;
  Description?: string;
  PurchaseDescription?: string;
  IsSold: boolean;
  IsPurchased: boolean;
  SalesDetails?: { UnitPrice?: string; AccountCode?: string; TaxType?: string };
  PurchaseDetails?: { UnitPrice?: string; AccountCode?: string; TaxType?: string };
  updatedAt: number;
}

export interface ContactRec {
  ContactID: string;
  ContactStatus: 'ACTIVE' | 'ARCHIVED';
  Name: string;
  ContactNumber?: string;
  AccountNumber?: string;
  FirstName?: string;
  LastName?: string;
  EmailAddress?: string;
  CompanyNumber?: string;
  TaxNumber?: string;
  DefaultCurrency?: string;
  ContactPersons?: { FirstName?: string; LastName?: string; EmailAddress?: string; IncludeInEmails?: boolean }[];
  Addresses?: Record<string, string>[];
  Phones?: Record<string, string>[];
  IsCustomer: boolean;
  IsSupplier: boolean;
  updatedAt: number;
}

export interface TrackingRef {
  TrackingCategoryID: string;
  TrackingOptionID: string;
  Name: string;
  Option: string;
}

export interface LineRec {
  LineItemID: string;
  Description: string;
  Quantity: string;
  UnitAmount: string;
  ItemCode?: string;
  AccountCode?: string;
  TaxType?: string;
  TaxAmount: string;
  LineAmount: string;
  DiscountRate?: string;
  Tracking: TrackingRef[];
}

export interface AllocationRec {
  AllocationID: string;
  source: { kind: 'creditnote' | 'overpayment'; id: string };
  InvoiceID: string;
  Amount: string;
  Date: number;
  deleted: boolean;
  updatedAt: number;
}

/** Invoices and credit notes share lines, totals and the status life cycle. */
export interface DocumentRec {
  kind: 'invoice' | 'creditnote';
  id: string;
  Type: 'ACCREC' | 'ACCPAY' | 'ACCRECCREDIT' | 'ACCPAYCREDIT';
  ContactID: string;
  Number?: string;
  Reference?: string;
  /** Invoices and bills: the link to the source document. */
  Url?: string;
  Date: number;
  DueDate?: number;
  Status: DocStatus;
  LineAmountTypes: LineAmountTypes;
  CurrencyCode: string;
  CurrencyRate: string;
  lines: LineRec[];
  SubTotal: string;
  TotalTax: string;
  Total: string;
  /** cash payments (invoice) or refunds (credit note) */
  AmountPaid: string;
  /** credit notes / overpayments allocated to this invoice, or this credit note's allocations */
  AmountCredited: string;
  FullyPaidOnDate?: number;
  SentToContact: boolean;
  ExpectedPaymentDate?: number;
  unitdp4: boolean;
  updatedAt: number;
}

export interface PaymentRec {
  PaymentID: string;
  /** What the payment pays: an invoice, or a refund of a credit note's or an overpayment's remaining credit. */
  target: { kind: 'invoice' | 'creditnote' | 'overpayment'; id: string };
  AccountID: string;
  Date: number;
  Amount: string;
  /** The amount in the bank account's currency (Amount itself unless a foreign document is paid from a base-currency account). */
  BankAmount: string;
  CurrencyRate: string;
  Reference?: string;
  Status: 'AUTHORISED' | 'DELETED';
  PaymentType: string;
  IsReconciled: boolean;
  updatedAt: number;
}

export interface OverpaymentRec {
  OverpaymentID: string;
  Type: 'RECEIVE-OVERPAYMENT' | 'SPEND-OVERPAYMENT';
  ContactID: string;
  Date: number;
  Status: 'AUTHORISED' | 'PAID' | 'VOIDED';
  CurrencyCode: string;
  Total: string;
  AccountID: string;
  Reference?: string;
  updatedAt: number;
}

export interface JournalLineRec {
  LineAmount: string;
  AccountCode: string;
  AccountID: string;
  Description?: string;
  TaxType?: string;
  TaxAmount: string;
  Tracking: TrackingRef[];
}

export interface ManualJournalRec {
  ManualJournalID: string;
  Narration: string;
  Date: number;
  Status: 'DRAFT' | 'POSTED' | 'DELETED' | 'VOIDED';
  LineAmountTypes: LineAmountTypes;
  ShowOnCashBasisReports: boolean;
  Url?: string;
  lines: JournalLineRec[];
  updatedAt: number;
}

export interface OrganisationInfo {
  OrganisationID: string;
  Name: string;
  LegalName: string;
  Version: 'AU' | 'NZ';
  BaseCurrency: string;
  CountryCode: 'AU' | 'NZ';
  Timezone: string;
  TaxNumber: string;
  ShortCode: string;
  LineOfBusiness: string;
  createdAt: number;
  /** Lock dates (UTC midnights), set through POST /__sim/lock-dates: nothing posted on or before them. */
  PeriodLockDate?: number;
  EndOfYearLockDate?: number;
}

export interface OrgState {
  info: OrganisationInfo;
  /** rate is Xero's CurrencyRate: units of this currency per one unit of the base currency (base amount = amount ÷ rate). */
  currencies: { Code: string; Description: string; rate: string }[];
  accounts: AccountRec[];
  taxRates: TaxRateRec[];
  tracking: TrackingCategoryRec[];
  items: Map<string, ItemRec>;
  contacts: Map<string, ContactRec>;
  documents: Map<string, DocumentRec>;
  payments: Map<string, PaymentRec>;
  overpayments: Map<string, OverpaymentRec>;
  allocations: Map<string, AllocationRec>;
  journals: Map<string, ManualJournalRec>;
  sequences: { invoice: number; creditnote: number };
}
