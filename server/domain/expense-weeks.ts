// Calendar arithmetic for expenses. ConnectWise sends an expense's date as a
// UTC instant (the local midnight of the day in its own time zone); the day
// the member spent the money is that instant's calendar date in ConnectWise's
// time zone (system/info serverTimeZone). Weeks start on a configurable day.
// Pure: Intl's time-zone rules, no clock.
import type { Weekday } from '../../shared/expense-settings.js';
import { WEEKDAYS } from '../../shared/expense-settings.js';
import { addDays, toYmd } from './dates.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** True when `timeZone` is an IANA zone Intl knows ("Australia/Sydney"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar date (YYYY-MM-DD) of a ConnectWise date in `timeZone`:
 * "2026-05-03T14:00:00Z" in Australia/Sydney is 2026-05-04. A bare date is
 * taken as it is. Null when it is not a date or the zone is unknown.
 */
export function localDate(value: string | null | undefined, timeZone: string): string | null {
  if (!value) return null;
  const v = value.trim();
  if (DATE_ONLY.test(v)) return toYmd(v);
  const t = Date.parse(v);
  if (Number.isNaN(t) || !isTimeZone(timeZone)) return null;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return toYmd(`${get('year')}-${get('month')}-${get('day')}`);
}

/** 0 = Monday … 6 = Sunday, for a YYYY-MM-DD. */
function weekdayIndex(ymd: string): number {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The first day of the week holding `ymd`, weeks starting on `weekStart`. */
export function weekStartOf(ymd: string, weekStart: Weekday): string {
  const offset = (weekdayIndex(ymd) - WEEKDAYS.indexOf(weekStart) + 7) % 7;
  return addDays(ymd, -offset);
}

/** The week's first and last day. */
export function weekOf(ymd: string, weekStart: Weekday): { start: string; end: string } {
  const start = weekStartOf(ymd, weekStart);
  return { start, end: addDays(start, 6) };
}
