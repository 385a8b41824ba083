// Our session tokens: short-lived HS256 JWTs (jose) issued after ConnectWise
// verified the member. Held in the pod's memory and sent as a bearer token,
// since third-party cookies do not reach a cross-site iframe.
import { SignJWT, jwtVerify } from 'jose';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './http/errors.js';

export const SESSION_ISSUER = 'cw-xero-sync';
export const SESSION_AUDIENCE = 'cw-xero-sync/pod';

export interface Session {
  /** Tenant = the ConnectWise company id, lower-cased. */
  tenantId: string;
  /** ConnectWise member record id. */
  memberRecId: number;
  /** ConnectWise member identifier (login name). */
  memberIdentifier: string;
  memberName: string;
  isAdmin: boolean;
}

export async function issueSession(key: Uint8Array, s: Session, ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
  const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
  const token = await new SignJWT({ tid: s.tenantId, mid: s.memberRecId, mnm: s.memberName, adm: s.isAdmin })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setSubject(s.memberIdentifier)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

export async function verifySession(key: Uint8Array, token: string): Promise<Session> {
  const { payload } = await jwtVerify(token, key, { issuer: SESSION_ISSUER, audience: SESSION_AUDIENCE, algorithms: ['HS256'] });
  if (typeof payload.tid !== 'string' || typeof payload.sub !== 'string' || typeof payload.mid !== 'number') {
    throw new Error('session token lacks claims');
  }
  return {
    tenantId: payload.tid,
    memberRecId: payload.mid,
    memberIdentifier: payload.sub,
    memberName: typeof payload.mnm === 'string' ? payload.mnm : payload.sub,
    isAdmin: payload.adm === true,
  };
}

export type SessionEnv = { Variables: { session: Session } };

/** Requires `Authorization: Bearer <session>`; the tenant comes from the token only, never from the request. */
export function requireSession(key: Uint8Array): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    const auth = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (!m?.[1]) throw new ApiError(401, 'no_session', 'Sign-in with ConnectWise is missing: reopen this screen.');
    try {
      c.set('session', await verifySession(key, m[1]));
    } catch {
      throw new ApiError(401, 'session_expired', 'Your session has expired: reopen this screen.');
    }
    await next();
  };
}

export function requireAdmin(s: Session): void {
  if (!s.isAdmin) throw new ApiError(403, 'not_admin', 'Only a ConnectWise member who administers CW–Xero Sync can change this.');
}
