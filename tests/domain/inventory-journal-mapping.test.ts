// Inventory movements → Xero manual journals that balance to the cent, from
// the ConnectWise simulator's export: the cost of sale of an invoice's
// inventory parts, a write-off, a revaluation, a transfer between warehouses.
import { beforeAll, describe, expect, it } from 'vitest';
import { hasCostOfSale, journalReference, mapAdjustmentJournal, mapCostOfSaleJournal, mapTransferJournal, narrationNeedle } from '../../server/domain/inventory-journal-mapping.js';
import { type ProcurementSettingsInput, parseProcurementSettings } from '../../shared/procurement-settings.js';
import { auRefs, procurementFixture } from './procurement-fixture.js';

let f: Awaited<ReturnType<typeof procurementFixture>>;
beforeAll(async () => {
  f = await procurementFixture();
});
const ctx = (settings: ProcurementSettingsInput = {}) => ({ settings: parseProcurementSettings(settings), accountMap: {}, warehouses: f.warehouses, xeroRefs: auRefs });
const legs = (r: { document: { JournalLines: { LineAmount: number; AccountCode: string }[] } }) => r.document.JournalLines.map((l) => [l.AccountCode, l.LineAmount]);

describe('cost of sale', () => {
  it("an invoice's inventory parts: debit COGS, credit the warehouse's inventory account, by each line's cost", () => {
    const tx = f.exp.transactions!.find((t) => t.id === 1002)!;
    expect(hasCostOfSale(tx)).toBe(true);
    const r = mapCostOfSaleJournal({ ...ctx(), transaction: tx });
    expect(r.problems).toEqual([]);
    expect(legs(r)).toEqual([
      ['310', 2840], ['630', -2840], // 2 laptops at 1420.00
      ['310', 27.3], ['630', -27.3], // 3 patch leads at 9.10
      ['310', 44.59], ['630', -44.59], // 45.5 m at 0.98 = 44.59 (the licence line has no cost of sale)
    ]);
    expect(r.totals).toEqual({ debits: '2911.89', credits: '2911.89', difference: '0.00', cwAmount: '2911.89' });
    expect(r.document).toMatchObject({ Date: '2026-02-10', Status: 'POSTED', LineAmountTypes: 'NoTax' });
    expect(r.reference).toBe('cwx:cogs:5002');
    expect(r.document.Narration).toBe('Cost of sale for ConnectWise invoice INV-1002 [cwx:cogs:5002]');
    expect(r.document.Narration).toContain(narrationNeedle(r.reference));
    expect(r.glEntryIds).toEqual(['5002']);
    expect(r.lines[1]!.warehouseId).toBe(1);
  });

  it('a warehouse mapped to another account in the settings is credited there; an invoice without parts has none', () => {
    const tx = f.exp.transactions!.find((t) => t.id === 1002)!;
    const r = mapCostOfSaleJournal({ ...ctx({ warehouseAccounts: { '1': '631' } }), transaction: tx });
    expect(r.document.JournalLines.filter((l) => l.LineAmount < 0).every((l) => l.AccountCode === '631')).toBe(true);
    const timeOnly = f.exp.transactions!.find((t) => t.id === 1001)!;
    expect(hasCostOfSale(timeOnly)).toBe(false);
    expect(mapCostOfSaleJournal({ ...ctx(), transaction: timeOnly }).problems.map((p) => p.code)).toEqual(['no-lines']);
  });
});

describe('adjustments', () => {
  it('a write-off: inventory down, the adjustment account up, to the cent', async () => {
    const tx = f.exp.adjustmentTransactions!.find((a) => a.id === '7201')!;
    const r = mapAdjustmentJournal({ ...ctx(), transaction: tx, adjustment: await f.call('/procurement/adjustments/1') });
    expect(r.problems).toEqual([]);
    expect(legs(r)).toEqual([['630', -7.31], ['310', 7.31]]);
    expect(r.totals).toMatchObject({ debits: '7.31', credits: '7.31', difference: '0.00', cwAmount: '-7.31' });
    expect(r.reference).toBe('cwx:adj:7201');
    expect(r.document.Date).toBe('2026-04-24');
  });

  it('a revaluation: out at the old cost, in at the new; nets to the cost change', async () => {
    const tx = f.exp.adjustmentTransactions!.find((a) => a.id === '7202')!;
    const r = mapAdjustmentJournal({ ...ctx(), transaction: tx, adjustment: await f.call('/procurement/adjustments/2') });
    expect(legs(r)).toEqual([['630', -820], ['310', 820], ['630', 759.8], ['310', -759.8]]);
    expect(r.totals).toEqual({ debits: '1579.80', credits: '1579.80', difference: '0.00', cwAmount: '-60.20' });
    expect(r.lines.map((l) => l.warehouseId ?? null)).toEqual([1, null, 1, null]);
  });
});

describe('transfers', () => {
  it("between warehouses' inventory accounts: the depot debited, Sydney credited", () => {
    const t = f.exp.inventoryTransfers![0]!;
    const r = mapTransferJournal({ ...ctx(), transfer: t });
    expect(r.problems).toEqual([]);
    expect(legs(r)).toEqual([['631', 2840], ['630', -2840]]);
    expect(r.lines.map((l) => l.warehouseId)).toEqual([2, 1]);
    expect(r.reference).toBe('cwx:xfer:7301');
    expect(r.document.Narration).toBe('Inventory transfer 1: 630 → PARRA [cwx:xfer:7301]');
  });

  it('both warehouses on one Xero account: a warning, the journal still balances', () => {
    const r = mapTransferJournal({ ...ctx({ warehouseAccounts: { '2': '630' } }), transfer: f.exp.inventoryTransfers![0]! });
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['transfer-same-account', 'warning']]);
    expect(r.totals.difference).toBe('0.00');
  });

  it('references are ids only and set-like', () => {
    expect(journalReference('costOfSale', ['12', '11', 12])).toBe('cwx:cogs:11-12');
  });
});
