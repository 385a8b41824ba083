// Every fixture, line by line and to the cent, with the default settings.
import { describe, expect, it } from 'vitest';
import type { XeroCreditNotePayload, XeroInvoicePayload } from '../../server/domain/xero-wire.js';
import {
  agreementInvoice,
  allInvoiceFixtures,
  creditMemo,
  detailedTimeInvoice,
  exemptInvoice,
  nzInvoice,
  productInvoice,
  roundingInvoice,
  standardTimeBilling,
  unknownGlInvoice,
  usdInvoice,
} from './fixtures/cw-invoices.js';
import { mapFixture, problemCodes } from './map-fixture.js';

describe('standard time-billing invoice with an agreement credit', () => {
  const r = mapFixture(standardTimeBilling);
  const doc = r.document as XeroInvoicePayload;

  it('builds the ACCREC header from the export and the invoice record', () => {
    expect(r.kind).toBe('invoice');
    expect(doc).toMatchObject({
      Type: 'ACCREC',
      InvoiceNumber: 'INV-1001',
      Reference: 'PO-7781',
      Date: '2026-11-02',
      DueDate: '2026-12-02',
      CurrencyCode: 'AUD',
      LineAmountTypes: 'Exclusive',
      Status: 'AUTHORISED',
      Contact: { ContactNumber: 'AcmeAU' },
    });
  });

  it('keeps CW’s summarised lines, the agreement as a credit line, and folds the tax line into tax types', () => {
    expect(doc.LineItems).toEqual([
      { Description: 'Remote support', Quantity: 6.5, UnitAmount: 150, LineAmount: 975, AccountCode: '200', TaxType: 'OUTPUT' },
      { Description: 'On-site support', Quantity: 2.25, UnitAmount: 180, LineAmount: 405, AccountCode: '200', TaxType: 'OUTPUT' },
      { Description: 'Travel expenses', Quantity: 1, UnitAmount: 85.5, LineAmount: 85.5, AccountCode: '230', TaxType: 'OUTPUT' },
      {
        Description: 'Agreement: Managed Services Gold — covered hours',
        Quantity: 1,
        UnitAmount: -300,
        LineAmount: -300,
        AccountCode: '220',
        TaxType: 'OUTPUT',
      },
    ]);
    expect(r.lines.map((l) => l.taxAmount)).toEqual(['97.50', '40.50', '8.55', '-30.00']);
    expect(r.lines.map((l) => l.kind)).toEqual(['revenue', 'revenue', 'revenue', 'agreement']);
  });

  it('totals equal ConnectWise’s to the cent', () => {
    expect(r.totals).toEqual({
      cwSubtotal: '1165.50',
      cwTax: '116.55',
      cwTotal: '1282.05',
      xeroSubtotal: '1165.50',
      xeroTax: '116.55',
      xeroTotal: '1282.05',
      difference: '0.00',
      taxDifference: '0.00',
    });
    expect(r.problems).toEqual([]);
    expect(r.ready).toBe(true);
    expect(r.unitdp).toBe(2);
    expect(r.itemsToCreate).toEqual([]);
    expect(r.glEntryIds).toEqual(['501', '502']);
    expect(r.roundingLine).toBeUndefined();
  });
});

describe('product invoice', () => {
  const r = mapFixture(productInvoice);
  const doc = r.document as XeroInvoicePayload;

  it('sends item code, the line’s own words then the detailed description with unit of measure, quantity, 4-decimal unit amount and extended amount', () => {
    expect(doc.LineItems).toEqual([
      {
        // The line's own description differs from the catalogue's: both, the line's first.
        Description: 'Cat6 cable\nCat6 UTP cable, 305 m pull box, blue (Box)',
        ItemCode: 'CAT6-305',
        Quantity: 2,
        UnitAmount: 189,
        LineAmount: 378,
        AccountCode: '210',
        TaxType: 'OUTPUT',
      },
      {
        Description: 'M365 BP\nMicrosoft 365 Business Premium (monthly) (Licence)',
        ItemCode: 'LIC-M365-BP',
        Quantity: 3,
        UnitAmount: 33.3333,
        LineAmount: 100,
        AccountCode: '210',
        TaxType: 'OUTPUT',
      },
      {
        // itemDescription is empty: the short description is the fallback.
        Description: 'USB-C adapter (Each)',
        ItemCode: 'ADAPTER-USB-C',
        Quantity: 4,
        UnitAmount: 12.5,
        LineAmount: 50,
        AccountCode: '210',
        TaxType: 'OUTPUT',
      },
    ]);
    expect(r.unitdp).toBe(4);
    expect(r.lines[1]).toMatchObject({ unitAmount: '33.3333', lineAmount: '100.00', cwAmount: '100.00', unitOfMeasure: 'Licence' });
  });

  it('lists the items Xero lacks, once each, with the line’s account and tax', () => {
    expect(r.itemsToCreate).toEqual([
      {
        Code: 'LIC-M365-BP',
        Name: 'Microsoft 365 Business Premium (monthly)',
        Description: 'Microsoft 365 Business Premium (monthly)',
        IsSold: true,
        IsPurchased: false,
        SalesDetails: { AccountCode: '210', TaxType: 'OUTPUT' },
      },
      {
        Code: 'ADAPTER-USB-C',
        Name: 'USB-C adapter',
        Description: 'USB-C adapter',
        IsSold: true,
        IsPurchased: false,
        SalesDetails: { AccountCode: '210', TaxType: 'OUTPUT' },
      },
    ]);
  });

  it('ignores cost of sale, and the totals equal CW’s', () => {
    expect(JSON.stringify(r.document)).not.toMatch(/310|630|120/);
    expect(r.totals).toMatchObject({ cwSubtotal: '528.00', cwTax: '52.80', cwTotal: '580.80', xeroTax: '52.80', xeroTotal: '580.80', difference: '0.00' });
    expect(r.lines.map((l) => l.taxAmount)).toEqual(['37.80', '10.00', '5.00']);
    expect(r.ready).toBe(true);
  });

  it('leaves the unit of measure out when the setting says so', () => {
    const plain = mapFixture(productInvoice, { includeUnitOfMeasure: false });
    expect(plain.document.LineItems.map((l) => l.Description)).toEqual([
      'Cat6 cable\nCat6 UTP cable, 305 m pull box, blue',
      'M365 BP\nMicrosoft 365 Business Premium (monthly)',
      'USB-C adapter',
    ]);
  });
});

describe('agreement invoice with additions', () => {
  const r = mapFixture(agreementInvoice);
  it('has the agreement fee and each addition as a line, to the cent', () => {
    expect(r.document.LineItems).toEqual([
      { Description: 'Managed Services Gold — November 2026', Quantity: 1, UnitAmount: 1500, LineAmount: 1500, AccountCode: '220', TaxType: 'OUTPUT' },
      { Description: 'Endpoint protection (Seat)', ItemCode: 'AV-ENDPOINT', Quantity: 25, UnitAmount: 6.4, LineAmount: 160, AccountCode: '220', TaxType: 'OUTPUT' },
      { Description: 'Cloud backup, 1 TB (Month)', ItemCode: 'BACKUP-1TB', Quantity: 3, UnitAmount: 45, LineAmount: 135, AccountCode: '220', TaxType: 'OUTPUT' },
    ]);
    expect(r.totals).toMatchObject({ xeroSubtotal: '1795.00', xeroTax: '179.50', xeroTotal: '1974.50', cwTotal: '1974.50', difference: '0.00' });
    expect(r.itemsToCreate.map((i) => i.Code)).toEqual(['AV-ENDPOINT', 'BACKUP-1TB']);
    expect((r.document as XeroInvoicePayload).DueDate).toBe('2026-12-01');
    expect(r.ready).toBe(true);
  });
});

describe('credit memo', () => {
  const r = mapFixture(creditMemo);
  const doc = r.document as XeroCreditNotePayload;
  it('becomes an ACCRECCREDIT credit note with positive amounts', () => {
    expect(r.kind).toBe('creditNote');
    expect(doc).toMatchObject({ Type: 'ACCRECCREDIT', CreditNoteNumber: 'CM-1004', Date: '2026-11-10', CurrencyCode: 'AUD' });
    expect(doc).not.toHaveProperty('DueDate');
    expect(doc).not.toHaveProperty('InvoiceNumber');
    expect(doc.LineItems).toEqual([
      { Description: 'On-site support billed in error', Quantity: 2, UnitAmount: 180, LineAmount: 360, AccountCode: '200', TaxType: 'OUTPUT' },
      {
        Description: 'Cat6 UTP cable, 305 m pull box, blue (returned) (Box)',
        ItemCode: 'CAT6-305',
        Quantity: 1,
        UnitAmount: 189,
        LineAmount: 189,
        AccountCode: '210',
        TaxType: 'OUTPUT',
      },
    ]);
    expect(r.totals).toMatchObject({ cwSubtotal: '549.00', cwTax: '54.90', cwTotal: '603.90', xeroTax: '54.90', xeroTotal: '603.90', difference: '0.00' });
    expect(r.ready).toBe(true);
  });

  it('is recognised from the export alone (documentType "CM")', () => {
    const fromExport = mapFixture({
      ...creditMemo,
      invoice: { ...creditMemo.invoice, type: null },
      transaction: { ...creditMemo.transaction, documentType: 'CM' },
    });
    expect(fromExport.kind).toBe('creditNote');
    expect(fromExport.totals.xeroTotal).toBe('603.90');
  });

  it('is allocated to the invoice ConnectWise applied it to', () => {
    expect(r.allocations).toEqual([{ invoiceNumber: 'INV-1001', amount: '603.90', date: '2026-11-10' }]);
    const prefixed = mapFixture(creditMemo, { invoiceNumberPrefix: 'CW-' });
    expect((prefixed.document as XeroCreditNotePayload).CreditNoteNumber).toBe('CW-CM-1004');
    expect(prefixed.allocations[0]?.invoiceNumber).toBe('CW-INV-1001');
  });

  it('refuses an application larger than the credit', () => {
    const over = mapFixture({
      ...creditMemo,
      creditApplications: [{ ...creditMemo.creditApplications![0]!, amount: 700 }],
    });
    expect(problemCodes(over)).toContain('allocation-exceeds-credit');
    expect(over.ready).toBe(false);
  });
});

describe('tax-exempt customer', () => {
  it('uses the 0% revenue rate EXEMPTOUTPUT (preferred over BAS Excluded), no tax, due in 14 days', () => {
    const r = mapFixture(exemptInvoice);
    expect(r.document.LineItems).toEqual([
      { Description: 'Remote support', Quantity: 4, UnitAmount: 150, LineAmount: 600, AccountCode: '200', TaxType: 'EXEMPTOUTPUT' },
    ]);
    expect((r.document as XeroInvoicePayload).DueDate).toBe('2026-11-26');
    expect(r.totals).toMatchObject({ cwTax: '0.00', xeroTax: '0.00', xeroTotal: '600.00', cwTotal: '600.00', difference: '0.00' });
    expect(r.ready).toBe(true);
  });

  it('honours a tax map entry for the exempt code', () => {
    const r = mapFixture(exemptInvoice, { taxMap: { EXEMPT: 'BASEXCLUDED' } });
    expect(r.document.LineItems[0]?.TaxType).toBe('BASEXCLUDED');
  });
});

describe('NZ invoice in NZD', () => {
  it('uses OUTPUT2 (15%) and equals CW to the cent', () => {
    const r = mapFixture(nzInvoice);
    expect(r.document).toMatchObject({ CurrencyCode: 'NZD', Date: '2026-11-03', DueDate: '2026-11-23' });
    expect(r.document.LineItems).toEqual([
      { Description: 'Remote support', Quantity: 3.5, UnitAmount: 160, LineAmount: 560, AccountCode: '200', TaxType: 'OUTPUT2' },
      { Description: 'Samsung 990 PRO 1 TB NVMe SSD', ItemCode: 'SSD-1TB', Quantity: 2, UnitAmount: 139.9, LineAmount: 279.8, AccountCode: '210', TaxType: 'OUTPUT2' },
    ]);
    expect(r.lines.map((l) => l.taxAmount)).toEqual(['84.00', '41.97']);
    expect(r.totals).toMatchObject({ xeroSubtotal: '839.80', xeroTax: '125.97', xeroTotal: '965.77', cwTotal: '965.77', difference: '0.00' });
    expect(r.ready).toBe(true);
  });
});

describe('USD invoice', () => {
  it('is in USD when the organisation has USD enabled', () => {
    const r = mapFixture(usdInvoice);
    expect(r.document).toMatchObject({ CurrencyCode: 'USD', Reference: 'GX-PO-4410', DueDate: '2026-12-30' });
    expect(r.document.LineItems).toEqual([
      { Description: 'Consulting — network design', Quantity: 10, UnitAmount: 200, LineAmount: 2000, AccountCode: '200', TaxType: 'EXEMPTOUTPUT' },
    ]);
    expect(r.totals).toMatchObject({ xeroTotal: '2000.00', cwTotal: '2000.00', difference: '0.00' });
    expect(r.ready).toBe(true);
  });
});

describe('product on GL 4990', () => {
  it('is blocked: no Xero account 4990', () => {
    const r = mapFixture(unknownGlInvoice);
    expect(r.ready).toBe(false);
    const p = r.problems.find((x) => x.code === 'account-unknown');
    expect(p).toMatchObject({ severity: 'blocking', area: 'settings', line: 1, field: 'transaction.detail[0].accountNumber#4990' });
    expect(p?.message).toContain('4990');
    expect(p?.where).toContain('Account codes');
  });
});

describe('CW tax differs from Xero’s per-line rounding by 0.01', () => {
  it('is blocked by default with the difference and the line to look at', () => {
    const r = mapFixture(roundingInvoice);
    expect(r.lines.map((l) => l.taxAmount)).toEqual(['4.45', '1.20', '3.34']);
    expect(r.totals).toEqual({
      cwSubtotal: '89.81',
      cwTax: '8.98',
      cwTotal: '98.79',
      xeroSubtotal: '89.81',
      xeroTax: '8.99',
      xeroTotal: '98.80',
      difference: '0.01',
      taxDifference: '0.01',
    });
    expect(r.ready).toBe(false);
    const p = r.problems.find((x) => x.code === 'rounding-difference');
    expect(p?.severity).toBe('blocking');
    expect(p?.line).toBe(3);
    expect(p?.message).toContain("Xero's total would be 0.01 higher than ConnectWise's: rounding on line 3");
  });
});

describe('detailed export (one detail per time entry)', () => {
  it('aggregates time entries by work type and rate; no time entry notes reach Xero', () => {
    const r = mapFixture(detailedTimeInvoice);
    expect(r.document.LineItems).toEqual([
      { Description: 'Remote support', Quantity: 3.75, UnitAmount: 150, LineAmount: 562.5, AccountCode: '200', TaxType: 'OUTPUT' },
      { Description: 'On-site support', Quantity: 2.5, UnitAmount: 180, LineAmount: 450, AccountCode: '200', TaxType: 'OUTPUT' },
    ]);
    expect(r.lines.map((l) => l.sources)).toEqual([[0, 1, 3], [2]]);
    const text = JSON.stringify(r);
    for (const note of ['CFO', 'Patched', 'rack cabling', 'VPN']) expect(text).not.toContain(note);
    expect(r.totals).toMatchObject({ xeroTax: '101.25', xeroTotal: '1113.75', cwTotal: '1113.75', difference: '0.00' });
  });
});

describe('every fixture', () => {
  for (const f of allInvoiceFixtures) {
    it(`${f.name}: CW's own figures add up, and Xero's total equals CW's unless a problem says why`, () => {
      const r = mapFixture(f);
      expect(problemCodes(r)).not.toContain('cw-export-inconsistent');
      expect(new Set(r.document.LineItems.map((l) => l.Description.length > 0))).toEqual(new Set([true]));
      for (const l of r.document.LineItems) {
        // Xero's rule: LineAmount = Quantity × UnitAmount rounded to 2 places.
        expect(Math.round(l.Quantity * l.UnitAmount * 100) / 100).toBeCloseTo(l.LineAmount, 10);
      }
      if (r.totals.difference !== '0.00') expect(r.ready).toBe(false);
    });
  }
});
