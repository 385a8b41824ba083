// The admin's choices for how ConnectWise expense reports become Xero bills
// (ACCPAY, accounts payable; the member is the supplier). Every field has a
// default, so `parseExpenseSettings({})` works for an organisation whose
// account codes match ConnectWise's GL numbers. GL account numbers go through
// the invoice settings' account map (one map of ConnectWise's chart to Xero's).
import { z } from 'zod';

const code = z.string().trim().min(1).max(50);

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Wise-Pay: ConnectWise member identifier → payment type id (as text) → Xero bank or credit-card account code. */
export const wisePayMatrixSchema = z
  .record(
    z.string().trim().min(1).max(50),
    z.record(z.string().regex(/^\d{1,10}$/, 'a ConnectWise payment type id'), code).refine((m) => Object.keys(m).length <= 50, 'at most 50 payment types per member'),
  )
  .refine((m) => Object.keys(m).length <= 2000, 'at most 2000 members')
  .default({});

export const expenseSettingsSchema = z.object({
  /**
   * AUTHORISED: an approved report is final, and Wise-Pay payments need an
   * approved bill. DRAFT leaves bills for review in Xero (and keeps a weekly
   * bill open for later reports; Wise-Pay payments wait until it is approved).
   */
  billStatus: z.enum(['DRAFT', 'AUTHORISED']).default('AUTHORISED'),
  /** Prefix of the bill number (ER-2001, EXP-tech-2026-05-04). */
  billNumberPrefix: z.string().max(20).regex(/^[^\s]*$/, 'no spaces').default(''),
  /** Days from the bill date to its due date. */
  dueDays: z.number().int().min(0).max(365).default(7),
  /** The member's supplier contact number in Xero is this prefix + the member identifier. */
  memberContactPrefix: z.string().max(10).regex(/^[^\s]*$/, 'no spaces').default('CWM-'),
  /** Enhanced Expenses: one bill per member per week instead of one per report. */
  enhancedExpenses: z.boolean().default(false),
  /** The day a week starts (in ConnectWise's time zone). */
  weekStart: z.enum(WEEKDAYS).default('Monday'),
  /** Wise-Pay: company-paid expenses are paid from the Xero account their payment type is linked to. */
  wisePay: z.boolean().default(false),
  wisePayAccounts: wisePayMatrixSchema,
  /**
   * ConnectWise expense tax type (expense/info/taxTypes name, e.g. "GST") → Xero
   * purchase TaxType (e.g. "INPUT"); unmapped types resolve by the rate the
   * entry's tax implies. A separate table in ConnectWise from the tax codes.
   */
  inputTaxMap: z.record(z.string().min(1).max(50), code).refine((m) => Object.keys(m).length <= 500, 'at most 500 tax types').default({}),
  /** Xero TaxType for lines without tax (personal expenses, company-paid offsets); '' = the organisation's 0% purchase rate. */
  nonTaxableInputTaxType: z.string().trim().max(50).default(''),
  /** ConnectWise's time & expense setup has a second approval tier (then only tier two releases a report). */
  secondTierApproval: z.boolean().default(true),
  /** Push reports as soon as they are approved (the scheduled scan of unposted expenses). */
  autoPushApproved: z.boolean().default(false),
});

export type ExpenseSettings = z.infer<typeof expenseSettingsSchema>;
export type ExpenseSettingsInput = z.input<typeof expenseSettingsSchema>;
export type WisePayMatrix = z.infer<typeof wisePayMatrixSchema>;

export function parseExpenseSettings(input: unknown): ExpenseSettings {
  return expenseSettingsSchema.parse(input ?? {});
}

export const DEFAULT_EXPENSE_SETTINGS: ExpenseSettings = parseExpenseSettings({});
