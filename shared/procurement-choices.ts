// GET /api/settings/procurement-choices: what the settings pod's Purchase
// orders card shows in its warehouse → Xero inventory account table — each
// ConnectWise warehouse with the account proposed for it, the account the
// setting holds and whether they differ (the setting wins) — and each
// connected organisation's active accounts that can hold inventory.
import { z } from 'zod';

export const procurementChoicesResponse = z.object({
  warehouses: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      locationXref: z.string().nullable(),
      /** What bills and journals would use without a setting (warehouse-accounts.ts). */
      proposed: z.string().nullable(),
      proposedFrom: z.enum(['locationXref', 'export']).nullable(),
      /** The admin's setting for this warehouse, if any. */
      setting: z.string().nullable(),
      /** The setting is set and is not the proposal: the setting wins. */
      differs: z.boolean(),
    }),
  ),
  /** Per connected organisation: its active accounts that can hold inventory, or why they could not be read. */
  organisations: z.array(
    z.object({
      xeroTenantId: z.string(),
      name: z.string(),
      accounts: z.array(z.object({ code: z.string(), name: z.string(), type: z.string() })),
      error: z.string().nullable(),
    }),
  ),
});
export type ProcurementChoicesResponse = z.infer<typeof procurementChoicesResponse>;
