// What the mapping needs to know about the target Xero organisation, read
// from Xero before mapping (accounts, tax rates, items, tracking, currencies),
// in Xero's wire shape. Validated with zod: it crosses a boundary.
import { z } from 'zod';
import { Dec } from './money.js';

export const xeroRefsSchema = z.object({
  accounts: z.array(
    z.object({
      Code: z.string().optional(),
      /** Shown when the settings pod offers the account (Wise-Pay); never stored. */
      Name: z.string().optional(),
      Status: z.string().default('ACTIVE'),
      Type: z.string().optional(),
      /** BANK or CREDITCARD (PAYPAL) for a BANK account: a credit card is a BANK account in Xero. */
      BankAccountType: z.string().optional(),
      TaxType: z.string().optional(),
    }),
  ),
  taxRates: z.array(
    z.object({
      TaxType: z.string(),
      Name: z.string().optional(),
      Status: z.string().default('ACTIVE'),
      EffectiveRate: z.number().optional(),
      DisplayTaxRate: z.number().optional(),
      CanApplyToRevenue: z.boolean().optional(),
      CanApplyToExpenses: z.boolean().optional(),
    }),
  ),
  /** Name and Description tell an item created under a legacy truncated code apart (item-mapping.ts). */
  items: z.array(z.object({ Code: z.string(), Name: z.string().optional(), Description: z.string().optional() })).default([]),
  trackingCategories: z
    .array(
      z.object({
        Name: z.string(),
        Status: z.string().default('ACTIVE'),
        Options: z.array(z.object({ Name: z.string(), Status: z.string().default('ACTIVE') })).default([]),
      }),
    )
    .default([]),
  /** Currencies enabled in the organisation (besides the base currency). */
  currencies: z.array(z.object({ Code: z.string() })).default([]),
  baseCurrency: z.string().length(3),
});

export type XeroRefs = z.infer<typeof xeroRefsSchema>;
export type XeroRefsInput = z.input<typeof xeroRefsSchema>;
export type XeroTaxRate = XeroRefs['taxRates'][number];
export type XeroAccount = XeroRefs['accounts'][number];

export function parseXeroRefs(input: unknown): XeroRefs {
  return xeroRefsSchema.parse(input);
}

/** A tax rate's percentage: EffectiveRate (what Xero computes with), else DisplayTaxRate. */
export function taxRatePercent(rate: XeroTaxRate): Dec | null {
  const r = rate.EffectiveRate ?? rate.DisplayTaxRate;
  return r === undefined ? null : new Dec(String(r));
}

export function findAccount(refs: XeroRefs, code: string): XeroAccount | undefined {
  return refs.accounts.find((a) => a.Code === code);
}

export function findTaxRate(refs: XeroRefs, taxType: string): XeroTaxRate | undefined {
  return refs.taxRates.find((t) => t.TaxType === taxType);
}

/**
 * A tax rate as Xero's own screens name it, with its rate ("GST on Income
 * 10%"), for every preview; the code only when the organisation has no rate
 * of that type (or no name for it). `percent` is the rate the line was
 * computed with, used when Xero's rate has none.
 */
export function taxRateWords(refs: Pick<XeroRefs, 'taxRates'>, taxType: string, percent?: Dec | string): string {
  const rate = refs.taxRates.find((t) => t.TaxType === taxType);
  const pct = (rate && taxRatePercent(rate)) ?? (percent !== undefined ? new Dec(String(percent)) : null);
  const name = rate?.Name?.trim() || taxType;
  if (pct === null) return name;
  const shown = `${pct.toString()}%`;
  // Some organisations' names already carry the rate ("20% (VAT on Income)").
  return name.includes(shown) ? name : `${name} ${shown}`;
}

// Xero's usual revenue tax types, preferred when several rates share a percentage.
const REVENUE_PREFERENCE = ['OUTPUT', 'OUTPUT2', 'OUTPUT3', 'EXEMPTOUTPUT', 'ZERORATEDOUTPUT', 'ZERORATED', 'NONE'];

function preference(taxType: string): number {
  const i = REVENUE_PREFERENCE.indexOf(taxType);
  return i === -1 ? REVENUE_PREFERENCE.length : i;
}

export type TaxResolution =
  | { ok: true; taxType: string }
  | { ok: false; reason: 'none' | 'ambiguous'; candidates: string[] };

/**
 * The organisation's active revenue tax rate at `percent`: e.g. 10 → OUTPUT in
 * AU, 15 → OUTPUT2 in NZ, 0 → EXEMPTOUTPUT / ZERORATED. Rates flagged as not
 * for revenue are skipped; when several remain, Xero's standard revenue types
 * win, and a tie between non-standard ones is reported as ambiguous.
 */
export function resolveRevenueTaxType(refs: XeroRefs, percent: Dec): TaxResolution {
  return resolveTaxType(refs, percent, 'revenue');
}

/** Which side of the ledger a tax rate is for: sales (invoices) or purchases (bills). */
export type TaxSide = 'revenue' | 'expenses';

// Xero's usual purchase tax types, preferred when several rates share a percentage.
const EXPENSE_PREFERENCE = ['INPUT', 'INPUT2', 'INPUT3', 'EXEMPTEXPENSES', 'NONE', 'ZERORATEDINPUT', 'INPUTTAXED', 'BASEXCLUDED'];

function expensePreference(taxType: string): number {
  const i = EXPENSE_PREFERENCE.indexOf(taxType);
  return i === -1 ? EXPENSE_PREFERENCE.length : i;
}

/**
 * The organisation's active tax rate at `percent` for one side: revenue as
 * resolveRevenueTaxType; expenses: 10 → INPUT in AU, 15 → INPUT2 in NZ, 0 →
 * EXEMPTEXPENSES / NONE. Rates flagged as not for that side are skipped, and a
 * standard revenue type (OUTPUT…) is never taken for a purchase unless Xero says
 * it applies to expenses.
 */
export function resolveTaxType(refs: XeroRefs, percent: Dec, side: TaxSide): TaxResolution {
  const rank = side === 'revenue' ? preference : expensePreference;
  const candidates = refs.taxRates
    .filter((t) => t.Status === 'ACTIVE')
    .filter((t) =>
      side === 'revenue'
        ? t.CanApplyToRevenue !== false
        : t.CanApplyToExpenses === true || (t.CanApplyToExpenses === undefined && !REVENUE_PREFERENCE.slice(0, 5).includes(t.TaxType)),
    )
    .filter((t) => taxRatePercent(t)?.equals(percent) ?? false)
    .map((t) => t.TaxType)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const first = candidates[0];
  if (first === undefined) return { ok: false, reason: 'none', candidates: [] };
  const second = candidates[1];
  if (second !== undefined && rank(first) === rank(second)) {
    return { ok: false, reason: 'ambiguous', candidates };
  }
  return { ok: true, taxType: first };
}

export function currencyEnabled(refs: XeroRefs, currency: string): boolean {
  return currency === refs.baseCurrency || refs.currencies.some((c) => c.Code === currency);
}
