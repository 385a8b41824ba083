// What the settings pod exposes to the Xero sign-in popup over penpal.
import type { OauthPopupResult } from '../../shared/api.js';

export interface SettingsPodMethods {
  reportXeroConnect(result: OauthPopupResult): void;
  [name: string]: (...args: never[]) => unknown;
}

/**
 * The popup's outcome in the shape of shared/api.ts `oauthPopupResult`, or
 * undefined: checked by hand, as the pod carries no validator library (its
 * JavaScript budget is 20 KB).
 */
export function readOauthPopupResult(raw: unknown): OauthPopupResult | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
  if (typeof r.ok !== 'boolean' || typeof r.code !== 'string' || typeof r.message !== 'string' || !strOrNull(r.tenant) || !strOrNull(r.connectionId) || !Array.isArray(r.orgs)) return undefined;
  const orgs: OauthPopupResult['orgs'] = [];
  for (const o of r.orgs as unknown[]) {
    if (typeof o !== 'object' || o === null) return undefined;
    const { xeroTenantId, name } = o as Record<string, unknown>;
    if (typeof xeroTenantId !== 'string' || typeof name !== 'string') return undefined;
    orgs.push({ xeroTenantId, name });
  }
  return { ok: r.ok, code: r.code, message: r.message, tenant: r.tenant, connectionId: r.connectionId, orgs };
}
