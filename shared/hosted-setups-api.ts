// The settings pod's "ConnectWise screens" card: what of ours is installed in
// ConnectWise and where (GET /api/hosted-setups), install / re-install
// (POST) and uninstall (DELETE). Admins only.
import { z } from 'zod';

export const hostedSetupKey = z.enum(['invoice-button', 'batch-pod', 'batch-list-tab', 'settings-pod', 'purchaseorder-pod', 'expense-tab']);
export type HostedSetupKey = z.infer<typeof hostedSetupKey>;

export const hostedSetupStatusRow = z.object({
  key: hostedSetupKey,
  /** Words: "Sync to Xero" toolbar button, … */
  what: z.string(),
  type: z.enum(['Pod', 'Tab', 'ToolbarButton']),
  /** ConnectWise screen name (connectwisehostedscreens screenId), and its title. */
  screen: z.string(),
  screenName: z.string().nullable(),
  installed: z.boolean(),
  /** The ConnectWise hosted setup's id, when installed. */
  id: z.number().int().nullable(),
  url: z.string().nullable(),
  disabled: z.boolean(),
  /** Installed but not as this server would install it now (another address, height, title…): re-install updates it. */
  outdated: z.boolean(),
});
export type HostedSetupStatusRow = z.infer<typeof hostedSetupStatusRow>;

export const hostedSetupsStatus = z.object({
  setups: z.array(hostedSetupStatusRow),
  /** Hosted setups in this ConnectWise that are not ours: counted, never touched. */
  others: z.number().int(),
});
export type HostedSetupsStatus = z.infer<typeof hostedSetupsStatus>;

export const hostedSetupsChange = hostedSetupsStatus.extend({
  changes: z.array(z.object({ key: hostedSetupKey.nullable(), id: z.number().int(), action: z.enum(['created', 'updated', 'unchanged', 'removed']) })),
});
export type HostedSetupsChange = z.infer<typeof hostedSetupsChange>;
