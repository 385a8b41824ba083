// Identity side of the Xero simulator: discovery, consent, PKCE, rotation
// with grace, revocation, expiry, connections, tenant checks.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  DEFAULT_CLIENT_ID, HARBOUR_TENANT_ID, KIWI_TENANT_ID, REDIRECT_URI, apiFetch, consent, pkcePair, sdkClient, sdkFailure,
  startXeroSim, tokenRequest, userTokens, basic, type Sim,
} from './helpers.js';

let sim: Sim;
beforeAll(async () => { sim = await startXeroSim({ port: 0, refreshGraceSeconds: 60 }); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => { await fetch(`${sim.url}/__sim/reset`, { method: 'POST' }); });

const clock = (body: object) => fetch(`${sim.url}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('discovery and consent', () => {
  it('publishes discovery with the sim as issuer and a working JWKS', async () => {
    const d = await (await fetch(`${sim.url}/.well-known/openid-configuration`)).json();
    expect(d.issuer).toBe(sim.url);
    expect(d.authorization_endpoint).toBe(`${sim.url}/identity/connect/authorize`);
    expect(d.token_endpoint).toBe(`${sim.url}/connect/token`);
    expect(d.revocation_endpoint).toBe(`${sim.url}/connect/revocation`);
    expect((await fetch(`${sim.url}/healthz`)).status).toBe(200);
  });

  it('code flow with PKCE: state echoed, id_token RS256 with nonce, access token carries the tenants', async () => {
    const { verifier, challenge } = pkcePair();
    const loc = await consent(sim.url, { challenge, state: 'xyz-123', nonce: 'n-42', tenants: [KIWI_TENANT_ID] });
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT_URI);
    expect(loc.searchParams.get('state')).toBe('xyz-123');
    const code = loc.searchParams.get('code')!;
    const res = await tokenRequest(sim.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
    expect(res.status).toBe(200);
    const t = await res.json();
    expect(t.expires_in).toBe(1800);
    expect(t.refresh_token).toBeTruthy();
    const jwks = createRemoteJWKSet(new URL(`${sim.url}/.well-known/openid-configuration/jwks`));
    const id = await jwtVerify(t.id_token, jwks, { issuer: sim.url, audience: DEFAULT_CLIENT_ID });
    expect(id.protectedHeader.alg).toBe('RS256');
    expect(id.payload.nonce).toBe('n-42');
    expect(id.payload.email).toBe('demo@harbourit.example');
    const at = await jwtVerify(t.access_token, jwks, { issuer: sim.url });
    expect(at.payload.xero_tenant_ids).toEqual([KIWI_TENANT_ID]);
    // the code is single-use
    const again = await tokenRequest(sim.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_grant' });
    // only the consented organisation is reachable
    const conns = await (await fetch(`${sim.url}/connections`, { headers: { authorization: `Bearer ${t.access_token}` } })).json();
    expect(conns).toHaveLength(1);
    expect(conns[0]).toMatchObject({ tenantId: KIWI_TENANT_ID, tenantType: 'ORGANISATION', tenantName: 'Kiwi Managed Services Ltd' });
    expect(conns[0].authEventId).toBe(at.payload.authentication_event_id);
  });

  it('Cancel redirects with access_denied and the state', async () => {
    const loc = await consent(sim.url, { decision: 'deny', state: 'cancel-me' });
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe('cancel-me');
    expect(loc.searchParams.get('code')).toBeNull();
  });

  it('rejects a wrong PKCE verifier, a wrong redirect_uri and a wrong client secret', async () => {
    const { challenge } = pkcePair();
    const loc = await consent(sim.url, { challenge });
    const bad = await tokenRequest(sim.url, { grant_type: 'authorization_code', code: loc.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: pkcePair().verifier });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe('invalid_grant');

    const p2 = pkcePair();
    const loc2 = await consent(sim.url, { challenge: p2.challenge });
    const wrongRedirect = await tokenRequest(sim.url, { grant_type: 'authorization_code', code: loc2.searchParams.get('code')!, redirect_uri: 'http://127.0.0.1:9/other', code_verifier: p2.verifier });
    expect((await wrongRedirect.json()).error).toBe('invalid_grant');

    const wrongSecret = await tokenRequest(sim.url, { grant_type: 'client_credentials' }, basic(DEFAULT_CLIENT_ID, 'nope'));
    expect(wrongSecret.status).toBe(400);
    expect((await wrongSecret.json()).error).toBe('invalid_client');
  });

  it('refuses bad authorize requests with a page naming the parameter', async () => {
    const q = (o: Record<string, string>) => new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', ...o });
    const noScope = await fetch(`${sim.url}/identity/connect/authorize?${q({ scope: 'accounting.transactions' })}`);
    expect(noScope.status).toBe(400);
    expect(await noScope.text()).toContain('scope must include openid');
    const badClient = await fetch(`${sim.url}/identity/connect/authorize?${q({ client_id: 'someone-else' })}`);
    expect(badClient.status).toBe(400);
    const plain = await fetch(`${sim.url}/identity/connect/authorize?${q({ code_challenge: pkcePair().challenge, code_challenge_method: 'plain' })}`);
    expect(await plain.text()).toContain('code_challenge_method must be S256');
    const tokenNoGrant = await tokenRequest(sim.url, {});
    expect(await tokenNoGrant.json()).toEqual({ error: 'invalid_request', error_description: 'grant_type is required' });
  });
});

describe('tokens over time', () => {
  it('refresh rotates; the old refresh token works during the grace period, then invalid_grant', async () => {
    const t1 = await userTokens(sim.url);
    const r2 = await tokenRequest(sim.url, { grant_type: 'refresh_token', refresh_token: t1.refresh_token! });
    expect(r2.status).toBe(200);
    const t2 = await r2.json();
    expect(t2.refresh_token).toBeTruthy();
    expect(t2.refresh_token).not.toBe(t1.refresh_token);
    // a crash before storing t2: the old token still works within grace (60 s here)
    await clock({ advanceSeconds: 30 });
    const retry = await tokenRequest(sim.url, { grant_type: 'refresh_token', refresh_token: t1.refresh_token! });
    expect(retry.status).toBe(200);
    await clock({ advanceSeconds: 31 });
    const late = await tokenRequest(sim.url, { grant_type: 'refresh_token', refresh_token: t1.refresh_token! });
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual({ error: 'invalid_grant' });
    // the newest token keeps working
    expect((await tokenRequest(sim.url, { grant_type: 'refresh_token', refresh_token: t2.refresh_token })).status).toBe(200);
  });

  it('access tokens expire after 30 minutes of the sim clock → 401 through xero-node', async () => {
    const t = await userTokens(sim.url);
    const xero = sdkClient(sim.url, t);
    const ok = await xero.accountingApi.getOrganisations(HARBOUR_TENANT_ID);
    expect(ok.body.organisations?.[0]?.name).toBe('Harbour IT Pty Ltd');
    await clock({ advanceSeconds: 1801 });
    const fail = await sdkFailure(xero.accountingApi.getOrganisations(HARBOUR_TENANT_ID));
    expect(fail.statusCode).toBe(401);
    expect(fail.body).toMatchObject({ Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' });
    // a token that is not ours, or no token at all
    expect((await apiFetch(sim.url, 'not-a-jwt', HARBOUR_TENANT_ID, '/Organisation')).status).toBe(401);
    expect((await fetch(`${sim.url}/api.xro/2.0/Organisation`, { headers: { 'xero-tenant-id': HARBOUR_TENANT_ID } })).status).toBe(401);
  });

  it('revoking the refresh token kills the refresh token and the access tokens of the grant', async () => {
    const t = await userTokens(sim.url);
    const rev = await fetch(`${sim.url}/connect/revocation`, { method: 'POST', headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: t.refresh_token! }).toString() });
    expect(rev.status).toBe(200);
    expect((await apiFetch(sim.url, t.access_token, HARBOUR_TENANT_ID, '/Organisation')).status).toBe(401);
    const refresh = await tokenRequest(sim.url, { grant_type: 'refresh_token', refresh_token: t.refresh_token! });
    expect(await refresh.json()).toEqual({ error: 'invalid_grant' });
  });

  it('xero-tenant-id must be one of the token\'s connections (403), and DELETE /connections removes one', async () => {
    const t = await userTokens(sim.url, [HARBOUR_TENANT_ID]);
    const xero = sdkClient(sim.url, t);
    const fail = await sdkFailure(xero.accountingApi.getOrganisations(KIWI_TENANT_ID));
    expect(fail.statusCode).toBe(403);
    expect(fail.body.Detail).toBe('AuthorizationUnsuccessful');
    const unknown = await apiFetch(sim.url, t.access_token, '00000000-0000-4000-8000-000000000000', '/Organisation');
    expect(unknown.status).toBe(403);

    const both = await userTokens(sim.url);
    const conns = await (await fetch(`${sim.url}/connections`, { headers: { authorization: `Bearer ${both.access_token}` } })).json();
    expect(conns.map((c: { tenantId: string }) => c.tenantId).sort()).toEqual([HARBOUR_TENANT_ID, KIWI_TENANT_ID].sort());
    const kiwi = conns.find((c: { tenantId: string }) => c.tenantId === KIWI_TENANT_ID);
    const del = await fetch(`${sim.url}/connections/${kiwi.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${both.access_token}` } });
    expect(del.status).toBe(204);
    expect((await apiFetch(sim.url, both.access_token, KIWI_TENANT_ID, '/Organisation')).status).toBe(403);
    expect((await apiFetch(sim.url, both.access_token, HARBOUR_TENANT_ID, '/Organisation')).status).toBe(200);
  });

  it('client_credentials gives a custom connection to one organisation, no refresh token', async () => {
    const res = await tokenRequest(sim.url, { grant_type: 'client_credentials', scope: 'accounting.transactions accounting.settings' });
    expect(res.status).toBe(200);
    const t = await res.json();
    expect(t.refresh_token).toBeUndefined();
    expect((await apiFetch(sim.url, t.access_token, HARBOUR_TENANT_ID, '/Organisation')).status).toBe(200);
    expect((await apiFetch(sim.url, t.access_token, KIWI_TENANT_ID, '/Organisation')).status).toBe(403);
  });

  it('checks scopes: reads take the .read scope, writes the full one', async () => {
    const t = await (await tokenRequest(sim.url, { grant_type: 'client_credentials', scope: 'accounting.contacts accounting.transactions.read' })).json();
    expect((await apiFetch(sim.url, t.access_token, HARBOUR_TENANT_ID, '/Contacts')).status).toBe(200);
    expect((await apiFetch(sim.url, t.access_token, HARBOUR_TENANT_ID, '/Invoices')).status).toBe(200);
    const write = await apiFetch(sim.url, t.access_token, HARBOUR_TENANT_ID, '/Invoices', { method: 'PUT', body: JSON.stringify({ Invoices: [] }) });
    expect(write.status).toBe(403);
    expect((await write.json()).Detail).toBe('AuthorizationUnsuccessful');
    expect((await apiFetch(sim.url, t.access_token, HARBOUR_TENANT_ID, '/Accounts')).status).toBe(403);
  });
});
