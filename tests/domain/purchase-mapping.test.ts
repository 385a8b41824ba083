// Purchase orders → Xero ACCPAY bills, to the cent, from the ConnectWise
// simulator's export: a full PO with freight, two deliveries of one PO, a
// drop-shipped line, a NZ PO; warehouse accounts; which bills a PO makes.
import { beforeAll, describe, expect, it } from 'vitest';
import { type PurchaseMappingInput, mapPurchase, mergePurchaseTransactions, planBills, mapSupplierContact } from '../../server/domain/purchase-mapping.js';
import { proposeWarehouseAccounts, exportInventoryAccounts } from '../../server/domain/warehouse-accounts.js';
import { type ProcurementSettingsInput, parseProcurementSettings } from '../../shared/procurement-settings.js';
import { auRefs, nzRefs, procurementFixture } from './procurement-fixture.js';

let f: Awaited<ReturnType<typeof procurementFixture>>;
beforeAll(async () => {
  f = await procurementFixture();
});

async function bill(id: string, settings: ProcurementSettingsInput = {}, extra: Partial<PurchaseMappingInput> = {}) {
  const transaction = f.purchase(id);
  const companyId = transaction.company!.id!;
  return mapPurchase({
    transaction,
    vendor: f.vendorOf(companyId),
    company: await f.call(`/company/companies/${companyId}`),
    purchaseOrder: await f.call(`/procurement/purchaseorders/${transaction.documentNumber}`),
    settings: parseProcurementSettings(settings),
    accountMap: {},
    warehouses: f.warehouses,
    xeroRefs: auRefs,
    ...extra,
  });
}
const row = (l: { accountCode: string; quantity: string; unitAmount: string; lineAmount: string; taxType?: string; taxAmount: string }) => [l.accountCode, l.quantity, l.unitAmount, l.lineAmount, l.taxType, l.taxAmount];

describe('a full PO received on one packing slip', () => {
  it('makes one bill equal to ConnectWise to the cent, parts on the warehouse inventory account, freight on its own line', async () => {
    const r = await bill('PO #3001, Packing Slip: PS-1001');
    expect(r.problems).toEqual([]);
    expect(r.ready).toBe(true);
    expect(r.document).toMatchObject({ Type: 'ACCPAY', Contact: { ContactNumber: 'IngramAU' }, InvoiceNumber: 'IM-558812', Date: '2026-04-03', DueDate: '2026-05-03', Reference: 'PO 3001 (2026-03-30), packing slip PS-1001', Status: 'AUTHORISED', LineAmountTypes: 'Exclusive', CurrencyCode: 'AUD' });
    expect(r.lines.map(row)).toEqual([
      ['630', '5', '1420.00', '7100.00', 'INPUT', '710.00'],
      ['630', '40', '2.4375', '97.50', 'INPUT', '9.75'],
      ['310', '12', '29.04', '348.48', 'INPUT', '34.85'],
      ['425', '1', '45.00', '45.00', 'INPUT', '4.50'],
    ]);
    expect(r.totals).toEqual({ cwSubtotal: '7590.98', cwTax: '759.10', cwTotal: '8350.08', xeroSubtotal: '7590.98', xeroTax: '759.10', xeroTotal: '8350.08', difference: '0.00', taxDifference: '0.00' });
    expect(r.document.LineItems[0]!.Description).toBe('DELL-LAT5450: Dell Latitude 5450 laptops for stock (Each)\nDell Latitude 5450 laptop, i7, 16 GB, 512 GB SSD');
    expect(r.lines[0]!.warehouseId).toBe(1);
    expect(r.unitdp).toBe(4);
    expect(r.glEntryIds).toEqual(['7101', '7102', '7103']);
    expect(r.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a freight account Xero lacks, or a mapped input tax code, decides as the settings say', async () => {
    expect((await bill('PO #3001, Packing Slip: PS-1001', { freightAccountCode: '999' })).problems.map((p) => p.code)).toEqual(['freight-account-invalid']);
    const mapped = await bill('PO #3001, Packing Slip: PS-1001', { inputTaxMap: { GST: 'OUTPUT' } });
    expect(mapped.ready).toBe(true); // OUTPUT charges 10 % too; the admin's map wins
    expect(mapped.document.LineItems.every((l) => l.TaxType === 'OUTPUT')).toBe(true);
  });
});

describe('a partial receipt over two packing slips', () => {
  it('each packing slip is a bill to the cent; the depot reel books to the depot account; freight on the second', async () => {
    const first = await bill('PO #3002, Packing Slip: PS-2001');
    const second = await bill('PO #3002, Packing Slip: PS-2002');
    expect(first.lines.map(row)).toEqual([
      ['630', '2', '205.00', '410.00', 'INPUT', '41.00'],
      ['631', '50', '0.98', '49.00', 'INPUT', '4.90'],
    ]);
    expect([first.totals.xeroTotal, first.totals.cwTotal, first.document.DueDate]).toEqual(['504.90', '504.90', '2026-04-23']);
    expect(second.lines.map(row)).toEqual([
      ['630', '2', '205.00', '410.00', 'INPUT', '41.00'],
      ['425', '1', '18.50', '18.50', 'INPUT', '1.85'],
    ]);
    expect([second.totals.xeroTotal, second.totals.difference]).toEqual(['471.35', '0.00']);
    expect(first.glEntryIds).toEqual(['7104', '7105']);
    expect(second.glEntryIds).toEqual(['7106']);
    expect(first.document.Reference).toBe('PO 3002 (2026-03-31), packing slip PS-2001');
  });

  it('the warehouse setting wins over the proposal; an account Xero lacks blocks', async () => {
    const overridden = await bill('PO #3002, Packing Slip: PS-2001', { warehouseAccounts: { '2': '630' } });
    expect(overridden.lines[1]!.accountCode).toBe('630');
    const unknown = await bill('PO #3002, Packing Slip: PS-2001', { warehouseAccounts: { '2': '632' } });
    expect(unknown.problems.map((p) => [p.code, p.line])).toEqual([['warehouse-account-unknown', 2]]);
    expect(unknown.ready).toBe(false);
  });

  it('the proposal per warehouse: locationXref when it is a Xero account, else the export; differences shown', () => {
    const exportAccounts = exportInventoryAccounts(f.exp, f.warehouses);
    expect(exportAccounts).toEqual({ 1: '630', 2: '631' });
    const plain = proposeWarehouseAccounts({ warehouses: f.warehouses, exportInventoryAccounts: exportAccounts, settings: { warehouseAccounts: { '2': '630' } }, accountMap: {}, xeroRefs: auRefs });
    expect(plain.map((p) => [p.warehouseId, p.proposed, p.proposedFrom, p.setting, p.account, p.settingDiffers, p.sourcesDiffer])).toEqual([
      [1, '630', 'locationXref', null, '630', false, false],
      [2, '631', 'export', '630', '630', true, false],
    ]);
    const remapped = proposeWarehouseAccounts({ warehouses: f.warehouses, exportInventoryAccounts: exportAccounts, settings: { warehouseAccounts: {} }, accountMap: { '630': '631' }, xeroRefs: auRefs });
    expect(remapped[0]).toMatchObject({ proposed: '630', exportAccount: '631', sourcesDiffer: true });
  });
});

describe('a drop-shipped line and a NZ purchase', () => {
  it('a drop-shipped part books to purchases (cost of goods), never to stock', async () => {
    const r = await bill('PO #3003, Packing Slip: DS-3003');
    expect(r.lines.map(row)).toEqual([['310', '2', '1395.50', '2791.00', 'INPUT', '279.10']]);
    expect(r.lines[0]!.warehouseId).toBeUndefined();
    expect(r.totals.xeroTotal).toBe('3070.10');
  });

  it('NZD at 15 % with INPUT2; the vendor invoice date and terms set the due date', async () => {
    const r = await bill('PO #3005, Packing Slip: NZ-5001', {}, { xeroRefs: nzRefs });
    expect(r.problems).toEqual([]);
    expect(r.document).toMatchObject({ CurrencyCode: 'NZD', Date: '2026-04-22', DueDate: '2026-05-12', InvoiceNumber: 'EX-7781' });
    expect(r.lines.map(row)).toEqual([['310', '15', '3.20', '48.00', 'INPUT2', '7.20']]);
    expect(r.totals.xeroTotal).toBe('55.20');
  });

  it('a PO without a vendor invoice number: a warning, the receipt date, no number', async () => {
    const r = await bill('PO #3004, Packing Slip: PS-4001');
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['vendor-invoice-missing', 'warning']]);
    expect(r.document.InvoiceNumber).toBeUndefined();
    expect(r.document.Date).toBe('2026-04-20');
    expect(r.lines.map(row)).toEqual([['631', '20', '2.4375', '48.75', 'INPUT', '4.88']]);
    expect(r.totals.difference).toBe('0.00');
  });
});

describe('which bills a PO makes', () => {
  const po3002 = () => ({ purchaseOrderId: 3002, transactions: [f.purchase('PO #3002, Packing Slip: PS-2001'), f.purchase('PO #3002, Packing Slip: PS-2002')] });

  it('part shipments: one bill per packing slip; re-running never bills a received line twice', async () => {
    const lineItems = await f.call('/procurement/purchaseorders/3002/lineitems');
    const all = planBills({ ...po3002(), lineItems, partShipments: true, billedReceiptIds: new Set() });
    expect(all.bills.map((b) => [b.key, b.receiptIds])).toEqual([['po:3002:ps:7104', ['7104', '7105']], ['po:3002:ps:7106', ['7106']]]);
    const again = planBills({ ...po3002(), lineItems, partShipments: true, billedReceiptIds: new Set(['7104', '7105']) });
    expect(again.bills.map((b) => b.key)).toEqual(['po:3002:ps:7106']);
    expect(again.alreadyBilled).toEqual(['7104', '7105']);
    const done = planBills({ ...po3002(), lineItems, partShipments: true, billedReceiptIds: new Set(['7104', '7105', '7106']) });
    expect(done.bills).toEqual([]);
    const odd = planBills({ ...po3002(), lineItems, partShipments: true, billedReceiptIds: new Set(['7104']) });
    expect(odd.partlyBilled).toEqual([{ packingSlip: 'PS-2001', billed: ['7104'], unbilled: ['7105'] }]);
    expect(odd.bills.map((b) => b.key)).toEqual(['po:3002:ps:7106']);
  });

  it('without part shipments: one bill for the whole PO once every line is received, to the cent', async () => {
    const lineItems = await f.call('/procurement/purchaseorders/3002/lineitems');
    const plan = planBills({ ...po3002(), lineItems, partShipments: false, billedReceiptIds: new Set() });
    expect(plan.bills.map((b) => [b.key, b.packingSlips, b.receiptIds])).toEqual([['po:3002:all:7104', ['PS-2001', 'PS-2002'], ['7104', '7105', '7106']]]);
    const company = await f.call('/company/companies/261');
    const r = mapPurchase({ transaction: plan.bills[0]!.transaction, vendor: f.vendorOf(261), company, settings: parseProcurementSettings({ partShipments: false }), accountMap: {}, warehouses: f.warehouses, xeroRefs: auRefs });
    expect(r.problems).toEqual([]);
    expect(r.totals).toMatchObject({ cwTotal: '976.25', xeroTotal: '976.25', xeroTax: '88.75', difference: '0.00' });
    expect(r.document.Reference).toBe('PO 3002 (2026-03-31), packing slip PS-2001, PS-2002');
    expect(r.glEntryIds).toEqual(['7104', '7105', '7106']);
  });

  it('without part shipments a PO still waiting on a line makes no bill; a rest cancelled does', async () => {
    const waiting = planBills({ purchaseOrderId: 3004, lineItems: await f.call('/procurement/purchaseorders/3004/lineitems'), transactions: [f.purchase('PO #3004, Packing Slip: PS-4001')], partShipments: false, billedReceiptIds: new Set() });
    expect(waiting).toMatchObject({ bills: [], waitingLines: [2] });
    const cancelled = planBills({ purchaseOrderId: 3005, lineItems: await f.call('/procurement/purchaseorders/3005/lineitems'), transactions: [f.purchase('PO #3005, Packing Slip: NZ-5001')], partShipments: false, billedReceiptIds: new Set() });
    expect(cancelled.bills.map((b) => b.key)).toEqual(['po:3005:all:7109']);
  });

  it('merging one transaction changes nothing', () => {
    const t = f.purchase('PO #3001, Packing Slip: PS-1001');
    expect(mergePurchaseTransactions([t])).toBe(t);
  });
});

describe('the vendor as a supplier contact', () => {
  it('carries the vendor details as a customer contact does', async () => {
    const company = await f.call('/company/companies/260');
    const r = mapSupplierContact({ company, vendor: f.vendorOf(260), billingContact: await f.call('/company/contacts/2601'), primaryContact: await f.call('/company/contacts/2602'), contactAccountNumber: true });
    expect(r.contact).toMatchObject({ Name: 'Ingram Micro Australia Pty Ltd', ContactNumber: 'IngramAU', AccountNumber: 'V-INGRAM', EmailAddress: 'ar.au@ingram.example', FirstName: 'Tom', LastName: 'Baker', Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '+61 2 9381 6000' }] });
    expect(r.contact.Addresses?.[0]).toMatchObject({ AddressType: 'POBOX', AddressLine1: '61 Dunning Avenue', City: 'Rosebery', PostalCode: '2018' });
    expect(r.problems).toEqual([]);
  });
});
