// The pod <-> server API: one zod schema per request and response, shared by
// both ends so neither can drift. Money crosses the wire as decimal strings
// ("1234.50"), never as floating-point numbers.
import { z } from 'zod';

/** Our one error shape: `{error: {code, message, field?}}`. */
export const apiErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBody>;

/** A decimal amount as text: optional minus, digits, optional fraction. */
export const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount such as "1234.50"');

// ConnectWise company ids and member identifiers are short words; refusing
// anything else keeps them safe to put in a `conditions` string.
export const cwCompanyId = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be a ConnectWise company id (letters, digits, _ . -)');
export const cwMemberIdentifier = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'must be a ConnectWise member identifier');

// ---- POST /api/session ----------------------------------------------------

export const sessionRequest = z.object({
  companyid: cwCompanyId,
  memberid: cwMemberIdentifier,
  memberHash: z.string().min(1, 'is required').max(4096),
});
export type SessionRequest = z.infer<typeof sessionRequest>;

export const sessionResponse = z.object({
  token: z.string().min(1),
  expiresAt: z.string(),
  member: z.object({ identifier: z.string(), name: z.string() }),
  /** The tenant (ConnectWise company id, lower-cased). */
  tenant: z.string(),
  isAdmin: z.boolean(),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

// ---- GET /api/invoices/:id --------------------------------------------------

export const invoiceIdParam = z.object({
  id: z.coerce.number({ message: "expected a ConnectWise invoice id (a number)" }).int().positive("expected a ConnectWise invoice id (a positive number)"),
});

export const invoiceSummary = z.object({
  id: z.number().int(),
  invoiceNumber: z.string(),
  /** Standard, Agreement, CreditMemo, DownPayment, Miscellaneous, Progress. */
  type: z.string(),
  status: z.string().nullable(),
  customer: z.object({ id: z.number().int().nullable(), name: z.string() }),
  /** yyyy-mm-dd */
  date: z.string().nullable(),
  dueDate: z.string().nullable(),
  total: decimalString,
  balance: decimalString.nullable(),
  currency: z.string(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummary>;

// ---- pod-config (injected into every pod page) ----------------------------

export const podConfig = z.object({
  tenant: z.string().min(1),
  /** The ConnectWise origin the Hosted API talks to. */
  cwOrigin: z.string().url(),
  /** Where the pod reaches our API (our server's public URL). */
  apiBase: z.string().url(),
});
export type PodConfig = z.infer<typeof podConfig>;

// ==== Connect to Xero and settings (issue 3) ================================

// ---- GET/PUT /api/settings ----

export const tenantSettingsView = z.object({
  adminSecurityRoles: z.array(z.string()),
  adminMemberIdentifiers: z.array(z.string()),
});
export const settingsResponse = z.object({
  settings: tenantSettingsView,
  /** Whether the signed-in member may change settings. */
  isAdmin: z.boolean(),
  /** Who may change settings, in words (shown to everyone else). */
  whoCanChange: z.string(),
});
export type SettingsResponse = z.infer<typeof settingsResponse>;

// ---- POST /api/xero/connect ----

export const xeroConnectResponse = z.object({
  /** Open in the popup: our /oauth/xero/start, which redirects to Xero's sign-in. */
  url: z.string().url(),
  expiresAt: z.string(),
});
export type XeroConnectResponse = z.infer<typeof xeroConnectResponse>;

// ---- the OAuth popup's report to the settings pod (penpal) ----

export const oauthPopupResult = z.object({
  ok: z.boolean(),
  /** connected | access_denied | state_unknown | state_used | state_expired | state_foreign | … */
  code: z.string(),
  message: z.string(),
  tenant: z.string().nullable(),
  connectionId: z.string().nullable(),
  orgs: z.array(z.object({ xeroTenantId: z.string(), name: z.string() })),
});
export type OauthPopupResult = z.infer<typeof oauthPopupResult>;

// ---- GET /api/xero/status ----

export const xeroOrgView = z.object({
  xeroTenantId: z.string(),
  name: z.string(),
  connectionId: z.string(),
});
export const xeroConnectionView = z.object({
  id: z.string(),
  status: z.enum(['ok', 'needs_reconnect']),
  /** The connection's health in words. */
  health: z.string(),
  lastRefreshAt: z.string().nullable(),
  lastError: z.string().nullable(),
  connectedAt: z.string(),
  connectedBy: z.string().nullable(),
  orgs: z.array(xeroOrgView),
});
export const locationMapping = z.object({
  cwLocationId: z.number().int().positive(),
  xeroTenantId: z.string(),
});
export const xeroStatusResponse = z.object({
  connections: z.array(xeroConnectionView),
  orgs: z.array(xeroOrgView),
  locationMap: z.array(locationMapping),
  needsReconnect: z.boolean(),
  /** Shown by every pod of the tenant when a connection needs reconnecting; null when all is well. */
  banner: z.string().nullable(),
});
export type XeroStatusResponse = z.infer<typeof xeroStatusResponse>;
export type XeroConnectionView = z.infer<typeof xeroConnectionView>;

// ---- PUT /api/xero/location-map ----

export const locationMapRequest = z
  .object({
    /** The whole map: a location left out is unmapped. */
    mappings: z
      .array(
        z
          .object({
            cwLocationId: z.number({ message: 'expected a ConnectWise location id (a number)' }).int().positive(),
            xeroTenantId: z.string().trim().min(1, 'is required').max(64),
          })
          .strict(),
      )
      .max(500),
  })
  .strict();
export type LocationMapRequest = z.infer<typeof locationMapRequest>;

// ---- GET /api/cw/locations ----

export const cwLocationsResponse = z.object({
  locations: z.array(z.object({ id: z.number().int(), name: z.string() })),
});
export type CwLocationsResponse = z.infer<typeof cwLocationsResponse>;

// ---- DELETE /api/xero/connections/:id ----

export const xeroDisconnectResponse = z.object({
  disconnected: z.boolean(),
  /** What could not be done at Xero (the local tokens are deleted regardless), in words. */
  warnings: z.array(z.string()),
});
export type XeroDisconnectResponse = z.infer<typeof xeroDisconnectResponse>;
