// Connect to Xero over HTTP: our server + the Xero simulator, the code flow
// through the simulator's consent page, and every way it can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, TENANT_A, TENANT_B, type Stack } from './harness.js';
import { api, callback, connectUrl, connectXero, consent } from './flow.js';
import { openTokenSet } from '../../server/xero/token-set.js';
import { deriveKeys } from '../../server/crypto/keys.js';
import { accountingApiFor } from '../../server/xero/accounting.js';
import { xeroStatusResponse } from '../../shared/api.js';
import { randomBytes } from 'node:crypto';

describe.each(['sqlite', 'postgres'] as const)('Connect to Xero (%s)', (engine) => {
  let s: Stack;
  let adminA: string;
  let accountantA: string;
  let adminB: string;
  beforeAll(async () => {
    s = await startStack(engine);
    adminA = await s.session(TENANT_A, 'admin', true);
    accountantA = await s.session(TENANT_A, 'accountant', false);
    adminB = await s.session(TENANT_B, 'admin', true);
  });
  afterAll(async () => s?.close());

  const connectionRows = () => s.db.k.selectFrom('xero_connections').selectAll().execute();
  const orgRows = () => s.db.k.selectFrom('xero_orgs').selectAll().execute();

  it('refuses a non-admin in words, and nothing is started', async () => {
    const res = await api(s.server.url, accountantA, 'POST', '/api/xero/connect');
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/administers CW–Xero Sync/);
    expect(await s.db.k.selectFrom('oauth_states').selectAll().execute()).toHaveLength(0);
  });

  it('denied consent ends in words and stores nothing', async () => {
    const c = await consent(await connectUrl(s.server.url, adminA), { decision: 'deny' });
    const { status, result } = await callback(c.callbackUrl, c.cookie);
    expect(status).toBe(400);
    expect(result).toMatchObject({ ok: false, code: 'access_denied', tenant: TENANT_A });
    expect(result.message).toMatch(/nothing was connected/i);
    expect(await connectionRows()).toHaveLength(0);
  });

  it('an unknown state is refused in words', async () => {
    const { result } = await callback(`${s.server.url}/oauth/xero/callback?code=abc&state=${'x'.repeat(43)}`, null);
    expect(result).toMatchObject({ ok: false, code: 'state_unknown' });
    expect(await connectionRows()).toHaveLength(0);
  });

  it('a callback that arrives in another browser (no binding cookie) is refused, burns the state, stores nothing', async () => {
    const c = await consent(await connectUrl(s.server.url, adminA));
    const foreign = await callback(c.callbackUrl, null);
    expect(foreign.result).toMatchObject({ ok: false, code: 'state_foreign' });
    const wrongCookie = await callback(c.callbackUrl, c.cookie.replace(/=.*/, '=forged'));
    expect(wrongCookie.result.ok).toBe(false);
    // Even the right browser cannot use it afterwards.
    const late = await callback(c.callbackUrl, c.cookie);
    expect(late.result).toMatchObject({ ok: false, code: 'state_used' });
    expect(await connectionRows()).toHaveLength(0);
  });

  it('an expired state (over 10 minutes) cannot start the sign-in', async () => {
    const url = await connectUrl(s.server.url, adminA);
    await s.advance(11 * 60);
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/expired/);
  });

  it('connects both organisations through the consent page; a replayed callback is refused', async () => {
    const c = await consent(await connectUrl(s.server.url, adminA));
    expect(c.offeredOrgs).toHaveLength(2);
    const { status, result } = await callback(c.callbackUrl, c.cookie);
    expect(status).toBe(200);
    expect(result.ok).toBe(true);
    expect(result.orgs.map((o) => o.xeroTenantId).sort()).toEqual([...c.offeredOrgs].sort());
    expect(result.message).toMatch(/^Connected to Xero: /);

    const replay = await callback(c.callbackUrl, c.cookie);
    expect(replay.result).toMatchObject({ ok: false, code: 'state_used' });
    expect(await connectionRows()).toHaveLength(1);
    expect(await orgRows()).toHaveLength(2);

    const status2 = xeroStatusResponse.parse(await (await api(s.server.url, accountantA, 'GET', '/api/xero/status')).json());
    expect(status2.connections).toHaveLength(1);
    expect(status2.connections[0]).toMatchObject({ status: 'ok', health: 'Connected', connectedBy: 'admin' });
    expect(status2.orgs).toHaveLength(2);
    expect(status2.needsReconnect).toBe(false);
    expect(status2.banner).toBeNull();
  });

  it('stores the token set sealed: no token in the row, unreadable with another key or for another row', async () => {
    const [row] = await connectionRows();
    const ts = await openTokenSet(s.server.deps.keys.secretsKey, row!.id, row!.token_set_jwe);
    expect(ts.accessToken.length).toBeGreaterThan(20);
    expect(ts.refreshToken.length).toBeGreaterThan(20);
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(ts.accessToken);
    expect(raw).not.toContain(ts.refreshToken);
    const otherKey = deriveKeys(new Uint8Array(randomBytes(32))).secretsKey;
    await expect(openTokenSet(otherKey, row!.id, row!.token_set_jwe)).rejects.toThrow();
    await expect(openTokenSet(s.server.deps.keys.secretsKey, 'another-connection', row!.token_set_jwe)).rejects.toThrow(/bound to another record/);
  });

  it('the stored token drives xero-node against the configured API base', async () => {
    const [org] = await orgRows();
    const { api: acc, xeroTenantId } = await accountingApiFor(s.server.deps, TENANT_A, org!.xero_tenant_id);
    const res = await acc.getOrganisations(xeroTenantId);
    expect(res.body.organisations?.[0]?.organisationID).toBe(org!.xero_tenant_id);
    // Tenant B cannot reach tenant A's organisation.
    await expect(accountingApiFor(s.server.deps, TENANT_B, org!.xero_tenant_id)).rejects.toMatchObject({ status: 409, code: 'xero_org_not_connected' });
  });

  it('maps two billing locations to two organisations; refuses a foreign or unknown organisation naming the field', async () => {
    const orgs = (await orgRows()).map((o) => o.xero_tenant_id).sort();
    const put = await api(s.server.url, adminA, 'PUT', '/api/xero/location-map', {
      mappings: [
        { cwLocationId: 1, xeroTenantId: orgs[0] },
        { cwLocationId: 2, xeroTenantId: orgs[1] },
      ],
    });
    expect(put.status).toBe(200);
    const got = await (await api(s.server.url, accountantA, 'GET', '/api/xero/location-map')).json();
    expect(got.mappings).toEqual([
      { cwLocationId: 1, xeroTenantId: orgs[0], organisationName: expect.any(String), organisation: 'connected', words: '' },
      { cwLocationId: 2, xeroTenantId: orgs[1], organisationName: expect.any(String), organisation: 'connected', words: '' },
    ]);

    const bad = await api(s.server.url, adminA, 'PUT', '/api/xero/location-map', { mappings: [{ cwLocationId: 'one', xeroTenantId: orgs[0] }] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('mappings.0.cwLocationId');

    const unknown = await api(s.server.url, adminA, 'PUT', '/api/xero/location-map', { mappings: [{ cwLocationId: 3, xeroTenantId: 'not-an-org' }] });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatchObject({ code: 'xero_org_not_connected', field: 'mappings.0.xeroTenantId' });

    const byAccountant = await api(s.server.url, accountantA, 'PUT', '/api/xero/location-map', { mappings: [] });
    expect(byAccountant.status).toBe(403);

    // Tenant B: sees nothing of A, cannot map A's organisation (one ConnectWise company per organisation), cannot disconnect A's connection.
    const statusB = xeroStatusResponse.parse(await (await api(s.server.url, adminB, 'GET', '/api/xero/status')).json());
    expect(statusB).toMatchObject({ connections: [], orgs: [], locationMap: [] });
    const mapB = await api(s.server.url, adminB, 'PUT', '/api/xero/location-map', { mappings: [{ cwLocationId: 1, xeroTenantId: orgs[0] }] });
    expect(mapB.status).toBe(409);
    expect((await mapB.json()).error).toMatchObject({ code: 'xero_org_taken', field: 'mappings.0.xeroTenantId' });
    const [conn] = await connectionRows();
    const delB = await api(s.server.url, adminB, 'DELETE', `/api/xero/connections/${conn!.id}`);
    expect(delB.status).toBe(404);
    expect(await connectionRows()).toHaveLength(1);
    // A's map is untouched.
    expect((await (await api(s.server.url, adminA, 'GET', '/api/xero/location-map')).json()).mappings).toHaveLength(2);
  });

  it('reconnecting replaces the connection and keeps the location map', async () => {
    const before = (await connectionRows())[0]!;
    const result = await connectXero(s.server.url, adminA);
    expect(result.ok).toBe(true);
    const rows = await connectionRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toBe(before.id);
    expect(await orgRows()).toHaveLength(2);
    expect((await (await api(s.server.url, adminA, 'GET', '/api/xero/location-map')).json()).mappings).toHaveLength(2);
  });

  it('disconnect (admin only) revokes at Xero and deletes tokens and organisations; the location map is kept, "not connected"', async () => {
    const [row] = await connectionRows();
    const ts = await openTokenSet(s.server.deps.keys.secretsKey, row!.id, row!.token_set_jwe);
    expect((await api(s.server.url, accountantA, 'DELETE', `/api/xero/connections/${row!.id}`)).status).toBe(403);
    const bad = await api(s.server.url, adminA, 'DELETE', '/api/xero/connections/not-a-uuid');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('id');

    const res = await api(s.server.url, adminA, 'DELETE', `/api/xero/connections/${row!.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ disconnected: true, warnings: [] });
    expect(await connectionRows()).toHaveLength(0);
    expect(await orgRows()).toHaveLength(0);
    const kept = xeroStatusResponse.parse(await (await api(s.server.url, accountantA, 'GET', '/api/xero/status')).json()).locationMap;
    expect(kept.map((m) => [m.cwLocationId, m.organisation])).toEqual([
      [1, 'not_connected'],
      [2, 'not_connected'],
    ]);
    // At Xero: the refresh token no longer works, the token reaches no organisation.
    const refresh = await fetch(`${s.xero.url}/connect/token`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${s.server.deps.config.xero.clientId}:${s.server.deps.config.xero.clientSecret}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: ts.refreshToken }).toString(),
    });
    expect(refresh.status).toBe(400);
    const conns = await fetch(`${s.xero.url}/connections`, { headers: { authorization: `Bearer ${ts.accessToken}` } });
    expect(conns.status === 401 || (conns.status === 200 && (await conns.json()).length === 0)).toBe(true);
  });
});

describe('settings', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('sqlite');
  });
  afterAll(async () => s?.close());

  it('anyone reads them with who may change them; only an admin changes them; bad input names the field', async () => {
    const admin = await s.session(TENANT_A, 'admin', true);
    const accountant = await s.session(TENANT_A, 'accountant', false);
    const read = await (await api(s.server.url, accountant, 'GET', '/api/settings')).json();
    expect(read).toEqual({
      settings: expect.objectContaining({ adminSecurityRoles: ['Admin'], adminMemberIdentifiers: [] }),
      isAdmin: false,
      whoCanChange: 'Only members with the ConnectWise security role "Admin" can change these settings.',
    });
    const denied = await api(s.server.url, accountant, 'PUT', '/api/settings', { adminMemberIdentifiers: ['accountant'] });
    expect(denied.status).toBe(403);

    const ok = await api(s.server.url, admin, 'PUT', '/api/settings', { adminMemberIdentifiers: ['accountant'] });
    expect(ok.status).toBe(200);
    expect((await ok.json()).settings).toMatchObject({ adminSecurityRoles: ['Admin'], adminMemberIdentifiers: ['accountant'] });

    const badMember = await api(s.server.url, admin, 'PUT', '/api/settings', { adminMemberIdentifiers: ['bad id!'] });
    expect(badMember.status).toBe(400);
    expect((await badMember.json()).error.field).toBe('adminMemberIdentifiers.0');
    const unknownKey = await api(s.server.url, admin, 'PUT', '/api/settings', { superUser: true });
    expect(unknownKey.status).toBe(400);
    const nobody = await api(s.server.url, admin, 'PUT', '/api/settings', { adminSecurityRoles: [], adminMemberIdentifiers: [] });
    expect(nobody.status).toBe(400);
    expect((await nobody.json()).error.field).toBe('adminSecurityRoles');
    const notJson = await fetch(`${s.server.url}/api/settings`, { method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: 'nope' });
    expect(notJson.status).toBe(400);
    // Sent as text/plain (fetch's type for a string), it is not read at all (issue 14).
    const notTyped = await fetch(`${s.server.url}/api/settings`, { method: 'PUT', headers: { authorization: `Bearer ${admin}` }, body: 'nope' });
    expect(notTyped.status).toBe(415);

    // Tenant B's settings are its own.
    const b = await s.session(TENANT_B, 'admin', true);
    expect((await (await api(s.server.url, b, 'GET', '/api/settings')).json()).settings.adminMemberIdentifiers).toEqual([]);
    expect((await api(s.server.url, '', 'GET', '/api/settings')).status).toBe(401);
  });

  it('says so in words when the server has no Xero app configured', async () => {
    const admin = await s.session(TENANT_A, 'admin', true);
    const cfg = s.server.deps.config.xero;
    const saved = cfg.clientId;
    cfg.clientId = '';
    try {
      const res = await api(s.server.url, admin, 'POST', '/api/xero/connect');
      expect(res.status).toBe(503);
      expect((await res.json()).error).toMatchObject({ code: 'xero_not_configured' });
    } finally {
      cfg.clientId = saved;
    }
  });
});
