// One date format on every surface (issue 12): the browser's locale, the month
// in words; these tests fix the locale so they mean the same on any machine.
import { describe, expect, it } from 'vitest';
import { formatDate } from '../../pod/lib/dates.js';
import { dayWords } from '../../pod/purchaseorder/words.js';

describe('formatDate', () => {
  it('follows the locale, the month in words', () => {
    expect(formatDate('2026-04-09', 'en-AU')).toBe('9 Apr 2026');
    expect(formatDate('2026-04-09', 'en-US')).toBe('Apr 9, 2026');
    expect(formatDate('2026-12-31', 'en-NZ')).toBe('31 Dec 2026');
  });

  it('is the calendar day sent, in any time zone (no shift at midnight)', () => {
    expect(formatDate('2026-01-01', 'en-AU')).toBe('1 Jan 2026');
  });

  it('leaves anything that is not a calendar day as it came', () => {
    expect(formatDate('2026-05-03T14:00:00Z', 'en-AU')).toBe('2026-05-03T14:00:00Z');
    expect(formatDate('', 'en-AU')).toBe('');
  });

  it('is the format the other pods use too', () => {
    expect(dayWords('2026-04-09')).toBe(formatDate('2026-04-09'));
    expect(dayWords(null)).toBe('');
  });
});
