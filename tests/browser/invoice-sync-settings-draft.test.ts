// The Invoices settings card's form ⇄ settings conversion
// (pod/lib/invoice-mapping-settings.ts) and the dialog's words for Xero states
// (pod/invoice/chip.ts): blank code rows dropped, half-filled or repeated rows
// refused naming the row, fields the card does not edit (tracking, …) kept.
import { describe, expect, it } from 'vitest';
import { draftFromSettings, invoiceMappingSettingsSchema, settingsFromDraft } from '../../pod/lib/invoice-mapping-settings.js';
import { chipStatus, xeroStatusWords } from '../../pod/invoice/chip.js';
import { notEditableReason } from '../../pod/invoice/not-editable.js';

const stored = invoiceMappingSettingsSchema.parse({
  accountMap: { '4990': '200', '4000': '260' },
  taxMap: { GST: 'OUTPUT' },
  tracking: [{ source: 'location', categoryName: 'Region', options: { '1': 'Sydney' } }],
  itemCodeOverflow: 'omit',
});

describe('invoice settings form', () => {
  it('round-trips the stored settings unchanged, keeping what the form does not show', () => {
    const out = settingsFromDraft(stored, draftFromSettings(stored));
    expect(out).toEqual({ ok: true, settings: stored });
  });

  it('drops blank rows, trims codes and applies the edited fields', () => {
    const d = draftFromSettings(stored);
    d.accountRows = [{ from: ' 4990 ', to: '210 ' }, { from: '', to: '' }];
    d.taxRows = [];
    d.status = 'DRAFT';
    d.invoiceNumberPrefix = ' CW- ';
    const out = settingsFromDraft(stored, d);
    expect(out.ok && out.settings).toMatchObject({ status: 'DRAFT', invoiceNumberPrefix: 'CW-', accountMap: { '4990': '210' }, taxMap: {}, itemCodeOverflow: 'omit' });
    expect(out.ok && out.settings.tracking).toEqual(stored.tracking);
  });

  it('refuses a half-filled or repeated row, naming the map and the row', () => {
    const d = draftFromSettings(stored);
    d.taxRows = [{ from: 'GST', to: 'OUTPUT' }, { from: 'VAT', to: '' }];
    expect(settingsFromDraft(stored, d)).toEqual({ ok: false, error: { field: 'invoiceMapping.taxMap', text: 'Row 2: fill in both codes, or clear the row.' } });
    d.taxRows = [];
    d.accountRows = [{ from: '4990', to: '200' }, { from: '4990', to: '210' }];
    expect(settingsFromDraft(stored, d)).toEqual({ ok: false, error: { field: 'invoiceMapping.accountMap', text: 'Row 2: ConnectWise GL account 4990 is mapped twice.' } });
  });

  it('a rounding line needs its account', () => {
    const d = { ...draftFromSettings(stored), allowRoundingLine: true, roundingAccountCode: ' ' };
    const out = settingsFromDraft(stored, d);
    expect(!out.ok && out.error.field).toBe('invoiceMapping.roundingAccountCode');
  });
});

describe('Xero states in words', () => {
  it('maps chips and statuses', () => {
    expect(chipStatus('needs_attention')).toBe('attention');
    expect(chipStatus('changed')).toBe('changed');
    expect(xeroStatusWords('AUTHORISED')).toBe('Awaiting payment');
    expect(xeroStatusWords('SOMETHING')).toBe('SOMETHING');
  });

  it('explains why a paid, part-paid or voided document cannot change, and nothing for an open one', () => {
    expect(notEditableReason('PAID', 'invoice')).toMatch(/^The invoice is paid in Xero/);
    expect(notEditableReason('AUTHORISED', 'invoice', '10.00')).toMatch(/^Part of the invoice is paid/);
    expect(notEditableReason('VOIDED', 'creditNote')).toMatch(/^The credit note was voided/);
    expect(notEditableReason('AUTHORISED', 'invoice', '0.00')).toBeNull();
    expect(notEditableReason('DRAFT', 'invoice', null)).toBeNull();
  });
});
