// Our session tokens: short-lived HS256 JWTs (jose) issued after ConnectWise
// verified the member. Held in the pod's memory and sent as a bearer token,
// since third-party cookies do not reach a cross-site iframe.
//
// A token lives at most MAX_SESSION_TTL_SECONDS (15 minutes; the pod renews it
// silently) and must carry `exp` and `iat`. It carries the member's ConnectWise
// security role as read at sign-in, so a change of role applies at the next
// session; whether the member administers the sync is decided again on every
// request from that role and the tenant's admin lists as read at most
// ADMIN_LISTS_MAX_AGE_MS ago, so a member removed from the lists loses admin
// rights within a minute.
import { SignJWT, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './http/errors.js';
import { MAX_SESSION_TTL_SECONDS } from './config.js';
import type { AppDeps } from './deps.js';
import { isTenantAdmin, loadTenantSettings, type TenantSettings } from './settings.js';
import { requireTenant } from './tenants.js';

export const SESSION_ISSUER = 'cw-xero-sync';
export const SESSION_AUDIENCE = 'cw-xero-sync/pod';

/** How old the admin lists behind a request's admin check may be. */
export const ADMIN_LISTS_MAX_AGE_MS = 60_000;

/** How long an instance takes a company it found registered to be still registered for a read (every API request checks). */
export const TENANT_REGISTERED_MAX_AGE_MS = 1_000;

export interface Session {
  /** Tenant = the ConnectWise company id, lower-cased. */
  tenantId: string;
  /** ConnectWise member record id. */
  memberRecId: number;
  /** ConnectWise member identifier (login name). */
  memberIdentifier: string;
  memberName: string;
  isAdmin: boolean;
  /**
   * The member's ConnectWise security role name read at sign-in (null: none).
   * Undefined only for tokens minted without one (tests, scripts): their
   * isAdmin is then taken as issued, until they expire.
   */
  securityRoleName?: string | null;
  /** When the token was issued (ms since the epoch), from its `iat`. */
  issuedAtMs?: number;
  /** When the token expires (ms since the epoch), from its `exp`. */
  expiresAtMs?: number;
}

export async function issueSession(key: Uint8Array, s: Session, ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
  const exp = Math.floor(Date.now() / 1000) + Math.min(ttlSeconds, MAX_SESSION_TTL_SECONDS);
  const token = await new SignJWT({
    tid: s.tenantId,
    mid: s.memberRecId,
    mnm: s.memberName,
    adm: s.isAdmin,
    ...(s.securityRoleName !== undefined ? { rol: s.securityRoleName } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setSubject(s.memberIdentifier)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key);
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * Tokens already verified with a key, until they expire: a pod sends the same token with every request for
 * minutes, and verifying its signature each time was most of a session-only request's work. Keyed by the
 * whole token (a changed byte is another token, verified afresh); bounded (lru-cache), the least recently used forgotten first.
 */
const verified = new WeakMap<Uint8Array, LRUCache<string, { session: Session; untilMs: number }>>();
const VERIFIED_MAX = 10_000;

export async function verifySession(key: Uint8Array, token: string): Promise<Session> {
  let byToken = verified.get(key);
  if (!byToken) verified.set(key, (byToken = new LRUCache({ max: VERIFIED_MAX })));
  const hit = byToken.get(token);
  if (hit && Date.now() < hit.untilMs) return { ...hit.session };
  if (hit) byToken.delete(token);
  const session = await verifySessionToken(key, token);
  // Good until its expiry or its maximum age, whichever comes first (as jwtVerify decides).
  byToken.set(token, { session: { ...session }, untilMs: Math.min(session.expiresAtMs!, session.issuedAtMs! + MAX_SESSION_TTL_SECONDS * 1000) });
  return session;
}

async function verifySessionToken(key: Uint8Array, token: string): Promise<Session> {
  const { payload } = await jwtVerify(token, key, {
    issuer: SESSION_ISSUER,
    audience: SESSION_AUDIENCE,
    algorithms: ['HS256'],
    // A token without an expiry would be good for ever: refused.
    requiredClaims: ['exp', 'iat'],
    maxTokenAge: MAX_SESSION_TTL_SECONDS,
  });
  if (typeof payload.tid !== 'string' || typeof payload.sub !== 'string' || typeof payload.mid !== 'number') {
    throw new Error('session token lacks claims');
  }
  if (payload.exp! - payload.iat! > MAX_SESSION_TTL_SECONDS) throw new Error('session token lives too long');
  const rol = payload.rol;
  return {
    tenantId: payload.tid,
    memberRecId: payload.mid,
    memberIdentifier: payload.sub,
    memberName: typeof payload.mnm === 'string' ? payload.mnm : payload.sub,
    isAdmin: payload.adm === true,
    issuedAtMs: payload.iat! * 1000,
    expiresAtMs: payload.exp! * 1000,
    ...(rol === null || typeof rol === 'string' ? { securityRoleName: rol } : {}),
  };
}

export type SessionEnv = { Variables: { session: Session } };

function bearerToken(c: Context): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
}

/** Requires `Authorization: Bearer <session>`; the tenant comes from the token only, never from the request. */
export function requireSession(key: Uint8Array): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    // Already verified (and its admin flag re-checked) by resolveSessions for the whole API.
    if (c.get('session')) return next();
    const token = bearerToken(c);
    if (!token) throw new ApiError(401, 'no_session', 'Sign-in with ConnectWise is missing: reopen this screen.');
    try {
      c.set('session', await verifySession(key, token));
    } catch {
      throw new ApiError(401, 'session_expired', 'Your session has expired: reopen this screen.');
    }
    await next();
  };
}

type AdminLists = Pick<TenantSettings, 'adminSecurityRoles' | 'adminMemberIdentifiers'>;

/**
 * For every API request bearing a valid session: the session, with isAdmin
 * decided again from the tenant's admin lists and the role the token carries.
 * The lists are kept per server instance for at most ADMIN_LISTS_MAX_AGE_MS
 * (by the server's clock), read again sooner for a token issued after they
 * were read (so a fresh sign-in never disagrees with them), and forgotten when
 * this instance saves the tenant's settings. An invalid or missing token is
 * left to requireSession, which answers 401 in words; a valid one of a company
 * that is not registered is answered as sign-in answers it (404 in words).
 */
export function resolveSessions(deps: Pick<AppDeps, 'db' | 'keys' | 'now'>): MiddlewareHandler<SessionEnv> {
  const lists = new Map<string, { at: number; readAtMs: number; lists: AdminLists }>();
  // Companies found registered, and when (by this process's monotonic clock), for reads: read again after
  // TENANT_REGISTERED_MAX_AGE_MS. One not registered is never kept, and a request that may write
  // (anything but GET and HEAD) always reads the row, so no handler writes rows of a tenant that is gone.
  const registered = new LRUCache<string, number>({ max: 10_000 });
  async function requireRegistered(tenantId: string, reading: boolean): Promise<void> {
    const at = performance.now();
    const seen = registered.get(tenantId);
    if (reading && seen !== undefined && at - seen < TENANT_REGISTERED_MAX_AGE_MS) return;
    await requireTenant(deps.db, tenantId);
    registered.set(tenantId, at);
  }
  async function adminLists(s: Session): Promise<AdminLists> {
    const now = deps.now().getTime();
    const cached = lists.get(s.tenantId);
    // iat has whole seconds: a token of the same second as the read may be the newer.
    const tokenIsNewer = !!cached && (s.issuedAtMs ?? 0) + 1000 > cached.readAtMs;
    if (cached && !tokenIsNewer && now >= cached.at && now - cached.at < ADMIN_LISTS_MAX_AGE_MS) return cached.lists;
    const readAtMs = Date.now();
    const { adminSecurityRoles, adminMemberIdentifiers } = await loadTenantSettings(deps.db, s.tenantId);
    const fresh = { adminSecurityRoles, adminMemberIdentifiers };
    lists.set(s.tenantId, { at: now, readAtMs, lists: fresh });
    return fresh;
  }
  return async (c, next) => {
    const token = bearerToken(c);
    const session = token ? await verifySession(deps.keys.sessionKey, token).catch(() => undefined) : undefined;
    if (session) {
      // The company must still be registered (a database replaced or restored under a live session):
      // refused in words, as at sign-in, before any handler writes rows of a tenant that is not there.
      // For a read, at most TENANT_REGISTERED_MAX_AGE_MS old: a restored database is noticed within a second.
      await requireRegistered(session.tenantId, c.req.method === 'GET' || c.req.method === 'HEAD');
      if (session.securityRoleName !== undefined) {
        session.isAdmin = isTenantAdmin(await adminLists(session), { identifier: session.memberIdentifier, securityRoleName: session.securityRoleName });
      }
      c.set('session', session);
    }
    await next();
    // This instance changed the tenant's settings: its copy of the lists is stale now.
    if (session && ((c.req.method === 'PUT' && c.req.path === '/api/settings') || (c.req.method === 'POST' && c.req.path === '/api/settings/import')) && c.res.ok) lists.delete(session.tenantId);
  };
}

export function requireAdmin(s: Session): void {
  if (!s.isAdmin) throw new ApiError(403, 'not_admin', 'Only a ConnectWise member who administers CW–Xero Sync can change this.');
}
