// The Accounting API through the official SDK, xero-node, pointed at the
// configured API base (real Xero or the simulator) and fed a fresh access token
// of the connection that reaches the organisation. We bypass XeroClient (its
// OAuth fixes Xero's URLs): AccountingApi takes the token via its `accessToken`
// setter, which fills the OAuth2 bearer header of every call.
// Callers pass an idempotencyKey to every create/update so a retry returns the
// first result instead of creating a second record.
import { AccountingApi } from 'xero-node';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { connectionIdForOrg } from './connection-store.js';
import { getAccessToken } from './token-refresh.js';

export interface AccountingHandle {
  api: AccountingApi;
  /** Pass as the first argument (xero-tenant-id) of every call. */
  xeroTenantId: string;
  connectionId: string;
}

/** A ready AccountingApi for one organisation of a tenant. Create one per unit of work: the token is fixed at creation. */
export async function accountingApiFor(deps: AppDeps, tenantId: string, xeroTenantId: string): Promise<AccountingHandle> {
  const connectionId = await connectionIdForOrg(deps, tenantId, xeroTenantId);
  if (!connectionId) {
    throw new ApiError(409, 'xero_org_not_connected', 'This Xero organisation is not connected to your ConnectWise company. An admin can connect it in the CW–Xero Sync settings.');
  }
  const api = new AccountingApi(deps.config.xero.apiBase);
  api.accessToken = await getAccessToken(deps, tenantId, connectionId);
  return { api, xeroTenantId, connectionId };
}

export interface XeroCallError {
  /** 0 when Xero was not reached at all. */
  statusCode: number;
  /** Xero's error JSON (e.g. {Type: "ValidationException", Elements: [...]}) or a text. */
  body: unknown;
  headers: Record<string, string>;
}

/**
 * xero-node rejects with a JSON *string* ({response: {statusCode, body, headers}})
 * for HTTP errors, and with {response, body} objects for non-2xx answers it did
 * not throw on; anything else is passed through as statusCode 0.
 */
export function parseXeroError(rejection: unknown): XeroCallError {
  let value: unknown = rejection;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { statusCode: 0, body: value, headers: {} };
    }
  }
  const response = (value as { response?: { statusCode?: unknown; status?: unknown; body?: unknown; data?: unknown; headers?: unknown } } | null)?.response;
  if (response && typeof response === 'object') {
    const statusCode = typeof response.statusCode === 'number' ? response.statusCode : typeof response.status === 'number' ? response.status : 0;
    const headers: Record<string, string> = {};
    if (response.headers && typeof response.headers === 'object') {
      for (const [k, v] of Object.entries(response.headers as Record<string, unknown>)) if (v != null) headers[k.toLowerCase()] = String(v);
    }
    return { statusCode, body: response.body ?? response.data ?? (value as { body?: unknown }).body ?? null, headers };
  }
  return { statusCode: 0, body: rejection instanceof Error ? rejection.message : String(rejection), headers: {} };
}

/**
 * What a call rejects with when its 2xx answer was not JSON: a string, which
 * parseXeroError reads as "Xero did not answer" (statusCode 0) — a read is
 * asked again, and a create is looked up before it is sent again, as after a
 * dropped connection.
 */
export const GARBLED_ANSWER = 'Xero answered with something other than JSON';

/**
 * Whether a resolved xero-node call carried JSON. xero-node resolves every 2xx
 * and axios hands over the raw text when it is not JSON (cut short, garbled, a
 * proxy's HTML page), which the SDK then reads as an empty model: "no such
 * invoice" where Xero said nothing. Xero's answers are JSON objects (a bare
 * null or number is not one either); 204 No Content has no body to judge.
 */
export function answeredJson(result: unknown): boolean {
  const response = (result as { response?: { status?: unknown; data?: unknown } } | null)?.response;
  if (!response || typeof response !== 'object') return true;
  return response.status === 204 || (typeof response.data === 'object' && response.data !== null);
}
