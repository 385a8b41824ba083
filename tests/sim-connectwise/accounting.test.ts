import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CwGLExport, CwGLExportTransaction } from '../../shared/cw-types.js';
import { startSim, type Sim } from './helpers.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
});

const d = (n: number | null | undefined) => new Decimal(n ?? 0);
const sumOf = (xs: (number | null | undefined)[]) => xs.reduce<Decimal>((a, x) => a.plus(d(x)), new Decimal(0));

async function exportOne(glEntryId: number, summarizeInvoices?: string): Promise<CwGLExportTransaction> {
  const r = await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: [glEntryId], ...(summarizeInvoices ? { summarizeInvoices } : {}) });
  expect(r.status).toBe(200);
  const exp = r.json as CwGLExport;
  expect(exp.transactions).toHaveLength(1);
  return exp.transactions![0]!;
}

describe('unposted invoices', () => {
  it('lists every seeded invoice as UnpostedInvoice (id = GL entry, billingLogId = invoice)', async () => {
    const r = await sim.get('/finance/accounting/unpostedinvoices?pageSize=100');
    expect(r.json).toHaveLength(16);
    const u = r.json.find((x: { billingLogId: number }) => x.billingLogId === 1004);
    expect(u).toMatchObject({ id: 5004, invoiceNumber: 'CM-1004', invoiceType: 'CreditMemo', locationId: 1, currency: { currencyCode: 'AUD' }, total: -2033.9, subTotal: -1849, salesTaxAmount: -184.9, dueDays: '14', taxCode: { name: 'GST' } });
    expect((await sim.get('/finance/accounting/unpostedinvoices/count?conditions=locationId=2')).json).toEqual({ count: 4 });
  });
});

describe('GLExport per invoice kind: detail lines sum to the total, to the cent', () => {
  it('every seeded invoice, in every summary mode, agrees with its invoice record', async () => {
    const invoices = (await sim.get('/finance/invoices?pageSize=100')).json as { id: number; subtotal: number; salesTax: number; total: number }[];
    for (const mode of ['Default', 'Condensed', 'Detailed']) {
      for (const inv of invoices) {
        const t = await exportOne(inv.id - 1000 + 5000, mode);
        const where = `${t.documentNumber} ${mode}`;
        expect(d(t.total).equals(sumOf(t.detail!.map((x) => x.total))), where).toBe(true);
        expect(t.total, where).toBe(inv.total);
        expect(t.salesTax, where).toBe(inv.salesTax);
        const revenue = t.detail!.filter((x) => x.glTypeId !== 'ST');
        expect(sumOf(revenue.map((x) => x.total)).toNumber(), where).toBe(inv.subtotal);
        const tax = t.detail!.filter((x) => x.glTypeId === 'ST');
        expect(sumOf(tax.map((x) => x.total)).toNumber(), where).toBe(inv.salesTax);
        for (const x of t.detail!) expect(d(x.total).decimalPlaces(), where).toBeLessThanOrEqual(2);
      }
    }
  });

  it('standard time billing: aggregate time lines per work type, an agreement credit, tax line', async () => {
    const t = await exportOne(5001);
    expect(t).toMatchObject({ documentNumber: 'INV-1001', documentType: 'IN', billingType: 'Standard', glTypeId: 'AR', accountNumber: '610', glEntryIds: '5001', purchaseOrder: { name: 'PO-HD-7781' }, dueDays: 30, total: 1047.75, salesTax: 95.25 });
    const lines = t.detail!.map((x) => [x.glTypeId, x.accountNumber, x.description, x.quantity, x.itemPrice, x.total]);
    expect(lines).toEqual([
      ['RS', '200', 'Remote Support', 3.75, 165, 618.75],
      ['RS', '200', 'Onsite Support', 3, 195, 585],
      ['RS', '200', 'Project Work', 1.75, 210, 367.5],
      ['RA', '220', 'Agreement: Managed Services - Gold (covered remote support)', 1, -618.75, -618.75],
      ['ST', '820', 'GST 10%', 1, 95.25, 95.25],
    ]);
    expect(t.detail!.every((x) => x.timeEntry === undefined)).toBe(true);
    const st = t.detail!.find((x) => x.glTypeId === 'ST')!;
    expect(st).toMatchObject({ taxNote: 'AUTOSTAX', taxRate: 0.1, taxRatePercent: 10, taxCode: { name: 'GST' } });
  });

  it('summary modes: Condensed is one services line, Detailed one line per time entry', async () => {
    const condensed = (await exportOne(5001, 'Condensed')).detail!.filter((x) => x.glTypeId === 'RS');
    expect(condensed.map((x) => [x.description, x.quantity, x.total])).toEqual([['Services', 1, 1571.25]]);
    const detailed = (await exportOne(5001, 'Detailed')).detail!.filter((x) => x.glTypeId === 'RS');
    expect(detailed.map((x) => x.total)).toEqual([247.5, 371.25, 585, 367.5]);
    expect(detailed.every((x) => typeof x.timeEntry?.id === 'number')).toBe(true);
  });

  it('products: item, UOM, unrounded price, cost accounts; 3 × 33.3333 rounds to 100.00', async () => {
    const t = await exportOne(5002);
    const cable = t.detail!.find((x) => x.item?.identifier === 'CAT6-3M')!;
    expect(cable).toMatchObject({ glTypeId: 'RP', accountNumber: '210', quantity: 3, itemPrice: 33.3333, total: 100, unitOfMeasure: { name: 'Each' }, itemDescription: 'Cat6 patch lead, 3 m, blue', cost: 27.3, costAccountNumber: '310', inventoryAccountNumber: '630', taxableFlag: true, taxCode: { name: 'GST' } });
    const reel = t.detail!.find((x) => x.item?.identifier === 'CAT6-REEL')!;
    expect(reel).toMatchObject({ quantity: 45.5, itemPrice: 2.15, total: 97.83, unitOfMeasure: { name: 'Metre' } });
    const licence = t.detail!.find((x) => x.item?.identifier === 'M365-BP')!;
    expect(licence.inventoryAccountNumber).toBeUndefined();
    expect(licence.unitOfMeasure?.name).toBe('Licence/Month');
    // 3698.00 + 100.00 + 435.60 + 97.83; tax 369.80 + 10.00 + 43.56 + 9.78
    expect([t.total, t.salesTax]).toEqual([4764.57, 433.14]);
  });

  it('agreement invoice: the fee and the additions as product lines', async () => {
    const t = await exportOne(5003);
    expect(t.billingType).toBe('Agreement');
    expect(t.detail!.map((x) => [x.glTypeId, x.item?.identifier ?? null, x.unitOfMeasure?.name ?? null, x.total])).toEqual([
      ['RP', 'EDR-SEAT', 'Seat', 227.5],
      ['RP', 'BACKUP-TB', 'TB', 90],
      ['RA', null, null, 2450],
      ['ST', null, null, 276.75],
    ]);
    expect(t.total).toBe(3044.25);
  });

  it('credit memo: CM, negative amounts, applied to INV-1002 (a Credit record there)', async () => {
    const t = await exportOne(5004);
    expect(t).toMatchObject({ documentType: 'CM', billingType: 'CreditMemo', total: -2033.9, salesTax: -184.9 });
    const inv = (await sim.get('/finance/invoices/1004')).json;
    expect(inv).toMatchObject({ type: 'CreditMemo', reference: 'Credit for INV-1002', total: -2033.9 });
    const applied = (await sim.get('/finance/invoices/1002/payments')).json;
    expect(applied).toEqual([expect.objectContaining({ type: 'Credit', amount: 2033.9, credit: expect.objectContaining({ id: 1004, identifier: 'CM-1004' }) })]);
    expect((await sim.get('/finance/invoices/1002')).json).toMatchObject({ credits: 2033.9, balance: 2730.67 });
  });

  it('tax-exempt customer: no tax line, taxable false', async () => {
    const t = await exportOne(5005);
    expect(t).toMatchObject({ taxable: false, salesTax: 0, total: 1467, taxCode: { name: 'EXEMPT' } });
    expect(t.detail!.some((x) => x.glTypeId === 'ST')).toBe(false);
    expect(t.detail!.every((x) => x.taxableFlag === false)).toBe(true);
  });

  it('Auckland invoice in NZD at 15%, Sydney invoice in USD', async () => {
    const nz = await exportOne(5006);
    expect(nz).toMatchObject({ currency: { currencyCode: 'NZD' }, taxCode: { name: 'NZGST' }, total: 2938.91, salesTax: 383.34 });
    expect(nz.detail!.find((x) => x.glTypeId === 'ST')).toMatchObject({ taxRatePercent: 15, taxRate: 0.15 });
    const usd = await exportOne(5007);
    expect(usd.currency?.currencyCode).toBe('USD');
    expect((await sim.get('/finance/accounting/unpostedinvoices/5007')).json.locationId).toBe(1);
  });

  it('the needs-attention invoice maps a product to GL 4990', async () => {
    const t = await exportOne(5008);
    expect(t.detail!.find((x) => x.item?.identifier === 'LEGACY-HW')?.accountNumber).toBe('4990');
  });

  it('customers carry the GLExportCustomer fields', async () => {
    const r = await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: [5002, 5004, 5006] });
    expect(r.json.customers).toHaveLength(2);
    expect(r.json.customers[0]).toMatchObject({ company: { id: 251, name: 'Blue Gum Logistics Pty Ltd' }, accountNumber: 'BGL002', contact: { id: 2511 }, billingTerms: { name: 'Net 14' }, dueDays: 14, taxable: true, taxCode: { name: 'GST' }, currency: { currencyCode: 'AUD' } });
  });
});

describe('export filters and validation', () => {
  it('filters by location, thruDate and excluded ids', async () => {
    const loc = await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, locationId: 2 });
    expect(loc.json.transactions.map((t: { documentNumber: string }) => t.documentNumber)).toEqual(['INV-1006', 'INV-1010', 'INV-1013', 'INV-1014']);
    const thru = await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, thruDate: '2026-01-31', excludedInvoiceIds: [5010] });
    expect(thru.json.transactions.map((t: { documentNumber: string }) => t.documentNumber)).toEqual(['INV-1009', 'INV-1011']);
    const none = await sim.post('/finance/accounting/export', { exportExpensesFlag: true });
    expect(none.json.transactions).toEqual([]);
  });

  it('refuses bad requests with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ includedInvoiceIds: [5001] }, 'exportInvoicesFlag'],
      [{ exportInvoicesFlag: true, batchIdentifier: 'x'.repeat(51) }, 'batchIdentifier'],
      [{ exportInvoicesFlag: true, includedInvoiceIds: ['a'] }, 'includedInvoiceIds.0'],
      [{ exportInvoicesFlag: true, summarizeInvoices: 'Everything' }, 'summarizeInvoices'],
      [{ exportInvoicesFlag: true, includedInvoiceIds: [5001], excludedInvoiceIds: [5001] }, 'includedInvoiceIds'],
      [{ exportInvoicesFlag: true, surprise: 1 }, 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await sim.post('/finance/accounting/export', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.code).toBe('InvalidObject');
      expect(r.json.errors[0].field, JSON.stringify(body)).toBe(field);
    }
    const notJson = await fetch(`${sim.url}/v4_6_release/apis/3.0/finance/accounting/export`, { method: 'POST', headers: { authorization: 'Basic ' + Buffer.from('democo+simPublicKey:simPrivateKey').toString('base64'), clientId: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d', 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
  });
});

describe('batches: single-record batching', () => {
  it('export → batch → the record leaves the unposted list; a second post is a 400; delete returns it', async () => {
    const batchReq = { batchIdentifier: 'cwx-5002-abc', exportInvoicesFlag: true, processedRecordIds: [5002] };
    const created = await sim.post('/finance/accounting/batches', batchReq);
    expect(created.status).toBe(201);
    expect(created.json.transactions.map((t: { glEntryIds: string }) => t.glEntryIds)).toEqual(['5002']);
    expect(created.headers.get('location')).toMatch(/\/finance\/accounting\/batches\/\d+$/);

    expect((await sim.get('/finance/accounting/unpostedinvoices/count')).json.count).toBe(15);
    expect((await sim.get('/finance/accounting/unpostedinvoices?conditions=id=5002')).json).toEqual([]);
    expect((await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: [5002] })).json.transactions).toEqual([]);
    expect((await sim.post('/finance/accounting/export', { exportInvoicesFlag: true })).json.transactions).toHaveLength(15);

    const found = await sim.get(`/finance/accounting/batches?conditions=${encodeURIComponent('batchIdentifier="cwx-5002-abc"')}`);
    expect(found.json).toHaveLength(1);
    const batch = found.json[0];
    expect(batch).toMatchObject({ batchIdentifier: 'cwx-5002-abc', closedFlag: true, exportInvoicesFlag: true });

    const again = await sim.post('/finance/accounting/batches', { ...batchReq, batchIdentifier: 'cwx-5002-retry' });
    expect(again.status).toBe(400);
    expect(again.json.errors[0]).toMatchObject({ field: 'processedRecordIds', code: 'AlreadyPosted' });
    const dup = await sim.post('/finance/accounting/batches', { ...batchReq, processedRecordIds: [5003] });
    expect(dup.status).toBe(400);
    expect(dup.json.errors[0].field).toBe('batchIdentifier');

    const entries = (await sim.get(`/finance/accounting/batches/${batch.id}/entries`)).json as { debit: number; credit: number; accountNumber: string; invoice: { id: number } }[];
    expect(entries.length).toBeGreaterThan(2);
    expect(sumOf(entries.map((e) => e.debit)).equals(sumOf(entries.map((e) => e.credit)))).toBe(true);
    expect(entries.find((e) => e.accountNumber === '610')).toMatchObject({ debit: 4764.57, credit: 0, invoice: { id: 1002 } });

    const reexport = await sim.post(`/finance/accounting/batches/${batch.id}/export`, {});
    expect(reexport.json.transactions.map((t: { documentNumber: string }) => t.documentNumber)).toEqual(['INV-1002']);

    const del = await sim.call('DELETE', `/finance/accounting/batches/${batch.id}`);
    expect(del.status).toBe(204);
    expect((await sim.get('/finance/accounting/unpostedinvoices/count')).json.count).toBe(16);
    expect((await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: [5002] })).json.transactions).toHaveLength(1);
    expect((await sim.call('DELETE', `/finance/accounting/batches/${batch.id}`)).status).toBe(404);
  });

  it('validates CreateAccountingBatchRequest', async () => {
    const cases: [unknown, string][] = [
      [{ exportInvoicesFlag: true }, 'processedRecordIds'],
      [{ exportInvoicesFlag: true, processedRecordIds: [] }, 'processedRecordIds'],
      [{ processedRecordIds: [5001] }, 'exportInvoicesFlag'],
      [{ exportInvoicesFlag: true, processedRecordIds: [999999] }, 'processedRecordIds'],
      [{ exportInvoicesFlag: true, processedRecordIds: [5001], batchIdentifier: 'y'.repeat(51) }, 'batchIdentifier'],
    ];
    for (const [body, field] of cases) {
      const r = await sim.post('/finance/accounting/batches', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.errors[0].field, JSON.stringify(body)).toBe(field);
    }
    expect((await sim.get('/finance/accounting/batches/count')).json.count).toBe(0);
  });
});
