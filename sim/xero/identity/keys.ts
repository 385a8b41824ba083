// The signing key for access tokens and id_tokens (RS256), made fresh per
// simulator instance; published through the JWKS endpoint.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import { newId } from '../ids.js';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function makeSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: newId().replace(/-/g, ''), privateKey, publicKey };
}

export async function publicJwks(key: SigningKey): Promise<{ keys: JWK[] }> {
  const jwk = await exportJWK(key.publicKey);
  return { keys: [{ ...jwk, kid: key.kid, alg: 'RS256', use: 'sig' }] };
}
