// Which Xero bill each expense lands in, decided before anything is written.
//
//   per report (default)   one bill per expense report and currency:
//                          ER-{report}, or ER-{report}-{CUR} when the report
//                          has entries in several currencies
//   Enhanced Expenses      one bill per member, week and currency:
//                          EXP-{member}-{week start}[-{CUR}]; a report that
//                          spans two weeks lands in two bills, and two reports
//                          of one week share a bill
//
// Keys are deterministic (same entries → same keys, same order). A week's bill
// takes later reports while it is a draft in Xero; once approved or paid it is
// never edited and a further bill for the week is made (`decideWeeklyBill`).
// Also here: when an approved report is released to Xero (`expenseRelease`).
import type { ExpenseSettings } from '../../shared/expense-settings.js';
import { normaliseGlEntryIds } from './content-hash.js';
import type { ExpenseItem } from './expense-items.js';
import { weekOf } from './expense-weeks.js';

export interface ExpenseBillGroup {
  /** Stable identity of the bill: "r2001-AUD", "m3-w2026-05-04-AUD". */
  key: string;
  /** The bill number without prefix or sequence (expenseBillNumber adds them). */
  baseNumber: string;
  memberId: number;
  memberIdentifier: string;
  currency: string;
  reportIds: number[];
  /** Enhanced Expenses: the week's first and last day. */
  week?: { start: string; end: string };
  glEntryIds: string[];
  items: ExpenseItem[];
}

/** What a bill's stem ("r2001", "m3-w2026-05-04") is: the report, or the member's week. */
export function expenseBillStem(i: Pick<ExpenseItem, 'reportId' | 'memberId' | 'date'>, settings: Pick<ExpenseSettings, 'enhancedExpenses' | 'weekStart'>): string {
  return settings.enhancedExpenses ? `m${i.memberId}-w${i.date ? weekOf(i.date, settings.weekStart).start : 'undated'}` : `r${i.reportId}`;
}

/**
 * `otherCurrencies`: currencies a stem has beyond these items (entries already
 * posted, bills already made) — a report or week in several currencies keeps
 * the currency in every one of its numbers, whatever is still unposted.
 */
export function groupExpenseItems(items: readonly ExpenseItem[], settings: Pick<ExpenseSettings, 'enhancedExpenses' | 'weekStart'>, otherCurrencies?: ReadonlyMap<string, readonly string[]>): ExpenseBillGroup[] {
  const groups = new Map<string, ExpenseItem[]>();
  const keyOf = (i: ExpenseItem) => expenseBillStem(i, settings);
  for (const i of items) {
    const k = `${keyOf(i)}-${i.currency}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  // Currencies per report / week decide whether the number carries the currency.
  const currencies = new Map<string, Set<string>>();
  for (const i of items) currencies.set(keyOf(i), (currencies.get(keyOf(i)) ?? new Set()).add(i.currency));
  for (const [stem, list] of otherCurrencies ?? []) if (currencies.has(stem)) for (const c of list) currencies.get(stem)!.add(c.toUpperCase());
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([key, list]) => {
      const first = list[0]!;
      const week = settings.enhancedExpenses && first.date ? weekOf(first.date, settings.weekStart) : undefined;
      const base = settings.enhancedExpenses ? `EXP-${first.memberIdentifier}-${week?.start ?? 'undated'}` : `ER-${first.reportId}`;
      const several = (currencies.get(keyOf(first))?.size ?? 1) > 1;
      const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date) || Number(a.glEntryId) - Number(b.glEntryId));
      return {
        key,
        baseNumber: several ? `${base}-${first.currency}` : base,
        memberId: first.memberId,
        memberIdentifier: first.memberIdentifier,
        currency: first.currency,
        reportIds: [...new Set(list.map((i) => i.reportId))].sort((a, b) => a - b),
        ...(week ? { week } : {}),
        glEntryIds: normaliseGlEntryIds(list.map((i) => i.glEntryId)),
        items: sorted,
      };
    });
}

/** The bill's number: prefix + base, "-2", "-3" … for the further bills of a week. */
export function expenseBillNumber(group: Pick<ExpenseBillGroup, 'baseNumber'>, prefix: string, sequence = 1): string {
  return `${prefix}${group.baseNumber}${sequence > 1 ? `-${sequence}` : ''}`;
}

/** A bill already made for a key, as the ledger and Xero know it. */
export interface ExistingExpenseBill {
  sequence: number;
  /** Xero's status of the bill (DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED, DELETED). */
  xeroStatus: string;
  glEntryIds: readonly string[];
}

export type WeeklyBillDecision =
  | { action: 'none'; reason: string }
  | { action: 'update'; sequence: number; glEntryIds: string[]; added: string[] }
  | { action: 'create'; sequence: number; glEntryIds: string[] };

/**
 * Where a key's entries go, given the bills already made for it: entries on any
 * of them are never billed again; new ones join the latest bill while Xero
 * holds it as a DRAFT, else make a further bill (an approved, paid or voided
 * bill is never edited).
 */
export function decideWeeklyBill(existing: readonly ExistingExpenseBill[], glEntryIds: readonly string[]): WeeklyBillDecision {
  const billed = new Set(existing.flatMap((b) => b.glEntryIds.map(String)));
  const fresh = normaliseGlEntryIds(glEntryIds.filter((id) => !billed.has(String(id))));
  if (fresh.length === 0) return { action: 'none', reason: 'Every entry is already on a bill for this week.' };
  const latest = [...existing].sort((a, b) => b.sequence - a.sequence)[0];
  if (!latest) return { action: 'create', sequence: 1, glEntryIds: fresh };
  if (latest.xeroStatus.toUpperCase() === 'DRAFT') {
    return { action: 'update', sequence: latest.sequence, glEntryIds: normaliseGlEntryIds([...latest.glEntryIds, ...fresh]), added: fresh };
  }
  return { action: 'create', sequence: latest.sequence + 1, glEntryIds: fresh };
}

export type ExpenseRelease = { released: true } | { released: false; code: 'expense-not-approved'; message: string };

/**
 * Approval is what releases an expense: a report is ready when its status is
 * ApprovedByTierTwo, or ApprovedByTierOne where ConnectWise has no second tier.
 * Anything else that reaches the unposted list (a ticket that bills unapproved
 * expenses) is held, with the reason in words.
 */
export function expenseRelease(status: string | null | undefined, secondTierApproval: boolean): ExpenseRelease {
  if (status === 'ApprovedByTierTwo' || (status === 'ApprovedByTierOne' && !secondTierApproval)) return { released: true };
  const waiting =
    status === 'ApprovedByTierOne'
      ? 'it is approved at tier one and waits for the second tier'
      : status === 'Rejected' || status === 'RejectBySecondTier'
        ? 'it was rejected'
        : `it is not approved yet (${status ?? 'no status'})`;
  return {
    released: false,
    code: 'expense-not-approved',
    // ConnectWise lists such expenses as unposted when their ticket bills unapproved time and expense.
    message: `Held: ${waiting}; it goes to Xero once the report is approved.`,
  };
}
