import { describe, expect, it } from 'vitest';
import { Dec, NotANumberError, fromCw, round2, roundTo, sum, toFixed, toWireNumber } from '../../server/domain/money.js';

describe('money', () => {
  it('reads CW doubles through their shortest string, so 0.1 + 0.2 is exactly 0.3', () => {
    expect(sum([fromCw(0.1), fromCw(0.2)]).toString()).toBe('0.3');
    expect(0.1 + 0.2).not.toBe(0.3); // what float arithmetic would have given
    expect(fromCw(33.3333).times(3).toString()).toBe('99.9999');
  });

  it('rounds half away from zero, as Xero does', () => {
    expect(toFixed(round2(new Dec('2.345')))).toBe('2.35');
    expect(toFixed(round2(new Dec('-2.345')))).toBe('-2.35');
    expect(toFixed(round2(new Dec('2.344999')))).toBe('2.34');
    expect(roundTo(new Dec('33.33335'), 4).toString()).toBe('33.3334');
    // 1.005 is 1.00499999999999989… as a double; via its string it is 1.005 and rounds up.
    expect(toFixed(round2(fromCw(1.005)))).toBe('1.01');
  });

  it('formats with fixed places and never "-0.00"', () => {
    expect(toFixed(new Dec('-0.001'))).toBe('0.00');
    expect(toFixed(new Dec('5'), 2)).toBe('5.00');
    expect(toFixed(new Dec('33.3333'), 4)).toBe('33.3333');
  });

  it('refuses what is not a finite number', () => {
    expect(() => fromCw(Number.NaN)).toThrow(NotANumberError);
    expect(() => fromCw(Number.POSITIVE_INFINITY)).toThrow(NotANumberError);
    expect(() => fromCw(undefined, null)).toThrow(NotANumberError);
    expect(fromCw(undefined).toString()).toBe('0');
  });

  it('turns decimals into JSON numbers only when exact', () => {
    expect(toWireNumber(new Dec('33.3333'))).toBe(33.3333);
    expect(JSON.stringify(toWireNumber(new Dec('1282.05')))).toBe('1282.05');
    expect(() => toWireNumber(new Dec('0.1234567890123456789'))).toThrow(RangeError);
  });
});
