// POST /__sim/scenario: adds products, companies and unposted invoices the
// way real ConnectWise databases hold them (ids of any length, shared names,
// missing contacts, a product without a GL account). Bad input is a 400
// naming the field and adds nothing; what is added shows in the REST API and
// in the accounting export, to the cent.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CwCompany, CwGLExport, CwGLExportTransaction } from '../../shared/cw-types.js';
import { REAL_WORLD_SCENARIO } from '../../sim/connectwise/scenario.js';
import { startSim, type Sim } from './helpers.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
});

async function scenario(body: unknown) {
  const res = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, json: (await res.json()) as any };
}

async function exportOf(glEntryIds: number[]): Promise<CwGLExport> {
  const r = await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: glEntryIds });
  expect(r.status).toBe(200);
  return r.json as CwGLExport;
}

const byNumber = (exp: CwGLExport, n: string) => exp.transactions!.find((t) => t.documentNumber === n) as CwGLExportTransaction;
const products = (t: CwGLExportTransaction) => t.detail!.filter((d) => d.glTypeId === 'RP');

const company = { id: 290, identifier: 'LongIdCo', name: 'Long Id Co' };
const invoice = { id: 1190, companyId: 290, date: '2026-04-15', lines: [{ kind: 'time', workType: 'Remote Support', hours: '1', rate: '165.00' }] };

describe('POST /__sim/scenario refuses bad input with a 400 naming the field, adding nothing', () => {
  const cases: [string, unknown, string][] = [
    ['an unknown field', { vendors: [] }, 'vendors'],
    ['an unknown product field', { products: [{ id: 730, identifier: 'X1', description: 'x', colour: 'red' }] }, 'products.0.colour'],
    ['a product id taken', { products: [{ id: 701, identifier: 'NEW-ONE', description: 'x' }] }, 'products.0.id'],
    ['a product identifier taken (case aside)', { products: [{ id: 730, identifier: 'dell-lat5450', description: 'x' }] }, 'products.0.identifier'],
    ['a company id taken', { companies: [{ ...company, id: 250 }] }, 'companies.0.id'],
    ['an unknown tax code', { companies: [{ ...company, taxCode: 'VAT' }] }, 'companies.0.taxCode'],
    ['a contact without a last name', { companies: [{ ...company, billingContact: { firstName: 'Al' } }] }, 'companies.0.billingContact.lastName'],
    ['an invoice for no company', { invoices: [{ ...invoice, companyId: 999 }] }, 'invoices.0.companyId'],
    ['an invoice id taken', { companies: [company], invoices: [{ ...invoice, id: 1001 }] }, 'invoices.0.id'],
    ['a date that is no date', { companies: [company], invoices: [{ ...invoice, date: '2026-02-30' }] }, 'invoices.0.date'],
    ['a price that is no decimal', { companies: [company], invoices: [{ ...invoice, lines: [{ kind: 'time', workType: 'W', hours: '1', rate: '1e3' }] }] }, 'invoices.0.lines.0.rate'],
    ['a line of no known kind', { companies: [company], invoices: [{ ...invoice, lines: [{ kind: 'discount' }] }] }, 'invoices.0.lines.0.kind'],
    ['a product line for no product', { companies: [company], invoices: [{ ...invoice, lines: [{ kind: 'product', productId: 999, quantity: '1', unitPrice: '1' }] }] }, 'invoices.0.lines.0.productId'],
    ['a credit memo with a positive quantity', { companies: [company], invoices: [{ ...invoice, type: 'CreditMemo', lines: [{ kind: 'product', productId: 701, quantity: '1', unitPrice: '1' }] }] }, 'invoices.0.lines.0.quantity'],
    ['a credit memo applied to another company’s invoice', { companies: [company], invoices: [{ ...invoice, type: 'CreditMemo', appliedTo: 1001, lines: [{ kind: 'product', productId: 701, quantity: '-1', unitPrice: '1' }] }] }, 'invoices.0.appliedTo'],
  ];
  for (const [what, body, field] of cases) {
    it(what, async () => {
      const r = await scenario(body);
      expect(r.status).toBe(400);
      expect(r.json.code).toBe('InvalidObject');
      expect(r.json.errors[0].field).toBe(field);
      expect(r.json.message).toContain(`${field}:`);
    });
  }

  it('a body that is not JSON', async () => {
    const res = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('body');
  });

  it('checks everything before adding anything: the company of a refused request is not there', async () => {
    const r = await scenario({ companies: [company], invoices: [{ ...invoice, lines: [{ kind: 'product', productId: 999, quantity: '1', unitPrice: '1' }] }] });
    expect(r.status).toBe(400);
    expect((await sim.get('/company/companies/290')).status).toBe(404);
    expect((await sim.get('/finance/accounting/unpostedinvoices/count')).json).toEqual({ count: 16 });
  });

  it('the preset twice: the second names the preset', async () => {
    expect((await scenario({ preset: 'real-world' })).status).toBe(200);
    const r = await scenario({ preset: 'real-world' });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].field).toBe('preset');
  });
});

describe('the real-world preset', () => {
  beforeEach(async () => {
    const r = await scenario({ preset: 'real-world' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ productIds: [720, 721, 722, 723, 724], companyIds: [280, 281, 282, 283], invoiceIds: [1101, 1102, 1103, 1104, 1105], glEntryIds: [5101, 5102, 5103, 5104, 5105] });
  });

  it('has product ids of every length, two over 30 characters sharing their first 30', () => {
    const ids = REAL_WORLD_SCENARIO.products.map((p) => p.identifier);
    expect(ids.map((i) => i.length)).toEqual([38, 42, 1, 30, 14]);
    expect(ids[0]!.slice(0, 30)).toBe(ids[1]!.slice(0, 30));
  });

  it('companies appear in REST: two share a name with each other, one with the seed; contacts missing where said', async () => {
    const named = async (name: string) => (await sim.get(`/company/companies?conditions=${encodeURIComponent(`name="${name}"`)}&orderBy=id`)).json as CwCompany[];
    expect((await named('Harbour Dental Group')).map((c) => c.id)).toEqual([250, 280]);
    const vets = await named('Coastal Veterinary Clinic');
    expect(vets.map((c) => [c.id, c.identifier])).toEqual([[281, 'CoastalVetsSyd'], [282, 'CoastalVetsNcl']]);
    expect(vets[0]!.billingContact?.id).toBeGreaterThan(0);
    expect(vets[0]!.defaultContact).toBeUndefined(); // no primary contact
    expect(vets[1]!.billingContact).toBeUndefined(); // no billing contact
    expect(vets[1]!.defaultContact?.id).toBeGreaterThan(0);
    const cafe = ((await sim.get('/company/companies/283')).json) as CwCompany;
    expect([cafe.billingContact, cafe.defaultContact]).toEqual([undefined, undefined]);
    expect((await sim.get('/company/contacts/count?conditions=company/id=283')).json).toEqual({ count: 0 });
    expect((await sim.get('/company/contacts/count?conditions=company/id=280')).json).toEqual({ count: 2 });
  });

  it('invoices appear in REST and as unposted, amounts to the cent; the credit memo is applied to its invoice', async () => {
    const unposted = (await sim.get(`/finance/accounting/unpostedinvoices?pageSize=100&orderBy=id&conditions=${encodeURIComponent('id>=5101 and id<=5105')}`)).json as { id: number; invoiceNumber: string; total: number; company: { id: number } }[];
    expect(unposted.map((u) => [u.id, u.invoiceNumber, u.company.id, u.total])).toEqual([
      [5101, 'INV-1101', 280, 10752.5],
      [5102, 'INV-1102', 281, 3310.84],
      [5103, 'INV-1103', 282, 453.75],
      [5104, 'INV-1104', 283, 264],
      [5105, 'CM-1105', 280, -453.75],
    ]);
    expect((await sim.get('/finance/accounting/unpostedinvoices/count')).json).toEqual({ count: 21 });
    const inv = (await sim.get('/finance/invoices/1101')).json;
    expect(inv).toMatchObject({ subtotal: 9775, salesTax: 977.5, total: 10752.5, credits: 453.75, balance: 10298.75, attention: 'Nina Park' });
    const credits = (await sim.get('/finance/invoices/1101/payments')).json as { type: string; amount: number; credit: { identifier: string } }[];
    expect(credits.map((c) => [c.type, c.amount, c.credit.identifier])).toEqual([['Credit', 453.75, 'CM-1105']]);
    expect((await sim.get('/finance/invoices/1104')).json.attention).toBeUndefined(); // no contact to attend
  });

  it('the accounting export carries the long ids whole, the missing GL account empty, the missing contact absent', async () => {
    const exp = await exportOf([5101, 5102, 5103, 5104, 5105]);
    const inv1101 = byNumber(exp, 'INV-1101');
    expect(products(inv1101).map((d) => [d.item?.identifier, d.accountNumber, d.description, d.itemDescription, d.total])).toEqual([
      ['HPE-PROLIANT-DL380-GEN11-8SFF-CTO-BASE', '210', 'HPE ProLiant DL380 Gen11 8SFF CTO base server', 'HPE ProLiant DL380 Gen11 8SFF CTO base server', 8950],
      ['HPE-PROLIANT-DL380-GEN11-8SFF-CTO-PSU-800W', '210', 'HPE 800 W flex slot platinum power supply', 'HPE 800 W flex slot platinum power supply', 825],
    ]);
    expect(inv1101.total).toBe(10752.5);
    expect(products(byNumber(exp, 'INV-1102')).map((d) => d.item?.identifier)).toEqual(['K', 'CISCO-C9200L-24P-4G-E-STACKKIT']);
    expect(products(byNumber(exp, 'INV-1104')).map((d) => [d.item?.identifier, d.accountNumber, d.productAccountNumber])).toEqual([['SVC-ONSITE-KIT', '', '']]);
    const memo = byNumber(exp, 'CM-1105');
    expect(memo).toMatchObject({ documentType: 'CM', billingType: 'CreditMemo', total: -453.75 });
    expect(products(memo).map((d) => [d.description, d.itemDescription, d.quantity, d.total])).toEqual([
      ['Returned: HPE 800 W PSU (serial 5WQ81C)', 'HPE 800 W flex slot platinum power supply', -1, -412.5],
    ]);
    const customer = (id: number) => exp.customers!.find((c) => c.company?.id === id);
    expect(customer(283)?.contact).toBeUndefined();
    expect(customer(282)?.contact).toBeUndefined();
    expect(customer(281)?.contact?.id).toBeGreaterThan(0);
    expect(exp.customers!.map((c) => c.company?.name).sort()).toEqual(['Coastal Veterinary Clinic', 'Coastal Veterinary Clinic', 'Greenway Cafe', 'Harbour Dental Group']);
  });

  it('leaves the seed as it was, and reset removes the scenario', async () => {
    const seeded = async () => (await sim.get(`/finance/invoices?pageSize=100&conditions=${encodeURIComponent('id<=1016')}`)).json as unknown[];
    const withScenario = await seeded();
    expect(withScenario).toHaveLength(16);
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    expect(await seeded()).toEqual(withScenario);
    expect((await sim.get('/finance/invoices/1101')).status).toBe(404);
    expect((await sim.get('/company/companies/280')).status).toBe(404);
  });
});

describe('records of the caller’s own', () => {
  it('a product id of 31 characters, a company with no contacts, an invoice in NZD: in REST and in the export', async () => {
    const r = await scenario({
      products: [{ id: 740, identifier: 'A'.repeat(31), description: 'Thirty-one', unitOfMeasure: 'Box' }],
      companies: [{ ...company, locationId: 2, billingContact: null, primaryContact: null }],
      invoices: [{ ...invoice, customerPO: 'PO-1', lines: [{ kind: 'product', productId: 740, quantity: '3', unitPrice: '33.3333' }, { kind: 'expense', amount: '42.60', description: 'Travel' }] }],
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ productIds: [740], companyIds: [290], contactIds: [], invoiceIds: [1190], glEntryIds: [5190] });
    expect((await sim.get('/finance/invoices/1190')).json).toMatchObject({ currency: { currencyCode: 'NZD' }, taxCode: { name: 'NZGST' }, locationId: 2, subtotal: 142.6, salesTax: 21.39, total: 163.99 });
    const t = byNumber(await exportOf([5190]), 'INV-1190');
    expect(products(t).map((d) => [d.item?.identifier, d.unitOfMeasure?.name, d.quantity, d.itemPrice, d.total])).toEqual([['A'.repeat(31), 'Box', 3, 33.3333, 100]]);
    expect(t.detail!.reduce((s, d) => s + Math.round((d.total ?? 0) * 100), 0)).toBe(16399);
  });
});
