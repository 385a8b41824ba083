// Builds ConnectWise's GLExport for invoices from the seeded GL mapping (the
// "accounting interface setup"). Each invoice is one GLExportTransaction
// (header glTypeId "AR", account = accounts receivable) whose detail lines
// sum exactly to its total:
//   time        glTypeId "RS", service revenue account; summarised per
//               `summarizeInvoices`:
//                 Default   → the setup's summary: one line per work type and rate
//                 Condensed → one line per GL account (quantity 1)
//                 Detailed  → one line per time entry (with timeEntry)
//               (each entry's amount is rounded to cents before summing, so
//               all three modes total the same)
//   product     glTypeId "RP", product revenue account (or the product's own
//               override, e.g. 4990), with item/product, itemDescription,
//               unitOfMeasure, quantity, itemPrice (unrounded), cost (extended,
//               cents), itemCost; inventory parts add costAccountNumber and
//               inventoryAccountNumber (their warehouse's), warehouseSite,
//               warehouseBin and locationXref for the cost of sale
//   agreement   glTypeId "RA", agreement revenue account: the recurring fee
//               (positive) or the agreement credit on time billing (negative)
//   expense     glTypeId "RE", expense revenue account
//   sales tax   glTypeId "ST", taxNote "AUTOSTAX", sales tax account, taxRate
//               (fraction) and taxRatePercent; omitted when the tax code's rate is 0
// documentType is "IN" for invoices and "CM" for credit memos; billingType is
// the invoice type. Credit memos carry negative amounts, as their invoices do.
import type { CwGLExport, CwGLExportCustomer, CwGLExportTransaction, CwGLExportTransactionDetail } from '../../shared/cw-types.js';
import { invoiceAmounts, type LineAmounts } from './invoice-math.js';
import type { SimInvoice, SimProductLine, SimState, SimTimeLine, SummarizeInvoices } from './model.js';
import { cents, money, sum, wire } from './money.js';
import { companyRef, currencyRef, dueDateOf, subCategoryRef, termsOf } from './views.js';
import { invoiceLineWarehouse } from './procurement/gl-export.js';

function timeDetails(state: SimState, inv: SimInvoice, lines: LineAmounts[], mode: SummarizeInvoices, base: Partial<CwGLExportTransactionDetail>): CwGLExportTransactionDetail[] {
  const account = state.glMapping.serviceRevenue;
  const effective = mode === 'Default' ? 'Summarized' : mode;
  if (effective === 'Detailed') {
    return lines.map(({ line, extended }) => {
      const t = line as SimTimeLine;
      return { ...base, id: t.id, accountNumber: account, glTypeId: 'RS', invoiceSummaryOption: 'Detailed', description: t.description, memo: `${t.workType} (${t.member}, ${t.dateEntered.slice(0, 10)})`, salesCode: t.workType, quantity: Number(t.quantity), itemPrice: Number(t.unitPrice), total: wire(extended), timeEntry: { id: t.timeEntryId }, taxableFlag: base.taxableFlag === true && t.taxable };
    });
  }
  const groups = new Map<string, LineAmounts[]>();
  for (const l of lines) {
    const t = l.line as SimTimeLine;
    const key = effective === 'Condensed' ? account : `${t.workType}|${money(t.unitPrice).toString()}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!.line as SimTimeLine;
    const total = sum(group.map((g) => g.extended));
    const hours = sum(group.map((g) => g.line.quantity));
    const condensed = effective === 'Condensed';
    return {
      ...base,
      id: first.id,
      accountNumber: account,
      glTypeId: 'RS',
      invoiceSummaryOption: effective,
      description: condensed ? 'Services' : first.workType,
      memo: condensed ? `Services: ${hours.toString()} hours` : `${first.workType}: ${hours.toString()} hours @ ${money(first.unitPrice).toFixed(2)}`,
      salesCode: condensed ? 'Services' : first.workType,
      quantity: condensed ? 1 : hours.toNumber(),
      itemPrice: condensed ? wire(total) : Number(first.unitPrice),
      total: wire(total),
      taxableFlag: base.taxableFlag === true && group.every((g) => g.line.taxable),
    };
  });
}

function productDetail(state: SimState, la: LineAmounts, base: Partial<CwGLExportTransactionDetail>): CwGLExportTransactionDetail {
  const line = la.line as SimProductLine;
  const p = state.products.find((x) => x.id === line.productId)!;
  const m = state.glMapping;
  return {
    ...base,
    id: line.id,
    accountNumber: p.glAccount ?? m.productRevenue,
    glTypeId: 'RP',
    description: line.description,
    memo: p.identifier,
    item: { id: p.id, identifier: p.identifier, serializedFlag: false },
    product: { id: line.id, description: line.description },
    ...subCategoryRef(state, p.subCategoryId),
    itemDescription: p.description,
    salesDescription: p.description,
    unitOfMeasure: { ...p.unitOfMeasure },
    quantity: Number(line.quantity),
    itemPrice: Number(line.unitPrice),
    itemCost: Number(line.unitCost),
    cost: wire(cents(money(line.unitCost).times(line.quantity))),
    total: wire(la.extended),
    taxableFlag: base.taxableFlag === true && line.taxable,
    itemTaxableFlag: line.taxable,
    productAccountNumber: p.glAccount ?? m.productRevenue,
    // Cost of sale: the inventory account is the one of the warehouse the part ships from.
    ...(p.inventory ? { costAccountNumber: m.costOfGoodsSold, inventoryAccountNumber: m.inventory, ...invoiceLineWarehouse(state, line.warehouseId) } : {}),
  };
}

export function invoiceTransaction(state: SimState, inv: SimInvoice, mode: SummarizeInvoices): CwGLExportTransaction {
  const a = invoiceAmounts(state, inv);
  const m = state.glMapping;
  const company = state.companies.find((c) => c.id === inv.billToCompanyId)!;
  const attention = state.contacts.find((c) => c.id === inv.attentionContactId);
  const terms = termsOf(state, inv);
  const documentType = inv.type === 'CreditMemo' ? 'CM' : 'IN';
  const taxCode = { id: a.taxCode.id, name: a.taxCode.name };
  // The class the invoice's billing location maps to (finance/glAccounts' Class segment), on the header and every line.
  const glClass = m.classByLocation[inv.locationId] ?? '';
  const base: Partial<CwGLExportTransactionDetail> = { documentDate: inv.date, documentType, currency: currencyRef(state, inv.currencyCode), taxCode, taxableFlag: a.taxable, glClass };

  const byKind = (k: string) => a.lines.filter((l) => l.line.kind === k);
  const detail: CwGLExportTransactionDetail[] = [];
  const time = byKind('time');
  if (time.length) detail.push(...timeDetails(state, inv, time, mode === 'Default' ? m.summarizeInvoices : mode, base));
  for (const la of byKind('product')) detail.push(productDetail(state, la, base));
  for (const la of [...byKind('agreement'), ...byKind('agreementCredit')]) {
    detail.push({ ...base, id: la.line.id, accountNumber: m.agreementRevenue, glTypeId: 'RA', description: la.line.description, memo: inv.agreement?.name ?? 'Agreement', quantity: Number(la.line.quantity), itemPrice: Number(la.line.unitPrice), total: wire(la.extended), taxableFlag: a.taxable && la.line.taxable });
  }
  for (const la of byKind('expense')) {
    detail.push({ ...base, id: la.line.id, accountNumber: m.expenseRevenue, glTypeId: 'RE', description: la.line.description, memo: 'Expense', quantity: Number(la.line.quantity), itemPrice: Number(la.line.unitPrice), total: wire(la.extended), taxableFlag: a.taxable && la.line.taxable });
  }
  const rate = money(a.taxCode.ratePercent);
  if (a.taxable) {
    detail.push({ ...base, id: inv.glEntryId, accountNumber: m.salesTax, glTypeId: 'ST', description: `${a.taxCode.name} ${rate.toString()}%`, memo: a.taxCode.description, taxNote: 'AUTOSTAX', taxRate: rate.dividedBy(100).toNumber(), taxRatePercent: rate.toNumber(), quantity: 1, itemPrice: wire(a.salesTax), total: wire(a.salesTax), taxableFlag: false });
  }

  return {
    id: inv.id,
    glClass,
    glTypeId: 'AR',
    documentDate: inv.date,
    documentNumber: inv.invoiceNumber,
    documentType,
    memo: inv.reference || inv.description,
    description: inv.description,
    ...(attention ? { attention: `${attention.firstName} ${attention.lastName}` } : {}),
    salesTerritory: state.locations.find((l) => l.id === inv.locationId)?.name ?? '',
    company: companyRef(state, inv.billToCompanyId),
    companyAccountNumber: company.accountNumber ?? '',
    site: company.billingSite ?? { id: 0, name: 'Main' },
    billingTerms: { id: terms.id, name: terms.name },
    dueDays: terms.dueDays,
    dueDate: dueDateOf(state, inv),
    emailDeliveryFlag: true,
    printDeliveryFlag: false,
    agreementPrePaymentFlag: false,
    accountNumber: m.accountsReceivable,
    billingType: inv.type,
    glEntryIds: String(inv.glEntryId),
    ...(inv.customerPO ? { purchaseOrder: { name: inv.customerPO } } : {}),
    currency: currencyRef(state, inv.currencyCode),
    total: wire(a.total),
    taxable: a.taxable,
    taxableTotal: wire(sum(a.lines.filter((l) => !l.tax.isZero() || (a.taxable && l.line.taxable)).map((l) => l.extended))),
    taxCode,
    taxGroupRate: rate.toNumber(),
    taxAccountNumber: m.salesTax,
    salesTax: wire(a.salesTax),
    detail,
  };
}

export function customerOf(state: SimState, inv: SimInvoice): CwGLExportCustomer {
  const company = state.companies.find((c) => c.id === inv.billToCompanyId)!;
  const terms = state.billingTerms.find((t) => t.id === company.billingTerms?.id) ?? termsOf(state, inv);
  const tax = state.taxCodes.find((t) => t.id === company.taxCode?.id)!;
  return {
    company: companyRef(state, company.id!),
    companyType: { id: 1, name: 'Client' },
    ...(company.billingContact ? { contact: { ...company.billingContact } } : {}),
    site: company.billingSite ?? { id: 0, name: 'Main' },
    accountNumber: company.accountNumber ?? '',
    billingTerms: { id: terms.id, name: terms.name },
    dueDays: terms.dueDays,
    taxable: !money(tax.ratePercent).isZero(),
    taxCode: { id: tax.id, name: tax.name },
    currency: currencyRef(state, company.currency?.currencyCode ?? inv.currencyCode),
    taxGroupRate: money(tax.ratePercent).toNumber(),
  };
}

export function buildGlExport(state: SimState, invoices: SimInvoice[], mode: SummarizeInvoices, settings: Record<string, unknown> = {}): CwGLExport {
  const customers = new Map<number, CwGLExportCustomer>();
  for (const inv of invoices) if (!customers.has(inv.billToCompanyId)) customers.set(inv.billToCompanyId, customerOf(state, inv));
  return {
    exportSettings: { ...settings, summarizeInvoices: mode, glInterfaceIdentifier: state.glMapping.interfaceIdentifier },
    vendors: [],
    customers: [...customers.values()],
    transactions: invoices.map((inv) => invoiceTransaction(state, inv, mode)),
    expenses: [],
    expenseBills: [],
    purchaseTransactions: [],
    adjustmentTransactions: [],
    inventoryTransfers: [],
  };
}
