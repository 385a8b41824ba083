// The issuer's OpenID configuration and signing keys, fetched once per issuer
// and cached: the issuer is configuration (real Xero, or the simulator), so
// every endpoint we use comes from its discovery document, never hard-coded.
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

const discoverySchema = z.object({
  issuer: z.string().url(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
  revocation_endpoint: z.string().url().optional(),
});
export type OidcDiscovery = z.infer<typeof discoverySchema>;

const CACHE_MS = 60 * 60 * 1000;
const cache = new Map<string, { at: number; doc: Promise<OidcDiscovery> }>();
const jwksCache = new Map<string, JWTVerifyGetKey>();

export class XeroIdentityUnavailable extends Error {}

async function fetchDiscovery(issuer: string): Promise<OidcDiscovery> {
  const url = `${issuer}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new XeroIdentityUnavailable(`Xero sign-in service could not be reached (${(e as Error).message})`);
  }
  if (!res.ok) throw new XeroIdentityUnavailable(`Xero sign-in service answered ${res.status} to its discovery request`);
  const parsed = discoverySchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new XeroIdentityUnavailable('Xero sign-in service sent an unreadable discovery document');
  return parsed.data;
}

/** Cached for an hour; a failed fetch is not cached, so the next call tries again. */
export function discover(issuer: string): Promise<OidcDiscovery> {
  const hit = cache.get(issuer);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.doc;
  const doc = fetchDiscovery(issuer);
  cache.set(issuer, { at: Date.now(), doc });
  doc.catch(() => cache.delete(issuer));
  return doc;
}

/** jose's remote key set caches keys and refetches on an unknown `kid`. */
export function issuerKeys(jwksUri: string): JWTVerifyGetKey {
  let keys = jwksCache.get(jwksUri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUri));
    jwksCache.set(jwksUri, keys);
  }
  return keys;
}
