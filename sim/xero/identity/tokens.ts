// Access tokens and id_tokens: RS256 JWTs whose times come from the sim clock.
import { SignJWT, jwtVerify } from 'jose';
import { newId } from '../ids.js';
import type { SimContext } from '../context.js';
import type { Grant } from './store.js';
import { DEMO_USER } from '../seed.js';

export interface AccessClaims {
  grantId: string;
  clientId: string;
  authEventId: string;
  tenantIds: string[];
  scopes: string[];
}

export async function signAccessToken(ctx: SimContext, grant: Grant): Promise<string> {
  const now = Math.floor(ctx.now() / 1000);
  return new SignJWT({
    client_id: grant.clientId,
    authentication_event_id: grant.authEventId,
    grant_id: grant.id,
    xero_tenant_ids: grant.connections.map((c) => c.tenantId),
    scope: grant.scopes,
    ...(grant.userId ? { xero_userid: grant.userId } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid: ctx.key.kid, typ: 'JWT' })
    .setIssuer(ctx.publicUrl)
    .setAudience(`${ctx.publicUrl}/resources`)
    .setSubject(grant.userId ?? grant.clientId)
    .setJti(newId())
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ctx.options.accessTokenSeconds)
    .sign(ctx.key.privateKey);
}

export async function signIdToken(ctx: SimContext, grant: Grant, nonce?: string): Promise<string> {
  const now = Math.floor(ctx.now() / 1000);
  const user = DEMO_USER;
  return new SignJWT({
    ...(nonce ? { nonce } : {}),
    auth_time: Math.floor(grant.createdAt / 1000),
    xero_userid: user.userId,
    global_session_id: grant.authEventId.replace(/-/g, ''),
    preferred_username: user.email,
    email: user.email,
    given_name: user.givenName,
    family_name: user.familyName,
  })
    .setProtectedHeader({ alg: 'RS256', kid: ctx.key.kid, typ: 'JWT' })
    .setIssuer(ctx.publicUrl)
    .setAudience(grant.clientId)
    .setSubject(user.userId)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300)
    .sign(ctx.key.privateKey);
}

/** Null when the token is malformed, badly signed, expired on the sim clock, or its grant revoked. */
export async function verifyAccessToken(ctx: SimContext, token: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, ctx.key.publicKey, {
      issuer: ctx.publicUrl,
      algorithms: ['RS256'],
      currentDate: new Date(ctx.now()),
    });
    const grantId = typeof payload.grant_id === 'string' ? payload.grant_id : '';
    const grant = ctx.identity.grants.get(grantId);
    if (!grant || grant.revoked) return null;
    // Connections can be removed after the token was issued; the grant is the truth.
    return {
      grantId,
      clientId: grant.clientId,
      authEventId: grant.authEventId,
      tenantIds: grant.connections.map((c) => c.tenantId),
      scopes: grant.scopes,
    };
  } catch {
    return null;
  }
}
