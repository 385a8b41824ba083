// One ConnectWise company per Xero organisation, and disconnect keeping the
// location map (issue 9, points 7 and 10), over HTTP: two tenants, the Xero
// simulator's consent page, our callback, the status and map routes. The
// reservation follows the connection: A disconnects → A's kept mapping says
// "not connected"; B connects the organisation → A's mapping says another
// ConnectWise company has it; A reconnecting is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, TENANT_A, TENANT_B, type Stack } from './harness.js';
import { api, connectXero } from './flow.js';
import { xeroStatusResponse, type LocationMapView } from '../../shared/api.js';
import { HARBOUR_TENANT_ID as AU, KIWI_TENANT_ID as NZ } from '../../sim/xero/index.js';
import { locationResolver } from '../../server/xero/location-map.js';
import { accountingApiFor } from '../../server/xero/accounting.js';
import { saveNewConnection } from '../../server/xero/connection-store.js';
import { isUniqueViolation } from '../../server/db/errors.js';
import type { AppDeps } from '../../server/deps.js';

const AU_NAME = 'Harbour IT Pty Ltd';

describe.each(['sqlite', 'postgres'] as const)('one ConnectWise company per Xero organisation (%s)', (engine) => {
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

  const status = async (token: string) => xeroStatusResponse.parse(await (await api(s.server.url, token, 'GET', '/api/xero/status')).json());
  const mapOf = async (token: string): Promise<LocationMapView[]> => (await status(token)).locationMap;
  const holders = async (org: string) => (await s.db.k.selectFrom('xero_orgs').select('tenant_id').where('xero_tenant_id', '=', org).execute()).map((r) => r.tenant_id);
  const connectionsOf = async (tenant: string) => s.db.k.selectFrom('xero_connections').select('id').where('tenant_id', '=', tenant).execute();
  const putMap = (token: string, mappings: { cwLocationId: number; xeroTenantId: string }[]) => api(s.server.url, token, 'PUT', '/api/xero/location-map', { mappings });
  const resolveA = async (loc: number, name?: string) => (await locationResolver(s.server.deps, TENANT_A))(loc, name);
  const disconnectAll = async (token: string) => {
    for (const c of (await status(token)).connections) expect((await api(s.server.url, token, 'DELETE', `/api/xero/connections/${c.id}`)).status).toBe(200);
  };

  it('A connects the AU organisation and maps Sydney (1) to it', async () => {
    expect(await connectXero(s.server.url, adminA, { orgs: [AU] })).toMatchObject({ ok: true, code: 'connected' });
    expect((await putMap(adminA, [{ cwLocationId: 1, xeroTenantId: AU }])).status).toBe(200);
    expect(await mapOf(accountantA)).toEqual([{ cwLocationId: 1, xeroTenantId: AU, organisationName: AU_NAME, organisation: 'connected', words: '' }]);
    expect(await resolveA(1, 'Sydney')).toEqual({ ok: true, xeroTenantId: AU, organisationName: AU_NAME });
  });

  it('B ticking both organisations gets only NZ: the popup says AU is connected to another ConnectWise company', async () => {
    const result = await connectXero(s.server.url, adminB);
    expect(result).toMatchObject({ ok: true, code: 'connected_partly', tenant: TENANT_B, orgs: [{ xeroTenantId: NZ }] });
    expect(result.message).toMatch(/^Connected to Xero: Kiwi Managed Services Ltd\. Not connected: Harbour IT Pty Ltd is already connected to another ConnectWise company/);
    expect(await holders(AU)).toEqual([TENANT_A]);
    expect(await holders(NZ)).toEqual([TENANT_B]);
    expect((await status(adminB)).orgs.map((o) => o.xeroTenantId)).toEqual([NZ]);
  });

  it('B ticking only AU is refused in words and nothing is stored for B', async () => {
    const before = await connectionsOf(TENANT_B);
    const result = await connectXero(s.server.url, adminB, { orgs: [AU] });
    expect(result).toMatchObject({ ok: false, code: 'xero_org_taken', connectionId: null, orgs: [] });
    expect(result.message).toMatch(/Harbour IT Pty Ltd is already connected to another ConnectWise company .*Nothing was connected\./);
    expect(await connectionsOf(TENANT_B)).toEqual(before);
    expect(await holders(AU)).toEqual([TENANT_A]);
    // B cannot write to AU either.
    await expect(accountingApiFor(s.server.deps, TENANT_B, AU)).rejects.toMatchObject({ status: 409, code: 'xero_org_not_connected' });
  });

  it('B mapping a location to AU is a 409 naming the field; B maps its own NZ', async () => {
    const res = await putMap(adminB, [
      { cwLocationId: 2, xeroTenantId: NZ },
      { cwLocationId: 1, xeroTenantId: AU },
    ]);
    expect(res.status).toBe(409);
    const { error } = await res.json();
    expect(error).toMatchObject({ code: 'xero_org_taken', field: 'mappings.1.xeroTenantId' });
    expect(error.message).toMatch(/connected to another ConnectWise company/);
    expect(await mapOf(adminB)).toEqual([]);
    expect((await putMap(adminB, [{ cwLocationId: 2, xeroTenantId: NZ }])).status).toBe(200);
  });

  it('A disconnects: the mapping stays, "not connected", and books nowhere', async () => {
    await disconnectAll(adminA);
    expect(await holders(AU)).toEqual([]);
    const [kept] = await mapOf(accountantA);
    expect(kept).toMatchObject({ cwLocationId: 1, xeroTenantId: AU, organisationName: AU_NAME, organisation: 'not_connected' });
    expect(kept!.words).toMatch(/^Harbour IT Pty Ltd is not connected: .*The mapping is kept, so connecting it restores it\./);
    const resolved = await resolveA(1, 'Sydney');
    expect(resolved).toMatchObject({ ok: false, problem: { code: 'xero_org_not_connected', where: 'CW–Xero Sync settings › Xero connections' } });
    if (!resolved.ok) expect(resolved.problem.message).toMatch(/^Billing location "Sydney" books into Harbour IT Pty Ltd, which is not connected/);
    await expect(accountingApiFor(s.server.deps, TENANT_A, AU)).rejects.toMatchObject({ code: 'xero_org_not_connected' });
    // Saving the map unchanged keeps the mapping; a new mapping to the disconnected organisation is refused.
    expect((await putMap(adminA, [{ cwLocationId: 1, xeroTenantId: AU }])).status).toBe(200);
    const again = await putMap(adminA, [
      { cwLocationId: 1, xeroTenantId: AU },
      { cwLocationId: 3, xeroTenantId: AU },
    ]);
    expect(again.status).toBe(400);
    expect((await again.json()).error).toMatchObject({ code: 'xero_org_not_connected', field: 'mappings.1.xeroTenantId' });
    expect((await mapOf(adminA)).map((m) => m.cwLocationId)).toEqual([1]);
  });

  it('A reconnecting restores the mapping', async () => {
    expect(await connectXero(s.server.url, adminA, { orgs: [AU] })).toMatchObject({ ok: true, code: 'connected' });
    expect(await mapOf(accountantA)).toEqual([{ cwLocationId: 1, xeroTenantId: AU, organisationName: AU_NAME, organisation: 'connected', words: '' }]);
    expect(await resolveA(1, 'Sydney')).toEqual({ ok: true, xeroTenantId: AU, organisationName: AU_NAME });
  });

  it('after A disconnects and B connects AU, A\'s mapping says another ConnectWise company has it; A cannot take it back', async () => {
    await disconnectAll(adminA);
    expect(await connectXero(s.server.url, adminB, { orgs: [AU] })).toMatchObject({ ok: true, code: 'connected' });
    expect(await holders(AU)).toEqual([TENANT_B]);

    const [kept] = await mapOf(accountantA);
    expect(kept).toMatchObject({ cwLocationId: 1, xeroTenantId: AU, organisationName: AU_NAME, organisation: 'taken' });
    expect(kept!.words).toMatch(/^Harbour IT Pty Ltd is now connected to another ConnectWise company in CW–Xero Sync/);
    const resolved = await resolveA(1, 'Sydney');
    expect(resolved).toMatchObject({ ok: false, problem: { code: 'xero_org_taken', where: 'CW–Xero Sync settings › Billing locations → Xero organisations' } });
    if (!resolved.ok) expect(resolved.problem.message).toMatch(/^Billing location "Sydney" books into Harbour IT Pty Ltd, which is now connected to another ConnectWise company/);

    const back = await connectXero(s.server.url, adminA, { orgs: [AU] });
    expect(back).toMatchObject({ ok: false, code: 'xero_org_taken' });
    expect(await holders(AU)).toEqual([TENANT_B]);
    // A may still save its map with the kept entry as it was (it books nowhere); not a new one to AU.
    expect((await putMap(adminA, [{ cwLocationId: 1, xeroTenantId: AU }])).status).toBe(200);
    const claim = await putMap(adminA, [
      { cwLocationId: 1, xeroTenantId: AU },
      { cwLocationId: 2, xeroTenantId: AU },
    ]);
    expect(claim.status).toBe(409);
    expect((await claim.json()).error).toMatchObject({ code: 'xero_org_taken', field: 'mappings.1.xeroTenantId' });
    // B's view shows none of A.
    expect((await status(adminB)).locationMap.map((m) => m.cwLocationId)).toEqual([2]);
  });

  it('the database refuses a second company holding an organisation, and two connects racing leave exactly one holder', async () => {
    // The constraint itself: a connection of A's reaching B's organisation is refused by the unique index.
    const at = new Date().toISOString();
    const connA = '00000000-0000-4000-8000-00000000000a';
    await s.db.k
      .insertInto('xero_connections')
      .values({ id: connA, tenant_id: TENANT_A, token_set_jwe: 'unused', auth_event_id: null, status: 'ok', access_expires_at: at, last_refresh_at: null, last_error: null, version: 1, created_by: 'admin', created_at: at, updated_at: at })
      .execute();
    const err = await s.db.k
      .insertInto('xero_orgs')
      .values({ connection_id: connA, tenant_id: TENANT_A, xero_tenant_id: AU, xero_connection_id: 'x', name: 'x', tenant_type: 'ORGANISATION', created_at: at })
      .execute()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(err)).toBe(true);
    await s.db.k.deleteFrom('xero_connections').where('id', '=', connA).execute();

    // Free NZ, then A and B connect it at the same moment (on PostgreSQL through two instances' pools).
    await disconnectAll(adminB);
    const depsB: AppDeps = engine === 'postgres' ? (await s.secondInstance()).deps : s.server.deps;
    const tokenSet = { accessToken: 'a'.repeat(40), refreshToken: 'r'.repeat(40), expiresAt: new Date(Date.now() + 1_800_000).toISOString(), scope: 'accounting.transactions' };
    const org = { id: '00000000-0000-4000-8000-0000000000aa', tenantId: NZ, tenantType: 'ORGANISATION', tenantName: 'Kiwi Managed Services Ltd' };
    const outcomes = await Promise.all([
      saveNewConnection(s.server.deps, { tenantId: TENANT_A, memberIdentifier: 'admin', tokenSet, authEventId: null, orgs: [org] }),
      saveNewConnection(depsB, { tenantId: TENANT_B, memberIdentifier: 'admin', tokenSet, authEventId: null, orgs: [org] }),
    ]);
    expect(outcomes.map((o) => o.connected.length).sort()).toEqual([0, 1]);
    expect(outcomes.map((o) => o.refused.length).sort()).toEqual([0, 1]);
    expect(await holders(NZ)).toHaveLength(1);
    const loser = outcomes.find((o) => o.connected.length === 0)!;
    expect(loser.connectionId).toBeNull();
  });
});
