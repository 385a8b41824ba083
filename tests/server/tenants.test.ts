// The tenant registry on both engines: register, update, read, list; keys
// sealed in the row (unreadable without the key, bound to the tenant id).
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { freshDb, engines } from '../support/db.js';
import { deriveKeys } from '../../server/crypto/keys.js';
import { getTenant, listTenants, openTenantKeys, registerTenant, requireTenant } from '../../server/tenants.js';
import { ApiError } from '../../server/http/errors.js';

const keys = deriveKeys(new Uint8Array(randomBytes(32)));
const reg = {
  companyId: 'AcmeMSP',
  siteUrl: 'https://api-na.myconnectwise.net/',
  cwOrigin: 'https://na.myconnectwise.net',
  clientId: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d',
  publicKey: 'PUBLICKEY-acme',
  privateKey: 'PRIVATEKEY-acme-very-secret',
};

describe.each(engines)('tenant registry on %s', (engine) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => drop?.());

  it('registers a company (lower-cased id), reads it back without keys, and lists it', async () => {
    const db = await freshDb(engine);
    drop = db.drop;
    const t = await registerTenant({ db, keys }, reg);
    expect(t).toMatchObject({ id: 'acmemsp', siteUrl: 'https://api-na.myconnectwise.net', cwOrigin: 'https://na.myconnectwise.net', clientId: reg.clientId });
    expect(JSON.stringify(t)).not.toContain('PRIVATEKEY');
    expect(JSON.stringify(t)).not.toContain('PUBLICKEY');
    expect(await getTenant(db, 'ACMEMSP')).toEqual(t);
    expect((await listTenants(db)).map((x) => x.id)).toEqual(['acmemsp']);
    expect(await getTenant(db, 'other')).toBeUndefined();
    await expect(requireTenant(db, 'other')).rejects.toMatchObject({ status: 404, code: 'tenant_not_registered' });
  });

  it('keeps the keys sealed in the row: readable only with the key and only for that tenant', async () => {
    const db = await freshDb(engine);
    drop = db.drop;
    await registerTenant({ db, keys }, reg);
    const row = await db.k.selectFrom('tenants').selectAll().where('id', '=', 'acmemsp').executeTakeFirstOrThrow();
    const rowText = JSON.stringify(row);
    expect(rowText).not.toContain('PRIVATEKEY');
    expect(rowText).not.toContain('PUBLICKEY');
    expect(row.api_keys_jwe.split('.')).toHaveLength(5); // compact JWE
    expect(await openTenantKeys({ db, keys }, 'acmemsp')).toEqual({ publicKey: reg.publicKey, privateKey: reg.privateKey });
    // Another key cannot open it.
    const otherKeys = deriveKeys(new Uint8Array(randomBytes(32)));
    await expect(openTenantKeys({ db, keys: otherKeys }, 'acmemsp')).rejects.toThrow();
    // A ciphertext copied into another tenant's row does not open there.
    await registerTenant({ db, keys }, { ...reg, companyId: 'beta', publicKey: 'pb', privateKey: 'sb' });
    await db.k.updateTable('tenants').set({ api_keys_jwe: row.api_keys_jwe }).where('id', '=', 'beta').execute();
    await expect(openTenantKeys({ db, keys }, 'beta')).rejects.toThrow(/bound to another record/);
  });

  it('updates a registration in place (new site, keys) and defaults the origin to the site', async () => {
    const db = await freshDb(engine);
    drop = db.drop;
    const first = await registerTenant({ db, keys }, reg);
    const second = await registerTenant({ db, keys }, { ...reg, cwOrigin: undefined, siteUrl: 'https://cw.example.org', privateKey: 'rotated' });
    expect(second.createdAt).toBe(first.createdAt);
    expect(second).toMatchObject({ siteUrl: 'https://cw.example.org', cwOrigin: 'https://cw.example.org' });
    expect((await openTenantKeys({ db, keys }, 'acmemsp')).privateKey).toBe('rotated');
    expect(await listTenants(db)).toHaveLength(1);
  });

  it('refuses bad registrations with a 400 naming the field', async () => {
    const db = await freshDb(engine);
    drop = db.drop;
    const bad = async (patch: Record<string, unknown>) => {
      try {
        await registerTenant({ db, keys }, { ...reg, ...patch } as typeof reg);
      } catch (e) {
        return e as ApiError;
      }
      throw new Error('accepted');
    };
    expect(await bad({ siteUrl: 'ftp://x' })).toMatchObject({ status: 400, field: 'siteUrl' });
    expect(await bad({ companyId: 'acme"; drop' })).toMatchObject({ status: 400, field: 'companyId' });
    expect(await bad({ privateKey: '' })).toMatchObject({ status: 400, field: 'privateKey' });
    expect(await listTenants(db)).toEqual([]);
  });
});
