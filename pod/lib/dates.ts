// Calendar dates in one format on every surface (issue 12): the browser's
// locale, the month in words so 04/05 is never ambiguous ("9 Apr 2026" in
// Australia, "Apr 9, 2026" in the US). The server sends calendar days
// (YYYY-MM-DD): no time zone applies, so the day is formatted as UTC.
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * Makes the browser's date formatter now. A renderer's first Intl formatter loads its locale data
 * (30–60 ms in Chromium, cold): done while the sign-in is on its way (the invoice dialog's entry), it is not paid
 * between the answer and the first useful paint (issue 12).
 */
export function prepareDateFormat(): void {
  formatDate('2000-01-01');
}

/** A YYYY-MM-DD day in the locale's words; anything else as it came. `locale` fixes it (tests); default: the browser's. */
export function formatDate(ymd: string, locale?: string): string {
  const m = YMD.exec(ymd);
  if (!m) return ymd;
  const key = locale ?? '';
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })));
  return f.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}
