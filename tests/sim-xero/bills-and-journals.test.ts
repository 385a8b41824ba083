// The Xero simulator takes what issue 11's mappings make, as Xero does: ACCPAY
// bills (supplier numbers not unique, the contact becomes a supplier, Xero's
// totals equal the mapping's to the cent) and manual journals (balanced,
// found again by the reference in their Narration), with the web app pages
// "Open in Xero" links point at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapAdjustmentJournal, mapCostOfSaleJournal, mapTransferJournal, narrationNeedle } from '../../server/domain/inventory-journal-mapping.js';
import { mapPurchase } from '../../server/domain/purchase-mapping.js';
import { parseXeroRefs } from '../../server/domain/xero-refs.js';
import { parseProcurementSettings } from '../../shared/procurement-settings.js';
import { procurementFixture } from '../domain/procurement-fixture.js';
import { HARBOUR_TENANT_ID as T, type Sim, startXeroSim, userTokens } from './helpers.js';

let sim: Sim;
let token: string;
let f: Awaited<ReturnType<typeof procurementFixture>>;
beforeAll(async () => {
  sim = await startXeroSim({ port: 0 });
  token = (await userTokens(sim.url)).access_token;
  f = await procurementFixture();
});
afterAll(async () => {
  await sim?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(`${sim.url}/api.xro/2.0/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': T, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

async function refs() {
  const [accounts, taxRates] = await Promise.all([api('GET', 'Accounts'), api('GET', 'TaxRates')]);
  return parseXeroRefs({ accounts: accounts.json.Accounts, taxRates: taxRates.json.TaxRates, items: [], currencies: [{ Code: 'AUD' }], baseCurrency: 'AUD' });
}

describe('ACCPAY bills', () => {
  it('two packing slips of one PO: two bills with the same supplier number, totals equal to the mapping, the vendor a supplier', async () => {
    const xeroRefs = await refs();
    const contact = (await api('PUT', 'Contacts', { Contacts: [{ Name: 'Dicker Data Limited', ContactNumber: 'DickerData' }] })).json.Contacts[0];
    const company = await f.call('/company/companies/261');
    const made = [];
    for (const slip of ['PS-2001', 'PS-2002']) {
      const r = mapPurchase({ transaction: f.purchase(`PO #3002, Packing Slip: ${slip}`), vendor: f.vendorOf(261), company, settings: parseProcurementSettings({}), accountMap: {}, warehouses: f.warehouses, xeroRefs });
      expect(r.ready, slip).toBe(true);
      const res = await api('PUT', `Invoices?unitdp=${r.unitdp}`, { Invoices: [{ ...r.document, Contact: { ContactID: contact.ContactID } }] });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      const bill = res.json.Invoices[0];
      expect([bill.Type, bill.InvoiceNumber, bill.Status, bill.SubTotal, bill.TotalTax, bill.Total]).toEqual(['ACCPAY', 'DD-20931', 'AUTHORISED', Number(r.totals.xeroSubtotal), Number(r.totals.xeroTax), Number(r.totals.cwTotal)]);
      made.push(bill);
    }
    expect(made.map((b) => b.Total)).toEqual([504.9, 471.35]);
    expect((await api('GET', `Contacts/${contact.ContactID}`)).json.Contacts[0].IsSupplier).toBe(true);
    const page = await fetch(`${sim.url}/AccountsPayable/View.aspx?InvoiceID=${made[0].InvoiceID}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Bill <span id="number">DD-20931</span>');
    expect((await fetch(`${sim.url}/AccountsPayable/View.aspx?InvoiceID=nope`)).status).toBe(404);
  });
});

describe('manual journals', () => {
  it('cost of sale, an adjustment and a transfer post balanced; each is found again by its Narration reference', async () => {
    const ctx = { settings: parseProcurementSettings({}), accountMap: {}, warehouses: f.warehouses, xeroRefs: await refs() };
    const journals = [
      mapCostOfSaleJournal({ ...ctx, transaction: f.exp.transactions!.find((t) => t.id === 1002)! }),
      mapAdjustmentJournal({ ...ctx, transaction: f.exp.adjustmentTransactions![1]!, adjustment: await f.call('/procurement/adjustments/2') }),
      mapTransferJournal({ ...ctx, transfer: f.exp.inventoryTransfers![0]! }),
    ];
    for (const j of journals) {
      expect(j.ready, j.reference).toBe(true);
      const res = await api('PUT', 'ManualJournals', { ManualJournals: [j.document] });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      const back = res.json.ManualJournals[0];
      expect(back.JournalLines.map((l: { LineAmount: number; AccountCode: string }) => [l.AccountCode, l.LineAmount])).toEqual(j.document.JournalLines.map((l) => [l.AccountCode, l.LineAmount]));
    }
    for (const j of journals) {
      const where = encodeURIComponent(`Narration.Contains("${narrationNeedle(j.reference)}")`);
      const found = (await api('GET', `ManualJournals?where=${where}`)).json.ManualJournals;
      expect(found.map((x: { Narration: string }) => x.Narration), j.reference).toEqual([j.document.Narration]);
    }
    const list = (await api('GET', 'ManualJournals')).json.ManualJournals;
    const page = await fetch(`${sim.url}/Journal/View.aspx?invoiceID=${list[0].ManualJournalID}`);
    expect(await page.text()).toContain('id="narration"');
  });

  it('a journal that does not balance is refused with Xero\'s words', async () => {
    const res = await api('PUT', 'ManualJournals', { ManualJournals: [{ Narration: 'x [cwx:adj:1]', Date: '2026-04-01', Status: 'POSTED', LineAmountTypes: 'NoTax', JournalLines: [{ LineAmount: 10, AccountCode: '630' }, { LineAmount: -9.99, AccountCode: '310' }] }] });
    expect(res.status).toBe(400);
    expect(res.json.Elements[0].ValidationErrors[0].Message).toBe('The total debits (10.00) must equal total credits (9.99)');
  });
});
