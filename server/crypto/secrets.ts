// Secrets at rest (API keys, Xero token sets) are stored only as compact JWE
// (dir + A256GCM). The associated tenant id is bound into the protected header
// so a ciphertext copied into another tenant's row fails to open.
import { CompactEncrypt, compactDecrypt } from 'jose';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function sealSecret(key: Uint8Array, bindTo: string, value: unknown): Promise<string> {
  return new CompactEncrypt(encoder.encode(JSON.stringify(value)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'v1', bnd: bindTo })
    .encrypt(key);
}

export async function openSecret<T>(key: Uint8Array, bindTo: string, jwe: string): Promise<T> {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, key);
  if (protectedHeader.bnd !== bindTo) throw new Error('secret is bound to another record');
  return JSON.parse(decoder.decode(plaintext)) as T;
}

/**
 * The same secret sealed under another key (SECRETS_KEY rotation,
 * server/rotate-secrets-key.ts): opened with `from`, sealed with `to` under its
 * own protected header (its binding kept). Undefined when `from` does not open it.
 */
export async function resealSecret(from: Uint8Array, to: Uint8Array, jwe: string): Promise<string | undefined> {
  let opened: Awaited<ReturnType<typeof compactDecrypt>>;
  try {
    opened = await compactDecrypt(jwe, from);
  } catch {
    return undefined;
  }
  return new CompactEncrypt(opened.plaintext).setProtectedHeader(opened.protectedHeader as { alg: string; enc: string }).encrypt(to);
}

/** Whether `key` opens this sealed secret. */
export async function opensWith(key: Uint8Array, jwe: string): Promise<boolean> {
  return compactDecrypt(jwe, key).then(
    () => true,
    () => false,
  );
}
