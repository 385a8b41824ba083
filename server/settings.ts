// A tenant's settings: one JSON document per tenant in tenant_settings,
// validated by zod on the way in and on the way out (a row written by an older
// version is read with today's defaults filled in).
//
// WHO IS ADMIN (the rule the session route applies when it issues a session):
// a ConnectWise member administers CW–Xero Sync for a tenant when
//   - their ConnectWise security role name is in `adminSecurityRoles`
//     (default ["Admin"], compared case-insensitively), or
//   - their member identifier is in `adminMemberIdentifiers`
//     (compared case-insensitively).
// Everyone else of the tenant sees settings read-only; every change answers 403
// with words. The session token carries the member's role as read at sign-in;
// the rule is applied again on every request with these lists at most a
// minute old (server/session.ts), so a member taken off them loses admin
// rights within a minute, and a changed role applies at the next session.
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Db } from './db/index.js';
import { nowIso } from './db/index.js';
import { preparedRead } from './db/prepared-read.js';
import { invoiceMappingSettingsSchema } from '../shared/invoice-settings.js';
import { expenseSettingsSchema } from '../shared/expense-settings.js';
import { procurementSettingsSchema } from '../shared/procurement-settings.js';
import { memberIdentifier, pushersSchema, roleName } from '../shared/permission-settings.js';
import { DEFAULT_PAYMENT_SYNC_INTERVAL_MINUTES, paymentSyncIntervalMinutes } from './payments/payment-settings.js';
import { alertSettingsSchema } from '../shared/alert-settings.js';
import { recordSettingsVersion, settingsChangedPaths, type SettingsChange } from './audit/settings-versions.js';

/** A settings section without its defaults, every field optional: a PUT changes only what it names. */
function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  return z
    .object(Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, (v as unknown as z.ZodDefault<z.ZodType>).unwrap().optional()])) as unknown as {
      [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer T> ? T : S[K]>;
    })
    .strict();
}

export const invoiceMappingPatchSchema = patchOf(invoiceMappingSettingsSchema);
export const expenseSettingsPatchSchema = patchOf(expenseSettingsSchema);
export const procurementSettingsPatchSchema = patchOf(procurementSettingsSchema);

/** The stored document. Defaults make an absent or older row valid. */
export const tenantSettingsSchema = z.object({
  adminSecurityRoles: z.array(roleName).max(50).default(['Admin']),
  adminMemberIdentifiers: z.array(memberIdentifier).max(200).default([]),
  /** How ConnectWise invoices become Xero documents (issue 4). */
  invoiceMapping: invoiceMappingSettingsSchema.prefault({}),
  /** How often payments are pulled from Xero on the schedule (issue 5). */
  paymentSyncIntervalMinutes: paymentSyncIntervalMinutes.default(DEFAULT_PAYMENT_SYNC_INTERVAL_MINUTES),
  /** Who may push to Xero and run syncs besides the admins (issue 12; the rule is in permission.ts). */
  pushers: pushersSchema.prefault({}),
  /** How expense reports become Xero bills (issue 10). */
  expenses: expenseSettingsSchema.prefault({}),
  /** How purchase orders become Xero bills and inventory movements journals (issue 11). */
  procurement: procurementSettingsSchema.prefault({}),
  /** The ConnectWise board of the exception alert ticket, or off (issue 13; server/alerts/). */
  alerts: alertSettingsSchema.prefault({}),
});
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

/** What an admin may send to PUT /api/settings: any subset of the fields, nothing unknown. */
export const tenantSettingsPatchSchema = z
  .object({
    adminSecurityRoles: z.array(roleName).max(50),
    adminMemberIdentifiers: z.array(memberIdentifier).max(200),
    invoiceMapping: invoiceMappingPatchSchema,
    paymentSyncIntervalMinutes,
    pushers: patchOf(pushersSchema),
    /** Named fields replace the stored ones; the Wise-Pay matrix is replaced whole. */
    expenses: expenseSettingsPatchSchema,
    /** Named fields replace the stored ones; the warehouse accounts and tax map are replaced whole. */
    procurement: procurementSettingsPatchSchema,
    /** Replaced whole. */
    alerts: alertSettingsSchema,
  })
  .partial()
  .strict();
export type TenantSettingsPatch = z.infer<typeof tenantSettingsPatchSchema>;

export function defaultSettings(): TenantSettings {
  return JSON.parse((defaultsJson ??= JSON.stringify(tenantSettingsSchema.parse({})))) as TenantSettings;
}
let defaultsJson: string | undefined;

const storedSettings = preparedRead((k, a: { tenantId: string }) => k.selectFrom('tenant_settings').select('settings_json').where('tenant_id', '=', a.tenantId));

export async function loadTenantSettings(db: Db, tenantId: string): Promise<TenantSettings> {
  const [row] = await storedSettings(db, { tenantId });
  return row ? settingsOfStored(row.settings_json) : defaultSettings();
}

/**
 * Stored documents already validated, by their text (at most STORED_SETTINGS_KEPT, the least recently used forgotten
 * first; none over STORED_SETTINGS_MAX_CHARS): every request of a pod reads its tenant's settings, and
 * validating the whole document each time was most of a settings read (issue 12). The row is read every
 * time; only what the same text validates to is kept, so nothing can be stale. Kept as JSON, so each
 * caller gets its own copy.
 */
export const STORED_SETTINGS_KEPT = 256;
const validatedByText = new LRUCache<string, string>({ max: STORED_SETTINGS_KEPT });
const STORED_SETTINGS_MAX_CHARS = 256 * 1024;

/** The settings a stored document holds, validated with today's defaults. */
export function settingsOfStored(json: string): TenantSettings {
  const hit = validatedByText.get(json);
  if (hit !== undefined) return JSON.parse(hit) as TenantSettings;
  const settings = validateStored(json);
  if (json.length <= STORED_SETTINGS_MAX_CHARS) validatedByText.set(json, JSON.stringify(settings));
  return settings;
}

function validateStored(json: string): TenantSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  // Unknown keys (e.g. from a newer version) are dropped; bad values fall back to defaults
  // field by field rather than locking everyone out of the settings screen.
  const parsed = tenantSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fallback = defaultSettings();
  const obj = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  for (const key of Object.keys(fallback) as (keyof TenantSettings)[]) {
    const one = tenantSettingsSchema.shape[key].safeParse(obj[key]);
    if (one.success) (fallback as Record<string, unknown>)[key] = one.data;
  }
  return fallback;
}

/** The settings a validated patch makes of the current ones (a PUT, an import and its dry run). */
export function applySettingsPatch(current: TenantSettings, patch: TenantSettingsPatch): TenantSettings {
  return tenantSettingsSchema.parse({ ...current, ...patch, invoiceMapping: { ...current.invoiceMapping, ...patch.invoiceMapping }, pushers: { ...current.pushers, ...patch.pushers }, expenses: { ...current.expenses, ...patch.expenses }, procurement: { ...current.procurement, ...patch.procurement } });
}

/**
 * Applies a validated patch and stores the whole document; returns the new
 * settings. With `change`, the same transaction records a settings version:
 * who, when and the paths of the fields that changed (audit/settings-versions.ts).
 */
export async function saveTenantSettings(db: Db, tenantId: string, patch: TenantSettingsPatch, change?: SettingsChange): Promise<TenantSettings> {
  const current = await loadTenantSettings(db, tenantId);
  const next = applySettingsPatch(current, patch);
  const json = JSON.stringify(next);
  const at = nowIso();
  await db.k.transaction().execute(async (tx) => {
    await tx
      .insertInto('tenant_settings')
      .values({ tenant_id: tenantId, settings_json: json, updated_at: at })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ settings_json: json, updated_at: at }))
      .execute();
    if (change) await recordSettingsVersion(tx, tenantId, change, settingsChangedPaths(tenantSettingsSchema, current, next), at);
  });
  return next;
}

export interface MemberForAdminCheck {
  identifier: string;
  /** The member's ConnectWise security role name (`securityRole.name`), if known. */
  securityRoleName?: string | null | undefined;
}

/** The admin rule documented at the top of this file. */
export function isTenantAdmin(settings: Pick<TenantSettings, 'adminSecurityRoles' | 'adminMemberIdentifiers'>, member: MemberForAdminCheck): boolean {
  const id = member.identifier.toLowerCase();
  if (settings.adminMemberIdentifiers.some((m) => m.toLowerCase() === id)) return true;
  const role = member.securityRoleName?.trim().toLowerCase();
  return !!role && settings.adminSecurityRoles.some((r) => r.toLowerCase() === role);
}
