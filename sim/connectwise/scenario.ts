// Sim-only control POST /__sim/scenario: adds catalogue products, customer
// companies (with their contacts) and unposted invoices using them, so a test
// can create what real ConnectWise users have and drive the product through
// the HTTP API like any other record:
//   {preset?: "real-world", products?: [...], companies?: [...], invoices?: [...]}
// Everything is checked before anything is added (a 400 names the field, e.g.
// `invoices.0.lines.1.productId`); records then appear in the REST API
// (company/companies, company/contacts, finance/invoices, unpostedinvoices)
// and in the accounting export. Ids are the caller's (deterministic tests);
// line, time entry and contact ids are the next free ones. POST /__sim/reset
// removes it all. `REAL_WORLD_SCENARIO` (the preset) is the seed of edge cases
// listed in the README: product ids of every length (two over 30 characters
// sharing their first 30), companies sharing a name, companies without a
// primary or a billing contact, a product whose GL mapping has no account, and
// invoices using them, one of them a credit memo for a returned part.
import { z } from 'zod';
import type { CwCompany, CwContact } from '../../shared/cw-types.js';
import { type CwError, fromZod, invalidField } from './errors.js';
import { invoiceAmounts } from './invoice-math.js';
import type { SimInvoice, SimLine, SimPayment, SimProduct, SimState } from './model.js';
import { money, wire } from './money.js';
import { paidAndCredited } from './views.js';

const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number as text, e.g. "12.50"');
const id = z.number().int().positive();

const productSchema = z
  .object({
    id,
    /** The catalogue id ("item code"): any length ConnectWise users type, up to 200 characters here. */
    identifier: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(500),
    unitOfMeasure: z.string().trim().min(1).max(50).default('Each'),
    inventory: z.boolean().default(false),
    /** The product's own revenue account; "" = its GL mapping has no account (exported as accountNumber ""). */
    glAccount: z.string().trim().max(20).optional(),
  })
  .strict();

const contactSchema = z
  .object({ firstName: z.string().trim().min(1).max(30), lastName: z.string().trim().min(1).max(30), email: z.email().optional() })
  .strict();

const companySchema = z
  .object({
    id,
    identifier: z.string().trim().min(1).max(25).regex(/^\S+$/, 'no spaces'),
    /** Need not be unique: ConnectWise allows two companies with one name. */
    name: z.string().trim().min(1).max(50),
    accountNumber: z.string().trim().max(30).optional(),
    locationId: id.default(1),
    /** A tax code name, e.g. "GST"; default: the location's (GST in Sydney, NZGST in Auckland). */
    taxCode: z.string().trim().min(1).optional(),
    billingTermsId: id.default(1),
    /** Default: the location's currency. */
    currency: z.string().length(3).optional(),
    /** Omitted: one is made from the company's name; null: the company has none. */
    billingContact: contactSchema.nullable().optional(),
    primaryContact: contactSchema.nullable().optional(),
  })
  .strict();

const lineBase = { description: z.string().trim().min(1).max(500).optional(), taxable: z.boolean().default(true) };
const lineSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('product'), productId: id, quantity: decimalText, unitPrice: decimalText, unitCost: decimalText.default('0'), ...lineBase }).strict(),
  z.object({ kind: z.literal('time'), workType: z.string().trim().min(1).max(50), member: z.string().default('tech'), hours: decimalText, rate: decimalText, ...lineBase }).strict(),
  z.object({ kind: z.literal('expense'), amount: decimalText, ...lineBase }).strict(),
]);

const invoiceSchema = z
  .object({
    id,
    /** The UnpostedInvoice id; default id + 4000, as the seed's (1001 → 5001). */
    glEntryId: id.optional(),
    /** Default "INV-{id}", "CM-{id}" for a credit memo; unique, as ConnectWise keeps them. */
    invoiceNumber: z.string().trim().min(1).max(15).optional(),
    type: z.enum(['Standard', 'CreditMemo', 'Miscellaneous']).default('Standard'),
    companyId: id,
    date: z.iso.date(),
    customerPO: z.string().max(50).default(''),
    description: z.string().max(200).default(''),
    /** A credit memo: the invoice it was applied to in ConnectWise (a Credit record on it, as the seed's 1004). */
    appliedTo: id.optional(),
    lines: z.array(lineSchema).min(1).max(200),
  })
  .strict();

export const scenarioSchema = z
  .object({
    preset: z.enum(['real-world']).optional(),
    products: z.array(productSchema).max(1000).default([]),
    companies: z.array(companySchema).max(1000).default([]),
    invoices: z.array(invoiceSchema).max(1000).default([]),
  })
  .strict();
export type ScenarioRequest = z.input<typeof scenarioSchema>;
type Scenario = z.output<typeof scenarioSchema>;

export interface ScenarioResult {
  productIds: number[];
  companyIds: number[];
  contactIds: number[];
  invoiceIds: number[];
  glEntryIds: number[];
}

/**
 * The preset: what real ConnectWise databases hold and the seed does not.
 * Products 720–724, companies 280–283, invoices 1101–1105 (GL entries 5101–5105).
 */
export const REAL_WORLD_SCENARIO = {
  products: [
    // 38 and 42 characters, the same first 30 ("HPE-PROLIANT-DL380-GEN11-8SFF-").
    { id: 720, identifier: 'HPE-PROLIANT-DL380-GEN11-8SFF-CTO-BASE', description: 'HPE ProLiant DL380 Gen11 8SFF CTO base server', inventory: true },
    { id: 721, identifier: 'HPE-PROLIANT-DL380-GEN11-8SFF-CTO-PSU-800W', description: 'HPE 800 W flex slot platinum power supply', inventory: true },
    { id: 722, identifier: 'K', description: 'Keyboard, wired, USB' },
    // Exactly 30 characters: still its own Xero item code.
    { id: 723, identifier: 'CISCO-C9200L-24P-4G-E-STACKKIT', description: 'Cisco Catalyst 9200L 24-port PoE+ switch with stack kit', inventory: true },
    { id: 724, identifier: 'SVC-ONSITE-KIT', description: 'On-site consumables kit', glAccount: '' },
  ],
  companies: [
    // The seed's 250 is "Harbour Dental Group" too: another practice of the same name.
    { id: 280, identifier: 'HarbourDentalNth', name: 'Harbour Dental Group', accountNumber: 'HDG101', billingContact: { firstName: 'Nina', lastName: 'Park', email: 'accounts@harbourdental-north.example' }, primaryContact: { firstName: 'Oscar', lastName: 'Reid' } },
    { id: 281, identifier: 'CoastalVetsSyd', name: 'Coastal Veterinary Clinic', accountNumber: 'CVC201', primaryContact: null },
    { id: 282, identifier: 'CoastalVetsNcl', name: 'Coastal Veterinary Clinic', accountNumber: 'CVC202', billingContact: null },
    { id: 283, identifier: 'GreenwayCafe', name: 'Greenway Cafe', billingContact: null, primaryContact: null },
  ],
  invoices: [
    { id: 1101, companyId: 280, date: '2026-04-06', customerPO: 'HDN-3301', description: 'Server for the north surgery', lines: [
      { kind: 'product', productId: 720, quantity: '1', unitPrice: '8950.00', unitCost: '7100.00' },
      { kind: 'product', productId: 721, quantity: '2', unitPrice: '412.50', unitCost: '305.00' },
    ] },
    { id: 1102, companyId: 281, date: '2026-04-08', customerPO: 'CVS-88', description: 'Front desk refresh', lines: [
      { kind: 'product', productId: 722, quantity: '3', unitPrice: '39.95', unitCost: '21.00' },
      { kind: 'product', productId: 723, quantity: '1', unitPrice: '2890.00', unitCost: '2310.00' },
    ] },
    { id: 1103, companyId: 282, date: '2026-04-09', description: 'Support, March 2026', lines: [
      { kind: 'time', workType: 'Remote Support', hours: '2.5', rate: '165.00', description: 'Remote support: practice management software update' },
    ] },
    { id: 1104, companyId: 283, date: '2026-04-10', description: 'On-site visit', lines: [
      { kind: 'time', workType: 'Onsite Support', hours: '1', rate: '195.00', description: 'Onsite: POS printer' },
      { kind: 'product', productId: 724, quantity: '1', unitPrice: '45.00', unitCost: '18.00' },
    ] },
    { id: 1105, type: 'CreditMemo', companyId: 280, date: '2026-04-20', customerPO: 'HDN-3301', description: 'Credit: one power supply returned from INV-1101', appliedTo: 1101, lines: [
      { kind: 'product', productId: 721, quantity: '-1', unitPrice: '412.50', unitCost: '305.00', description: 'Returned: HPE 800 W PSU (serial 5WQ81C)' },
    ] },
  ],
} satisfies ScenarioRequest;

const LOCATION_DEFAULTS: Record<number, { taxCode: string; currency: string }> = {
  1: { taxCode: 'GST', currency: 'AUD' },
  2: { taxCode: 'NZGST', currency: 'NZD' },
};

const nextFree = (used: Iterable<number>) => {
  let n = 0;
  for (const u of used) if (u > n) n = u;
  return () => ++n;
};

function contactOf(contactId: number, company: CwCompany, p: z.output<typeof contactSchema>, billing: boolean): CwContact {
  const site = company.billingSite ?? { id: 0, name: 'Main' };
  return {
    id: contactId,
    firstName: p.firstName,
    lastName: p.lastName,
    company: { id: company.id!, identifier: company.identifier, name: company.name },
    site,
    inactiveFlag: false,
    defaultFlag: !billing,
    defaultBillingFlag: billing,
    communicationItems: p.email
      ? [{ id: contactId * 10 + 1, type: { id: 1, name: 'Email' }, value: p.email, defaultFlag: true, communicationType: 'Email' }]
      : [],
    _info: { 'company/contacts_href': `/v4_6_release/apis/3.0/company/contacts/${contactId}` },
  };
}

/** A refused request as a 400 naming the field; an unknown field is named itself (e.g. `products.0.colour`). */
export function scenarioError(error: z.ZodError): CwError {
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys' && issue.keys[0]) {
    return invalidField('scenario', [...issue.path, issue.keys[0]].join('.'), 'is not a field of a scenario');
  }
  return fromZod('scenario', error);
}

/** Checks the scenario against the state and adds it; throws a 400 naming the field before changing anything. */
export function addScenario(state: SimState, input: Scenario): ScenarioResult {
  const bad = (field: string, message: string) => invalidField('scenario', field, message);
  const preset = input.preset ? scenarioSchema.parse(REAL_WORLD_SCENARIO) : null;
  if (preset && state.products.some((p) => p.id === preset.products[0]!.id)) {
    throw bad('preset', `"${input.preset}" was added already (POST /__sim/reset removes it)`);
  }
  const products = [...(preset?.products ?? []), ...input.products];
  const companies = [...(preset?.companies ?? []), ...input.companies];
  const invoices = [...(preset?.invoices ?? []), ...input.invoices];
  // Fields are named by their place in the request (the preset's records come first).
  const offset = { products: preset?.products.length ?? 0, companies: preset?.companies.length ?? 0, invoices: preset?.invoices.length ?? 0 };
  const at = (list: keyof typeof offset, i: number, field: string) =>
    i < offset[list] ? 'preset' : `${list}.${i - offset[list]}.${field}`;

  // Products.
  const productIds = new Set(state.products.map((p) => p.id));
  const identifiers = new Set(state.products.map((p) => p.identifier.toLowerCase()));
  products.forEach((p, i) => {
    if (productIds.has(p.id)) throw bad(at('products', i, 'id'), `product ${p.id} exists`);
    if (identifiers.has(p.identifier.toLowerCase())) throw bad(at('products', i, 'identifier'), `a product "${p.identifier}" exists`);
    productIds.add(p.id);
    identifiers.add(p.identifier.toLowerCase());
  });

  // Companies.
  const companyIds = new Set(state.companies.map((c) => c.id!));
  const companyIdentifiers = new Set(state.companies.map((c) => c.identifier!.toLowerCase()));
  const companyFacts = new Map<number, { currency: string; locationId: number; taxCodeId: number; termsId: number }>();
  for (const c of state.companies) {
    companyFacts.set(c.id!, {
      currency: c.currency?.currencyCode ?? 'AUD',
      locationId: c.territory?.id ?? 1,
      taxCodeId: c.taxCode?.id ?? 1,
      termsId: c.billingTerms?.id ?? 1,
    });
  }
  const resolvedCompanies = companies.map((c, i) => {
    if (companyIds.has(c.id)) throw bad(at('companies', i, 'id'), `company ${c.id} exists`);
    if (companyIdentifiers.has(c.identifier.toLowerCase())) throw bad(at('companies', i, 'identifier'), `a company "${c.identifier}" exists`);
    const location = state.locations.find((l) => l.id === c.locationId);
    if (!location) throw bad(at('companies', i, 'locationId'), `no location ${c.locationId}`);
    const defaults = LOCATION_DEFAULTS[c.locationId] ?? LOCATION_DEFAULTS[1]!;
    const tax = state.taxCodes.find((t) => t.name === (c.taxCode ?? defaults.taxCode));
    if (!tax) throw bad(at('companies', i, 'taxCode'), `no tax code "${c.taxCode}"`);
    const terms = state.billingTerms.find((t) => t.id === c.billingTermsId);
    if (!terms) throw bad(at('companies', i, 'billingTermsId'), `no billing terms ${c.billingTermsId}`);
    const currency = state.currencies.find((x) => x.currencyCode === (c.currency ?? defaults.currency));
    if (!currency) throw bad(at('companies', i, 'currency'), `no currency "${c.currency}"`);
    companyIds.add(c.id);
    companyIdentifiers.add(c.identifier.toLowerCase());
    companyFacts.set(c.id, { currency: currency.currencyCode, locationId: location.id!, taxCodeId: tax.id, termsId: terms.id });
    return { c, location, tax, terms, currency };
  });

  // Invoices.
  const invoiceIds = new Set(state.invoices.map((x) => x.id));
  const glIds = new Set(state.invoices.map((x) => x.glEntryId));
  const numbers = new Set(state.invoices.map((x) => x.invoiceNumber.toLowerCase()));
  const creditMemos = new Set(state.invoices.filter((x) => x.type === 'CreditMemo').map((x) => x.id));
  const companyOfInvoice = new Map(state.invoices.map((x) => [x.id, x.billToCompanyId]));
  invoices.forEach((inv, i) => {
    const glEntryId = inv.glEntryId ?? inv.id + 4000;
    const number = inv.invoiceNumber ?? `${inv.type === 'CreditMemo' ? 'CM' : 'INV'}-${inv.id}`;
    if (invoiceIds.has(inv.id)) throw bad(at('invoices', i, 'id'), `invoice ${inv.id} exists`);
    if (glIds.has(glEntryId)) throw bad(at('invoices', i, inv.glEntryId ? 'glEntryId' : 'id'), `GL entry ${glEntryId} exists`);
    if (numbers.has(number.toLowerCase())) throw bad(at('invoices', i, 'invoiceNumber'), `invoice number ${number} exists`);
    if (!companyIds.has(inv.companyId)) throw bad(at('invoices', i, 'companyId'), `no company ${inv.companyId}`);
    inv.lines.forEach((l, j) => {
      if (l.kind === 'product' && !productIds.has(l.productId)) throw bad(at('invoices', i, `lines.${j}.productId`), `no product ${l.productId}`);
      const quantity = money(l.kind === 'product' ? l.quantity : l.kind === 'time' ? l.hours : '1');
      if (quantity.isZero()) throw bad(at('invoices', i, `lines.${j}.${l.kind === 'time' ? 'hours' : 'quantity'}`), 'must not be zero');
      // ConnectWise keeps a credit memo's quantities negative (seed 1004).
      if (inv.type === 'CreditMemo' && l.kind === 'product' && quantity.isPositive()) throw bad(at('invoices', i, `lines.${j}.quantity`), "a credit memo's quantities are negative");
    });
    if (inv.appliedTo !== undefined) {
      if (inv.type !== 'CreditMemo') throw bad(at('invoices', i, 'appliedTo'), 'only a credit memo is applied to an invoice');
      if (!invoiceIds.has(inv.appliedTo) || creditMemos.has(inv.appliedTo)) throw bad(at('invoices', i, 'appliedTo'), `no invoice ${inv.appliedTo} to apply it to`);
      if (companyOfInvoice.get(inv.appliedTo) !== inv.companyId) throw bad(at('invoices', i, 'appliedTo'), `invoice ${inv.appliedTo} is another company's`);
    }
    invoiceIds.add(inv.id);
    companyOfInvoice.set(inv.id, inv.companyId);
    glIds.add(glEntryId);
    numbers.add(number.toLowerCase());
    if (inv.type === 'CreditMemo') creditMemos.add(inv.id);
  });

  // All checked: add.
  const result: ScenarioResult = { productIds: [], companyIds: [], contactIds: [], invoiceIds: [], glEntryIds: [] };
  const uoms = new Map(state.products.map((p) => [p.unitOfMeasure.name.toLowerCase(), p.unitOfMeasure.id]));
  const nextUom = nextFree(uoms.values());
  for (const p of products) {
    const uomId = uoms.get(p.unitOfMeasure.toLowerCase()) ?? nextUom();
    uoms.set(p.unitOfMeasure.toLowerCase(), uomId);
    const product: SimProduct = { id: p.id, identifier: p.identifier, description: p.description, unitOfMeasure: { id: uomId, name: p.unitOfMeasure }, inventory: p.inventory };
    if (p.glAccount !== undefined) product.glAccount = p.glAccount;
    state.products.push(product);
    result.productIds.push(p.id);
  }

  const nextContactId = nextFree(state.contacts.map((c) => c.id!));
  for (const { c, location, tax, terms, currency } of resolvedCompanies) {
    const site = { id: c.id * 10, name: 'Main' };
    const ref = { id: c.id, identifier: c.identifier, name: c.name };
    const company: CwCompany = {
      id: c.id,
      identifier: c.identifier,
      name: c.name,
      status: { id: 1, name: 'Active' },
      addressLine1: `${c.id} Example Street`,
      city: location.overrideCity ?? location.name,
      state: location.overrideState ?? '',
      country: location.id === 2 ? { id: 157, name: 'New Zealand' } : { id: 14, name: 'Australia' },
      territory: { id: location.id!, name: location.name },
      ...(c.accountNumber ? { accountNumber: c.accountNumber } : {}),
      billingSite: site,
      site,
      billToCompany: ref,
      billingTerms: { id: terms.id, name: terms.name },
      taxCode: { id: tax.id, name: tax.name },
      currency: { id: currency.id, currencyCode: currency.currencyCode, symbol: currency.symbol, name: currency.name },
      types: [{ id: 1, name: 'Client' }],
      deletedFlag: false,
      _info: { 'company/companies_href': `/v4_6_release/apis/3.0/company/companies/${c.id}` },
    };
    const person = (p: z.output<typeof contactSchema> | null | undefined, fallback: [string, string], billing: boolean) => {
      if (p === null) return undefined;
      const contact = contactOf(nextContactId(), company, p ?? { firstName: fallback[0], lastName: fallback[1], email: `${fallback[0].toLowerCase()}@${c.identifier.toLowerCase()}.example` }, billing);
      state.contacts.push(contact);
      result.contactIds.push(contact.id!);
      return contact;
    };
    const billing = person(c.billingContact, ['Accounts', c.identifier], true);
    const primary = person(c.primaryContact, ['Manager', c.identifier], false);
    if (billing) company.billingContact = { id: billing.id!, name: `${billing.firstName} ${billing.lastName}` };
    if (primary) company.defaultContact = { id: primary.id!, name: `${primary.firstName} ${primary.lastName}` };
    const email = billing?.communicationItems?.[0]?.value;
    if (email) company.invoiceToEmailAddress = email;
    state.companies.push(company);
    result.companyIds.push(c.id);
  }

  const nextLineId = nextFree(state.invoices.flatMap((x) => x.lines.map((l) => l.id)));
  const nextTimeEntryId = nextFree(state.invoices.flatMap((x) => x.lines.flatMap((l) => (l.kind === 'time' ? [l.timeEntryId] : []))));
  for (const inv of invoices) {
    const facts = companyFacts.get(inv.companyId)!;
    const company = state.companies.find((c) => c.id === inv.companyId)!;
    const lines = inv.lines.map((l): SimLine => {
      if (l.kind === 'product') {
        const p = state.products.find((x) => x.id === l.productId)!;
        return { kind: 'product', id: nextLineId(), productId: p.id, description: l.description ?? p.description, quantity: l.quantity, unitPrice: l.unitPrice, unitCost: l.unitCost, taxable: l.taxable };
      }
      if (l.kind === 'time') {
        return { kind: 'time', id: nextLineId(), timeEntryId: nextTimeEntryId(), member: l.member, workType: l.workType, dateEntered: `${inv.date}T00:00:00Z`, description: l.description ?? l.workType, quantity: l.hours, unitPrice: l.rate, taxable: l.taxable };
      }
      return { kind: 'expense', id: nextLineId(), description: l.description ?? 'Expense', quantity: '1', unitPrice: l.amount, taxable: l.taxable };
    });
    const invoice: SimInvoice = {
      id: inv.id,
      glEntryId: inv.glEntryId ?? inv.id + 4000,
      invoiceNumber: inv.invoiceNumber ?? `${inv.type === 'CreditMemo' ? 'CM' : 'INV'}-${inv.id}`,
      type: inv.type,
      statusName: 'Sent',
      companyId: inv.companyId,
      billToCompanyId: inv.companyId,
      attentionContactId: company.billingContact?.id ?? company.defaultContact?.id ?? 0,
      locationId: facts.locationId,
      departmentId: 10,
      date: `${inv.date}T00:00:00Z`,
      billingTermsId: facts.termsId,
      customerPO: inv.customerPO,
      reference: inv.appliedTo ? `Credit for ${state.invoices.find((x) => x.id === inv.appliedTo)!.invoiceNumber}` : '',
      currencyCode: facts.currency,
      taxCodeId: facts.taxCodeId,
      description: inv.description,
      ...(inv.appliedTo ? { appliedToInvoiceId: inv.appliedTo } : {}),
      lines,
      updatedAt: `${inv.date}T00:00:00Z`,
    };
    state.invoices.push(invoice);
    result.invoiceIds.push(invoice.id);
    result.glEntryIds.push(invoice.glEntryId);
  }

  // Credit memos applied in ConnectWise: a Credit record on the invoice, as the seed's 1004 on 1002.
  for (const inv of invoices) {
    if (inv.appliedTo === undefined) continue;
    const memo = state.invoices.find((x) => x.id === inv.id)!;
    const target = state.invoices.find((x) => x.id === inv.appliedTo)!;
    const amount = invoiceAmounts(state, memo).total.abs();
    const { payments, credits } = paidAndCredited(state, target);
    const open = invoiceAmounts(state, target).total.minus(payments).minus(credits);
    const applied = amount.greaterThan(open) ? open : amount; // never more than the open balance
    if (!applied.isPositive()) continue;
    const paymentId = state.nextId.payment++;
    const record: SimPayment = {
      id: paymentId,
      invoiceId: target.id,
      type: 'Credit',
      invoice: { id: target.id, identifier: target.invoiceNumber },
      credit: { id: memo.id, identifier: memo.invoiceNumber },
      amount: wire(applied),
      paymentDate: memo.date,
      appliedBy: 'accountant',
      _info: { 'finance/invoices/payments_href': `/v4_6_release/apis/3.0/finance/invoices/${target.id}/payments/${paymentId}` },
    };
    state.payments.push(record);
  }
  return result;
}
