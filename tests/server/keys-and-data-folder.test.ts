// The data folder and the generated key (issue 14): the folder is created for
// the server's user only (0700), the key file 0600, a key file others can read
// is warned about, and a key given in SECRETS_KEY writes nothing to disk.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateRootKey } from '../../server/crypto/keys.js';
import { openDb } from '../../server/db/index.js';

const root = mkdtempSync(join(tmpdir(), 'cwx-keys-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the data folder and the key', () => {
  it('a generated key lands in a 0700 folder as a 0600 file, and is read back the same', () => {
    const dataDir = join(root, 'a', 'data');
    const key = loadOrCreateRootKey(undefined, dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(root, 'a'))).toBe(0o700);
    expect(mode(join(dataDir, 'secrets.key'))).toBe(0o600);
    expect(Buffer.from(loadOrCreateRootKey(undefined, dataDir))).toEqual(Buffer.from(key));
  });

  it('the embedded database creates its folder 0700 too (it may come first)', async () => {
    const dataDir = join(root, 'b', 'data');
    const db = await openDb({ sqlitePath: join(dataDir, 'cw-xero-sync.sqlite') });
    await db.close();
    expect(mode(dataDir)).toBe(0o700);
  });

  it('a key file others can read is warned about at start', () => {
    const dataDir = join(root, 'c');
    loadOrCreateRootKey(undefined, dataDir);
    chmodSync(join(dataDir, 'secrets.key'), 0o644);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      loadOrCreateRootKey(undefined, dataDir);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/secrets\.key can be read by other users.*chmod 600/));
    } finally {
      warn.mockRestore();
    }
  });

  it('SECRETS_KEY from the environment writes no key to disk', () => {
    const dataDir = join(root, 'd');
    const given = randomBytes(32).toString('base64url');
    expect(Buffer.from(loadOrCreateRootKey(given, dataDir)).toString('base64url')).toBe(given);
    expect(existsSync(join(dataDir, 'secrets.key'))).toBe(false);
  });
});
