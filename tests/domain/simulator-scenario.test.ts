// The mapping against the ConnectWise simulator's real-world preset
// (POST /__sim/scenario {preset: "real-world"}), in-process: two product ids
// sharing their first 30 characters become two Xero items, a product whose GL
// mapping has no account blocks naming it, and the returned part keeps the
// line's own words. Amounts to the cent.
import { describe, expect, it } from 'vitest';
import { createCwSim } from '../../sim/connectwise/index.js';
import { buildGlExport } from '../../sim/connectwise/gl-export.js';
import { addScenario, scenarioSchema } from '../../sim/connectwise/scenario.js';
import { toCwInvoice } from '../../sim/connectwise/views.js';
import { mapInvoice } from '../../server/domain/invoice-mapping.js';
import { shortItemCode } from '../../server/domain/item-mapping.js';
import type { XeroCreditNotePayload } from '../../server/domain/xero-wire.js';
import { parseInvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { auOrg } from './fixtures/xero-orgs.js';

const { state } = createCwSim();
addScenario(state, scenarioSchema.parse({ preset: 'real-world' }));

function mapScenario(invoiceId: number) {
  const inv = state.invoices.find((i) => i.id === invoiceId)!;
  const exp = buildGlExport(state, [inv], 'Default');
  return mapInvoice({
    transaction: exp.transactions![0]!,
    customer: exp.customers![0]!,
    invoice: toCwInvoice(state, inv),
    company: state.companies.find((c) => c.id === inv.billToCompanyId)!,
    creditApplications: state.payments.filter((p) => p.credit?.id === inv.id),
    settings: parseInvoiceMappingSettings({}),
    xeroRefs: auOrg,
  });
}

describe('the ConnectWise simulator’s real-world preset, mapped', () => {
  it('INV-1101: two ids sharing their first 30 characters, two items', () => {
    const r = mapScenario(1101);
    const codes = r.document.LineItems.map((l) => l.ItemCode);
    expect(codes).toEqual([shortItemCode('HPE-PROLIANT-DL380-GEN11-8SFF-CTO-BASE'), shortItemCode('HPE-PROLIANT-DL380-GEN11-8SFF-CTO-PSU-800W')]);
    expect(new Set(codes).size).toBe(2);
    expect(codes.every((c) => c!.length <= 30)).toBe(true);
    expect(r.itemsToCreate.map((i) => i.Code)).toEqual(codes);
    expect(r.totals).toMatchObject({ xeroSubtotal: '9775.00', xeroTax: '977.50', xeroTotal: '10752.50', cwTotal: '10752.50', difference: '0.00' });
    expect(r.ready).toBe(true);
  });

  it('INV-1102: a one-character id and a 30-character id are their own codes', () => {
    const r = mapScenario(1102);
    expect(r.document.LineItems.map((l) => l.ItemCode)).toEqual(['K', 'CISCO-C9200L-24P-4G-E-STACKKIT']);
    expect(r.totals).toMatchObject({ xeroTotal: '3310.84', cwTotal: '3310.84' });
  });

  it('INV-1104: the product whose GL mapping has no account blocks, on its line', () => {
    const r = mapScenario(1104);
    expect(r.problems.filter((p) => p.severity === 'blocking').map((p) => [p.code, p.line])).toEqual([['account-missing', 2]]);
    expect(r.ready).toBe(false);
  });

  it('CM-1105: the returned part keeps the line’s words, the catalogue’s after them; allocated to INV-1101', () => {
    const r = mapScenario(1105);
    const doc = r.document as XeroCreditNotePayload;
    expect(doc.LineItems[0]?.Description).toBe('Returned: HPE 800 W PSU (serial 5WQ81C)\nHPE 800 W flex slot platinum power supply (Each)');
    expect(doc.LineItems[0]?.ItemCode).toBe(shortItemCode('HPE-PROLIANT-DL380-GEN11-8SFF-CTO-PSU-800W'));
    expect(r.itemsToCreate.map((i) => i.Description)).toEqual(['HPE 800 W flex slot platinum power supply']);
    expect(r.totals).toMatchObject({ xeroTotal: '453.75', cwTotal: '453.75', difference: '0.00' });
    expect(r.allocations).toEqual([{ invoiceNumber: 'INV-1101', amount: '453.75', date: '2026-04-20' }]);
  });
});
