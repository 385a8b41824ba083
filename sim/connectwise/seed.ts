// The simulator's one seed: deterministic, realistic data for an Australian /
// New Zealand MSP ("Demo Co") with two billing locations. Every amount is an
// exact decimal string; totals are computed (invoice-math.ts), never typed in.
//
// Invoices, by what they exercise (ids → GL entry ids 5000 + n):
//   1001 Standard time billing with an agreement credit (Sydney, AUD, GST)
//   1002 Products with units of measure; 3 × 33.3333 so rounding matters
//   1003 Agreement invoice: recurring fee + additions as product lines
//   1004 Credit memo (negative quantities), applied in ConnectWise to 1002
//   1005 Tax-exempt customer (EXEMPT)
//   1006 Auckland, NZD, NZGST 15%
//   1007 Sydney location, billed in USD
//   1008 "Needs attention": a product whose GL account 4990 Xero lacks
//   1009–1016 ordinary invoices so lists page (one with a billable expense)
import type { CwCompany, CwContact, CwHostedScreen, CwLocation, CwMember } from '../../shared/cw-types.js';
import { invoiceAmounts } from './invoice-math.js';
import type { SimGlMapping, SimInvoice, SimLine, SimPayment, SimProduct, SimState, SimSubCategory } from './model.js';
import { wire } from './money.js';
import { seedExpenses } from './expenses/seed.js';
import { COUNTRY_IDS, info, seedContact } from './seed-records.js';
import { seedProcurement, vendorCompanies, vendorContacts } from './procurement/seed.js';
import { seedService } from './service/seed.js';

export const SIM_CLOCK_START = '2026-05-04T09:00:00Z';



const locations: CwLocation[] = [
  { id: 1, name: 'Sydney', ownerLevelId: 1, overrideCity: 'Sydney', overrideState: 'NSW', overrideCountry: { id: COUNTRY_IDS.Australia!, name: 'Australia' }, _info: info('system/locations', 1) },
  { id: 2, name: 'Auckland', ownerLevelId: 1, overrideCity: 'Auckland', overrideState: 'AUK', overrideCountry: { id: COUNTRY_IDS['New Zealand']!, name: 'New Zealand' }, _info: info('system/locations', 2) },
];

const departments = [
  { id: 10, identifier: 'MS', name: 'Managed Services' },
  { id: 11, identifier: 'PS', name: 'Professional Services' },
];

function member(id: number, identifier: string, firstName: string, lastName: string, role: { id: number; name: string }, locationId: number): CwMember {
  const loc = locations.find((l) => l.id === locationId)!;
  return {
    id,
    identifier,
    firstName,
    lastName,
    licenseClass: 'F',
    officeEmail: `${identifier}@democo.example`,
    primaryEmail: `${identifier}@democo.example`,
    defaultEmail: 'Office',
    defaultPhone: 'Office',
    officePhone: `+61 2 9000 00${10 + id}`,
    securityRole: { id: role.id, name: role.name },
    adminFlag: role.name === 'Admin',
    defaultLocation: { id: loc.id!, name: loc.name },
    defaultDepartment: { id: 10, identifier: 'MS', name: 'Managed Services' },
    hireDate: '2021-02-01T00:00:00Z',
    inactiveFlag: false,
    companyActivityTabFormat: 'SummaryList',
    invoiceTimeTabFormat: 'SummaryList',
    invoiceScreenDefaultTabFormat: 'ShowInvoicingTab',
    invoicingDisplayOptions: 'RemainOnInvoicingScreen',
    agreementInvoicingDisplayOptions: 'RemainOnInvoicingScreen',
    _info: info('system/members', id),
  };
}

const members: CwMember[] = [
  member(1, 'admin', 'Alex', 'Admin', { id: 1, name: 'Admin' }, 1),
  member(2, 'accountant', 'Ana', 'Accountant', { id: 2, name: 'Finance' }, 1),
  member(3, 'tech', 'Tom', 'Technician', { id: 3, name: 'Technician' }, 1),
];

interface CompanySeed {
  id: number;
  identifier: string;
  name: string;
  accountNumber: string;
  phone: string;
  address: [string, string, string, string, string, string]; // line1, line2, city, state, zip, country
  locationId: number;
  taxCodeId: number;
  termsId: number;
  currency: string;
  billing: [string, string, string, string]; // first, last, email, phone
  primary: [string, string, string, string];
}

const companySeeds: CompanySeed[] = [
  { id: 250, identifier: 'HarbourDental', name: 'Harbour Dental Group', accountNumber: 'HDG001', phone: '+61 2 9251 4400', address: ['Level 4, 12 Macquarie Street', '', 'Sydney', 'NSW', '2000', 'Australia'], locationId: 1, taxCodeId: 1, termsId: 1, currency: 'AUD', billing: ['Priya', 'Shah', 'accounts@harbourdental.example', '+61 2 9251 4401'], primary: ['Mark', 'Chen', 'mark.chen@harbourdental.example', '+61 412 555 010'] },
  { id: 251, identifier: 'BlueGum', name: 'Blue Gum Logistics Pty Ltd', accountNumber: 'BGL002', phone: '+61 2 9635 1200', address: ['88 Church Street', 'Unit 7', 'Parramatta', 'NSW', '2150', 'Australia'], locationId: 1, taxCodeId: 1, termsId: 2, currency: 'AUD', billing: ['Olivia', "O'Connor", 'payables@bluegum.example', '+61 2 9635 1210'], primary: ['Jack', 'Nguyen', 'jack.nguyen@bluegum.example', '+61 413 555 020'] },
  { id: 252, identifier: 'NorthsideTrust', name: 'Northside Community Trust', accountNumber: 'NCT003', phone: '+61 2 9955 3300', address: ['3 Miller Street', '', 'North Sydney', 'NSW', '2060', 'Australia'], locationId: 1, taxCodeId: 3, termsId: 1, currency: 'AUD', billing: ['Grace', 'Williams', 'finance@northsidetrust.example', '+61 2 9955 3301'], primary: ['Daniel', 'Brown', 'daniel.brown@northsidetrust.example', '+61 414 555 030'] },
  { id: 253, identifier: 'KauriEng', name: 'Kauri Engineering Ltd', accountNumber: 'KEL004', phone: '+64 9 379 2200', address: ['Level 2, 150 Queen Street', '', 'Auckland', 'AUK', '1010', 'New Zealand'], locationId: 2, taxCodeId: 2, termsId: 3, currency: 'NZD', billing: ['Aroha', 'Ngata', 'accounts@kauri-eng.example', '+64 9 379 2201'], primary: ['Liam', 'Walker', 'liam.walker@kauri-eng.example', '+64 21 555 040'] },
  { id: 254, identifier: 'TasmanRetail', name: 'Tasman Retail Ltd', accountNumber: 'TRL005', phone: '+64 9 520 7700', address: ['27 Broadway', '', 'Newmarket', 'AUK', '1023', 'New Zealand'], locationId: 2, taxCodeId: 2, termsId: 1, currency: 'NZD', billing: ['Mere', 'Thompson', 'ap@tasmanretail.example', '+64 9 520 7701'], primary: ['Sam', 'Patel', 'sam.patel@tasmanretail.example', '+64 22 555 050'] },
  { id: 255, identifier: 'PacificRim', name: 'Pacific Rim Exports Inc', accountNumber: 'PRE006', phone: '+1 415 555 0160', address: ['500 Howard Street', 'Suite 300', 'San Francisco', 'CA', '94105', 'United States'], locationId: 1, taxCodeId: 1, termsId: 1, currency: 'USD', billing: ['Emily', 'Garcia', 'ap@pacificrim.example', '+1 415 555 0161'], primary: ['Noah', 'Kim', 'noah.kim@pacificrim.example', '+1 415 555 0162'] },
  { id: 256, identifier: 'SunrisePhysio', name: 'Sunrise Physiotherapy', accountNumber: 'SRP007', phone: '+61 2 9389 6600', address: ['210 Oxford Street', '', 'Bondi Junction', 'NSW', '2022', 'Australia'], locationId: 1, taxCodeId: 1, termsId: 2, currency: 'AUD', billing: ['Chloe', 'Martin', 'admin@sunrisephysio.example', '+61 2 9389 6601'], primary: ['Ethan', 'Lee', 'ethan.lee@sunrisephysio.example', '+61 415 555 070'] },
];

const taxCodes = [
  { id: 1, name: 'GST', description: 'Goods and Services Tax (Australia) 10%', ratePercent: '10' },
  { id: 2, name: 'NZGST', description: 'Goods and Services Tax (New Zealand) 15%', ratePercent: '15' },
  { id: 3, name: 'EXEMPT', description: 'Tax exempt', ratePercent: '0' },
];

const billingTerms = [
  { id: 1, name: 'Net 30', dueDays: 30 },
  { id: 2, name: 'Net 14', dueDays: 14 },
  { id: 3, name: 'Net 20', dueDays: 20 },
];

const currencies = [
  { id: 1, currencyCode: 'AUD', symbol: '$', name: 'Australian Dollar' },
  { id: 2, currencyCode: 'NZD', symbol: '$', name: 'New Zealand Dollar' },
  { id: 3, currencyCode: 'USD', symbol: 'US$', name: 'US Dollar' },
];

const countries = COUNTRY_IDS;

function companies(): CwCompany[] {
  return companySeeds.map((s) => {
    const terms = billingTerms.find((t) => t.id === s.termsId)!;
    const tax = taxCodes.find((t) => t.id === s.taxCodeId)!;
    const cur = currencies.find((c) => c.currencyCode === s.currency)!;
    const billingContactId = s.id * 10 + 1;
    const primaryContactId = s.id * 10 + 2;
    const site = { id: s.id * 10, name: 'Main' };
    return {
      id: s.id,
      identifier: s.identifier,
      name: s.name,
      status: { id: 1, name: 'Active' },
      addressLine1: s.address[0],
      ...(s.address[1] ? { addressLine2: s.address[1] } : {}),
      city: s.address[2],
      state: s.address[3],
      zip: s.address[4],
      country: { id: countries[s.address[5]]!, name: s.address[5] },
      phoneNumber: s.phone,
      website: `www.${s.identifier.toLowerCase()}.example`,
      territory: { id: s.locationId, name: locations.find((l) => l.id === s.locationId)!.name },
      accountNumber: s.accountNumber,
      defaultContact: { id: primaryContactId, name: `${s.primary[0]} ${s.primary[1]}` },
      billingContact: { id: billingContactId, name: `${s.billing[0]} ${s.billing[1]}` },
      billingSite: site,
      site,
      billToCompany: { id: s.id, identifier: s.identifier, name: s.name },
      billingTerms: { id: terms.id, name: terms.name },
      taxCode: { id: tax.id, name: tax.name },
      currency: { id: cur.id, currencyCode: cur.currencyCode, symbol: cur.symbol, name: cur.name },
      invoiceToEmailAddress: s.billing[2],
      types: [{ id: 1, name: 'Client' }],
      deletedFlag: false,
      _info: info('company/companies', s.id),
    } satisfies CwCompany;
  });
}

function contacts(): CwContact[] {
  return companySeeds.flatMap((s) => {
    const address = { line1: s.address[0], city: s.address[2], state: s.address[3], zip: s.address[4], country: s.address[5] };
    return [seedContact(s.id * 10 + 1, s, address, s.billing, 'Accounts', true), seedContact(s.id * 10 + 2, s, address, s.primary, 'Practice Manager', false)];
  });
}

const products: SimProduct[] = [
  { id: 701, identifier: 'DELL-LAT5450', description: 'Dell Latitude 5450 laptop, i7, 16 GB, 512 GB SSD', unitOfMeasure: { id: 1, name: 'Each' }, inventory: true, subCategoryId: 21 },
  { id: 702, identifier: 'CAT6-3M', description: 'Cat6 patch lead, 3 m, blue', unitOfMeasure: { id: 1, name: 'Each' }, inventory: true, subCategoryId: 22 },
  { id: 703, identifier: 'M365-BP', description: 'Microsoft 365 Business Premium (monthly)', unitOfMeasure: { id: 2, name: 'Licence/Month' }, inventory: false, subCategoryId: 31 },
  { id: 704, identifier: 'CAT6-REEL', description: 'Cat6 solid cable, cut to length', unitOfMeasure: { id: 3, name: 'Metre' }, inventory: true, subCategoryId: 22 },
  { id: 705, identifier: 'EDR-SEAT', description: 'Endpoint detection & response, per seat', unitOfMeasure: { id: 4, name: 'Seat' }, inventory: false, subCategoryId: 32 },
  { id: 706, identifier: 'BACKUP-TB', description: 'Cloud backup storage', unitOfMeasure: { id: 5, name: 'TB' }, inventory: false, subCategoryId: 33 },
  { id: 707, identifier: 'UBQ-U6PRO', description: 'Ubiquiti U6 Pro access point', unitOfMeasure: { id: 1, name: 'Each' }, inventory: true, subCategoryId: 22 },
  { id: 708, identifier: 'LEGACY-HW', description: 'Refurbished legacy hardware (resale)', unitOfMeasure: { id: 1, name: 'Each' }, inventory: false, glAccount: '4990', subCategoryId: 23 },
];

/** Product sub-categories (procurement/subcategories) under their categories; 24 is inactive and no product uses it. */
const subCategories: SimSubCategory[] = [
  { id: 21, name: 'Laptops & Desktops', category: { id: 2, name: 'Hardware' }, inactiveFlag: false },
  { id: 22, name: 'Networking', category: { id: 2, name: 'Hardware' }, inactiveFlag: false },
  { id: 23, name: 'Refurbished', category: { id: 2, name: 'Hardware' }, inactiveFlag: false },
  { id: 24, name: 'Printers', category: { id: 2, name: 'Hardware' }, inactiveFlag: true },
  { id: 31, name: 'Licensing', category: { id: 3, name: 'Cloud Services' }, inactiveFlag: false },
  { id: 32, name: 'Security', category: { id: 3, name: 'Cloud Services' }, inactiveFlag: false },
  { id: 33, name: 'Backup', category: { id: 3, name: 'Cloud Services' }, inactiveFlag: false },
];

const glMapping: SimGlMapping = {
  interfaceIdentifier: 'Xero',
  summarizeInvoices: 'Default',
  accountsReceivable: '610',
  serviceRevenue: '200',
  productRevenue: '210',
  agreementRevenue: '220',
  expenseRevenue: '230',
  costOfGoodsSold: '310',
  inventory: '630',
  accountsPayable: '800',
  salesTax: '820',
  classSegment: { caption: 'Class' },
  classByLocation: { 1: 'SYD', 2: 'AKL' },
};

let lineSeq = 0;
let timeSeq = 0;
function time(member: string, workType: string, date: string, hours: string, rate: string, description: string): SimLine {
  lineSeq++;
  timeSeq++;
  return { kind: 'time', id: 90000 + lineSeq, timeEntryId: 40000 + timeSeq, member, workType, dateEntered: `${date}T00:00:00Z`, description, quantity: hours, unitPrice: rate, taxable: true };
}
function product(productId: number, quantity: string, unitPrice: string, unitCost: string, description?: string): SimLine {
  lineSeq++;
  const p = products.find((x) => x.id === productId)!;
  return { kind: 'product', id: 90000 + lineSeq, productId, description: description ?? p.description, quantity, unitPrice, unitCost, taxable: true };
}
function agreementFee(description: string, amount: string): SimLine {
  lineSeq++;
  return { kind: 'agreement', id: 90000 + lineSeq, description, quantity: '1', unitPrice: amount, taxable: true };
}
function agreementCredit(description: string, amount: string): SimLine {
  lineSeq++;
  return { kind: 'agreementCredit', id: 90000 + lineSeq, description, quantity: '1', unitPrice: `-${amount}`, taxable: true };
}
function expense(description: string, amount: string): SimLine {
  lineSeq++;
  return { kind: 'expense', id: 90000 + lineSeq, description, quantity: '1', unitPrice: amount, taxable: true };
}

interface InvoiceSeed {
  n: number;
  type?: SimInvoice['type'];
  companyId: number;
  date: string;
  po?: string;
  departmentId?: number;
  description: string;
  lines: SimLine[];
  agreement?: SimInvoice['agreement'];
  appliedTo?: number;
  currency?: string;
}

function invoiceSeeds(): InvoiceSeed[] {
  lineSeq = 0;
  timeSeq = 0;
  const gold = { id: 81, name: 'Managed Services - Gold', type: 'Managed Services' };
  return [
    { n: 1001, companyId: 250, date: '2026-02-03', po: 'PO-HD-7781', departmentId: 11, description: 'Support and project work, January 2026', agreement: gold, lines: [
      time('tech', 'Remote Support', '2026-01-08', '1.5', '165.00', 'Remote support: printer queue and scanner drivers'),
      time('tech', 'Remote Support', '2026-01-15', '2.25', '165.00', 'Remote support: Outlook profile rebuilds'),
      time('tech', 'Onsite Support', '2026-01-21', '3', '195.00', 'Onsite: reception PC replacement'),
      time('admin', 'Project Work', '2026-01-27', '1.75', '210.00', 'Project: Wi-Fi survey report'),
      agreementCredit('Agreement: Managed Services - Gold (covered remote support)', '618.75'),
    ] },
    { n: 1002, companyId: 251, date: '2026-02-10', po: 'BG-44120', description: 'Hardware and licences for the Parramatta depot', lines: [
      product(701, '2', '1849.00', '1420.00'),
      product(702, '3', '33.3333', '9.10'),
      product(703, '12', '36.30', '29.04'),
      product(704, '45.5', '2.15', '0.98'),
    ] },
    { n: 1003, type: 'Agreement', companyId: 250, date: '2026-03-01', po: 'PO-HD-7802', description: 'Managed Services - Gold, March 2026', agreement: gold, lines: [
      agreementFee('Managed Services - Gold: monthly fee (March 2026)', '2450.00'),
      product(705, '35', '6.50', '3.20', 'Agreement addition: endpoint detection & response'),
      product(706, '2', '45.00', '21.00', 'Agreement addition: cloud backup storage'),
    ] },
    { n: 1004, type: 'CreditMemo', companyId: 251, date: '2026-02-24', po: 'BG-44120', description: 'Credit: one laptop returned from invoice INV-1002', appliedTo: 1002, lines: [
      product(701, '-1', '1849.00', '1420.00', 'Returned: Dell Latitude 5450 (serial 7HX2Q34)'),
    ] },
    { n: 1005, companyId: 252, date: '2026-02-17', po: '', description: 'Volunteer centre network refresh', lines: [
      time('tech', 'Onsite Support', '2026-02-05', '4', '150.00', 'Onsite: switch replacement, volunteer centre'),
      product(707, '3', '289.00', '205.00'),
    ] },
    { n: 1006, companyId: 253, date: '2026-03-09', po: 'KE-2026-031', description: 'Server room upgrade, Queen Street', lines: [
      time('tech', 'Onsite Support', '2026-03-02', '6', '185.00', 'Onsite: rack and UPS installation'),
      product(707, '4', '329.00', '231.00'),
      product(702, '10', '12.9565', '5.40'),
    ] },
    { n: 1007, companyId: 255, date: '2026-03-16', po: 'PRE-88-0042', description: 'Remote onboarding, US office', lines: [
      time('admin', 'Project Work', '2026-03-10', '5', '140.00', 'Project: tenant migration planning'),
      product(703, '8', '22.00', '17.60'),
    ] },
    { n: 1008, companyId: 256, date: '2026-03-23', po: 'SP-1187', description: 'Clinic hardware top-up', lines: [
      product(708, '2', '240.00', '150.00'),
      time('tech', 'Remote Support', '2026-03-18', '1', '165.00', 'Remote support: set up refurbished PCs'),
    ] },
    { n: 1009, companyId: 256, date: '2026-01-12', po: 'SP-1150', description: 'Support, December 2025', lines: [
      time('tech', 'Remote Support', '2026-01-05', '2.5', '165.00', 'Remote support: booking system client updates'),
    ] },
    { n: 1010, companyId: 254, date: '2026-01-19', po: 'TR-5501', description: 'POS terminal support', lines: [
      time('tech', 'Onsite Support', '2026-01-14', '3.5', '185.00', 'Onsite: POS terminals, Newmarket store'),
      expense('Travel: Newmarket return trip (billable)', '42.60'),
    ] },
    { n: 1011, companyId: 251, date: '2026-01-26', po: 'BG-43988', description: 'Licences, January 2026', lines: [
      product(703, '20', '36.30', '29.04'),
    ] },
    { n: 1012, companyId: 250, date: '2026-03-30', po: 'PO-HD-7830', description: 'Support, March 2026', lines: [
      time('tech', 'Remote Support', '2026-03-12', '1.25', '165.00', 'Remote support: imaging software licence'),
      time('tech', 'Onsite Support', '2026-03-19', '2', '195.00', 'Onsite: surgery 3 workstation'),
    ] },
    { n: 1013, companyId: 253, date: '2026-04-06', po: 'KE-2026-044', description: 'Access points, workshop', lines: [
      product(707, '2', '329.00', '231.00'),
    ] },
    { n: 1014, companyId: 254, date: '2026-04-13', po: 'TR-5540', description: 'Support, March 2026', lines: [
      time('tech', 'Remote Support', '2026-04-02', '2', '175.00', 'Remote support: email migration'),
    ] },
    { n: 1015, companyId: 252, date: '2026-04-20', po: '', description: 'Backup review', lines: [
      time('admin', 'Project Work', '2026-04-15', '2.5', '150.00', 'Project: backup and recovery review'),
    ] },
    { n: 1016, companyId: 255, date: '2026-04-27', po: 'PRE-88-0051', description: 'Licences, April 2026', lines: [
      product(703, '10', '22.00', '17.60'),
    ] },
  ];
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function invoices(companyList: CwCompany[]): SimInvoice[] {
  return invoiceSeeds().map((s) => {
    const company = companyList.find((c) => c.id === s.companyId)!;
    const seed = companySeeds.find((c) => c.id === s.companyId)!;
    return {
      id: s.n,
      glEntryId: 5000 + (s.n - 1000),
      invoiceNumber: `${s.type === 'CreditMemo' ? 'CM' : 'INV'}-${s.n}`,
      type: s.type ?? 'Standard',
      statusName: 'Sent',
      companyId: company.id!,
      billToCompanyId: company.id!,
      attentionContactId: company.billingContact!.id!,
      locationId: seed.locationId,
      departmentId: s.departmentId ?? 10,
      date: `${s.date}T00:00:00Z`,
      billingTermsId: seed.termsId,
      customerPO: s.po ?? '',
      reference: s.appliedTo ? `Credit for INV-${s.appliedTo}` : '',
      currencyCode: s.currency ?? seed.currency,
      taxCodeId: seed.taxCodeId,
      description: s.description,
      ...(s.agreement ? { agreement: s.agreement } : {}),
      ...(s.appliedTo ? { appliedToInvoiceId: s.appliedTo } : {}),
      lines: s.lines,
      updatedAt: `${addDays(s.date, 0)}T00:00:00Z`,
    };
  });
}

export const HOSTED_SCREENS: CwHostedScreen[] = [
  { id: 1, screenId: 'company', name: 'Company' },
  { id: 2, screenId: 'contact', name: 'Contact' },
  { id: 3, screenId: 'ticket', name: 'Service Ticket' },
  { id: 4, screenId: 'project', name: 'Project' },
  { id: 5, screenId: 'agreement', name: 'Agreement' },
  { id: 6, screenId: 'opportunity', name: 'Opportunity' },
  { id: 7, screenId: 'invoice', name: 'Invoice' },
  { id: 8, screenId: 'purchaseorder', name: 'Purchase Order' },
  { id: 9, screenId: 'expensereport', name: 'Expense Report' },
  { id: 10, screenId: 'accountingbatch', name: 'Accounting Batch' },
  { id: 11, screenId: 'timesheet', name: 'Time Sheet' },
];

export { addDays };

/**
 * A credit memo applied in ConnectWise shows on the original invoice as a
 * payment record of type "Credit" naming the memo (the API itself cannot
 * apply credits; the seed does, as a person in ConnectWise would).
 */
function creditApplications(state: SimState): SimPayment[] {
  let id = 1;
  return state.invoices
    .filter((inv) => inv.type === 'CreditMemo' && inv.appliedToInvoiceId)
    .map((memo) => ({
      id: id++,
      invoiceId: memo.appliedToInvoiceId!,
      type: 'Credit',
      invoice: { id: memo.appliedToInvoiceId!, identifier: `INV-${memo.appliedToInvoiceId}` },
      credit: { id: memo.id, identifier: memo.invoiceNumber },
      amount: wire(invoiceAmounts(state, memo).total.abs()),
      paymentDate: memo.date,
      appliedBy: 'accountant',
      _info: info('finance/invoices/payments', id - 1),
    }));
}

/** A fresh copy of the whole seed; state mutations never touch it. */
export function seedState(): SimState {
  const state = baseState();
  state.payments = creditApplications(state);
  state.nextId.payment = state.payments.length + 1;
  return state;
}

function baseState(): SimState {
  const companyList = companies();
  return structuredClone({
    info: { version: 'v2025.1.10431', serverTimeZone: 'Australia/Sydney' },
    locations,
    departments,
    members,
    companies: [...companyList, ...vendorCompanies()],
    contacts: [...contacts(), ...vendorContacts()],
    taxCodes,
    billingTerms,
    currencies,
    products,
    subCategories,
    glMapping,
    invoices: invoices(companyList),
    payments: [],
    expenses: seedExpenses(),
    procurement: seedProcurement(),
    service: seedService(),
    batches: [],
    hostedScreens: HOSTED_SCREENS,
    hostedSetups: [],
    memberHashes: new Map(),
    faults: { latencyMs: 0, errorRate: 0, rate429: 0, retryAfterSeconds: 1, errorPhase: 'before', dropRate: 0, timeoutRate: 0, timeoutMs: 30_000 },
    nextId: { payment: 1, batch: 1, hostedSetup: 1 },
  });
}
