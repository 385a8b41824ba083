// The admin's choices for how ConnectWise procurement becomes Xero documents:
// purchase receipts as ACCPAY bills, inventory movements (cost of sale,
// adjustments, transfers) as manual journals. Every field has a default, so
// `parseProcurementSettings({})` works for an organisation whose account codes
// match ConnectWise's GL numbers. GL account numbers go through the invoice
// settings' account map (one map of ConnectWise's chart to Xero's).
import { z } from 'zod';

const code = z.string().trim().min(1).max(50);

export const procurementSettingsSchema = z.object({
  /**
   * One bill per ConnectWise packing slip as goods arrive (default); off: one
   * bill per purchase order, once every line is received or its rest cancelled.
   */
  partShipments: z.boolean().default(true),
  /** AUTHORISED: the vendor's invoice is final once the goods are received. */
  billStatus: z.enum(['DRAFT', 'AUTHORISED']).default('AUTHORISED'),
  /** CW amounts are tax-exclusive, so Exclusive keeps every line equal to CW's. */
  lineAmountTypes: z.enum(['Exclusive', 'Inclusive', 'NoTax']).default('Exclusive'),
  /** Unit costs with up to 4 decimal places (Xero's unitdp=4). */
  unitDecimalPlaces: z.union([z.literal(2), z.literal(4)]).default(4),
  includeUnitOfMeasure: z.boolean().default(true),
  /**
   * ConnectWise warehouse id → the Xero inventory account of that warehouse.
   * Unmapped warehouses take the proposal (warehouse-accounts.ts): the
   * warehouse's locationXref when it is a Xero account, else the export's
   * inventoryAccountNumber. The setting wins over both.
   */
  warehouseAccounts: z
    .record(z.string().regex(/^\d{1,10}$/, 'a ConnectWise warehouse id'), code)
    .refine((m) => Object.keys(m).length <= 500, 'at most 500 warehouses')
    .default({}),
  /** Xero account for freight on bills (ConnectWise exports freight without an account). */
  freightAccountCode: z.string().trim().max(50).default('425'),
  /** CW tax code (e.g. "GST") → Xero purchase TaxType (e.g. "INPUT"); unmapped codes resolve by rate. */
  inputTaxMap: z.record(z.string().min(1).max(50), code).refine((m) => Object.keys(m).length <= 500, 'at most 500 tax codes').default({}),
  /** Xero TaxType for bill lines ConnectWise marks non-taxable; '' = the organisation's 0% purchase rate. */
  nonTaxableInputTaxType: z.string().trim().max(50).default(''),
  /** POSTED journals move the ledger at once; DRAFT leaves them for review in Xero. */
  journalStatus: z.enum(['DRAFT', 'POSTED']).default('POSTED'),
});

export type ProcurementSettings = z.infer<typeof procurementSettingsSchema>;
export type ProcurementSettingsInput = z.input<typeof procurementSettingsSchema>;

export function parseProcurementSettings(input: unknown): ProcurementSettings {
  return procurementSettingsSchema.parse(input ?? {});
}

export const DEFAULT_PROCUREMENT_SETTINGS: ProcurementSettings = parseProcurementSettings({});
