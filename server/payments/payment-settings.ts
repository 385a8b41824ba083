// The tenant's payment-sync interval: `paymentSyncIntervalMinutes` in the
// tenant's settings document (default 15, at least 5, at most a day). Read
// field by field so a bad value falls back to the default rather than
// stopping the schedule.
import { z } from 'zod';
import type { Db } from '../db/index.js';

export const paymentSyncIntervalMinutes = z.number().int().min(5, 'at least 5 minutes').max(1440, 'at most 1440 minutes (a day)');
export const DEFAULT_PAYMENT_SYNC_INTERVAL_MINUTES = 15;

export async function paymentIntervalMinutes(db: Db, tenantId: string): Promise<number> {
  const row = await db.k.selectFrom('tenant_settings').select('settings_json').where('tenant_id', '=', tenantId).executeTakeFirst();
  if (!row) return DEFAULT_PAYMENT_SYNC_INTERVAL_MINUTES;
  let raw: unknown;
  try {
    raw = JSON.parse(row.settings_json);
  } catch {
    return DEFAULT_PAYMENT_SYNC_INTERVAL_MINUTES;
  }
  const v = paymentSyncIntervalMinutes.safeParse((raw as Record<string, unknown> | null)?.paymentSyncIntervalMinutes);
  return v.success ? v.data : DEFAULT_PAYMENT_SYNC_INTERVAL_MINUTES;
}
