// The settings' effects and the readiness problems, one at a time.
import { describe, expect, it } from 'vitest';
import { invoiceMappingSettingsSchema, parseInvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { parseXeroRefs } from '../../server/domain/xero-refs.js';
import { mapInvoice } from '../../server/domain/invoice-mapping.js';
import type { XeroInvoicePayload } from '../../server/domain/xero-wire.js';
import {
  creditMemo,
  longItemInvoice,
  productInvoice,
  roundingInvoice,
  standardTimeBilling,
  unknownGlInvoice,
  usdInvoice,
} from './fixtures/cw-invoices.js';
import { auOrg } from './fixtures/xero-orgs.js';
import { mapFixture, problemCodes } from './map-fixture.js';

describe('settings schema', () => {
  it('has working defaults', () => {
    expect(parseInvoiceMappingSettings({})).toEqual({
      status: 'AUTHORISED',
      lineAmountTypes: 'Exclusive',
      invoiceNumberPrefix: '',
      createMissingItems: true,
      includeUnitOfMeasure: true,
      itemCodeOverflow: 'shorten',
      unitDecimalPlaces: 4,
      accountMap: {},
      taxMap: {},
      nonTaxableTaxType: '',
      allowRoundingLine: false,
      roundingAccountCode: '',
      roundingAllowance: '0.05',
      tracking: [],
      trackingByOrganisation: {},
      contactAccountNumber: false,
    });
  });

  it('names the field of a bad value', () => {
    const r = invoiceMappingSettingsSchema.safeParse({ status: 'PAID', tracking: [{}, {}, {}] });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('status');
    expect(paths.some((p) => p.startsWith('tracking'))).toBe(true);
    expect(invoiceMappingSettingsSchema.safeParse({ roundingAllowance: '1e3' }).success).toBe(false);
  });
});

describe('header settings', () => {
  it('prefixes the invoice number and sets the status', () => {
    const r = mapFixture(standardTimeBilling, { invoiceNumberPrefix: 'CW-', status: 'DRAFT' });
    expect(r.document).toMatchObject({ InvoiceNumber: 'CW-INV-1001', Status: 'DRAFT' });
  });

  it('due date falls back to the customer’s terms, then to CW’s due date', () => {
    const noDays = { ...standardTimeBilling, transaction: { ...standardTimeBilling.transaction, dueDays: null } };
    expect((mapFixture(noDays).document as XeroInvoicePayload).DueDate).toBe('2026-12-02'); // customer: 30 days
    const neither = {
      ...noDays,
      customer: { ...standardTimeBilling.customer, dueDays: null },
      transaction: { ...noDays.transaction, dueDate: '2026-11-20T00:00:00Z' },
    };
    expect((mapFixture(neither).document as XeroInvoicePayload).DueDate).toBe('2026-11-20');
    const none = { ...neither, transaction: { ...neither.transaction, dueDate: undefined } };
    expect(problemCodes(mapFixture(none))).toContain('due-date-missing');
  });
});

describe('line amount types', () => {
  it('Inclusive: unit amounts include tax and Xero’s back-calculated tax equals CW’s', () => {
    const r = mapFixture(standardTimeBilling, { lineAmountTypes: 'Inclusive' });
    expect(r.document.LineAmountTypes).toBe('Inclusive');
    expect(r.document.LineItems.map((l) => [l.Quantity, l.UnitAmount, l.LineAmount])).toEqual([
      [6.5, 165, 1072.5],
      [2.25, 198, 445.5],
      [1, 94.05, 94.05],
      [1, -330, -330],
    ]);
    expect(r.lines.map((l) => l.taxAmount)).toEqual(['97.50', '40.50', '8.55', '-30.00']);
    expect(r.totals).toMatchObject({ xeroSubtotal: '1165.50', xeroTax: '116.55', xeroTotal: '1282.05', difference: '0.00' });
    expect(r.ready).toBe(true);
  });

  it('NoTax on a taxed invoice: no tax types, and a blocking mismatch of the tax amount', () => {
    const r = mapFixture(standardTimeBilling, { lineAmountTypes: 'NoTax' });
    expect(r.document.LineItems.every((l) => l.TaxType === undefined)).toBe(true);
    expect(r.totals).toMatchObject({ xeroTax: '0.00', xeroTotal: '1165.50', difference: '-116.55' });
    const p = r.problems.find((x) => x.code === 'total-mismatch');
    expect(p?.severity).toBe('blocking');
    expect(p?.message).toContain('116.55 lower');
  });
});

describe('unit decimal places', () => {
  it('with 2 places, 3 × 33.33 = 99.99 makes Xero 0.01 lower than CW: blocked, on line 2', () => {
    const r = mapFixture(productInvoice, { unitDecimalPlaces: 2 });
    expect(r.document.LineItems[1]).toMatchObject({ UnitAmount: 33.33, LineAmount: 99.99 });
    expect(r.unitdp).toBe(2);
    expect(r.totals).toMatchObject({ xeroSubtotal: '527.99', xeroTax: '52.80', xeroTotal: '580.79', difference: '-0.01' });
    const p = r.problems.find((x) => x.code === 'rounding-difference');
    expect(p?.line).toBe(2);
    expect(p?.message).toContain('0.01 lower');
  });
});

describe('rounding line', () => {
  it('when allowed, a rounding line on the rounding account makes Xero’s total equal CW’s', () => {
    const r = mapFixture(roundingInvoice, { allowRoundingLine: true, roundingAccountCode: '860' });
    expect(r.ready).toBe(true);
    expect(r.roundingLine).toEqual({
      Description: 'Rounding',
      Quantity: 1,
      UnitAmount: -0.01,
      LineAmount: -0.01,
      AccountCode: '860',
      TaxType: 'EXEMPTOUTPUT',
    });
    expect(r.document.LineItems).toHaveLength(4);
    expect(r.document.LineItems[3]).toEqual(r.roundingLine);
    expect(r.totals).toMatchObject({ xeroSubtotal: '89.80', xeroTax: '8.99', xeroTotal: '98.79', cwTotal: '98.79', difference: '0.00' });
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([
      ['rounding-line-added', 'warning'],
      ['tax-differs', 'warning'],
    ]);
    expect(r.problems[1]?.message).toContain("Xero's tax would be 0.01 higher than ConnectWise's sales tax");
  });

  it('needs a valid rounding account', () => {
    expect(problemCodes(mapFixture(roundingInvoice, { allowRoundingLine: true }))).toContain('rounding-account-invalid');
    expect(problemCodes(mapFixture(roundingInvoice, { allowRoundingLine: true, roundingAccountCode: '999' }))).toContain(
      'rounding-account-invalid',
    );
  });

  it('never absorbs more than the allowance', () => {
    const r = mapFixture(roundingInvoice, { allowRoundingLine: true, roundingAccountCode: '860', roundingAllowance: '0' });
    expect(r.roundingLine).toBeUndefined();
    expect(problemCodes(r)).toEqual(['total-mismatch']);
  });
});

describe('accounts', () => {
  it('maps a CW GL number through the account map', () => {
    const r = mapFixture(unknownGlInvoice, { accountMap: { '4990': '210' } });
    expect(r.ready).toBe(true);
    expect(r.document.LineItems[0]?.AccountCode).toBe('210');
    expect(r.totals).toMatchObject({ xeroTotal: '330.00', difference: '0.00' });
  });

  it('refuses an archived Xero account, and a mapping to a code Xero lacks', () => {
    expect(problemCodes(mapFixture(unknownGlInvoice, { accountMap: { '4990': '240' } }))).toEqual(['account-archived']);
    const r = mapFixture(unknownGlInvoice, { accountMap: { '4990': '4000' } });
    expect(problemCodes(r)).toEqual(['account-unknown']);
    expect(r.problems[0]?.message).toContain('mapped to Xero account 4000');
  });
});

describe('tax codes', () => {
  it('a tax map entry wins over the default resolution', () => {
    const r = mapFixture(standardTimeBilling, { taxMap: { GST: 'OUTPUT' } });
    expect(r.document.LineItems.every((l) => l.TaxType === 'OUTPUT')).toBe(true);
    expect(r.ready).toBe(true);
  });

  it('an unknown or mismatched Xero tax type is blocking', () => {
    expect(problemCodes(mapFixture(standardTimeBilling, { taxMap: { GST: 'NOPE' } }))).toEqual(['tax-type-unknown']);
    expect(problemCodes(mapFixture(standardTimeBilling, { taxMap: { GST: 'EXEMPTOUTPUT' } }))).toEqual(['tax-rate-differs']);
  });

  it('a CW tax code with no Xero rate of its percentage is unmapped (once, not per line)', () => {
    const noTen = parseXeroRefs({ ...auOrg, taxRates: auOrg.taxRates.filter((t) => t.TaxType !== 'OUTPUT') });
    const r = mapFixture(standardTimeBilling, {}, noTen);
    expect(problemCodes(r)).toEqual(['tax-code-unmapped']);
    expect(r.problems[0]).toMatchObject({ area: 'settings', severity: 'blocking' });
    expect(r.problems[0]?.message).toContain('"GST"');
  });

  it('without a sales-tax line the rate of a taxable code is unknown: map it', () => {
    const noTaxLine = {
      ...standardTimeBilling,
      transaction: {
        ...standardTimeBilling.transaction,
        detail: standardTimeBilling.transaction.detail!.filter((d) => d.glTypeId !== 'ST'),
        salesTax: 0,
        total: 1165.5,
      },
    };
    expect(problemCodes(mapFixture(noTaxLine))).toEqual(['tax-code-unmapped']);
  });

  it('an archived tax rate is blocking', () => {
    const archived = parseXeroRefs({
      ...auOrg,
      taxRates: auOrg.taxRates.map((t) => (t.TaxType === 'OUTPUT' ? { ...t, Status: 'DELETED' } : t)),
    });
    expect(problemCodes(mapFixture(standardTimeBilling, { taxMap: { GST: 'OUTPUT' } }, archived))).toEqual(['tax-type-inactive']);
  });
});

describe('currency', () => {
  it('a currency the organisation has not enabled is blocking', () => {
    const audOnly = parseXeroRefs({ ...auOrg, currencies: [{ Code: 'AUD' }] });
    const r = mapFixture(usdInvoice, {}, audOnly);
    expect(problemCodes(r)).toEqual(['currency-not-enabled']);
    expect(r.problems[0]?.where).toContain('Currencies');
  });
});

describe('item codes', () => {
  it('a CW product id over 30 characters gets its unique short code by default, created in Xero', () => {
    const r = mapFixture(longItemInvoice);
    expect(r.document.LineItems[0]?.ItemCode).toBe('HPE-PROLIANT-DL380-GE-A6108AD8');
    expect(r.itemsToCreate.map((i) => i.Code)).toEqual(['HPE-PROLIANT-DL380-GE-A6108AD8']);
    expect(r.problems.find((p) => p.code === 'item-code-shortened')).toMatchObject({ severity: 'warning', line: 1 });
    expect(r.ready).toBe(true);
    expect(r.totals).toMatchObject({ xeroTotal: '9955.00', difference: '0.00' });
  });

  it('stored settings from before unique codes read as shorten: block and truncate have no reason left', () => {
    for (const legacy of ['block', 'truncate'] as const) {
      expect(parseInvoiceMappingSettings({ itemCodeOverflow: legacy }).itemCodeOverflow).toBe('shorten');
      expect(mapFixture(longItemInvoice, { itemCodeOverflow: legacy }).document.LineItems[0]?.ItemCode).toBe('HPE-PROLIANT-DL380-GE-A6108AD8');
    }
    expect(invoiceMappingSettingsSchema.safeParse({ itemCodeOverflow: 'cut' }).error?.issues[0]?.path).toEqual(['itemCodeOverflow']);
  });

  it('omits the item when configured', () => {
    const r = mapFixture(longItemInvoice, { itemCodeOverflow: 'omit' });
    expect(r.document.LineItems[0]?.ItemCode).toBeUndefined();
    expect(r.itemsToCreate).toEqual([]);
    expect(r.problems.find((p) => p.code === 'item-code-omitted')).toMatchObject({ severity: 'warning', line: 1 });
    expect(r.ready).toBe(true);
  });

  it('a line without any description gets a fallback and a warning', () => {
    const r = mapFixture(longItemInvoice, { itemCodeOverflow: 'omit' });
    expect(r.document.LineItems[1]?.Description).toBe('ConnectWise invoice line 2');
    expect(r.problems.find((p) => p.code === 'description-fallback')).toMatchObject({ severity: 'warning', line: 2 });
  });

  it('with item creation off, a missing item blocks', () => {
    const r = mapFixture(productInvoice, { createMissingItems: false });
    expect(r.itemsToCreate).toEqual([]);
    expect(r.problems.filter((p) => p.code === 'item-missing').map((p) => p.line)).toEqual([2, 3]);
  });
});

describe('tracking', () => {
  const region = { source: 'location' as const, categoryName: 'Region', options: { '1': 'Sydney', '2': 'Perth' } };

  it('maps the invoice’s CW location to a Xero tracking option on every line', () => {
    const r = mapFixture(standardTimeBilling, { tracking: [region] });
    for (const l of r.document.LineItems) expect(l.Tracking).toEqual([{ Name: 'Region', Option: 'Sydney' }]);
    expect(r.ready).toBe(true);
  });

  it('an archived option blocks; an unmapped value blocks too, naming the value and where to map it', () => {
    const perth = { ...standardTimeBilling, invoice: { ...standardTimeBilling.invoice, locationId: 2 } };
    expect(problemCodes(mapFixture(perth, { tracking: [region] }))).toEqual(['tracking-option-unknown']);
    const elsewhere = { ...standardTimeBilling, invoice: { ...standardTimeBilling.invoice, locationId: 9 } };
    const r = mapFixture(elsewhere, { tracking: [region] });
    expect(r.problems.map((p) => [p.code, p.severity, p.field])).toEqual([['tracking-unmapped', 'blocking', 'tracking.location.9']]);
    expect(r.problems[0]!.message).toContain('billing location "9"');
    expect(r.problems[0]!.where).toContain('Tracking');
    expect(r.ready).toBe(false);
  });

  it('an organisation with rules of its own uses them instead of the tenant-wide ones', () => {
    const own = { source: 'location' as const, categoryName: 'Region', options: { '1': 'Melbourne' } };
    const settings = parseInvoiceMappingSettings({ tracking: [region], trackingByOrganisation: { 'org-b': [own] } });
    const xeroRefs = { ...auOrg, trackingCategories: [{ Name: 'Region', Status: 'ACTIVE', Options: [{ Name: 'Sydney', Status: 'ACTIVE' }, { Name: 'Melbourne', Status: 'ACTIVE' }] }] };
    const f = standardTimeBilling;
    const map = (xeroTenantId: string) => mapInvoice({ transaction: structuredClone(f.transaction), customer: f.customer, invoice: f.invoice, company: f.company, settings, xeroRefs, xeroTenantId });
    for (const l of map('org-b').document.LineItems) expect(l.Tracking).toEqual([{ Name: 'Region', Option: 'Melbourne' }]);
    for (const l of map('org-a').document.LineItems) expect(l.Tracking).toEqual([{ Name: 'Region', Option: 'Sydney' }]);
  });

  it('a record without the rule’s structure goes untracked there with a warning; two rules for one category are refused', () => {
    const byClass = { source: 'department' as const, categoryName: 'Business Unit', options: { '5': 'Projects' } };
    const noDept = { ...standardTimeBilling, invoice: { ...standardTimeBilling.invoice, departmentId: undefined } };
    const r = mapFixture(noDept, { tracking: [region, byClass] });
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['tracking-no-value', 'warning']]);
    for (const l of r.document.LineItems) expect(l.Tracking).toEqual([{ Name: 'Region', Option: 'Sydney' }]);
    expect(invoiceMappingSettingsSchema.safeParse({ tracking: [region, { ...region, source: 'glClass' }] }).success).toBe(false);
  });
});

describe('ConnectWise data that does not add up', () => {
  it('a negative invoice or a positive credit memo is blocking', () => {
    const detail = standardTimeBilling.transaction.detail!.map((d) => ({ ...d, quantity: d.glTypeId === 'ST' ? d.quantity : -(d.quantity ?? 0), total: -(d.total ?? 0) }));
    const negative = { ...standardTimeBilling, transaction: { ...standardTimeBilling.transaction, detail, total: -1282.05 } };
    expect(problemCodes(mapFixture(negative))).toEqual(['negative-total']);
    const cm = creditMemo.transaction;
    const positive = {
      ...creditMemo,
      transaction: { ...cm, total: 603.9, detail: cm.detail!.map((d) => ({ ...d, quantity: d.glTypeId === 'ST' ? d.quantity : -(d.quantity ?? 0), total: -(d.total ?? 0) })) },
    };
    expect(problemCodes(mapFixture(positive))).toContain('negative-total');
  });

  it('a draft credit note cannot be allocated yet: a warning says so', () => {
    expect(mapFixture(creditMemo, { status: 'DRAFT' }).problems.map((p) => p.code)).toEqual(['allocation-needs-approval']);
  });

  it('an export whose lines and tax do not make its total is blocking', () => {
    const bad = { ...standardTimeBilling, transaction: { ...standardTimeBilling.transaction, total: 1282.06 } };
    expect(problemCodes(mapFixture(bad))).toContain('cw-export-inconsistent');
  });

  it('a detail with a non-number amount is a clear problem, not a crash', () => {
    const detail = structuredClone(standardTimeBilling.transaction.detail!);
    detail[1]!.total = Number.NaN;
    const r = mapFixture({ ...standardTimeBilling, transaction: { ...standardTimeBilling.transaction, detail } });
    expect(r.problems.find((p) => p.code === 'cw-number-invalid')?.field).toBe('transaction.detail[1].total');
  });

  it('an invoice without a date is blocking', () => {
    const r = mapFixture({
      ...standardTimeBilling,
      invoice: { ...standardTimeBilling.invoice, date: undefined },
      transaction: { ...standardTimeBilling.transaction, documentDate: 'not a date' },
    });
    expect(problemCodes(r)).toContain('date-missing');
  });
});
