// Projects the sim's invoices onto ConnectWise's wire models (Invoice,
// UnpostedInvoice), computing every amount from the lines.
import type { CwInvoice, CwUnpostedInvoice } from '../../shared/cw-types.js';
import { invoiceAmounts } from './invoice-math.js';
import type { SimBatch, SimInvoice, SimState } from './model.js';
import { money, sum, wire } from './money.js';
import { addDays } from './seed.js';

const API = '/v4_6_release/apis/3.0';

/** A product's sub-category as export lines carry it (`subCategory {id, name}`); nothing when it has none. */
export function subCategoryRef(state: SimState, id: number | undefined): { subCategory?: { id: number; name: string } } {
  const s = id === undefined ? undefined : state.subCategories.find((x) => x.id === id);
  return s ? { subCategory: { id: s.id, name: s.name } } : {};
}

export function companyRef(state: SimState, id: number) {
  const c = state.companies.find((x) => x.id === id)!;
  return { id: c.id!, identifier: c.identifier, name: c.name, _info: { company_href: `${API}/company/companies/${id}` } };
}

export function currencyRef(state: SimState, code: string) {
  const c = state.currencies.find((x) => x.currencyCode === code)!;
  return { id: c.id, currencyCode: c.currencyCode, symbol: c.symbol, name: c.name, numberOfDecimals: 2, decimalSeparator: '.', thousandsSeparator: ',', displaySymbolFlag: true };
}

export function termsOf(state: SimState, inv: SimInvoice) {
  return state.billingTerms.find((t) => t.id === inv.billingTermsId)!;
}

export function dueDateOf(state: SimState, inv: SimInvoice): string {
  return `${addDays(inv.date.slice(0, 10), termsOf(state, inv).dueDays)}T00:00:00Z`;
}

/** Payments and applied credits recorded against an invoice (credit memos never carry any). */
export function paidAndCredited(state: SimState, inv: SimInvoice) {
  const records = state.payments.filter((p) => p.invoiceId === inv.id);
  const payments = sum(records.filter((p) => p.type !== 'Credit').map((p) => money(p.amount ?? 0)));
  const credits = sum(records.filter((p) => p.type === 'Credit').map((p) => money(p.amount ?? 0)));
  return { payments, credits };
}

// Batches are only ever added (pushed) or their list replaced (a delete filters it, a reset builds a new
// state), never changed: they are indexed as they are added, so a month end of thousands of batches
// does not scan them all for every record.
const indexes = new WeakMap<SimBatch[], { seen: number; byGlEntry: Map<number, SimBatch>; byIdentifier: Map<string, SimBatch> }>();

function batchIndex(state: SimState) {
  let index = indexes.get(state.batches);
  if (!index) indexes.set(state.batches, (index = { seen: 0, byGlEntry: new Map(), byIdentifier: new Map() }));
  for (; index.seen < state.batches.length; index.seen++) {
    const b = state.batches[index.seen]!;
    const name = b.batchIdentifier.toLowerCase();
    if (!index.byIdentifier.has(name)) index.byIdentifier.set(name, b);
    if (b.closedFlag) for (const id of b.recordIds) if (!index.byGlEntry.has(id)) index.byGlEntry.set(id, b);
  }
  return index;
}

/** The first closed batch holding this GL entry, if any. */
export function batchHolding(state: SimState, glEntryId: number): SimBatch | undefined {
  return batchIndex(state).byGlEntry.get(glEntryId);
}

/** The first batch with this identifier (compared in any case), if any. */
export function batchNamed(state: SimState, identifier: string): SimBatch | undefined {
  return batchIndex(state).byIdentifier.get(identifier.toLowerCase());
}

export function isPosted(state: SimState, inv: SimInvoice): boolean {
  return batchHolding(state, inv.glEntryId) !== undefined;
}

export function toCwInvoice(state: SimState, inv: SimInvoice): CwInvoice {
  const a = invoiceAmounts(state, inv);
  const company = state.companies.find((c) => c.id === inv.billToCompanyId)!;
  const attention = state.contacts.find((c) => c.id === inv.attentionContactId);
  const terms = termsOf(state, inv);
  const { payments, credits } = paidAndCredited(state, inv);
  return {
    id: inv.id,
    invoiceNumber: inv.invoiceNumber,
    type: inv.type,
    status: { id: inv.statusName === 'Sent' ? 2 : 1, name: inv.statusName },
    company: companyRef(state, inv.companyId),
    billToCompany: companyRef(state, inv.billToCompanyId),
    shipToCompany: companyRef(state, inv.companyId),
    accountNumber: company.accountNumber ?? '',
    applyToType: inv.agreement ? 'Agreement' : 'All',
    ...(attention ? { attention: `${attention.firstName} ${attention.lastName}` } : {}),
    billingSite: company.billingSite ?? { id: 0, name: 'Main' },
    billingSiteAddressLine1: company.addressLine1 ?? '',
    billingSiteAddressLine2: company.addressLine2 ?? '',
    billingSiteCity: company.city ?? '',
    billingSiteState: company.state ?? '',
    billingSiteZip: company.zip ?? '',
    billingSiteCountry: company.country?.name ?? '',
    billingTerms: { id: terms.id, name: terms.name },
    reference: inv.reference,
    customerPO: inv.customerPO,
    date: inv.date,
    dueDate: dueDateOf(state, inv),
    locationId: inv.locationId,
    departmentId: inv.departmentId,
    topComment: inv.description,
    taxableFlag: a.taxable,
    taxCode: { id: a.taxCode.id, name: a.taxCode.name },
    currency: currencyRef(state, inv.currencyCode),
    serviceTotal: wire(a.serviceTotal),
    productTotal: wire(a.productTotal),
    expenseTotal: wire(a.expenseTotal),
    agreementAmount: wire(a.agreementAmount),
    subtotal: wire(a.subtotal),
    salesTax: wire(a.salesTax),
    total: wire(a.total),
    payments: wire(payments),
    credits: wire(credits),
    balance: wire(a.total.minus(payments).minus(credits)),
    specialInvoiceFlag: false,
    ...(inv.agreement ? { agreement: { id: inv.agreement.id, name: inv.agreement.name, type: inv.agreement.type } } : {}),
    _info: { lastUpdated: inv.updatedAt, payments_href: `${API}/finance/invoices/${inv.id}/payments` },
  };
}

export function toUnposted(state: SimState, inv: SimInvoice): CwUnpostedInvoice {
  const a = invoiceAmounts(state, inv);
  const company = state.companies.find((c) => c.id === inv.billToCompanyId)!;
  const terms = termsOf(state, inv);
  return {
    id: inv.glEntryId,
    billingLogId: inv.id,
    locationId: inv.locationId,
    departmentId: inv.departmentId,
    company: companyRef(state, inv.companyId),
    accountNumber: company.accountNumber ?? '',
    billToCompany: companyRef(state, inv.billToCompanyId),
    billToSite: company.billingSite ?? { id: 0, name: 'Main' },
    shipToCompany: companyRef(state, inv.companyId),
    shipToSite: company.site ?? { id: 0, name: 'Main' },
    invoiceNumber: inv.invoiceNumber,
    invoiceDate: inv.date,
    invoiceType: inv.type,
    description: inv.description,
    billingTerms: { id: terms.id, name: terms.name },
    dueDays: String(terms.dueDays),
    dueDate: dueDateOf(state, inv),
    currency: currencyRef(state, inv.currencyCode),
    subTotal: wire(a.subtotal),
    total: wire(a.total),
    invoiceTaxableFlag: a.taxable,
    taxCode: { id: a.taxCode.id, name: a.taxCode.name },
    avalaraTaxFlag: false,
    itemTaxableFlag: a.taxable,
    salesTaxAmount: wire(a.salesTax),
    _info: { invoice_href: `/v4_6_release/apis/3.0/finance/invoices/${inv.id}` },
  };
}
