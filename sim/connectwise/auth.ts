// ConnectWise API authentication.
//   API member:  Authorization: Basic base64("{companyId}+{publicKey}:{privateKey}")
//   CW member:   Authorization: Basic base64("{companyId}+{memberIdentifier}:{memberHash}")
//                (read-only: GET only), with a memberHash a host page issued,
//                valid memberHashTtlSeconds by the sim's clock, bound to that member.
// Both need a `clientId` header that is a UUID. Anything else is a 401 with
// ConnectWise's error JSON; a member credential on a write is a 403.
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Identity, SimContext, SimEnv } from './context.js';
import { CwError } from './errors.js';

const clientIdSchema = z.guid();

function unauthorized(message: string): CwError {
  return new CwError(401, 'Unauthorized', message);
}

interface BasicCredentials {
  companyId: string;
  user: string;
  secret: string;
}

export function parseBasic(header: string | undefined): BasicCredentials | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const login = decoded.slice(0, colon);
  const plus = login.indexOf('+');
  if (plus <= 0) return null;
  return { companyId: login.slice(0, plus), user: login.slice(plus + 1), secret: decoded.slice(colon + 1) };
}

export function issueMemberHash(ctx: SimContext, memberIdentifier: string): string {
  const hash = randomBytes(24).toString('base64url');
  const nowMs = ctx.now().getTime();
  // Forget expired hashes so a long-running demo does not grow without bound.
  for (const [h, v] of ctx.state.memberHashes) if (nowMs - v.issuedAtMs > ctx.options.memberHashTtlSeconds * 1000) ctx.state.memberHashes.delete(h);
  ctx.state.memberHashes.set(hash, { memberIdentifier: memberIdentifier.toLowerCase(), issuedAtMs: nowMs });
  return hash;
}

export function authenticate(ctx: SimContext, method: string, authorization: string | undefined, clientId: string | undefined): Identity {
  if (!clientId) throw unauthorized('clientId header is required (a GUID identifying the integration)');
  if (!clientIdSchema.safeParse(clientId).success) throw unauthorized('clientId header must be a GUID');
  const creds = parseBasic(authorization);
  if (!creds) throw unauthorized('Authorization header must be Basic base64("{companyId}+{publicKey}:{privateKey}")');
  const o = ctx.options;
  if (creds.companyId.toLowerCase() !== o.companyId.toLowerCase()) throw unauthorized('Invalid company or credentials');
  if (creds.user === o.publicKey) {
    if (creds.secret !== o.privateKey) throw unauthorized('Invalid company or credentials');
    return { kind: 'api' };
  }
  const issued = ctx.state.memberHashes.get(creds.secret);
  const member = ctx.state.members.find((m) => m.identifier.toLowerCase() === creds.user.toLowerCase());
  if (!issued || !member || issued.memberIdentifier !== member.identifier.toLowerCase()) throw unauthorized('Invalid company or credentials');
  if (ctx.now().getTime() - issued.issuedAtMs > o.memberHashTtlSeconds * 1000) throw unauthorized('Member hash has expired');
  if (method !== 'GET' && method !== 'HEAD') throw new CwError(403, 'Forbidden', 'Member credentials may only read (GET)');
  return { kind: 'member', memberIdentifier: member.identifier };
}

export function authMiddleware(ctx: SimContext): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
    const identity = authenticate(ctx, c.req.method, c.req.header('authorization'), c.req.header('clientid'));
    c.set('identity', identity);
    await next();
  };
}
