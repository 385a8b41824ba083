// The month-end tie-out: totals by organisation and currency, by account and
// by tax rate, as ConnectWise's export states them and as Xero will receive
// them, to the cent; each difference named with the invoices behind it.
import { describe, expect, it } from 'vitest';
import type { CwGLExportTransaction } from '../../shared/cw-types.js';
import { monthEndTieOut, type TieOutRecord } from '../../server/domain/month-end-tieout.js';

const tx = (detail: object[]): CwGLExportTransaction => ({ detail }) as unknown as CwGLExportTransaction;
const rev = (accountNumber: string, total: number) => ({ glTypeId: 'IT', accountNumber, total });
const gst = (total: number, taxRatePercent = 10) => ({ glTypeId: 'ST', accountNumber: '2200', total, taxRatePercent });
const line = (sources: number[], accountCode: string, lineAmount: string, taxAmount: string, taxRatePercent = '10', kind: 'product' | 'rounding' = 'product') => ({
  kind,
  sources,
  accountCode,
  taxType: taxRatePercent === '0' ? 'EXEMPTOUTPUT' : 'OUTPUT',
  taxRatePercent,
  lineAmount,
  taxAmount,
});
const names = (t: string | undefined, pct: string) => (t === 'OUTPUT' ? `GST on Income ${pct}%` : `GST Free Income ${pct}%`);

function inv(number: string, organisation: string, currency: string, detail: object[], lines: TieOutRecord['lines'], kind: TieOutRecord['kind'] = 'invoice'): TieOutRecord {
  return { number, organisation, currency, kind, lineAmountTypes: 'Exclusive', transaction: tx(detail), lines, taxName: names };
}

describe('monthEndTieOut', () => {
  it('ties to the cent: two organisations and currencies, two accounts merged into one Xero line, a credit memo, an exempt line', () => {
    const t = monthEndTieOut([
      inv('INV-1', 'Harbour IT', 'AUD', [rev('4000', 100), rev('4010', 50.5), rev('4100', 20), gst(17.05)], [line([0, 1], '200', '150.50', '15.05'), line([2], '210', '20.00', '2.00')]),
      inv('CM-2', 'Harbour IT', 'AUD', [rev('4000', -40), gst(-4)], [line([0], '200', '40.00', '4.00')], 'creditNote'),
      inv('INV-3', 'Kauri Ltd', 'NZD', [rev('4000', 33.33), { glTypeId: 'IT', accountNumber: '4200', total: 10 }], [line([0], '200', '33.33', '0.00', '0'), line([1], '260', '10.00', '0.00', '0')]),
    ]);
    expect(t.ties).toBe(true);
    expect(t.differences).toEqual([]);
    expect(t.byOrganisation).toEqual([
      { organisation: 'Harbour IT', currency: 'AUD', label: 'Total', connectwise: '143.55', xero: '143.55', difference: '0.00' },
      { organisation: 'Kauri Ltd', currency: 'NZD', label: 'Total', connectwise: '43.33', xero: '43.33', difference: '0.00' },
    ]);
    expect(t.byAccount.map((r) => [r.organisation, r.label, r.connectwise, r.xero])).toEqual([
      ['Harbour IT', '4000 → 200', '-40.00', '-40.00'],
      ['Harbour IT', '4000 + 4010 → 200', '150.50', '150.50'],
      ['Harbour IT', '4100 → 210', '20.00', '20.00'],
      ['Kauri Ltd', '4000 → 200', '33.33', '33.33'],
      ['Kauri Ltd', '4200 → 260', '10.00', '10.00'],
    ]);
    // Exempt lines carry no tax on either side: no row for them.
    expect(t.byTaxRate).toEqual([{ organisation: 'Harbour IT', currency: 'AUD', label: 'GST on Income 10%', connectwise: '13.05', xero: '13.05', difference: '0.00' }]);
  });

  it('names each difference: a rounding line, a line no Xero line carries, tax at a rate Xero does not use', () => {
    const t = monthEndTieOut([
      // ConnectWise rounds its tax per line (0.03 + 0.03), Xero on the total (0.05): a rounding line evens the total.
      inv('INV-7', 'Harbour IT', 'AUD', [rev('4000', 0.25), rev('4000', 0.25), gst(0.06)], [line([0, 1], '200', '0.50', '0.05'), line([], '860', '0.01', '0.00', '0', 'rounding')]),
      // A ConnectWise line the mapping did not send, and tax stated at 15 % where Xero's line is at 10 %.
      inv('INV-8', 'Harbour IT', 'AUD', [rev('4000', 10), rev('4300', 5), gst(1.5, 15)], [line([0], '200', '10.00', '1.00')]),
    ]);
    expect(t.ties).toBe(false);
    expect(t.byOrganisation).toEqual([{ organisation: 'Harbour IT', currency: 'AUD', label: 'Total', connectwise: '17.06', xero: '11.56', difference: '-5.50' }]);
    const diff = (label: string) => t.byAccount.find((r) => r.label === label)?.difference;
    expect(diff('(none) → 860')).toBe('0.01');
    expect(diff('4300 → (not sent)')).toBe('-5.00');
    expect(diff('4000 → 200')).toBe('0.00');
    expect(t.byTaxRate.map((r) => [r.label, r.connectwise, r.xero, r.difference])).toEqual([
      ['15% (ConnectWise)', '1.50', '0.00', '-1.50'],
      ['GST on Income 10%', '0.06', '1.05', '0.99'],
    ]);
    expect(t.differences).toEqual([
      'Harbour IT AUD, invoice totals Total: Xero will receive 11.56, ConnectWise states 17.06 — 5.50 less in Xero (INV-8).',
      'Harbour IT AUD, account (none) → 860: Xero will receive 0.01, ConnectWise states 0.00 — 0.01 more in Xero: a rounding line Xero needs to match ConnectWise’s total (INV-7).',
      'Harbour IT AUD, account 4300 → (not sent): Xero will receive 0.00, ConnectWise states 5.00 — 5.00 less in Xero: a ConnectWise line no Xero line carries (INV-8).',
      'Harbour IT AUD, tax at 15% (ConnectWise): Xero will receive 0.00, ConnectWise states 1.50 — 1.50 less in Xero: tax ConnectWise states at a rate no Xero line has (INV-8).',
      'Harbour IT AUD, tax at GST on Income 10%: Xero will receive 1.05, ConnectWise states 0.06 — 0.99 more in Xero (INV-7, INV-8).',
    ]);
  });
});
