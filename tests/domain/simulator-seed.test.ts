// The mapping against the simulators' own seed: every invoice the ConnectWise
// simulator exports (in each summarising mode) mapped onto the organisation
// the Xero simulator seeds for its billing location. ConnectWise's total must
// come out of Xero's arithmetic to the cent; the one invoice seeded to need
// attention (a product on GL 4990) must say so. In-process: the simulators'
// state is read directly, nothing listens on a port.
import { describe, expect, it } from 'vitest';
import { createCwSim } from '../../sim/connectwise/index.js';
import { buildGlExport } from '../../sim/connectwise/gl-export.js';
import { toCwInvoice } from '../../sim/connectwise/views.js';
import { seedOrganisations } from '../../sim/xero/seed.js';
import { mapInvoice } from '../../server/domain/invoice-mapping.js';
import { parseInvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { type XeroRefs, parseXeroRefs } from '../../server/domain/xero-refs.js';
import type { XeroCreditNotePayload } from '../../server/domain/xero-wire.js';

function refsOf(org: ReturnType<typeof seedOrganisations>[number]): XeroRefs {
  return parseXeroRefs({
    accounts: org.accounts.map((a) => ({ Code: a.Code, Status: a.Status, Type: a.Type })),
    taxRates: org.taxRates.map((t) => ({
      TaxType: t.TaxType,
      Status: t.Status,
      EffectiveRate: Number(t.rate),
      CanApplyToRevenue: t.revenue,
    })),
    items: [...org.items.values()].map((i) => ({ Code: i.Code })),
    trackingCategories: org.tracking,
    currencies: org.currencies.map((c) => ({ Code: c.Code })),
    baseCurrency: org.info.BaseCurrency,
  });
}

const sim = createCwSim();
const state = sim.state;
const [au, nz] = seedOrganisations(0).map(refsOf) as [XeroRefs, XeroRefs];
const orgByLocation: Record<number, XeroRefs> = { 1: au, 2: nz };

function mapSeeded(invoiceId: number, mode: 'Default' | 'Condensed' | 'Detailed' = 'Default') {
  const inv = state.invoices.find((i) => i.id === invoiceId)!;
  const exp = buildGlExport(state, [inv], mode);
  const tx = exp.transactions![0]!;
  const company = state.companies.find((c) => c.id === inv.billToCompanyId)!;
  return mapInvoice({
    transaction: tx,
    customer: exp.customers![0]!,
    invoice: toCwInvoice(state, inv),
    company,
    creditApplications: state.payments.filter((p) => p.credit?.id === inv.id),
    settings: parseInvoiceMappingSettings({}),
    xeroRefs: orgByLocation[inv.locationId ?? 1]!,
  });
}

describe('the simulators’ seed', () => {
  it('has the invoices the fixtures describe', () => {
    expect(state.invoices.length).toBeGreaterThanOrEqual(16);
  });

  for (const mode of ['Default', 'Condensed', 'Detailed'] as const) {
    it(`${mode} export: every invoice equals ConnectWise's total to the cent, or says why not`, () => {
      for (const inv of state.invoices) {
        const r = mapSeeded(inv.id!, mode);
        const cw = toCwInvoice(state, inv);
        const cwTotal = Math.abs(cw.total ?? 0).toFixed(2);
        expect(r.totals.cwTotal, `invoice ${inv.invoiceNumber}`).toBe(cwTotal);
        if (inv.invoiceNumber === 'INV-1008') {
          expect(r.problems.map((p) => p.code)).toEqual(['account-unknown']);
          continue;
        }
        expect(r.problems.filter((p) => p.severity === 'blocking'), `invoice ${inv.invoiceNumber}`).toEqual([]);
        expect(r.totals.xeroTotal, `invoice ${inv.invoiceNumber}`).toBe(cwTotal);
        expect(r.totals.difference).toBe('0.00');
        // Never a time entry's notes (the Detailed export carries them).
        expect(JSON.stringify(r.document)).not.toMatch(/Remote support: |Onsite: |Project: /);
      }
    });
  }

  it('the credit memo becomes a positive credit note allocated to the invoice it was applied to', () => {
    const memo = state.invoices.find((i) => i.type === 'CreditMemo')!;
    const r = mapSeeded(memo.id!);
    expect(r.kind).toBe('creditNote');
    expect((r.document as XeroCreditNotePayload).CreditNoteNumber).toBe(memo.invoiceNumber);
    expect(r.document.LineItems.every((l) => l.LineAmount > 0)).toBe(true);
    expect(r.allocations).toHaveLength(1);
    expect(r.allocations[0]?.invoiceNumber).toBe(`INV-${memo.appliedToInvoiceId}`);
    expect(r.allocations[0]?.amount).toBe(r.totals.xeroTotal);
  });

  it('the NZ invoice uses OUTPUT2, in NZD', () => {
    const nzInv = state.invoices.find((i) => i.locationId === 2)!;
    const r = mapSeeded(nzInv.id!);
    expect(r.document.CurrencyCode).toBe('NZD');
    expect(new Set(r.document.LineItems.map((l) => l.TaxType))).toEqual(new Set(['OUTPUT2']));
  });
});
