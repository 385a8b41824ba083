// Sim-only control for bulk tests and the benchmark: generates N unposted
// invoices for M new customers (Sydney location, AUD, GST 10 %), each with a
// time line and a product line, deterministic from their index so a run is
// reproducible. Mounted under the controls as POST /__sim/bulk-seed
// {invoices, customers, locationId?, date?}; answers the ids it created.
// Seeds add up (ids are never reused); POST /__sim/reset removes them.
import { z } from 'zod';
import type { CwCompany, CwContact } from '../../shared/cw-types.js';
import type { SimInvoice, SimState } from './model.js';

export const bulkSeedSchema = z
  .object({
    invoices: z.number().int().min(1).max(20_000),
    customers: z.number().int().min(1).max(5_000),
    locationId: z.number().int().positive().default(1),
    /** Invoice date (YYYY-MM-DD); all generated invoices share it. */
    date: z.iso.date().default('2026-04-30'),
  })
  .strict();
export type BulkSeedRequest = z.input<typeof bulkSeedSchema>;

const COMPANY_BASE = 100_000;
const INVOICE_BASE = 200_000;
const GL_BASE = 300_000;
const LINE_BASE = 1_000_000;

export interface BulkSeedResult {
  companyIds: number[];
  invoiceIds: number[];
  glEntryIds: number[];
}

function company(state: SimState, n: number, locationId: number): { company: CwCompany; contacts: CwContact[] } {
  const id = COMPANY_BASE + n;
  const identifier = `Bulk${String(n).padStart(5, '0')}`;
  const name = `Bulk Customer ${String(n).padStart(5, '0')} Pty Ltd`;
  const location = state.locations.find((l) => l.id === locationId) ?? state.locations[0]!;
  const billingId = id * 10 + 1;
  const primaryId = id * 10 + 2;
  const site = { id: id * 10, name: 'Main' };
  const ref = { id, identifier, name };
  const person = (cid: number, first: string, billing: boolean): CwContact => ({
    id: cid,
    firstName: first,
    lastName: identifier,
    company: ref,
    site,
    inactiveFlag: false,
    defaultFlag: !billing,
    defaultBillingFlag: billing,
    communicationItems: [
      { id: cid * 10 + 1, type: { id: 1, name: 'Email' }, value: `${first.toLowerCase()}@${identifier.toLowerCase()}.example`, defaultFlag: true, communicationType: 'Email' },
    ],
    _info: { 'company/contacts_href': `/v4_6_release/apis/3.0/company/contacts/${cid}` },
  });
  return {
    company: {
      id,
      identifier,
      name,
      status: { id: 1, name: 'Active' },
      addressLine1: `${n} George Street`,
      city: 'Sydney',
      state: 'NSW',
      zip: '2000',
      country: { id: 14, name: 'Australia' },
      phoneNumber: `+61 2 9${String(n).padStart(7, '0')}`,
      territory: { id: location.id!, name: location.name },
      accountNumber: `B${String(n).padStart(6, '0')}`,
      defaultContact: { id: primaryId, name: `Pat ${identifier}` },
      billingContact: { id: billingId, name: `Bill ${identifier}` },
      billingSite: site,
      site,
      billToCompany: ref,
      billingTerms: { id: 1, name: 'Net 30' },
      taxCode: { id: 1, name: 'GST' },
      currency: { id: 1, currencyCode: 'AUD', symbol: '$', name: 'Australian Dollar' },
      invoiceToEmailAddress: `bill@${identifier.toLowerCase()}.example`,
      types: [{ id: 1, name: 'Client' }],
      deletedFlag: false,
      _info: { 'company/companies_href': `/v4_6_release/apis/3.0/company/companies/${id}` },
    },
    contacts: [person(billingId, 'Bill', true), person(primaryId, 'Pat', false)],
  };
}

/** Adds the generated customers and invoices to the state, after any earlier bulk seed (ids never reused). */
export function bulkSeed(state: SimState, input: BulkSeedRequest): BulkSeedResult {
  const req = bulkSeedSchema.parse(input);
  const companyStart = state.companies.filter((c) => (c.id ?? 0) > COMPANY_BASE).length;
  const invoiceStart = state.invoices.filter((i) => i.id > INVOICE_BASE).length;
  const companyIds: number[] = [];
  for (let n = companyStart + 1; n <= companyStart + req.customers; n++) {
    const { company: c, contacts } = company(state, n, req.locationId);
    state.companies.push(c);
    state.contacts.push(...contacts);
    companyIds.push(c.id!);
  }
  const invoiceIds: number[] = [];
  const glEntryIds: number[] = [];
  const product = state.products.find((p) => p.identifier === 'M365-BP') ?? state.products[0]!;
  for (let n = invoiceStart + 1; n <= invoiceStart + req.invoices; n++) {
    const companyId = companyIds[(n - invoiceStart - 1) % req.customers]!;
    const id = INVOICE_BASE + n;
    const c = state.companies.find((x) => x.id === companyId)!;
    const hours = String(1 + (n % 7) * 0.25);
    const inv: SimInvoice = {
      id,
      glEntryId: GL_BASE + n,
      invoiceNumber: `INV-${id}`,
      type: 'Standard',
      statusName: 'Sent',
      companyId,
      billToCompanyId: companyId,
      attentionContactId: c.billingContact!.id!,
      locationId: req.locationId,
      departmentId: 10,
      date: `${req.date}T00:00:00Z`,
      billingTermsId: 1,
      customerPO: `PO-${n}`,
      reference: '',
      currencyCode: 'AUD',
      taxCodeId: 1,
      description: `Support, bulk invoice ${n}`,
      lines: [
        { kind: 'time', id: LINE_BASE + n * 2, timeEntryId: LINE_BASE + n, member: 'tech', workType: 'Remote Support', dateEntered: `${req.date}T00:00:00Z`, description: 'Remote support', quantity: hours, unitPrice: '165.00', taxable: true },
        { kind: 'product', id: LINE_BASE + n * 2 + 1, productId: product.id, description: product.description, quantity: String(1 + (n % 5)), unitPrice: '36.30', unitCost: '29.04', taxable: true },
      ],
      updatedAt: `${req.date}T00:00:00Z`,
    };
    state.invoices.push(inv);
    invoiceIds.push(id);
    glEntryIds.push(inv.glEntryId);
  }
  return { companyIds, invoiceIds, glEntryIds };
}
