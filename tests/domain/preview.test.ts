import { describe, expect, it } from 'vitest';
import { buildPreview } from '../../server/domain/preview.js';
import { creditMemo, productInvoice, roundingInvoice, standardTimeBilling } from './fixtures/cw-invoices.js';
import { mapFixture } from './map-fixture.js';
import { auOrg, nzOrg } from './fixtures/xero-orgs.js';
import { taxRateWords } from '../../server/domain/xero-refs.js';
import { descriptionWithoutUnit } from '../../server/domain/document-line.js';

describe('preview', () => {
  it('shows the invoice in plain words, totals equal to ConnectWise’s', () => {
    const p = buildPreview(mapFixture(productInvoice), 'Acme Pty Ltd', auOrg);
    expect(p).toMatchObject({
      documentKind: 'Invoice',
      number: 'INV-1002',
      contactName: 'Acme Pty Ltd',
      date: '2026-11-05',
      dueDate: '2026-12-05',
      reference: 'PO-7790',
      currency: 'AUD',
      status: 'Awaiting payment',
      amountsAre: 'Tax exclusive',
      subtotal: '528.00',
      tax: '52.80',
      total: '580.80',
      connectwiseTotal: '580.80',
      totalsAgree: true,
      totalsInWords: "Total AUD 580.80, equal to ConnectWise's to the cent.",
      ready: true,
      problems: [],
    });
    expect(p.lines[1]).toEqual({
      lineNumber: 2,
      // The unit once, in its column (Xero receives it in the description: invoice-mapping tests).
      description: 'M365 BP\nMicrosoft 365 Business Premium (monthly)',
      itemCode: 'LIC-M365-BP',
      quantity: '3',
      unit: 'Licence',
      unitAmount: '33.3333',
      amount: '100.00',
      account: '210',
      tax: 'GST on Income 10%',
      taxAmount: '10.00',
      isRounding: false,
      tracking: [],
    });
    expect(p.itemsToCreate).toEqual([
      'Item LIC-M365-BP ("Microsoft 365 Business Premium (monthly)") will be created in Xero.',
      'Item ADAPTER-USB-C ("USB-C adapter") will be created in Xero.',
    ]);
  });

  it('shows each line\'s tracking as the document sends it (category and option names)', () => {
    const region = { source: 'location' as const, categoryName: 'region', options: { '1': 'sydney' } };
    const mapped = mapFixture(standardTimeBilling, { tracking: [region] });
    const p = buildPreview(mapped, 'Acme Pty Ltd', auOrg);
    expect(p.lines.length).toBe(mapped.document.LineItems.length);
    expect(p.lines.length).toBeGreaterThan(0);
    // Xero's own spelling, from the document the push sends (the rule was typed in lower case).
    for (const l of p.lines) expect(l.tracking).toEqual([{ category: 'Region', option: 'Sydney' }]);
    // Without a rule, no tracking.
    expect(buildPreview(mapFixture(standardTimeBilling), 'Acme Pty Ltd', auOrg).lines.every((l) => l.tracking.length === 0)).toBe(true);
  });

  it('says why it is blocked and where to fix it', () => {
    const p = buildPreview(mapFixture(roundingInvoice), 'Acme Pty Ltd', auOrg);
    expect(p.ready).toBe(false);
    expect(p.totalsAgree).toBe(false);
    expect(p.totalsInWords).toBe("Xero's total AUD 98.80 would differ from ConnectWise's AUD 98.79 by AUD 0.01.");
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]).toMatchObject({ severity: 'blocking', line: 3, fixWhere: 'CW–Xero Sync settings › Invoices' });
    expect(p.problems[0]?.text).toMatch(/^Line 3: Xero's total would be 0\.01 higher/);
  });

  it('describes a credit note and its allocation', () => {
    const p = buildPreview(mapFixture(creditMemo), 'Acme Pty Ltd', auOrg);
    expect(p.documentKind).toBe('Credit note');
    expect(p.number).toBe('CM-1004');
    expect(p.dueDate).toBeNull();
    expect(p.total).toBe('603.90');
    expect(p.allocations).toEqual(['AUD 603.90 of this credit note is applied to invoice INV-1001 on 2026-11-10.']);
  });

  it('names a tax rate as Xero does, with its rate, never the code alone', () => {
    expect(taxRateWords(auOrg, 'OUTPUT')).toBe('GST on Income 10%');
    expect(taxRateWords(auOrg, 'EXEMPTOUTPUT')).toBe('GST Free Income 0%');
    // A name that already carries the rate is not given it twice.
    expect(taxRateWords(nzOrg, 'OUTPUT2')).toBe('15% GST on Income');
    // A type the organisation does not have: the code, with the rate the line used.
    expect(taxRateWords(auOrg, 'TAX001', '12.5')).toBe('TAX001 12.5%');
  });

  it('takes the unit off the end of the description only where it was added', () => {
    expect(descriptionWithoutUnit('Cable (Box)', 'Box')).toBe('Cable');
    expect(descriptionWithoutUnit('PO-1: Cable (Box)\nCat6 cable', 'Box')).toBe('PO-1: Cable\nCat6 cable');
    expect(descriptionWithoutUnit('Cable (Box) extra', 'Box')).toBe('Cable (Box) extra');
    expect(descriptionWithoutUnit('Cable (Box)', null)).toBe('Cable (Box)');
  });
});
