// The Xero items the invoice mapping creates for ConnectWise products stay
// untracked in Xero, inventory parts included: a tracked item makes Xero post
// a cost of sale of its own when it is sold, beside the cost-of-sale journal
// our push already makes from ConnectWise's costs (ConnectWise owns stock on
// hand). An item is tracked in Xero only with an inventory asset account (and
// a COGS account in its purchase details); ours carry neither.
import { expect, it } from 'vitest';
import { hasCostOfSale } from '../../server/domain/inventory-journal-mapping.js';
import { mapInvoice } from '../../server/domain/invoice-mapping.js';
import { parseInvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { auRefs, procurementFixture } from '../domain/procurement-fixture.js';

it("invoice 1002's inventory parts become Xero items that Xero does not track as inventory", async () => {
  const f = await procurementFixture();
  const tx = f.exp.transactions!.find((t) => t.id === 1002)!;
  expect(hasCostOfSale(tx)).toBe(true);
  const invoice = await f.call('/finance/invoices/1002');
  const company = await f.call(`/company/companies/${invoice.company.id}`);
  const r = mapInvoice({ transaction: tx, invoice, company, settings: parseInvoiceMappingSettings({ createMissingItems: true }), xeroRefs: { ...auRefs, items: [] } });
  const parts = (tx.detail ?? []).filter((d) => d.costAccountNumber && d.inventoryAccountNumber).map((d) => d.item?.identifier);
  expect(parts.length).toBeGreaterThan(0);
  // Every inventory part is created as an item…
  expect(r.itemsToCreate.map((i) => i.Code)).toEqual(expect.arrayContaining(parts));
  // …and none of them is tracked: no inventory asset account, no COGS account, never IsTrackedAsInventory.
  for (const item of r.itemsToCreate) {
    const wire = item as unknown as Record<string, unknown> & { PurchaseDetails?: Record<string, unknown> };
    expect(wire.InventoryAssetAccountCode, item.Code).toBeUndefined();
    expect(wire.IsTrackedAsInventory, item.Code).not.toBe(true);
    expect(wire.PurchaseDetails?.COGSAccountCode, item.Code).toBeUndefined();
  }
});
