// The one money formatter (shared/money-format.ts), now string arithmetic
// rather than decimal.js so the pods need no decimal library: exact rounding
// half away from zero, grouping, signs, every decimal kept for amounts.
import { describe, expect, it } from 'vitest';
import { formatAmount, formatMoney, formatQuantity } from '../../shared/money-format.js';

describe('money formatting without a decimal library', () => {
  it('rounds half away from zero, exactly, carrying into the whole part', () => {
    expect(formatMoney('0.005', 'AUD')).toBe('AUD 0.01');
    expect(formatMoney('-0.005', 'AUD')).toBe('−AUD 0.01');
    expect(formatMoney('0.00499999999999999999', 'AUD')).toBe('AUD 0.00');
    expect(formatMoney('999999.995', 'NZD')).toBe('NZD 1,000,000.00');
    expect(formatMoney('12345678901234567890.125', '')).toBe('12,345,678,901,234,567,890.13');
    expect(formatMoney('7.5', 'USD', 0)).toBe('USD 8');
  });

  it('keeps the sign of a non-zero amount that rounds to zero, and none for zero', () => {
    expect(formatMoney('-0.001', 'AUD')).toBe('−AUD 0.00');
    expect(formatMoney('-0', 'AUD')).toBe('AUD 0.00');
  });

  it('reads exponents and bare points as decimal.js did, and leaves what is not a number as it came', () => {
    expect(formatMoney('1e3', 'AUD')).toBe('AUD 1,000.00');
    expect(formatMoney('1.25e-1', '', 3)).toBe('0.125');
    expect(formatMoney('.5', '')).toBe('0.50');
    expect(formatMoney('abc', 'AUD')).toBe('abc');
    expect(formatMoney('', 'AUD')).toBe('');
  });

  it('shows every decimal an amount really has, and quantities without trailing zeros', () => {
    expect(formatAmount('33.3333')).toBe('33.3333');
    expect(formatAmount('1200.500')).toBe('1,200.50');
    expect(formatAmount('5', 0)).toBe('5');
    expect(formatQuantity('2.000')).toBe('2');
    expect(formatQuantity('0.250')).toBe('0.25');
    expect(formatQuantity('-1.50')).toBe('-1.5');
  });
});
