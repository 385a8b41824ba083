// What the mapping needs to know about the target Xero organisation, read
// from Xero before mapping (accounts, tax rates, items, tracking, currencies),
// in Xero's wire shape. Validated with zod: it crosses a boundary.
import { z } from 'zod';
import { Dec } from './money.js';

export const xeroRefsSchema = z.object({
  accounts: z.array(
    z.object({
      Code: z.string().optional(),
      Status: z.string().default('ACTIVE'),
      Type: z.string().optional(),
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
  const candidates = refs.taxRates
    .filter((t) => t.Status === 'ACTIVE' && t.CanApplyToRevenue !== false)
    .filter((t) => taxRatePercent(t)?.equals(percent) ?? false)
    .map((t) => t.TaxType)
    .sort((a, b) => preference(a) - preference(b) || a.localeCompare(b));
  const first = candidates[0];
  if (first === undefined) return { ok: false, reason: 'none', candidates: [] };
  const second = candidates[1];
  if (second !== undefined && preference(first) === preference(second)) {
    return { ok: false, reason: 'ambiguous', candidates };
  }
  return { ok: true, taxType: first };
}

export function currencyEnabled(refs: XeroRefs, currency: string): boolean {
  return currency === refs.baseCurrency || refs.currencies.some((c) => c.Code === currency);
}
