// The admin rule and the settings store on both engines, and xero-node's
// rejected-string errors parsed into {statusCode, body, headers}.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb } from '../support/db.js';
import type { Db } from '../../server/db/index.js';
import { defaultSettings, isTenantAdmin, loadTenantSettings, saveTenantSettings, settingsOfStored, tenantSettingsSchema } from '../../server/settings.js';
import { parseXeroError, accountingApiFor } from '../../server/xero/accounting.js';
import { registerTestTenant, startStack, TENANT_A, type Stack } from './harness.js';
import { connectXero } from './flow.js';

describe('who is admin', () => {
  it('a member in an admin security role (any case) or listed by identifier (any case); nobody else', () => {
    const s = { adminSecurityRoles: ['Admin', 'Finance Lead'], adminMemberIdentifiers: ['Ana'] };
    expect(isTenantAdmin(s, { identifier: 'alex', securityRoleName: 'admin' })).toBe(true);
    expect(isTenantAdmin(s, { identifier: 'fiona', securityRoleName: 'FINANCE LEAD' })).toBe(true);
    expect(isTenantAdmin(s, { identifier: 'ana', securityRoleName: 'Finance' })).toBe(true);
    expect(isTenantAdmin(s, { identifier: 'tom', securityRoleName: 'Technician' })).toBe(false);
    expect(isTenantAdmin(s, { identifier: 'tom', securityRoleName: null })).toBe(false);
    expect(isTenantAdmin(defaultSettings(), { identifier: 'x', securityRoleName: 'Admin' })).toBe(true);
  });
});

describe('a stored settings document validated once', () => {
  it('reads alike every time, as validating it afresh gives, and each read is its own copy', () => {
    const d = defaultSettings();
    const json = JSON.stringify({ ...d, adminMemberIdentifiers: ['ana'], paymentSyncIntervalMinutes: 30, invoiceMapping: { ...d.invoiceMapping }, unknownLater: true });
    const fresh = tenantSettingsSchema.parse(JSON.parse(json));
    const first = settingsOfStored(json);
    expect(first).toStrictEqual(fresh);
    first.adminMemberIdentifiers.push('mallory');
    (first as Record<string, unknown>).paymentSyncIntervalMinutes = 5;
    const second = settingsOfStored(json);
    expect(second).toStrictEqual(fresh);
    expect(second.adminMemberIdentifiers).toEqual(['ana']);
    // The defaults, likewise: each caller its own copy of what an empty document validates to.
    const defaults = defaultSettings();
    defaults.adminSecurityRoles.push('Technician');
    expect(defaultSettings()).toStrictEqual(tenantSettingsSchema.parse({}));
    // A damaged field falls back on its own, the first time and the next.
    const damaged = JSON.stringify({ adminSecurityRoles: 'oops', adminMemberIdentifiers: ['ana'] });
    for (let i = 0; i < 2; i++) expect(settingsOfStored(damaged)).toStrictEqual({ ...tenantSettingsSchema.parse({}), adminMemberIdentifiers: ['ana'] });
  });
});

describe.each(['sqlite', 'postgres'] as const)('settings store (%s)', (engine) => {
  let db: Db & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await freshDb(engine);
    await registerTestTenant(db, 'one');
    await registerTestTenant(db, 'two');
  });
  afterAll(async () => db?.drop());

  it('defaults, saves a patch per tenant, and reads a damaged row field by field', async () => {
    expect(await loadTenantSettings(db, 'one')).toEqual({ ...defaultSettings(), adminSecurityRoles: ['Admin'], adminMemberIdentifiers: [] });
    await saveTenantSettings(db, 'one', { adminMemberIdentifiers: ['ana'] });
    await saveTenantSettings(db, 'one', { adminSecurityRoles: ['Owner'] });
    expect(await loadTenantSettings(db, 'one')).toEqual({ ...defaultSettings(), adminSecurityRoles: ['Owner'], adminMemberIdentifiers: ['ana'] });
    expect(await loadTenantSettings(db, 'two')).toEqual(defaultSettings());
    await db.k.updateTable('tenant_settings').set({ settings_json: JSON.stringify({ adminSecurityRoles: 'oops', adminMemberIdentifiers: ['ana'] }) }).where('tenant_id', '=', 'one').execute();
    expect(await loadTenantSettings(db, 'one')).toEqual({ ...defaultSettings(), adminSecurityRoles: ['Admin'], adminMemberIdentifiers: ['ana'] });
  });
});

describe('parseXeroError', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('sqlite');
  });
  afterAll(async () => s?.close());

  it('turns a real xero-node rejection (JSON string) into statusCode, Xero body and headers', async () => {
    const admin = await s.session(TENANT_A, 'admin', true);
    expect((await connectXero(s.server.url, admin)).ok).toBe(true);
    const org = await s.db.k.selectFrom('xero_orgs').select('xero_tenant_id').executeTakeFirstOrThrow();
    const { api } = await accountingApiFor(s.server.deps, TENANT_A, org.xero_tenant_id);
    const rejection = await api.getInvoice(org.xero_tenant_id, '00000000-0000-0000-0000-000000000000').then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e,
    );
    expect(typeof rejection).toBe('string');
    const err = parseXeroError(rejection);
    expect(err.statusCode).toBe(404);
    expect(Object.keys(err.headers).length).toBeGreaterThan(0);
    expect(err.headers['x-minlimit-remaining']).toMatch(/^\d+$/);
  });

  it('passes through what is not a xero-node rejection', () => {
    expect(parseXeroError(new Error('socket hang up'))).toEqual({ statusCode: 0, body: 'socket hang up', headers: {} });
    expect(parseXeroError('not json')).toEqual({ statusCode: 0, body: 'not json', headers: {} });
    expect(parseXeroError(JSON.stringify({ response: { statusCode: 400, body: { Type: 'ValidationException' }, headers: { 'Retry-After': 3 } } }))).toEqual({
      statusCode: 400,
      body: { Type: 'ValidationException' },
      headers: { 'retry-after': '3' },
    });
  });
});
