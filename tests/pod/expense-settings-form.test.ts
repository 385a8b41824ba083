// The Expenses card's form ⇄ settings: rows become the Wise-Pay matrix (blank
// rows dropped, half-filled and repeated ones refused naming the row), the
// matrix is sent only when it changed (a sent matrix is checked against Xero),
// and the server's own schema checks the rest before anything is sent.
import { describe, expect, it } from 'vitest';
import { draftFromExpenseSettings, expensePatchFromDraft, wisePayMatrixOf } from '../../pod/lib/expense-settings-form.js';
import { parseExpenseSettings } from '../../shared/expense-settings.js';

const stored = parseExpenseSettings({ wisePay: true, wisePayAccounts: { tech: { '2': '091' }, admin: { '1': '090', '2': '092' } } });

describe('Wise-Pay rows', () => {
  it('round-trip: the stored matrix as rows (member, then payment type) and back', () => {
    const d = draftFromExpenseSettings(stored);
    expect(d.wisePayRows).toEqual([
      { member: 'admin', paymentType: '1', account: '090' },
      { member: 'admin', paymentType: '2', account: '092' },
      { member: 'tech', paymentType: '2', account: '091' },
    ]);
    expect(wisePayMatrixOf(d.wisePayRows)).toEqual({ ok: true, matrix: stored.wisePayAccounts });
  });

  it('drops blank rows and refuses a half-filled one, naming it', () => {
    expect(wisePayMatrixOf([{ member: '', paymentType: '', account: '' }])).toEqual({ ok: true, matrix: {} });
    expect(wisePayMatrixOf([{ member: 'tech', paymentType: '2', account: '091' }, { member: 'admin', paymentType: '2', account: '' }])).toEqual({
      ok: false,
      error: { field: 'expenses.wisePayAccounts', text: 'Row 2: choose the member, the payment type and the account, or remove the row.' },
    });
  });

  it("refuses a member's payment type linked twice, members compared as the payment plan compares them (any case)", () => {
    const r = wisePayMatrixOf([
      { member: 'tech', paymentType: '2', account: '091' },
      { member: 'Tech', paymentType: '2', account: '090' },
    ]);
    expect(r).toEqual({ ok: false, error: { field: 'expenses.wisePayAccounts', text: "Row 2: Tech's payment type is already linked in another row." } });
    // Two payment types of one member, however spelt, are one member's row.
    expect(wisePayMatrixOf([{ member: 'tech', paymentType: '2', account: '091' }, { member: 'TECH', paymentType: '1', account: '090' }])).toEqual({ ok: true, matrix: { tech: { '2': '091', '1': '090' } } });
  });
});

describe('the PUT body', () => {
  it('leaves the matrix out when it did not change (however its rows are ordered), and sends every other field', () => {
    const d = draftFromExpenseSettings(stored);
    const out = expensePatchFromDraft(stored, { ...d, weekStart: 'Sunday', wisePayRows: [...d.wisePayRows].reverse() });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.patch).not.toHaveProperty('wisePayAccounts');
    expect(out.patch).toMatchObject({ weekStart: 'Sunday', wisePay: true, dueDays: 7, billStatus: 'AUTHORISED' });
  });

  it('sends the whole matrix when a row changed', () => {
    const d = draftFromExpenseSettings(stored);
    const out = expensePatchFromDraft(stored, { ...d, wisePayRows: d.wisePayRows.filter((r) => r.member === 'tech') });
    expect(out).toMatchObject({ ok: true, patch: { wisePayAccounts: { tech: { '2': '091' } } } });
  });

  it.each([
    ['abc', 'A whole number of days, 0 to 365.'],
    ['400', /365/],
  ])('refuses due days %s before sending, naming the field', (dueDays, text) => {
    const out = expensePatchFromDraft(stored, { ...draftFromExpenseSettings(stored), dueDays });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.field).toBe('expenses.dueDays');
    expect(out.error.text).toMatch(text);
  });

  it('refuses a prefix with a space by the server’s own schema', () => {
    const out = expensePatchFromDraft(stored, { ...draftFromExpenseSettings(stored), billNumberPrefix: 'E R-' });
    expect(out).toEqual({ ok: false, error: { field: 'expenses.billNumberPrefix', text: 'no spaces' } });
  });
});
