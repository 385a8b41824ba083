// Shared set-up for the Xero simulator's conformance tests.
import { createHash, randomBytes } from 'node:crypto';
import { XeroClient } from 'xero-node';
import { expect } from 'vitest';
import { startXeroSim, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, HARBOUR_TENANT_ID, KIWI_TENANT_ID } from '../../sim/xero/index.js';
import { loadSchemas, validateResponse } from './openapi-validator.js';

export { HARBOUR_TENANT_ID, KIWI_TENANT_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET };
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const SCOPES = 'openid profile email offline_access accounting.transactions accounting.contacts accounting.settings';

export type Sim = Awaited<ReturnType<typeof startXeroSim>>;
export { startXeroSim };

export const yamlPresent = loadSchemas() !== null;
if (!yamlPresent) console.log('skipped: reference yaml absent (responses not validated against the OpenAPI schemas)');

export function basic(id = DEFAULT_CLIENT_ID, secret = DEFAULT_CLIENT_SECRET): string {
  return 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');
}

export async function tokenRequest(url: string, form: Record<string, string>, auth = basic()): Promise<Response> {
  return fetch(`${url}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
    body: new URLSearchParams(form).toString(),
  });
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function hiddenTxn(html: string): string {
  const m = /name="txn" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no txn field on the page');
  return m[1]!;
}

/** Drives the consent pages with plain fetch; returns the redirect Location. */
export async function consent(url: string, opts: { challenge?: string; state?: string; nonce?: string; tenants?: string[]; decision?: 'allow' | 'deny' } = {}): Promise<URL> {
  const q = new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope: SCOPES, state: opts.state ?? 'st-1' });
  if (opts.challenge) { q.set('code_challenge', opts.challenge); q.set('code_challenge_method', 'S256'); }
  if (opts.nonce) q.set('nonce', opts.nonce);
  const page = await fetch(`${url}/identity/connect/authorize?${q}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('id="email"');
  expect(html).toContain('value="demo@harbourit.example"');
  const signed = await fetch(`${url}/identity/connect/authorize/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ txn: hiddenTxn(html), email: 'demo@harbourit.example', password: 'demo' }).toString(),
  });
  expect(signed.status).toBe(200);
  const consentHtml = await signed.text();
  expect(consentHtml).toContain('Harbour IT Pty Ltd');
  expect(consentHtml).toContain('Kiwi Managed Services Ltd');
  const form = new URLSearchParams({ txn: hiddenTxn(consentHtml), decision: opts.decision ?? 'allow' });
  for (const t of opts.tenants ?? [HARBOUR_TENANT_ID, KIWI_TENANT_ID]) form.append('tenant', t);
  const res = await fetch(`${url}/identity/connect/authorize/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

export interface TokenSet { access_token: string; refresh_token?: string; id_token?: string; expires_in: number; token_type: string; scope: string }

/** Full authorization-code flow with PKCE, both organisations connected. */
export async function userTokens(url: string, tenants?: string[]): Promise<TokenSet> {
  const { verifier, challenge } = pkcePair();
  const loc = await consent(url, { challenge, ...(tenants ? { tenants } : {}) });
  const res = await tokenRequest(url, { grant_type: 'authorization_code', code: loc.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: verifier });
  expect(res.status).toBe(200);
  return (await res.json()) as TokenSet;
}

export function sdkClient(url: string, tokens: TokenSet): XeroClient {
  const xero = new XeroClient({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, redirectUris: [REDIRECT_URI], scopes: SCOPES.split(' ') });
  // The SDK's generated API takes a settable base path; tokens go in with setTokenSet.
  xero.accountingApi.basePath = `${url}/api.xro/2.0`;
  xero.setTokenSet({ ...tokens, expires_at: Math.floor(Date.now() / 1000) + tokens.expires_in });
  validateEverySdkResponse(xero);
  return xero;
}

const COLLECTIONS = ['Invoices', 'Contacts', 'CreditNotes', 'Payments', 'Overpayments', 'ManualJournals', 'Accounts', 'TaxRates', 'TrackingCategories', 'Items', 'Organisations', 'Currencies', 'Allocations'];
const ELEMENT_OF: [RegExp, string][] = [[/Allocation/, 'Allocation'], [/CreditNote/, 'CreditNote'], [/Invoice/, 'Invoice'], [/Contact/, 'Contact'], [/Payment/, 'Payment'], [/ManualJournal/, 'ManualJournal'], [/Item/, 'Item']];

/** Wraps every AccountingApi method so each JSON body the simulator sends back is checked against the OpenAPI schemas. */
function validateEverySdkResponse(xero: XeroClient): void {
  if (!yamlPresent) return;
  const api = xero.accountingApi as unknown as Record<string, unknown>;
  const proto = Object.getPrototypeOf(api) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const original = proto[name];
    if (name === 'constructor' || typeof original !== 'function') continue;
    api[name] = async (...args: unknown[]) => {
      let result: { response: { data?: unknown } };
      try {
        result = await (original as (...a: unknown[]) => Promise<{ response: { data?: unknown } }>).apply(api, args);
      } catch (e) {
        const parsed = typeof e === 'string' ? JSON.parse(e) : undefined;
        const body = parsed?.response?.body;
        if (body && typeof body === 'object' && 'ErrorNumber' in body) {
          const element = ELEMENT_OF.find(([re]) => re.test(name))?.[1];
          const problems = validateResponse(body, 'Error', element);
          if (problems.length) throw new Error(`${name}: error body does not match the OpenAPI schema: ${problems.join('; ')}`);
        }
        throw e;
      }
      const data = result.response.data as Record<string, unknown> | undefined;
      if (data && typeof data === 'object') {
        const key = COLLECTIONS.find((k) => k in data);
        const problems = key
          ? validateResponse(data, key)
          : 'Options' in data
            ? validateResponse(data, 'TrackingOptions')
          : 'AllocationID' in data
            ? validateResponse({ Id: 'x', Status: 'OK', ProviderName: 'p', DateTimeUTC: '/Date(0)/', Allocations: [data] }, 'Allocations')
            : [`${name}: response has no known collection`];
        if (problems.length) throw new Error(`${name}: response does not match the OpenAPI schema: ${problems.join('; ')}`);
      }
      return result;
    };
  }
}

/** xero-node rejects with a JSON string; this returns its response part. */
export async function sdkFailure(p: Promise<unknown>): Promise<{ statusCode: number; body: any; headers: Record<string, string> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error) throw e; // not an API failure (e.g. a schema violation found by the wrapper)
    const parsed = typeof e === 'string' ? JSON.parse(e) : e;
    return parsed.response;
  }
  throw new Error('expected the SDK call to fail');
}

/** Raw JSON of an SDK response, validated against the OpenAPI schema. */
export function raw(res: { response: { data?: unknown } }, schema: string): any {
  const body = res.response.data;
  expect(validateResponse(body, schema)).toEqual([]);
  return body;
}

export function apiFetch(url: string, token: string, tenantId: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}/api.xro/2.0${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': tenantId, accept: 'application/json', 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
}

export { validateResponse };
