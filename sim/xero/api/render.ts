// Records → Xero wire JSON (PascalCase, JSON numbers, "/Date(ms+0000)/").
// Only properties documented in Xero's OpenAPI description appear here.
import Decimal from 'decimal.js';
import type { AccountRec, ContactRec, DocumentRec, ItemRec, LineRec, ManualJournalRec, OrgState, OverpaymentRec, PaymentRec, TaxRateRec } from '../records.js';
import { dec, wire } from '../money.js';
import { msDate } from '../wire-dates.js';
import type { Wire } from './listing.js';

const ACCOUNT_CLASS: Record<string, string> = {
  BANK: 'ASSET', CURRENT: 'ASSET', FIXED: 'ASSET', INVENTORY: 'ASSET', NONCURRENT: 'ASSET', PREPAYMENT: 'ASSET',
  CURRLIAB: 'LIABILITY', LIABILITY: 'LIABILITY', TERMLIAB: 'LIABILITY', PAYG: 'LIABILITY',
  EQUITY: 'EQUITY', DEPRECIATN: 'EXPENSE', DIRECTCOSTS: 'EXPENSE', EXPENSE: 'EXPENSE', OVERHEADS: 'EXPENSE',
  OTHERINCOME: 'REVENUE', REVENUE: 'REVENUE', SALES: 'REVENUE',
};

export function renderAccount(a: AccountRec): Wire {
  return {
    AccountID: a.AccountID, Code: a.Code, Name: a.Name, Status: a.Status, Type: a.Type, TaxType: a.TaxType,
    ...(a.Description ? { Description: a.Description } : {}),
    Class: ACCOUNT_CLASS[a.Type] ?? 'EXPENSE',
    ...(a.SystemAccount ? { SystemAccount: a.SystemAccount } : {}),
    EnablePaymentsToAccount: a.EnablePaymentsToAccount, ShowInExpenseClaims: a.ShowInExpenseClaims,
    ...(a.BankAccountType ? { BankAccountType: a.BankAccountType, BankAccountNumber: a.BankAccountNumber ?? '' } : {}),
    ...(a.CurrencyCode ? { CurrencyCode: a.CurrencyCode } : {}),
    ReportingCode: a.ReportingCode ?? a.Type, HasAttachments: false, UpdatedDateUTC: msDate(a.updatedAt), AddToWatchlist: false,
  };
}

export function renderTaxRate(t: TaxRateRec): Wire {
  const rate = Number(t.rate);
  return {
    Name: t.Name, TaxType: t.TaxType, ReportTaxType: t.ReportTaxType, Status: t.Status,
    CanApplyToAssets: true, CanApplyToEquity: true, CanApplyToExpenses: t.expenses, CanApplyToLiabilities: true, CanApplyToRevenue: t.revenue,
    DisplayTaxRate: rate, EffectiveRate: rate,
    TaxComponents: [{ Name: 'GST', Rate: rate, IsCompound: false, IsNonRecoverable: false }],
  };
}

export function renderItem(i: ItemRec): Wire {
  const details = (d: ItemRec['SalesDetails']) =>
    d ? { ...(d.UnitPrice !== undefined ? { UnitPrice: Number(d.UnitPrice) } : {}), ...(d.AccountCode ? { AccountCode: d.AccountCode } : {}), ...(d.TaxType ? { TaxType: d.TaxType } : {}) } : {};
  return {
    ItemID: i.ItemID, Code: i.Code, ...(i.Name ? { Name: i.Name } : {}), ...(i.Description ? { Description: i.Description } : {}),
    ...(i.PurchaseDescription ? { PurchaseDescription: i.PurchaseDescription } : {}),
    IsSold: i.IsSold, IsPurchased: i.IsPurchased, IsTrackedAsInventory: false,
    SalesDetails: details(i.SalesDetails), PurchaseDetails: details(i.PurchaseDetails),
    UpdatedDateUTC: msDate(i.updatedAt),
  };
}

export function renderContact(c: ContactRec, full = true): Wire {
  const base: Wire = { ContactID: c.ContactID, ContactStatus: c.ContactStatus, Name: c.Name };
  if (!full) return base;
  return {
    ...base,
    ...(c.ContactNumber ? { ContactNumber: c.ContactNumber } : {}),
    ...(c.AccountNumber ? { AccountNumber: c.AccountNumber } : {}),
    ...(c.FirstName ? { FirstName: c.FirstName } : {}),
    ...(c.LastName ? { LastName: c.LastName } : {}),
    ...(c.EmailAddress ? { EmailAddress: c.EmailAddress } : {}),
    ...(c.CompanyNumber ? { CompanyNumber: c.CompanyNumber } : {}),
    ...(c.TaxNumber ? { TaxNumber: c.TaxNumber } : {}),
    ...(c.DefaultCurrency ? { DefaultCurrency: c.DefaultCurrency } : {}),
    ContactPersons: c.ContactPersons ?? [],
    Addresses: c.Addresses ?? [],
    Phones: c.Phones ?? [],
    IsSupplier: c.IsSupplier, IsCustomer: c.IsCustomer,
    UpdatedDateUTC: msDate(c.updatedAt),
    ContactGroups: [],
    HasAttachments: false,
    HasValidationErrors: false,
  };
}

export function renderLine(l: LineRec, org: OrgState, unitdp4: boolean): Wire {
  const account = l.AccountCode ? org.accounts.find((a) => a.Code === l.AccountCode) : undefined;
  return {
    LineItemID: l.LineItemID, Description: l.Description,
    Quantity: wire(dec(l.Quantity), unitdp4 ? 4 : 2), UnitAmount: wire(dec(l.UnitAmount), unitdp4 ? 4 : 2),
    ...(l.ItemCode ? { ItemCode: l.ItemCode } : {}),
    ...(l.AccountCode ? { AccountCode: l.AccountCode } : {}),
    ...(account ? { AccountID: account.AccountID } : {}),
    ...(l.TaxType ? { TaxType: l.TaxType } : {}),
    TaxAmount: wire(dec(l.TaxAmount)), LineAmount: wire(dec(l.LineAmount)),
    ...(l.DiscountRate ? { DiscountRate: Number(l.DiscountRate) } : {}),
    Tracking: l.Tracking.map((t) => ({ ...t })),
  };
}

export function amountDue(d: DocumentRec): Decimal {
  if (d.Status === 'VOIDED' || d.Status === 'DELETED') return new Decimal(0);
  return dec(d.Total).minus(d.AmountPaid).minus(d.AmountCredited);
}

function contactSummary(org: OrgState, id: string): Wire {
  const c = org.contacts.get(id);
  return c ? renderContact(c, false) : { ContactID: id };
}

/** A payment as a document lists it (Xero's examples carry HasAccount false there). */
export function renderPaymentBrief(p: PaymentRec): Wire {
  return { PaymentID: p.PaymentID, Date: msDate(p.Date), Amount: wire(dec(p.Amount)), ...(p.Reference ? { Reference: p.Reference } : {}), CurrencyRate: Number(p.CurrencyRate), HasAccount: false, HasValidationErrors: false };
}

export function renderInvoice(org: OrgState, d: DocumentRec, opts: { lines: boolean; unitdp4: boolean }): Wire {
  const payments = [...org.payments.values()].filter((p) => p.target.kind === 'invoice' && p.target.id === d.id && p.Status === 'AUTHORISED');
  const allocations = [...org.allocations.values()].filter((a) => a.InvoiceID === d.id && !a.deleted);
  const creditNotes = allocations.filter((a) => a.source.kind === 'creditnote').map((a) => {
    const cn = org.documents.get(a.source.id)!;
    return { CreditNoteID: cn.id, ...(cn.Number ? { CreditNoteNumber: cn.Number } : {}), AppliedAmount: wire(dec(a.Amount)), Date: msDate(a.Date), Total: wire(dec(cn.Total)), HasErrors: false };
  });
  const overpayments = allocations.filter((a) => a.source.kind === 'overpayment').map((a) => {
    const op = org.overpayments.get(a.source.id)!;
    return { OverpaymentID: op.OverpaymentID, AppliedAmount: wire(dec(a.Amount)), Date: msDate(a.Date), Total: wire(dec(op.Total)) };
  });
  return {
    Type: d.Type, InvoiceID: d.id, ...(d.Number !== undefined ? { InvoiceNumber: d.Number } : {}),
    ...(d.Reference !== undefined ? { Reference: d.Reference } : {}),
    ...(d.Url !== undefined ? { Url: d.Url } : {}),
    Payments: payments.map(renderPaymentBrief), CreditNotes: creditNotes, Prepayments: [], Overpayments: overpayments,
    AmountDue: wire(amountDue(d)), AmountPaid: wire(dec(d.AmountPaid)), AmountCredited: wire(dec(d.AmountCredited)),
    CurrencyRate: Number(d.CurrencyRate), IsDiscounted: false, HasAttachments: false, HasErrors: false,
    Contact: contactSummary(org, d.ContactID),
    Date: msDate(d.Date), ...(d.DueDate !== undefined ? { DueDate: msDate(d.DueDate) } : {}),
    ...(d.ExpectedPaymentDate !== undefined ? { ExpectedPaymentDate: msDate(d.ExpectedPaymentDate) } : {}),
    Status: d.Status, LineAmountTypes: d.LineAmountTypes,
    ...(opts.lines ? { LineItems: d.lines.map((l) => renderLine(l, org, opts.unitdp4)) } : {}),
    SubTotal: wire(dec(d.SubTotal)), TotalTax: wire(dec(d.TotalTax)), Total: wire(dec(d.Total)),
    UpdatedDateUTC: msDate(d.updatedAt), CurrencyCode: d.CurrencyCode,
    ...(d.FullyPaidOnDate !== undefined ? { FullyPaidOnDate: msDate(d.FullyPaidOnDate) } : {}),
    SentToContact: d.SentToContact,
  };
}

export function renderCreditNote(org: OrgState, d: DocumentRec, opts: { lines: boolean; unitdp4: boolean }): Wire {
  const allocations = [...org.allocations.values()].filter((a) => a.source.kind === 'creditnote' && a.source.id === d.id && !a.deleted);
  const payments = [...org.payments.values()].filter((p) => p.target.kind === 'creditnote' && p.target.id === d.id && p.Status === 'AUTHORISED');
  return {
    Type: d.Type, CreditNoteID: d.id, ...(d.Number !== undefined ? { CreditNoteNumber: d.Number } : {}),
    ...(d.Reference !== undefined ? { Reference: d.Reference } : {}),
    Contact: contactSummary(org, d.ContactID),
    Date: msDate(d.Date), ...(d.DueDate !== undefined ? { DueDate: msDate(d.DueDate) } : {}),
    Status: d.Status, LineAmountTypes: d.LineAmountTypes,
    ...(opts.lines ? { LineItems: d.lines.map((l) => renderLine(l, org, opts.unitdp4)) } : {}),
    SubTotal: wire(dec(d.SubTotal)), TotalTax: wire(dec(d.TotalTax)), Total: wire(dec(d.Total)),
    UpdatedDateUTC: msDate(d.updatedAt), CurrencyCode: d.CurrencyCode, CurrencyRate: Number(d.CurrencyRate),
    ...(d.FullyPaidOnDate !== undefined ? { FullyPaidOnDate: msDate(d.FullyPaidOnDate) } : {}),
    RemainingCredit: wire(amountDue(d)),
    Allocations: allocations.map((a) => renderAllocation(org, a.AllocationID)),
    Payments: payments.map(renderPaymentBrief),
    HasAttachments: false, HasErrors: false,
  };
}

export function renderAllocation(org: OrgState, allocationId: string): Wire {
  const a = org.allocations.get(allocationId)!;
  const inv = org.documents.get(a.InvoiceID);
  const out: Wire = {
    AllocationID: a.AllocationID, Amount: wire(dec(a.Amount)), Date: msDate(a.Date), IsDeleted: a.deleted,
    Invoice: { InvoiceID: a.InvoiceID, ...(inv?.Number !== undefined ? { InvoiceNumber: inv.Number } : {}), ...(inv ? { Type: inv.Type } : {}) },
  };
  if (a.source.kind === 'creditnote') {
    const cn = org.documents.get(a.source.id);
    out.CreditNote = { CreditNoteID: a.source.id, ...(cn?.Number !== undefined ? { CreditNoteNumber: cn.Number } : {}) };
  } else {
    out.Overpayment = { OverpaymentID: a.source.id };
  }
  return out;
}

export function renderPayment(org: OrgState, p: PaymentRec): Wire {
  const account = org.accounts.find((a) => a.AccountID === p.AccountID);
  const head: Wire = {
    PaymentID: p.PaymentID, Date: msDate(p.Date), BankAmount: wire(dec(p.BankAmount)), Amount: wire(dec(p.Amount)),
    ...(p.Reference ? { Reference: p.Reference } : {}),
    CurrencyRate: Number(p.CurrencyRate), PaymentType: p.PaymentType, Status: p.Status,
    UpdatedDateUTC: msDate(p.updatedAt), HasAccount: true, IsReconciled: p.IsReconciled, HasValidationErrors: false,
    Account: { AccountID: p.AccountID, ...(account ? { Code: account.Code } : {}) },
  };
  if (p.target.kind === 'overpayment') {
    const op = org.overpayments.get(p.target.id);
    return { ...head, Overpayment: { OverpaymentID: p.target.id, ...(op ? { Type: op.Type, Contact: contactSummary(org, op.ContactID), CurrencyCode: op.CurrencyCode } : {}) } };
  }
  const doc = org.documents.get(p.target.id);
  const docWire: Wire = doc
    ? {
        ...(p.target.kind === 'invoice' ? { InvoiceID: doc.id, ...(doc.Number !== undefined ? { InvoiceNumber: doc.Number } : {}) } : { CreditNoteID: doc.id, ...(doc.Number !== undefined ? { CreditNoteNumber: doc.Number } : {}) }),
        Type: doc.Type,
        Contact: contactSummary(org, doc.ContactID),
        CurrencyCode: doc.CurrencyCode,
      }
    : {};
  return {
    ...head,
    ...(p.target.kind === 'invoice' ? { Invoice: docWire, ...(doc?.Number !== undefined ? { InvoiceNumber: doc.Number } : {}) } : { CreditNote: docWire, ...(doc?.Number !== undefined ? { CreditNoteNumber: doc.Number } : {}) }),
  };
}

/** Refunds paid out of an overpayment (payments against it), live ones only. */
function overpaymentRefunds(org: OrgState, op: OverpaymentRec): PaymentRec[] {
  return [...org.payments.values()].filter((p) => p.target.kind === 'overpayment' && p.target.id === op.OverpaymentID && p.Status === 'AUTHORISED');
}

/** What is left of an overpayment: its total less allocations and refunds. */
export function overpaymentRemaining(org: OrgState, op: OverpaymentRec): Decimal {
  if (op.Status === 'VOIDED') return new Decimal(0);
  const used = [...org.allocations.values()].filter((a) => a.source.kind === 'overpayment' && a.source.id === op.OverpaymentID && !a.deleted)
    .reduce((s, a) => s.plus(a.Amount), new Decimal(0));
  const refunded = overpaymentRefunds(org, op).reduce((s, p) => s.plus(p.Amount), new Decimal(0));
  return dec(op.Total).minus(used).minus(refunded);
}

export function renderOverpayment(org: OrgState, op: OverpaymentRec): Wire {
  const allocations = [...org.allocations.values()].filter((a) => a.source.kind === 'overpayment' && a.source.id === op.OverpaymentID && !a.deleted);
  return {
    OverpaymentID: op.OverpaymentID, Type: op.Type, Contact: contactSummary(org, op.ContactID), Date: msDate(op.Date), Status: op.Status,
    LineAmountTypes: 'NoTax', SubTotal: wire(dec(op.Total)), TotalTax: 0, Total: wire(dec(op.Total)),
    UpdatedDateUTC: msDate(op.updatedAt), CurrencyCode: op.CurrencyCode, CurrencyRate: 1,
    RemainingCredit: wire(overpaymentRemaining(org, op)),
    Allocations: allocations.map((a) => renderAllocation(org, a.AllocationID)), Payments: overpaymentRefunds(org, op).map(renderPaymentBrief), HasAttachments: false,
    ...(op.Reference ? { Reference: op.Reference } : {}),
  };
}

export function renderJournal(org: OrgState, j: ManualJournalRec): Wire {
  return {
    ManualJournalID: j.ManualJournalID, Narration: j.Narration, Date: msDate(j.Date), Status: j.Status,
    LineAmountTypes: j.LineAmountTypes, ShowOnCashBasisReports: j.ShowOnCashBasisReports, HasAttachments: false,
    ...(j.Url ? { Url: j.Url } : {}),
    UpdatedDateUTC: msDate(j.updatedAt),
    JournalLines: j.lines.map((l) => ({
      LineAmount: wire(dec(l.LineAmount)), AccountCode: l.AccountCode, AccountID: l.AccountID,
      ...(l.Description ? { Description: l.Description } : {}), ...(l.TaxType ? { TaxType: l.TaxType } : {}),
      TaxAmount: wire(dec(l.TaxAmount)), IsBlank: false, Tracking: l.Tracking.map((t) => ({ ...t })),
    })),
  };
}

export function renderOrganisation(org: OrgState): Wire {
  const i = org.info;
  return {
    OrganisationID: i.OrganisationID, APIKey: '', Name: i.Name, LegalName: i.LegalName, PaysTax: true, Version: i.Version,
    OrganisationType: 'COMPANY', BaseCurrency: i.BaseCurrency, CountryCode: i.CountryCode, IsDemoCompany: false,
    OrganisationStatus: 'ACTIVE', TaxNumber: i.TaxNumber, FinancialYearEndDay: i.CountryCode === 'AU' ? 30 : 31,
    FinancialYearEndMonth: i.CountryCode === 'AU' ? 6 : 3, SalesTaxBasis: i.CountryCode === 'AU' ? 'ACCRUALS' : 'INVOICE',
    SalesTaxPeriod: i.CountryCode === 'AU' ? 'QUARTERLY1' : '2MONTHLY', DefaultSalesTax: 'Tax Exclusive', DefaultPurchasesTax: 'Tax Exclusive',
    // "Shown if set", as Xero's description says.
    ...(i.PeriodLockDate !== undefined ? { PeriodLockDate: msDate(i.PeriodLockDate) } : {}),
    ...(i.EndOfYearLockDate !== undefined ? { EndOfYearLockDate: msDate(i.EndOfYearLockDate) } : {}),
    CreatedDateUTC: msDate(i.createdAt), Timezone: i.Timezone, OrganisationEntityType: 'COMPANY', ShortCode: i.ShortCode,
    Class: 'STANDARD', Edition: 'BUSINESS', LineOfBusiness: i.LineOfBusiness, Addresses: [], Phones: [], ExternalLinks: [],
    PaymentTerms: { Sales: { Day: 20, Type: 'OFFOLLOWINGMONTH' }, Bills: { Day: 20, Type: 'OFFOLLOWINGMONTH' } },
  };
}
