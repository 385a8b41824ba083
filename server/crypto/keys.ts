// The server's one root secret and the keys derived from it. In embedded mode
// a key is generated on first run and kept beside the database; with
// PostgreSQL every instance must be given the same SECRETS_KEY. The data
// folder is created readable by the server's user only (0700) and a generated
// key file 0600; in production the key should come from the environment or a
// secret store, never lie beside the database (README, "Keys and the data folder").
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerKeys {
  /** A256GCM key for secrets at rest (JWE, alg "dir"). */
  secretsKey: Uint8Array;
  /** HS256 key for our session tokens. */
  sessionKey: Uint8Array;
}

function decodeRootKey(text: string): Uint8Array {
  const bytes = Buffer.from(text.trim(), 'base64url');
  if (bytes.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes, base64url-encoded');
  return new Uint8Array(bytes);
}

export function loadOrCreateRootKey(secretsKey: string | undefined, dataDir: string): Uint8Array {
  if (secretsKey) return decodeRootKey(secretsKey);
  const file = join(dataDir, 'secrets.key');
  if (existsSync(file)) {
    if (statSync(file).mode & 0o077) console.warn(`[server] ${file} can be read by other users of this machine: chmod 600 it (or set SECRETS_KEY)`);
    return decodeRootKey(readFileSync(file, 'utf8'));
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' });
  return decodeRootKey(key);
}

export function deriveKeys(root: Uint8Array): ServerKeys {
  const derive = (info: string) => new Uint8Array(hkdfSync('sha256', root, new Uint8Array(0), info, 32));
  return { secretsKey: derive('cw-xero-sync secrets at rest v1'), sessionKey: derive('cw-xero-sync session tokens v1') };
}
