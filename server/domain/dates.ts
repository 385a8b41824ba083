// Calendar dates as Xero takes them (YYYY-MM-DD). ConnectWise sends
// "2026-11-02T00:00:00Z"; the calendar date is the part before the T (CW
// stores invoice dates as dates; the time part is always midnight).
const YMD = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;

/** The calendar date of a CW date or date-time, or null if it is not one. */
export function toYmd(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = YMD.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const check = new Date(t);
  // Reject 2026-02-30 and the like rather than rolling over.
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return null;
  return `${y}-${mo}-${d}`;
}

/** `ymd` plus `days` calendar days (terms in days: net 30 from 2026-11-02 is 2026-12-02). */
export function addDays(ymd: string, days: number): string {
  const m = YMD.exec(ymd);
  if (!m) throw new RangeError('not a YYYY-MM-DD date');
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  return new Date(t).toISOString().slice(0, 10);
}
