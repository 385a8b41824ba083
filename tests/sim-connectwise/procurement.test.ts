// The ConnectWise simulator's procurement: vendors, warehouses, purchase orders
// received fully, partly and by packing slip, a drop shipment, adjustments and
// a transfer; unpostedprocurement, the export's procurement parts (to the
// cent), batches that post them, and the purchase order screen.
import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CwGLExport, CwSchemas } from '../../shared/cw-types.js';
import { startSim, type Sim } from './helpers.js';

type Purchase = CwSchemas['GLExportPurchaseTransaction'];

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

async function exportProcurement(extra: Record<string, unknown> = {}): Promise<CwGLExport> {
  const r = await sim.post('/finance/accounting/export', { exportProductsFlag: true, ...extra });
  expect(r.status).toBe(200);
  return r.json as CwGLExport;
}
const byId = (exp: CwGLExport, id: string): Purchase => {
  const t = exp.purchaseTransactions!.find((x) => x.id === id);
  expect(t, id).toBeDefined();
  return t!;
};

describe('vendors, warehouses, products', () => {
  it('vendors are companies of type Vendor with AP and primary contacts', async () => {
    const v = (await sim.get('/company/companies/260')).json;
    expect(v).toMatchObject({ identifier: 'IngramAU', name: 'Ingram Micro Australia Pty Ltd', types: [{ name: 'Vendor' }], billingTerms: { name: 'Net 30' }, accountNumber: 'V-INGRAM' });
    const contacts = (await sim.get('/company/contacts?conditions=company/id=260')).json;
    expect(contacts.map((c: { id: number }) => c.id)).toEqual([2601, 2602]);
  });

  it('two warehouses, each with its cross-reference and bins', async () => {
    const w = (await sim.get('/procurement/warehouses')).json;
    expect(w).toMatchObject([
      { id: 1, name: 'Sydney Warehouse', locationXref: '630', location: { id: 1 } },
      { id: 2, name: 'Parramatta Depot', locationXref: 'PARRA', location: { id: 1 } },
    ]);
    const bins = (await sim.get('/procurement/warehouseBins?conditions=warehouse/id=2')).json;
    expect(bins).toMatchObject([{ id: 21, name: 'PAR-A1', warehouse: { id: 2 } }]);
    const catalog = (await sim.get('/procurement/catalog?fields=identifier,productClass&pageSize=100')).json;
    expect(catalog).toContainEqual({ identifier: 'DELL-LAT5450', productClass: 'Inventory' });
    expect(catalog).toContainEqual({ identifier: 'M365-BP', productClass: 'NonInventory' });
  });
});

describe('purchase orders', () => {
  it('a PO received over two packing slips: the cloned rest is its own line', async () => {
    const po = (await sim.get('/procurement/purchaseorders/3002')).json;
    expect(po).toMatchObject({ poNumber: '3002', vendorCompany: { id: 261 }, vendorInvoiceNumber: 'DD-20931', terms: { name: 'Net 14' }, freightCost: 18.5, freightPackingSlip: 'PS-2002', closedFlag: true, status: { name: 'Closed' } });
    // 4 + 50 m + freight, tax 10 % per line and on the freight
    expect(po.subTotal).toBe(869);
    expect(po.salesTax).toBe(88.75);
    expect(po.total).toBe(976.25);
    const lines = (await sim.get('/procurement/purchaseorders/3002/lineitems')).json;
    expect(lines.map((l: { lineNumber: number; receivedStatus: string; packingSlip: string; warehouse: { id: number } }) => [l.lineNumber, l.receivedStatus, l.packingSlip, l.warehouse.id])).toEqual([
      [1, 'PartiallyReceiveCloneRest', 'PS-2001', 1],
      [2, 'FullyReceived', 'PS-2001', 2],
      [3, 'FullyReceived', 'PS-2002', 1],
    ]);
    expect((await sim.get('/procurement/purchaseorders/3002/lineitems/count')).json).toEqual({ count: 3 });
    expect((await sim.get('/procurement/purchaseorders/3002/lineitems/99')).status).toBe(404);
    expect((await sim.get('/procurement/purchaseorders/9')).status).toBe(404);
  });

  it('a PO still waiting on a line is open; a partial receipt with the rest cancelled is closed', async () => {
    expect((await sim.get('/procurement/purchaseorders/3004')).json).toMatchObject({ closedFlag: false, status: { name: 'Open' } });
    const nz = (await sim.get('/procurement/purchaseorders/3005')).json;
    expect(nz).toMatchObject({ closedFlag: true, currency: { currencyCode: 'NZD' }, total: 55.2 });
    const [line] = (await sim.get('/procurement/purchaseorders/3005/lineitems')).json;
    expect(line).toMatchObject({ quantity: 20, receivedQuantity: 15, receivedStatus: 'PartiallyReceiveCancelRest' });
  });
});

describe('unposted procurement', () => {
  it('one record per closed receipt, adjustment and transfer', async () => {
    const all = (await sim.get('/finance/accounting/unpostedprocurement?pageSize=100')).json;
    expect(all.map((u: { id: number; procurementType: string }) => [u.id, u.procurementType])).toEqual([
      ...[7101, 7102, 7103, 7104, 7105, 7106, 7107, 7108, 7109].map((id) => [id, 'Purchase']),
      [7201, 'Adjustment'], [7202, 'Adjustment'], [7301, 'Transfer'],
    ]);
    const first = all[0];
    expect(first).toMatchObject({ unpostedProductId: '7101', purchaseOrder: { id: 3001, name: '3001' }, vendor: { id: 260 }, vendorInvoiceNumber: 'IM-558812', total: 7100, taxTotal: 710, freightCost: 45 });
    expect(all.find((u: { id: number }) => u.id === 7102).freightCost).toBe(0); // freight rides on the slip's first receipt only
    expect((await sim.get('/finance/accounting/unpostedprocurement/count?conditions=procurementType="Purchase"')).json).toEqual({ count: 9 });
    expect((await sim.get('/finance/accounting/unpostedprocurement/7301')).json).toMatchObject({ procurementType: 'Transfer', total: 2840 });
  });
});

describe('the export: purchase transactions per packing slip, to the cent', () => {
  it('every purchase transaction adds up: lines + freight + tax = total', async () => {
    const exp = await exportProcurement();
    expect(exp.transactions).toEqual([]);
    expect(exp.purchaseTransactions!.map((t) => t.id)).toEqual([
      'PO #3001, Packing Slip: PS-1001',
      'PO #3002, Packing Slip: PS-2001',
      'PO #3002, Packing Slip: PS-2002',
      'PO #3003, Packing Slip: DS-3003',
      'PO #3004, Packing Slip: PS-4001',
      'PO #3005, Packing Slip: NZ-5001',
    ]);
    for (const t of exp.purchaseTransactions!) {
      const lines = sumOf(t.purchaseDetail!.map((x) => x.total));
      const tax = sumOf(t.purchaseDetailTax!.map((x) => x.total));
      expect(lines.plus(d(t.freightAmount)).plus(tax).toFixed(2), t.id).toBe(d(t.total).toFixed(2));
      for (const x of t.purchaseDetail!) expect(d(x.quantity).times(d(x.itemCost)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)).toBe(d(x.total).toFixed(2));
    }
    expect(exp.vendors!.map((v) => v.vendor?.id)).toEqual([260, 261, 262]);
    expect(exp.vendors![0]).toMatchObject({ vendorNumber: 'V-INGRAM', billingTerms: { name: 'Net 30' }, dueDays: 30, contact: { id: 2601 } });
  });

  it('a full PO: inventory parts to their warehouse inventory account, a licence to purchases, freight on the header', async () => {
    const t = byId(await exportProcurement(), 'PO #3001, Packing Slip: PS-1001');
    expect(t).toMatchObject({ documentNumber: '3001', purchaseDate: '2026-03-30T00:00:00Z', vendorInvoiceNumber: 'IM-558812', vendorInvoiceDate: '2026-04-03T00:00:00Z', apAccountNumber: '800', packingSlip: 'PS-1001', freightAmount: 45, dueDays: 30, company: { id: 260 }, total: 8350.08, dropshipFlag: false });
    expect(t.purchaseDetail!.map((x) => [x.id, x.item?.identifier, x.quantity, x.itemCost, x.total, x.accountNumber, x.inventoryAccountNumber ?? null, x.warehouseSite?.id ?? null])).toEqual([
      [7101, 'DELL-LAT5450', 5, 1420, 7100, '630', '630', 1],
      [7102, 'CAT6-3M', 40, 2.4375, 97.5, '630', '630', 1],
      [7103, 'M365-BP', 12, 29.04, 348.48, '310', null, null],
    ]);
    expect(t.purchaseDetail![0]).toMatchObject({ lineNumber: 1, description: 'Dell Latitude 5450 laptops for stock', itemDescription: 'Dell Latitude 5450 laptop, i7, 16 GB, 512 GB SSD', unitOfMeasure: { name: 'Each' }, locationXref: '630', warehouseBin: { id: 11 }, taxCode: { name: 'GST' } });
    expect(t.purchaseDetailTax).toMatchObject([{ glTypeId: 'ST', taxNote: 'AUTOSTAX', accountNumber: '820', taxRatePercent: 10, total: 759.1 }]);
  });

  it('two deliveries of one PO: two transactions; the depot reel books to the depot account; freight on the second', async () => {
    const exp = await exportProcurement();
    const first = byId(exp, 'PO #3002, Packing Slip: PS-2001');
    const second = byId(exp, 'PO #3002, Packing Slip: PS-2002');
    expect(first.purchaseDetail!.map((x) => [x.id, x.accountNumber, x.locationXref])).toEqual([[7104, '630', '630'], [7105, '631', 'PARRA']]);
    expect([first.freightAmount, first.total]).toEqual([0, 504.9]);
    expect(second.purchaseDetail!.map((x) => x.id)).toEqual([7106]);
    expect([second.freightAmount, second.total]).toEqual([18.5, 471.35]);
    expect(sumOf([first.total, second.total]).toFixed(2)).toBe('976.25'); // = the PO's total
  });

  it('a drop-shipped line books to purchases, not to a warehouse', async () => {
    const t = byId(await exportProcurement(), 'PO #3003, Packing Slip: DS-3003');
    expect(t).toMatchObject({ dropshipFlag: true, shipToCompany: { id: 250 }, total: 3070.1 });
    expect(t.purchaseDetail![0]).toMatchObject({ dropShippedFlag: true, accountNumber: '310', total: 2791 });
    expect(t.purchaseDetail![0]!.inventoryAccountNumber).toBeUndefined();
    expect(t.purchaseDetail![0]!.warehouseSite).toBeUndefined();
  });

  it('includedProductIds / excludedProductIds take the unpostedProductIds; locationId and thruDate filter', async () => {
    const one = await exportProcurement({ includedProductIds: ['7104', '7105'] });
    expect(one.purchaseTransactions!.map((t) => t.id)).toEqual(['PO #3002, Packing Slip: PS-2001']);
    expect(one.adjustmentTransactions).toEqual([]);
    const noNz = await exportProcurement({ locationId: 1, excludedProductIds: ['7201', '7202', '7301'] });
    expect(noNz.purchaseTransactions!.map((t) => t.id)).not.toContain('PO #3005, Packing Slip: NZ-5001');
    expect(noNz.adjustmentTransactions).toEqual([]);
    const early = await exportProcurement({ thruDate: '2026-04-05' });
    expect(early.purchaseTransactions!.map((t) => t.id)).toEqual(['PO #3001, Packing Slip: PS-1001', 'PO #3002, Packing Slip: PS-2001']);
    const both = await sim.post('/finance/accounting/export', { exportProductsFlag: true, includedProductIds: ['7101'], excludedProductIds: ['7101'] });
    expect(both.status).toBe(400);
    expect(both.json.errors[0].field).toBe('includedProductIds');
    const invoicesOnly = await sim.post('/finance/accounting/export', { exportInvoicesFlag: true });
    expect(invoicesOnly.json.purchaseTransactions).toEqual([]);
  });
});

describe('the export: adjustments and transfers', () => {
  it('a write-off and a revaluation: signed totals on the warehouse inventory account against the adjustment account', async () => {
    const exp = await exportProcurement();
    expect(exp.adjustmentTransactions!.map((a) => a.id)).toEqual(['7201', '7202']);
    const [writeOff, reval] = exp.adjustmentTransactions!;
    expect(writeOff).toMatchObject({ documentDate: '2026-04-24T00:00:00Z', accountNumber: '310', adjustmentDescription: 'Write-off (damaged or lost): ADJ-0001' });
    expect(writeOff!.adjustmentDetail).toMatchObject([{ item: { identifier: 'CAT6-3M' }, quantity: -3, cost: 2.4375, total: -7.31, inventoryAccountNumber: '630', accountNumber: '310' }]);
    expect(reval!.adjustmentDetail!.map((x) => [x.quantity, x.total])).toEqual([[-4, -820], [4, 759.8]]);
    const rest = (await sim.get('/procurement/adjustments/2')).json;
    expect(rest).toMatchObject({ identifier: 'ADJ-0002', type: { identifier: 'REVALUE' }, closedFlag: true });
    expect((await sim.get('/procurement/adjustments/2/details')).json.map((x: { quantityAdjusted: number; warehouse: { id: number } }) => [x.quantityAdjusted, x.warehouse.id])).toEqual([[-4, 1], [4, 1]]);
    expect((await sim.get('/procurement/adjustments/types')).json.map((t: { identifier: string }) => t.identifier)).toEqual(['WRITEOFF', 'REVALUE', 'COUNT']);
  });

  it('a transfer: the destination account debited, the source credited through the offset', async () => {
    const [t] = (await exportProcurement()).inventoryTransfers!;
    expect(t).toMatchObject({ id: '7301', transferId: 1, item: { identifier: 'DELL-LAT5450' }, quantity: 2, cost: 1420, total: 2840, inventoryAccountNumber: '631', transferFromLocationXref: '630', transferToLocationXref: 'PARRA', transferFromBin: { id: 11 }, transferToBin: { id: 21 }, offset: { accountNumber: '630', total: -2840 } });
  });
});

describe('batches close procurement GL entries', () => {
  it('posts one packing slip: it leaves the unposted list and the export; its entries balance', async () => {
    const noFlag = await sim.post('/finance/accounting/batches', { batchIdentifier: 'cwxs-po-1', exportInvoicesFlag: true, processedRecordIds: [7104, 7105] });
    expect(noFlag.status).toBe(400);
    expect(noFlag.json.errors[0].field).toBe('exportProductsFlag');
    const r = await sim.post('/finance/accounting/batches', { batchIdentifier: 'cwxs-po-1', exportProductsFlag: true, processedRecordIds: [7104, 7105] });
    expect(r.status).toBe(201);
    expect((r.json as CwGLExport).purchaseTransactions!.map((t) => t.id)).toEqual(['PO #3002, Packing Slip: PS-2001']);
    const unposted = (await sim.get('/finance/accounting/unpostedprocurement?pageSize=100')).json.map((u: { id: number }) => u.id);
    expect(unposted).not.toContain(7104);
    expect(unposted).toContain(7106);
    expect((await exportProcurement()).purchaseTransactions!.map((t) => t.id)).not.toContain('PO #3002, Packing Slip: PS-2001');
    const [batch] = (await sim.get('/finance/accounting/batches?conditions=batchIdentifier="cwxs-po-1"')).json;
    const entries = (await sim.get(`/finance/accounting/batches/${batch.id}/entries`)).json as { debit: number; credit: number; accountNumber: string }[];
    expect(sumOf(entries.map((e) => e.debit)).toFixed(2)).toBe(sumOf(entries.map((e) => e.credit)).toFixed(2));
    expect(entries.find((e) => e.accountNumber === '800')).toMatchObject({ credit: 504.9 });
    const again = await sim.post('/finance/accounting/batches', { batchIdentifier: 'cwxs-po-2', exportProductsFlag: true, processedRecordIds: [7104] });
    expect(again.json.errors[0].code).toBe('AlreadyPosted');
    await sim.call('DELETE', `/finance/accounting/batches/${batch.id}`);
    expect((await sim.get('/finance/accounting/unpostedprocurement/count')).json).toEqual({ count: 12 });
  });

  it('adjustments and transfers post the same way, and their batch entries balance', async () => {
    const r = await sim.post('/finance/accounting/batches', { batchIdentifier: 'cwxs-inv-moves', exportProductsFlag: true, processedRecordIds: [7202, 7301] });
    expect(r.status).toBe(201);
    const [batch] = (await sim.get('/finance/accounting/batches?conditions=batchIdentifier="cwxs-inv-moves"')).json;
    const entries = (await sim.get(`/finance/accounting/batches/${batch.id}/entries`)).json as { debit: number; credit: number }[];
    expect(entries).toHaveLength(6);
    expect(sumOf(entries.map((e) => e.debit)).toFixed(2)).toBe(sumOf(entries.map((e) => e.credit)).toFixed(2));
  });
});

describe('cost of sale on invoice lines', () => {
  it('inventory parts carry their warehouse; other lines carry no cost accounts', async () => {
    const exp = (await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: [5002] })).json as CwGLExport;
    const [laptop, , licence] = exp.transactions![0]!.detail!;
    expect(laptop).toMatchObject({ costAccountNumber: '310', inventoryAccountNumber: '630', cost: 2840, warehouseSite: { id: 1 }, locationXref: '630', warehouseBin: { id: 11 } });
    expect(licence!.costAccountNumber).toBeUndefined();
    expect(licence!.warehouseSite).toBeUndefined();
  });
});

describe('the purchase order screen', () => {
  it('shows the PO, its lines and a receipt per packing slip', async () => {
    const html = await (await fetch(`${sim.url}/purchaseorder/3002?member=accountant`)).text();
    expect(html).toContain('Purchase order #3002');
    expect(html).toContain('Dicker Data Limited');
    expect(html.match(/data-line="/g)).toHaveLength(3);
    expect(html).toContain('data-packing-slip="PS-2001"');
    expect(html).toContain('data-packing-slip="PS-2002"');
    expect(html).toMatch(/data-testid="po-total">AUD 976\.25/);
    const unknown = await fetch(`${sim.url}/purchaseorder/1?member=accountant`);
    expect(unknown.status).toBe(200); // a placeholder, as before
  });
});
