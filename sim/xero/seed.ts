// The two seeded organisations. Account codes match the GL numbers the
// ConnectWise simulator uses (200/210/220/230 revenue, 310 COGS, 610 AR,
// 630/631 inventory of its two warehouses, 800 AP, 820 GST, 091 the offset
// account of its "Company Visa" expense payment type); there is deliberately
// no account 4990.
// Ids are derived from names so they stay the same across resets.
import { seedId } from './ids.js';
import type { AccountRec, ItemRec, OrgState, TaxRateRec, TrackingCategoryRec } from './records.js';

export const HARBOUR_TENANT_ID = seedId('org:harbour-it');
export const KIWI_TENANT_ID = seedId('org:kiwi-managed-services');

export interface DemoUser {
  userId: string;
  email: string;
  password: string;
  givenName: string;
  familyName: string;
  tenantIds: string[];
}

export const DEMO_USER: DemoUser = {
  userId: seedId('user:demo'),
  email: 'demo@harbourit.example',
  password: 'demo',
  givenName: 'Dana',
  familyName: 'Demo',
  tenantIds: [HARBOUR_TENANT_ID, KIWI_TENANT_ID],
};

type Country = 'AU' | 'NZ';

function chartOfAccounts(org: string, country: Country, base: string, at: number): AccountRec[] {
  const out = country === 'AU' ? 'OUTPUT' : 'OUTPUT2';
  const inp = country === 'AU' ? 'INPUT' : 'INPUT2';
  const exempt = country === 'AU' ? 'BASEXCLUDED' : 'NONE';
  const feesTax = country === 'AU' ? 'EXEMPTEXPENSES' : 'NONE';
  // A credit card is a BANK account with BankAccountType CREDITCARD, as in Xero.
  const bank = (type: 'BANK' | 'CREDITCARD', number: string, currency = base): Partial<AccountRec> => ({ BankAccountType: type, BankAccountNumber: number, CurrencyCode: currency, EnablePaymentsToAccount: true });
  const rows: [string, string, string, string, Partial<AccountRec>?][] = [
    ['090', 'Business Bank Account', 'BANK', exempt, bank('BANK', country === 'AU' ? '062000 12345678' : '12-3456-7890123-00')],
    ['091', 'Company Visa', 'BANK', exempt, bank('CREDITCARD', '4111')],
    // A foreign-currency bank account, so a USD bill can be paid in USD.
    ...(country === 'AU' ? [['092', 'USD Business Account', 'BANK', exempt, bank('BANK', '062000 87654321', 'USD')] as [string, string, string, string, Partial<AccountRec>]] : []),
    ['200', 'Sales', 'REVENUE', out, { Description: 'Income from services: labour, managed services and projects.' }],
    ['210', 'Product Sales', 'REVENUE', out, { Description: 'Income from hardware, software and licences sold.' }],
    ['220', 'Agreement Revenue', 'REVENUE', out, { Description: 'Recurring agreement (contract) income.' }],
    ['230', 'Expense Reimbursement Revenue', 'REVENUE', out, { Description: 'Billable expenses recharged to customers.' }],
    ['260', 'Other Revenue', 'OTHERINCOME', out],
    ['270', 'Interest Income', 'OTHERINCOME', exempt],
    ['310', 'Cost of Goods Sold', 'DIRECTCOSTS', inp],
    ['400', 'Advertising', 'EXPENSE', inp],
    ['404', 'Bank Fees', 'EXPENSE', feesTax],
    ['408', 'Cleaning', 'EXPENSE', inp],
    ['412', 'Consulting & Accounting', 'EXPENSE', inp],
    ['420', 'Entertainment', 'EXPENSE', exempt],
    ['425', 'Freight & Courier', 'EXPENSE', inp],
    ['429', 'General Expenses', 'EXPENSE', inp],
    ['433', 'Insurance', 'EXPENSE', inp],
    ['437', 'Interest Expense', 'EXPENSE', exempt],
    ['441', 'Legal Expenses', 'EXPENSE', inp],
    ['445', 'Light, Power, Heating', 'EXPENSE', inp],
    ['449', 'Motor Vehicle Expenses', 'EXPENSE', inp],
    ['453', 'Office Expenses', 'EXPENSE', inp],
    ['461', 'Printing & Stationery', 'EXPENSE', inp],
    ['469', 'Rent', 'OVERHEADS', inp],
    ['473', 'Repairs and Maintenance', 'EXPENSE', inp],
    ['477', 'Wages and Salaries', 'EXPENSE', exempt],
    ['485', 'Subscriptions', 'EXPENSE', inp],
    ['489', 'Telephone & Internet', 'EXPENSE', inp],
    ['493', 'Travel - National', 'EXPENSE', inp],
    ['494', 'Travel - International', 'EXPENSE', exempt],
    ['499', 'Old Expenses (archived)', 'EXPENSE', inp, { Status: 'ARCHIVED' }],
    ['610', 'Accounts Receivable', 'CURRENT', exempt, { SystemAccount: 'DEBTORS' }],
    ['620', 'Prepayments', 'CURRENT', exempt],
    ['630', 'Inventory', 'INVENTORY', exempt],
    ['631', 'Inventory - Parramatta Depot', 'INVENTORY', exempt],
    ['710', 'Office Equipment', 'FIXED', inp],
    ['800', 'Accounts Payable', 'CURRLIAB', exempt, { SystemAccount: 'CREDITORS' }],
    // Company-card expense lines can post here (a liability, not the card's bank account, which no line may use).
    ['805', 'Company Card Clearing', 'CURRLIAB', exempt, { Description: 'Company card spending billed through expense reports, cleared by the card payments.' }],
    ['820', 'GST', 'CURRLIAB', exempt, { SystemAccount: 'GST' }],
    ['960', 'Retained Earnings', 'EQUITY', exempt, { SystemAccount: 'RETAINEDEARNINGS' }],
    ['970', 'Owner Funds Introduced', 'EQUITY', exempt],
  ];
  return rows.map(([Code, Name, Type, TaxType, extra]) => ({
    AccountID: seedId(`${org}:account:${Code}`),
    Code,
    Name,
    Type,
    TaxType,
    Status: 'ACTIVE',
    EnablePaymentsToAccount: false,
    ShowInExpenseClaims: Type === 'EXPENSE',
    updatedAt: at,
    ...extra,
  }));
}

function taxRates(country: Country): TaxRateRec[] {
  const r = (TaxType: string, Name: string, rate: string, revenue: boolean, expenses: boolean, ReportTaxType = TaxType, Status: TaxRateRec['Status'] = 'ACTIVE'): TaxRateRec => ({
    TaxType, Name, rate, revenue, expenses, ReportTaxType, Status,
  });
  if (country === 'AU') {
    return [
      r('OUTPUT', 'GST on Income', '10', true, false),
      r('EXEMPTOUTPUT', 'GST Free Income', '0', true, false),
      r('INPUT', 'GST on Expenses', '10', false, true),
      r('EXEMPTEXPENSES', 'GST Free Expenses', '0', false, true),
      r('BASEXCLUDED', 'BAS Excluded', '0', true, true),
      r('INPUTTAXED', 'Input Taxed', '0', true, true, 'INPUTTAXED'),
      r('TAX001', 'Luxury Goods Levy (retired)', '5', true, false, 'OUTPUT', 'ARCHIVED'),
    ];
  }
  return [
    r('OUTPUT2', 'GST on Income', '15', true, false),
    r('INPUT2', 'GST on Expenses', '15', false, true),
    r('ZERORATED', 'Zero Rated', '0', true, false, 'NONE'),
    r('NONE', 'No GST', '0', true, true),
  ];
}

function trackingCategories(org: string, regions: string[]): TrackingCategoryRec[] {
  const cat = (name: string, options: string[]): TrackingCategoryRec => ({
    TrackingCategoryID: seedId(`${org}:tracking:${name}`),
    Name: name,
    Status: 'ACTIVE',
    Options: options.map((o) => ({ TrackingOptionID: seedId(`${org}:tracking:${name}:${o}`), Name: o, Status: 'ACTIVE' as const })),
  });
  return [cat('Region', regions), cat('Business Unit', ['Managed Services', 'Projects', 'Hardware'])];
}

function items(org: string, country: Country, at: number): ItemRec[] {
  const out = country === 'AU' ? 'OUTPUT' : 'OUTPUT2';
  const inp = country === 'AU' ? 'INPUT' : 'INPUT2';
  const rows: [string, string, string, string, string][] = [
    ['MS-BASIC', 'Managed Services - Basic', 'Managed services, basic tier, per device per month', '45.00', '220'],
    ['LAPTOP-14', 'Business Laptop 14"', '14" business laptop, 16 GB RAM, 512 GB SSD', '1899.00', '210'],
    ['M365-BP', 'Microsoft 365 Business Premium', 'Microsoft 365 Business Premium licence, monthly', '36.30', '210'],
    ['ONSITE-HR', 'On-site labour (hour)', 'On-site technical labour, per hour', '165.00', '200'],
  ];
  return rows.map(([Code, Name, Description, price, account]) => ({
    ItemID: seedId(`${org}:item:${Code}`),
    Code,
    Name,
    Description,
    PurchaseDescription: Description,
    IsSold: true,
    IsPurchased: Code === 'LAPTOP-14',
    SalesDetails: { UnitPrice: price, AccountCode: account, TaxType: out },
    ...(Code === 'LAPTOP-14' ? { PurchaseDetails: { UnitPrice: '1450.00', AccountCode: '310', TaxType: inp } } : {}),
    updatedAt: at,
  }));
}

function emptyOrg(info: OrgState['info'], currencies: OrgState['currencies'], regions: string[], at: number): OrgState {
  const key = info.OrganisationID;
  return {
    info,
    currencies,
    accounts: chartOfAccounts(key, info.CountryCode, info.BaseCurrency, at),
    taxRates: taxRates(info.CountryCode),
    tracking: trackingCategories(key, regions),
    items: new Map(items(key, info.CountryCode, at).map((i) => [i.ItemID, i])),
    contacts: new Map(),
    documents: new Map(),
    payments: new Map(),
    overpayments: new Map(),
    allocations: new Map(),
    journals: new Map(),
    sequences: { invoice: 0, creditnote: 0 },
  };
}

export function seedOrganisations(at: number): OrgState[] {
  const harbour = emptyOrg(
    {
      OrganisationID: HARBOUR_TENANT_ID,
      Name: 'Harbour IT Pty Ltd',
      LegalName: 'Harbour IT Pty Ltd',
      Version: 'AU',
      BaseCurrency: 'AUD',
      CountryCode: 'AU',
      Timezone: 'AUSEASTERNSTANDARDTIME',
      TaxNumber: '53 004 085 616',
      ShortCode: '!hIt01',
      LineOfBusiness: 'IT managed services',
      createdAt: at,
    },
    [
      // Xero's CurrencyRate: units of the currency per 1 AUD (1 AUD = 0.6580 USD = 1.0900 NZD).
      { Code: 'AUD', Description: 'Australian Dollar', rate: '1' },
      { Code: 'NZD', Description: 'New Zealand Dollar', rate: '1.09' },
      { Code: 'USD', Description: 'United States Dollar', rate: '0.658' },
    ],
    ['Sydney', 'Melbourne', 'Brisbane'],
    at,
  );
  const kiwi = emptyOrg(
    {
      OrganisationID: KIWI_TENANT_ID,
      Name: 'Kiwi Managed Services Ltd',
      LegalName: 'Kiwi Managed Services Limited',
      Version: 'NZ',
      BaseCurrency: 'NZD',
      CountryCode: 'NZ',
      Timezone: 'NEWZEALANDSTANDARDTIME',
      TaxNumber: '123-456-789',
      ShortCode: '!kMs02',
      LineOfBusiness: 'IT managed services',
      createdAt: at,
    },
    [{ Code: 'NZD', Description: 'New Zealand Dollar', rate: '1' }],
    ['Auckland', 'Wellington', 'Christchurch'],
    at,
  );
  return [harbour, kiwi];
}
