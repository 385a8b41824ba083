// The expense part of GET/PUT /api/settings (`settings.expenses`) as the
// settings pod's Expenses card edits it. The schema is the server's own
// (shared/expense-settings.ts), so the pod never disagrees with it about a
// field or a default; the form only turns rows into maps and back.
import { z } from 'zod';
import { settingsResponse, tenantSettingsView } from '../../shared/api.js';
import { expenseSettingsSchema, type ExpenseSettings, type WisePayMatrix } from '../../shared/expense-settings.js';
import { mapOf, rowsOf, type CodeRow, type DraftError } from './invoice-mapping-settings.js';

export { expenseSettingsSchema, type ExpenseSettings };

/** GET/PUT /api/settings with the expense settings (absent from a server that does not carry them yet). */
export const settingsWithExpenses = settingsResponse.extend({
  settings: tenantSettingsView.extend({ expenses: expenseSettingsSchema.optional() }),
});
export type SettingsWithExpenses = z.infer<typeof settingsWithExpenses>;

/** One Wise-Pay link: this member's expenses paid with this payment type are paid from this Xero account. */
export interface WisePayRow {
  member: string;
  /** The payment type id as text ('' while not chosen). */
  paymentType: string;
  account: string;
}

export interface ExpenseSettingsDraft {
  billStatus: ExpenseSettings['billStatus'];
  billNumberPrefix: string;
  dueDays: string;
  memberContactPrefix: string;
  enhancedExpenses: boolean;
  weekStart: ExpenseSettings['weekStart'];
  wisePay: boolean;
  wisePayRows: WisePayRow[];
  taxRows: CodeRow[];
  nonTaxableInputTaxType: string;
  secondTierApproval: boolean;
  autoPushApproved: boolean;
}

export function wisePayRowsOf(matrix: WisePayMatrix): WisePayRow[] {
  return Object.entries(matrix)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([member, row]) =>
      Object.entries(row)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([paymentType, account]) => ({ member, paymentType, account })),
    );
}

export function draftFromExpenseSettings(s: ExpenseSettings): ExpenseSettingsDraft {
  return {
    billStatus: s.billStatus,
    billNumberPrefix: s.billNumberPrefix,
    dueDays: String(s.dueDays),
    memberContactPrefix: s.memberContactPrefix,
    enhancedExpenses: s.enhancedExpenses,
    weekStart: s.weekStart,
    wisePay: s.wisePay,
    wisePayRows: wisePayRowsOf(s.wisePayAccounts),
    taxRows: rowsOf(s.inputTaxMap),
    nonTaxableInputTaxType: s.nonTaxableInputTaxType,
    secondTierApproval: s.secondTierApproval,
    autoPushApproved: s.autoPushApproved,
  };
}

/** Rows → matrix. Blank rows are dropped; half-filled rows, and a member's payment type linked twice, are refused (naming the row). */
export function wisePayMatrixOf(rows: readonly WisePayRow[]): { ok: true; matrix: WisePayMatrix } | { ok: false; error: DraftError } {
  const field = 'expenses.wisePayAccounts';
  const matrix: WisePayMatrix = {};
  const seen = new Set<string>();
  for (const [i, r] of rows.entries()) {
    const member = r.member.trim();
    const account = r.account.trim();
    if (!member && !r.paymentType && !account) continue;
    if (!member || !r.paymentType || !account) return { ok: false, error: { field, text: `Row ${i + 1}: choose the member, the payment type and the account, or remove the row.` } };
    // Members compare case-insensitively when a payment is planned (domain/wise-pay.ts), so here too.
    const key = `${member.toLowerCase()}\u0000${r.paymentType}`;
    if (seen.has(key)) return { ok: false, error: { field, text: `Row ${i + 1}: ${member}'s payment type is already linked in another row.` } };
    seen.add(key);
    const existing = Object.keys(matrix).find((m) => m.toLowerCase() === member.toLowerCase()) ?? member;
    (matrix[existing] ??= {})[r.paymentType] = account;
  }
  return { ok: true, matrix };
}

/** A matrix in one spelling whatever its keys' order, to tell whether it changed. */
function canonical(matrix: WisePayMatrix): string {
  return JSON.stringify(wisePayRowsOf(matrix));
}

/**
 * The PUT body's `expenses`: every field of the form, checked by the server's
 * schema. The Wise-Pay matrix is sent only when it changed, since the server
 * checks a sent matrix against Xero's accounts: changing the week start never
 * waits on Xero, nor is refused for an account archived since.
 */
export function expensePatchFromDraft(stored: ExpenseSettings, d: ExpenseSettingsDraft): { ok: true; patch: Partial<ExpenseSettings> } | { ok: false; error: DraftError } {
  const dueDays = d.dueDays.trim();
  if (!/^\d{1,3}$/.test(dueDays)) return { ok: false, error: { field: 'expenses.dueDays', text: 'A whole number of days, 0 to 365.' } };
  const wise = wisePayMatrixOf(d.wisePayRows);
  if (!wise.ok) return wise;
  const taxMap = mapOf(d.taxRows, 'expenses.inputTaxMap', 'ConnectWise tax type');
  if (!taxMap.ok) return taxMap;
  const candidate = {
    billStatus: d.billStatus,
    billNumberPrefix: d.billNumberPrefix.trim(),
    dueDays: Number(dueDays),
    memberContactPrefix: d.memberContactPrefix.trim(),
    enhancedExpenses: d.enhancedExpenses,
    weekStart: d.weekStart,
    wisePay: d.wisePay,
    wisePayAccounts: wise.matrix,
    inputTaxMap: taxMap.map,
    nonTaxableInputTaxType: d.nonTaxableInputTaxType.trim(),
    secondTierApproval: d.secondTierApproval,
    autoPushApproved: d.autoPushApproved,
  };
  const parsed = expenseSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: { field: `expenses.${String(issue.path[0] ?? '')}`, text: issue.message } };
  }
  const { wisePayAccounts, ...rest } = parsed.data;
  return { ok: true, patch: canonical(wisePayAccounts) === canonical(stored.wisePayAccounts) ? rest : parsed.data };
}
