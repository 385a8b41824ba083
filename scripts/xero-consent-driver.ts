// Drives "Connect to Xero" against the Xero simulator over plain HTTP, as a
// person in the popup would: our connect API, a POST to /oauth/xero/start
// (which sets the browser-binding cookie and redirects), the simulator's sign-in and consent
// forms (as its demo user), and our callback. Used by the tests and by the demo
// start, which connects the simulated organisations for a newcomer.
// It lives in scripts/, not sim/: it drives the product's API, and the
// simulators import nothing of the product (tests/review/layers.test.ts).
import { oauthPopupResult, xeroConnectResponse, type OauthPopupResult } from '../shared/api.js';

export interface ConsentChoice {
  /** Which organisations to tick: all offered (default), or these ids. */
  orgs?: 'all' | string[];
  decision?: 'allow' | 'deny';
}

export async function api(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/**
 * POST /api/xero/connect → the popup link as the settings pod holds it: the
 * URL, with the start proof it posts after `#` (a fragment never reaches a server).
 */
export async function connectUrl(serverUrl: string, token: string): Promise<string> {
  const res = await api(serverUrl, token, 'POST', '/api/xero/connect');
  if (res.status !== 200) throw new Error(`connect: ${res.status} ${await res.text()}`);
  const start = xeroConnectResponse.parse(await res.json());
  return `${start.url}#startProof=${encodeURIComponent(start.startProof)}`;
}

/** What the settings pod does with the link: a POST of its start proof, from our origin, into the popup. */
export async function startSignIn(popupLink: string): Promise<Response> {
  const [url = '', fragment = ''] = popupLink.split('#');
  return fetch(url, {
    method: 'POST',
    headers: { origin: new URL(url).origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fragment).toString(),
    redirect: 'manual',
  });
}

export interface ConsentOutcome {
  /** Our callback URL as the simulator redirected to it (code + state, or error + state). */
  callbackUrl: string;
  /** The browser-binding cookie our start page set ("name=value"). */
  cookie: string;
  offeredOrgs: string[];
}

/** Starts the sign-in from the popup link and answers the simulator's pages; stops before our callback. */
export async function consent(popupLink: string, choice: ConsentChoice = {}): Promise<ConsentOutcome> {
  const start = await startSignIn(popupLink);
  if (start.status !== 303) throw new Error(`start: ${start.status} ${await start.text()}`);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const authorize = start.headers.get('location')!;
  const signInPage = await (await fetch(authorize)).text();
  const txn = /name="txn" value="([^"]+)"/.exec(signInPage)?.[1];
  if (!txn) throw new Error(`no sign-in form: ${signInPage.slice(0, 300)}`);
  const simOrigin = new URL(authorize).origin;
  const consentPage = await (
    await fetch(`${simOrigin}/identity/connect/authorize/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ txn, email: 'demo@harbourit.example', password: 'demo' }).toString(),
    })
  ).text();
  const offeredOrgs = [...consentPage.matchAll(/name="tenant" value="([^"]+)"/g)].map((m) => m[1]!);
  const form = new URLSearchParams({ txn, decision: choice.decision ?? 'allow' });
  for (const org of !choice.orgs || choice.orgs === 'all' ? offeredOrgs : choice.orgs) form.append('tenant', org);
  const decided = await fetch(`${simOrigin}/identity/connect/authorize/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  if (decided.status !== 302) throw new Error(`consent: ${decided.status} ${(await decided.text()).slice(0, 300)}`);
  return { callbackUrl: decided.headers.get('location')!, cookie, offeredOrgs };
}

/** Calls our callback (with or without the cookie) and reads the outcome injected into the popup page. */
export async function callback(callbackUrl: string, cookie: string | null): Promise<{ status: number; result: OauthPopupResult }> {
  const res = await fetch(callbackUrl, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const html = await res.text();
  const json = /<script id="oauth-result" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error(`callback page without result (${res.status}): ${html.slice(0, 300)}`);
  return { status: res.status, result: oauthPopupResult.parse(JSON.parse(json)) };
}

/** The whole happy path: returns the callback's outcome. */
export async function connectXero(serverUrl: string, token: string, choice: ConsentChoice = {}): Promise<OauthPopupResult & { offeredOrgs: string[] }> {
  const c = await consent(await connectUrl(serverUrl, token), choice);
  const { result } = await callback(c.callbackUrl, c.cookie);
  return { ...result, offeredOrgs: c.offeredOrgs };
}
