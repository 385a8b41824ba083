// The admin's choices for how ConnectWise invoices become Xero documents.
// Every field has a default, so `parseInvoiceMappingSettings({})` is a working
// setup for an organisation whose account codes match ConnectWise's GL numbers.
import { z } from 'zod';

const code = z.string().trim().min(1).max(50);

export const trackingSourceSchema = z.enum(['location', 'department', 'glClass', 'productCategory']);

/** The ConnectWise structure behind each source, in the words the settings and problems use. */
export const TRACKING_SOURCE_LABEL: Record<z.infer<typeof trackingSourceSchema>, string> = {
  location: 'billing location',
  department: 'department / business unit',
  glClass: 'GL class',
  productCategory: 'product sub-category',
};

/** One CW structure → one Xero tracking category (Xero allows two per line). */
export const trackingRuleSchema = z.object({
  source: trackingSourceSchema,
  /** Xero tracking category name, e.g. "Region". */
  categoryName: z.string().trim().min(1).max(100),
  /** CW value (location id, department id, GL class or product sub-category id, as text) → Xero option name. */
  options: z.record(z.string().min(1).max(100), z.string().trim().min(1).max(100)).refine((m) => Object.keys(m).length <= 500, 'at most 500 values').default({}),
});

/** At most two rules, for two different categories (a Xero line carries each category once). */
export const trackingRulesSchema = z
  .array(trackingRuleSchema)
  .max(2, 'Xero allows at most two tracking categories')
  .refine((rules) => new Set(rules.map((r) => r.categoryName.toLowerCase())).size === rules.length, 'each rule needs a different Xero tracking category');

export const invoiceMappingSettingsSchema = z.object({
  /**
   * AUTHORISED by default: the ConnectWise invoice is already final (it has
   * left CW's accounting interface), payments recorded in Xero flow back to CW
   * only from approved invoices, and statements show only approved invoices.
   * DRAFT suits a firm that reviews everything in Xero first.
   */
  status: z.enum(['DRAFT', 'AUTHORISED']).default('AUTHORISED'),
  /** CW amounts are tax-exclusive, so Exclusive keeps every line equal to CW's. */
  lineAmountTypes: z.enum(['Exclusive', 'Inclusive', 'NoTax']).default('Exclusive'),
  invoiceNumberPrefix: z.string().max(20).regex(/^[^\s]*$/, 'no spaces').default(''),
  createMissingItems: z.boolean().default(true),
  includeUnitOfMeasure: z.boolean().default(true),
  /**
   * CW product ids longer than Xero's 30-character item code: 'shorten' (default)
   * to a code unique per product, the same on every sync, or 'omit' the item
   * from the line (server/domain/item-mapping.ts). 'block' and 'truncate' were
   * the choices before unique codes; stored settings holding them read as
   * 'shorten' (items created under truncated codes are still found).
   */
  itemCodeOverflow: z
    .enum(['shorten', 'omit', 'block', 'truncate'])
    .transform((v): 'shorten' | 'omit' => (v === 'omit' ? 'omit' : 'shorten'))
    .default('shorten'),
  /** Unit amounts with up to 4 decimal places (Xero's unitdp=4). */
  unitDecimalPlaces: z.union([z.literal(2), z.literal(4)]).default(4),
  /** CW GL account number → Xero account code; unmapped numbers are used as they are. */
  accountMap: z.record(z.string().min(1).max(50), code).refine((m) => Object.keys(m).length <= 2000, 'at most 2000 accounts').default({}),
  /** CW tax code (e.g. "GST") → Xero TaxType (e.g. "OUTPUT"); unmapped codes resolve by rate. */
  taxMap: z.record(z.string().min(1).max(50), code).refine((m) => Object.keys(m).length <= 500, 'at most 500 tax codes').default({}),
  /** Xero TaxType for lines ConnectWise marks non-taxable; '' = the organisation's 0% revenue rate. */
  nonTaxableTaxType: z.string().trim().max(50).default(''),
  allowRoundingLine: z.boolean().default(false),
  roundingAccountCode: z.string().trim().max(50).default(''),
  /** The largest difference (in the invoice's currency) a rounding line may absorb. */
  roundingAllowance: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,2})?$/, 'a decimal amount such as 0.05')
    .default('0.05'),
  /** The tracking rules of every organisation without rules of its own (server/domain/tracking-mapping.ts). */
  tracking: trackingRulesSchema.default([]),
  /** Xero organisation (tenant id) → its own tracking rules, in place of `tracking`. */
  trackingByOrganisation: z.record(z.string().min(1).max(100), trackingRulesSchema).refine((m) => Object.keys(m).length <= 50, 'at most 50 organisations').default({}),
  /** Also send the CW account number as the Xero contact's AccountNumber. */
  contactAccountNumber: z.boolean().default(false),
});

export type InvoiceMappingSettings = z.infer<typeof invoiceMappingSettingsSchema>;
export type InvoiceMappingSettingsInput = z.input<typeof invoiceMappingSettingsSchema>;
export type TrackingRule = z.infer<typeof trackingRuleSchema>;

export function parseInvoiceMappingSettings(input: unknown): InvoiceMappingSettings {
  return invoiceMappingSettingsSchema.parse(input ?? {});
}

export const DEFAULT_INVOICE_MAPPING_SETTINGS: InvoiceMappingSettings = parseInvoiceMappingSettings({});
