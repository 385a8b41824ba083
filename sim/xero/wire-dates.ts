// Xero's wire formats for time. Responses use Microsoft JSON dates:
// timestamps as "/Date(ms+0000)/", the envelope's DateTimeUTC as "/Date(ms)/".
// Requests carry dates as "YYYY-MM-DD" (or a full ISO date-time, or a
// "/Date(ms)/" string echoed back from an earlier response).

export function msDate(ms: number): string {
  return `/Date(${Math.trunc(ms)}+0000)/`;
}

export function envelopeDate(ms: number): string {
  return `/Date(${Math.trunc(ms)})/`;
}

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses a request date to the UTC midnight of that calendar day, or null. */
export function parseRequestDay(value: string): number | null {
  const ms = MS_DATE.exec(value);
  if (ms) return startOfUtcDay(Number(ms[1]));
  const iso = ISO_DAY.exec(value);
  if (!iso) return null;
  const [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return t;
}

/** Parses an If-Modified-Since header: ISO 8601 (what xero-node sends) or an HTTP date. */
export function parseTimestamp(value: string): number | null {
  const ms = MS_DATE.exec(value);
  if (ms) return Number(ms[1]);
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

export function startOfUtcDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/** "/Date(…)/" strings in rendered records, as milliseconds, for filtering and sorting. */
export function wireDateToMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = MS_DATE.exec(value);
  return m ? Number(m[1]) : null;
}
