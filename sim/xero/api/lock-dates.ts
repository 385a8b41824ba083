// Xero's lock dates. Transactions dated on or before a lock date cannot be
// added or changed: approved (or voided) invoices, bills and credit notes,
// posted manual journals, payments and allocations. Drafts, documents
// submitted for approval and draft journals may still be dated there.
// PeriodLockDate ("stop all users except advisers") binds the simulator's
// connection too, because the demo user is not an adviser.
//
// Wording as integrators quote Xero: "The document date cannot be before the
// period lock date, currently set at 30-Nov-2018" (and "… the end of year lock
// date, …"); one message per lock date that the date falls on or before.
import type { OrgState } from '../records.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 30-Nov-2018, as Xero writes a lock date in its message. */
function lockDay(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCDate()).padStart(2, '0')}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()}`;
}

/** Xero's messages for a transaction dated `day` (a UTC midnight); empty when no lock date covers it. */
export function lockDateErrors(org: OrgState, day: number): string[] {
  const { PeriodLockDate: period, EndOfYearLockDate: endOfYear } = org.info;
  const out: string[] = [];
  if (period !== undefined && day <= period) out.push(`The document date cannot be before the period lock date, currently set at ${lockDay(period)}`);
  if (endOfYear !== undefined && day <= endOfYear) out.push(`The document date cannot be before the end of year lock date, currently set at ${lockDay(endOfYear)}`);
  return out;
}

/** Messages for several dates of one change (e.g. the date it had and the date it gets), each once. */
export function lockDateErrorsFor(org: OrgState, days: (number | undefined)[]): string[] {
  return [...new Set(days.flatMap((d) => (d === undefined ? [] : lockDateErrors(org, d))))];
}
