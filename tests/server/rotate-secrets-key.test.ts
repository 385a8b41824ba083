// Rotating SECRETS_KEY (server/rotate-secrets-key.ts): every sealed secret is
// opened with the current key and sealed again with the new one, all or
// nothing; a second run changes nothing; the embedded mode's key file is
// replaced by the command. Both engines.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { engines, freshDb } from '../support/db.js';
import { deriveKeys, loadOrCreateRootKey } from '../../server/crypto/keys.js';
import { openDb } from '../../server/db/index.js';
import { sealSecret } from '../../server/crypto/secrets.js';
import { openTenantKeys, registerTenant } from '../../server/tenants.js';
import { rotateSecretsKey } from '../../server/rotate-secrets-key.js';

const ROOT = resolve(import.meta.dirname, '../..');
const root = () => new Uint8Array(randomBytes(32));
const tenant = (companyId: string, privateKey: string) => ({ companyId, siteUrl: 'https://cw.example.com', clientId: 'c1', publicKey: 'pub', privateKey });

describe.each(engines)('SECRETS_KEY rotation (%s)', (engine) => {
  it('seals every secret again under the new key, once, and refuses a secret neither key opens', async () => {
    const db = await freshDb(engine);
    try {
      const [oldRoot, newRoot] = [root(), root()];
      const oldDeps = { db, keys: deriveKeys(oldRoot) };
      const newDeps = { db, keys: deriveKeys(newRoot) };
      await registerTenant(oldDeps, tenant('alpha', 'alpha-private'));
      await registerTenant(oldDeps, tenant('beta', 'beta-private'));

      const first = await rotateSecretsKey(db, oldRoot, newRoot);
      expect(first.find((r) => r.table === 'tenants')).toEqual({ table: 'tenants', column: 'api_keys_jwe', resealed: 2, already: 0 });
      expect(first.map((r) => `${r.table}.${r.column}`)).toEqual(expect.arrayContaining(['tenants.api_keys_jwe', 'xero_connections.token_set_jwe']));
      expect(await openTenantKeys(newDeps, 'alpha')).toEqual({ publicKey: 'pub', privateKey: 'alpha-private' });
      expect(await openTenantKeys(newDeps, 'beta')).toEqual({ publicKey: 'pub', privateKey: 'beta-private' });
      await expect(openTenantKeys(oldDeps, 'alpha')).rejects.toThrow();
      // The binding stays: alpha's sealed keys in beta's row do not open.
      const alphaJwe = (await db.k.selectFrom('tenants').select('api_keys_jwe').where('id', '=', 'alpha').executeTakeFirstOrThrow()).api_keys_jwe;
      await db.k.updateTable('tenants').set({ api_keys_jwe: alphaJwe }).where('id', '=', 'beta').execute();
      await expect(openTenantKeys(newDeps, 'beta')).rejects.toThrow(/bound to another record/);
      await registerTenant(newDeps, tenant('beta', 'beta-private'));

      // Again: everything is already under the new key; nothing changes.
      const second = await rotateSecretsKey(db, oldRoot, newRoot);
      expect(second.find((r) => r.table === 'tenants')).toEqual({ table: 'tenants', column: 'api_keys_jwe', resealed: 0, already: 2 });

      // A secret under a third key: the rotation stops and changes nothing (one transaction).
      await db.k.updateTable('tenants').set({ api_keys_jwe: await sealSecret(deriveKeys(root()).secretsKey, 'tenant:beta', { publicKey: 'x', privateKey: 'y' }) }).where('id', '=', 'beta').execute();
      const before = await db.k.selectFrom('tenants').select(['id', 'api_keys_jwe']).orderBy('id').execute();
      await expect(rotateSecretsKey(db, newRoot, root())).rejects.toThrow(/tenants\.api_keys_jwe: a secret opens with neither .* nothing was changed/);
      expect(await db.k.selectFrom('tenants').select(['id', 'api_keys_jwe']).orderBy('id').execute()).toEqual(before);
    } finally {
      await db.drop();
    }
  });
});

it('the command rotates the embedded key file: the file holds the new key and the secrets open with it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cwx-rotate-'));
  try {
    const oldRoot = loadOrCreateRootKey(undefined, dataDir);
    const db = await openDb({ sqlitePath: join(dataDir, 'cw-xero-sync.sqlite') });
    await registerTenant({ db, keys: deriveKeys(oldRoot) }, tenant('alpha', 'alpha-private'));
    await db.close();
    const next = randomBytes(32).toString('base64url');
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server/rotate-secrets-key.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, NEW_SECRETS_KEY: next },
      encoding: 'utf8',
    });
    expect(out).toMatch(/tenants\.api_keys_jwe: 1 sealed again under the new key, 0 already under it/);
    expect(readFileSync(join(dataDir, 'secrets.key'), 'utf8').trim()).toBe(next);
    const reopened = await openDb({ sqlitePath: join(dataDir, 'cw-xero-sync.sqlite') });
    expect(await openTenantKeys({ db: reopened, keys: deriveKeys(loadOrCreateRootKey(undefined, dataDir)) }, 'alpha')).toEqual({ publicKey: 'pub', privateKey: 'alpha-private' });
    await reopened.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
