// The one resolver of ConnectWise billing location → Xero organisation, over
// rows written straight into a fresh database: every outcome, the words (the
// location by its name), where to fix it (the settings pod's card titles), and
// that one read serves many records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb } from '../support/db.js';
import { rememberLocationNames, locationResolver, RESOLVER_WHERE, xeroTenantForLocation } from '../../server/xero/location-map.js';
import { SETTINGS_CARD, SETTINGS_POD_TITLE } from '../../shared/settings-sections.js';
import type { AppDeps } from '../../server/deps.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/schema.js';

type TestDb = Awaited<ReturnType<typeof freshDb>>;

describe('locationResolver', () => {
  let db: TestDb;
  let deps: AppDeps;
  const at = '2025-01-01T00:00:00.000Z';

  const connection = async (id: string, tenant: string, status: 'ok' | 'needs_reconnect', orgs: [string, string][]) => {
    await db.k
      .insertInto('xero_connections')
      .values({ id, tenant_id: tenant, token_set_jwe: 'unused', auth_event_id: null, status, access_expires_at: at, last_refresh_at: null, last_error: null, version: 1, created_by: 'admin', created_at: at, updated_at: at })
      .execute();
    for (const [org, name] of orgs) {
      await db.k.insertInto('xero_orgs').values({ connection_id: id, tenant_id: tenant, xero_tenant_id: org, xero_connection_id: `c-${org}`, name, tenant_type: 'ORGANISATION', created_at: at }).execute();
    }
  };
  const map = (tenant: string, loc: number, org: string, orgName: string | null) =>
    db.k.insertInto('location_org_map').values({ tenant_id: tenant, cw_location_id: loc, xero_tenant_id: org, org_name: orgName, updated_by: 'admin', updated_at: at }).execute();

  beforeAll(async () => {
    db = await freshDb('sqlite');
    deps = { db, now: () => new Date(at) } as unknown as AppDeps; // the resolver reads only db
    await registerTestTenant(db, 'acme');
    await registerTestTenant(db, 'bravo');
    await connection('conn-ok', 'acme', 'ok', [['org-au', 'Harbour IT Pty Ltd']]);
    await connection('conn-broken', 'acme', 'needs_reconnect', [['org-nz', 'Kiwi Managed Services Ltd']]);
    await connection('conn-b', 'bravo', 'ok', [['org-taken', 'Taken Ltd (as bravo named it)']]);
    await map('acme', 1, 'org-au', 'Old name of Harbour');
    await map('acme', 2, 'org-nz', 'Kiwi Managed Services Ltd');
    await map('acme', 3, 'org-gone', 'Gone Ltd');
    await map('acme', 4, 'org-taken', 'Taken Ltd');
    await map('acme', 5, 'org-gone', null);
  });
  afterAll(async () => db?.drop());

  it('names the settings sections exactly as the settings pod titles its cards', () => {
    expect(RESOLVER_WHERE.location_not_mapped).toBe(`${SETTINGS_POD_TITLE} › ${SETTINGS_CARD.locations}`);
    expect(RESOLVER_WHERE.xero_org_taken).toBe('CW–Xero Sync settings › Billing locations → Xero organisations');
    expect(RESOLVER_WHERE.xero_org_not_connected).toBe('CW–Xero Sync settings › Xero connections');
    expect(RESOLVER_WHERE.xero_needs_reconnect).toBe('CW–Xero Sync settings › Xero connections');
  });

  it('a connected organisation: its id and its current name (not the one kept in the map)', async () => {
    const resolve = await locationResolver(deps, 'acme');
    expect(resolve(1, 'Sydney')).toEqual({ ok: true, xeroTenantId: 'org-au', organisationName: 'Harbour IT Pty Ltd' });
  });

  it('each way a record books nowhere, in words naming the location', async () => {
    const resolve = await locationResolver(deps, 'acme');
    for (const missing of [null, undefined]) {
      expect(resolve(missing, 'Sydney')).toEqual({
        ok: false,
        problem: { code: 'location_missing', message: expect.stringMatching(/no billing location/), where: RESOLVER_WHERE.location_missing },
      });
    }
    expect(resolve(9, 'Perth')).toEqual({
      ok: false,
      problem: {
        code: 'location_not_mapped',
        message: 'Billing location "Perth" is not mapped to a Xero organisation yet: until an admin maps it, CW–Xero Sync does not know which organisation this books into.',
        where: 'CW–Xero Sync settings › Billing locations → Xero organisations',
      },
    });
    // Without a name, the id says which one (and that it is ConnectWise's id).
    const noName = resolve(9);
    expect(!noName.ok && noName.problem.message).toMatch(/^Billing location 9 \(ConnectWise location id\) is not mapped/);
    // Once ConnectWise's names are known (read at most every 10 minutes), the location is named without the caller saying it.
    rememberLocationNames(deps, 'acme', [{ id: 9, name: 'Perth' }]);
    const named = (await locationResolver(deps, 'acme'))(9);
    expect(!named.ok && named.problem.message).toMatch(/^Billing location "Perth" is not mapped/);

    const broken = resolve(2, 'Auckland');
    expect(broken).toMatchObject({ ok: false, problem: { code: 'xero_needs_reconnect', where: 'CW–Xero Sync settings › Xero connections' } });
    expect(!broken.ok && broken.problem.message).toMatch(/^Billing location "Auckland" books into Kiwi Managed Services Ltd, whose Xero connection needs reconnecting\. An admin must click "Reconnect"/);

    const gone = resolve(3, 'Wellington');
    expect(gone).toMatchObject({ ok: false, problem: { code: 'xero_org_not_connected', where: 'CW–Xero Sync settings › Xero connections' } });
    expect(!gone.ok && gone.problem.message).toMatch(/^Billing location "Wellington" books into Gone Ltd, which is not connected to CW–Xero Sync \(it was disconnected\)\..*the mapping is kept\.$/);
    const goneNoName = resolve(5, 'Hobart');
    expect(!goneNoName.ok && goneNoName.problem.message).toMatch(/^Billing location "Hobart" books into a Xero organisation, which is not connected/);

    const taken = resolve(4, 'Brisbane');
    expect(taken).toMatchObject({ ok: false, problem: { code: 'xero_org_taken', where: 'CW–Xero Sync settings › Billing locations → Xero organisations' } });
    // Named as this tenant kept it, never as the other tenant stored it.
    expect(!taken.ok && taken.problem.message).toMatch(/^Billing location "Brisbane" books into Taken Ltd, which is now connected to another ConnectWise company/);
    expect(!taken.ok && taken.problem.message).not.toMatch(/as bravo named it/);
  });

  it('tenants are walls: acme\'s map books nothing for bravo', async () => {
    const resolve = await locationResolver(deps, 'bravo');
    expect(resolve(1, 'Sydney')).toMatchObject({ ok: false, problem: { code: 'location_not_mapped' } });
  });

  it('one read serves many records: the resolver answers from what it read, without asking the database again', async () => {
    const resolve = await locationResolver(deps, 'acme');
    const saved = await db.k.selectFrom('location_org_map').selectAll().where('tenant_id', '=', 'acme').execute();
    await db.k.deleteFrom('location_org_map').where('tenant_id', '=', 'acme').execute();
    try {
      const answers = Array.from({ length: 1000 }, (_, i) => resolve((i % 5) + 1));
      expect(answers.filter((a) => a.ok)).toHaveLength(200);
      // A resolver made now reads the emptied map.
      expect((await locationResolver(deps, 'acme'))(1)).toMatchObject({ ok: false, problem: { code: 'location_not_mapped' } });
    } finally {
      await db.k.insertInto('location_org_map').values(saved).execute();
    }
  });

  it('xeroTenantForLocation: the id, or a 409 with the resolver\'s code and words', async () => {
    expect(await xeroTenantForLocation(deps, 'acme', 1)).toBe('org-au');
    await expect(xeroTenantForLocation(deps, 'acme', 4, 'Brisbane')).rejects.toMatchObject({ status: 409, code: 'xero_org_taken', message: expect.stringMatching(/^Billing location "Brisbane"/) });
    await expect(xeroTenantForLocation(deps, 'acme', 9)).rejects.toMatchObject({ status: 409, code: 'location_not_mapped' });
  });
});

/** A tenant row (the unit tests do not import the HTTP harness, and with it the whole app). */
async function registerTestTenant(db: { k: Kysely<Database> }, id: string): Promise<void> {
  const at = new Date().toISOString();
  await db.k.insertInto('tenants').values({ id, site_url: 'http://127.0.0.1:9', cw_origin: 'http://127.0.0.1:9', client_id: 'unused', api_keys_jwe: 'unused', created_at: at, updated_at: at }).execute();
}
