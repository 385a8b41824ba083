// The simulator's filter language and rounding, checked directly.
import { describe, expect, it } from 'vitest';
import { compileWhere } from '../../sim/xero/api/where.js';
import { dec, documentTotals, lineAmountOf, lineTax } from '../../sim/xero/money.js';
import { XeroError } from '../../sim/xero/api/errors.js';

const rec = { Status: 'AUTHORISED', Type: 'ACCREC', AmountDue: 12.5, Date: '/Date(1767225600000+0000)/', Contact: { ContactID: 'AAAAAAAA-1111-4111-8111-000000000001', Name: 'Harbour Café' }, IsCustomer: true };

describe('where', () => {
  it.each([
    ['Status=="AUTHORISED"', true],
    ['Status == "DRAFT"', false],
    ['Status!="DRAFT" AND Type=="ACCREC"', true],
    ['Status=="DRAFT" OR AmountDue > 12', true],
    ['AmountDue >= 12.5 && AmountDue <= 12.5', true],
    ['AmountDue < 12.5', false],
    ['Date >= DateTime(2026, 01, 01)', true],
    ['Date > DateTime(2026, 01, 01)', false],
    ['Contact.ContactID==Guid("aaaaaaaa-1111-4111-8111-000000000001")', true],
    ['Contact.Name.Contains("Café")', true],
    ['Contact.Name.StartsWith("harbour")', false],
    ['Contact.Name.ToLower()=="harbour café"', true],
    ['!(Status=="DRAFT") AND (Type=="ACCPAY" OR IsCustomer==true)', true],
    ['Reference==null', true],
  ])('%s → %s', (expr, expected) => {
    expect(compileWhere(expr)(rec)).toBe(expected);
  });

  it.each(['Status=="AUTHORISED', 'Status==', 'Foo(1)', 'Status ~ 1', '(Status=="A"'])('refuses %s with a QueryParseException', (expr) => {
    let caught: unknown;
    try { compileWhere(expr)(rec); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(XeroError);
    expect((caught as XeroError).body.Type).toBe('QueryParseException');
  });
});

describe('money', () => {
  it('rounds lines and per-line tax half away from zero', () => {
    expect(lineAmountOf(dec('3'), dec('33.335')).toFixed(2)).toBe('100.01');
    expect(lineAmountOf(dec('1'), dec('-0.005')).toFixed(2)).toBe('-0.01');
    expect(lineAmountOf(dec('2'), dec('50'), dec('12.5')).toFixed(2)).toBe('87.50');
    expect(lineTax(dec('0.05'), dec('10'), 'Exclusive').toFixed(2)).toBe('0.01');
    expect(lineTax(dec('19.99'), dec('10'), 'Inclusive').toFixed(2)).toBe('1.82');
    expect(lineTax(dec('100'), dec('15'), 'Inclusive').toFixed(2)).toBe('13.04');
    expect(lineTax(dec('100'), dec('15'), 'NoTax').toFixed(2)).toBe('0.00');
  });

  it('totals per LineAmountTypes', () => {
    const lines = [{ lineAmount: dec('100'), taxAmount: dec('13.04') }, { lineAmount: dec('0.10'), taxAmount: dec('0.01') }];
    const inc = documentTotals(lines, 'Inclusive');
    expect([inc.subTotal.toFixed(2), inc.totalTax.toFixed(2), inc.total.toFixed(2)]).toEqual(['87.05', '13.05', '100.10']);
    const exc = documentTotals(lines, 'Exclusive');
    expect([exc.subTotal.toFixed(2), exc.totalTax.toFixed(2), exc.total.toFixed(2)]).toEqual(['100.10', '13.05', '113.15']);
  });
});
