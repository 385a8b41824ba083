// Everything in front of an Accounting API handler, in Xero's order:
// bearer token (401) → xero-tenant-id against the token's connections (403)
// → rate limits (429 + Retry-After + X-Rate-Limit-Problem) → injected faults
// → Idempotency-Key replay → the handler. Limit headers go on every response.
// Refusals before the Idempotency-Key step (401, 403, 413, 429, an injected
// 500, drop or timeout "before") are never kept against the key: the request
// did not run (a held one runs after its hold, as any request does).
import type { MiddlewareHandler } from 'hono';
import type { SimContext } from '../context.js';
import { verifyAccessToken } from '../identity/tokens.js';
import { forbidden, problem, unauthorized, validationMessage } from './errors.js';
import { requestFingerprint } from './idempotency.js';
import type { ApiEnv } from './env.js';
import { countFault, dropConnection, holdFor, pickConnectionFault, pickPhase, type FaultPhase } from '../../net-faults.js';

const MAX_BODY_BYTES = 3.5 * 1024 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An injected 500 for this call, and when it strikes; else at most one connection fault (drop or timeout). */
function pickFault(ctx: SimContext): { kind: '5xx' | 'drop' | 'timeout'; phase: FaultPhase } | null {
  let fail = false;
  if (ctx.faults.failNext > 0) {
    ctx.faults.failNext--;
    fail = true;
  } else fail = ctx.faults.errorRate5xx > 0 && Math.random() < ctx.faults.errorRate5xx;
  const f = fail ? { kind: '5xx' as const, phase: pickPhase(ctx.faults.errorPhase, Math.random) } : pickConnectionFault(ctx.faults, Math.random);
  if (f) countFault(ctx.injected, f);
  return f;
}

function serverError(c: Parameters<MiddlewareHandler>[0]) {
  return c.json({ ErrorNumber: 500, Type: 'UnknownErrorException', Message: 'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.' }, 500);
}

// Which scope family each endpoint needs; reads also accept the ".read" scope.
const SCOPE_OF: Record<string, string> = {
  Organisation: 'accounting.settings', Accounts: 'accounting.settings', TaxRates: 'accounting.settings',
  TrackingCategories: 'accounting.settings', Currencies: 'accounting.settings', Items: 'accounting.settings',
  Contacts: 'accounting.contacts',
  Invoices: 'accounting.transactions', CreditNotes: 'accounting.transactions', Payments: 'accounting.transactions',
  Overpayments: 'accounting.transactions', ManualJournals: 'accounting.transactions',
};

function hasScope(scopes: string[], path: string, method: string): boolean {
  const resource = /\/api\.xro\/2\.0\/([^/?]+)/.exec(path)?.[1];
  const family = resource ? SCOPE_OF[resource] : undefined;
  if (!family) return true; // unknown endpoints fall through to 404
  return scopes.includes(family) || (method === 'GET' && scopes.includes(`${family}.read`));
}

/**
 * How many elements a write carries, for the per-element latency: the length of
 * its one list ({"Invoices":[…]}), 1 for a bare object, 0 for no body (reads).
 */
export function bodyElementCount(text: string): number {
  if (!text.trim()) return 0;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 0;
  }
  if (Array.isArray(body)) return body.length;
  if (!body || typeof body !== 'object') return 0;
  const values = Object.values(body);
  return values.length === 1 && Array.isArray(values[0]) ? values[0].length : 1;
}

/** A 400 shaped like Xero's ValidationException, with the limit headers. */
function validationAnswer(c: Parameters<MiddlewareHandler>[0], message: string, limitHeaders: Record<string, string>): Response {
  const err = validationMessage(message);
  const res = c.json(err.body, err.status);
  for (const [k, v] of Object.entries(limitHeaders)) res.headers.set(k, v);
  return res;
}

export function apiGuard(ctx: SimContext): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const auth = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    const claims = token ? await verifyAccessToken(ctx, token.trim()) : null;
    if (!claims) return unauthorized(c);

    if (!hasScope(claims.scopes, c.req.path, c.req.method)) return forbidden(c);

    const tenantId = (c.req.header('xero-tenant-id') ?? '').trim().toLowerCase();
    if (!tenantId) {
      return c.json({ Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthorizationUnsuccessful: the xero-tenant-id header is required' }, 403);
    }
    const org = ctx.org(tenantId);
    if (!org || !claims.tenantIds.includes(tenantId)) return forbidden(c);

    // Xero refuses request bodies over 3.5 MB before counting them.
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) {
      return c.json({ Title: 'Payload Too Large', Status: 413, Detail: 'The request body is larger than 3.5 MB; send fewer elements per call' }, 413);
    }

    if (ctx.faults.throttleNext > 0 || (ctx.faults.throttleRate > 0 && Math.random() < ctx.faults.throttleRate)) {
      // An injected 429, like a real one: not counted, with Retry-After.
      if (ctx.faults.throttleNext > 0) ctx.faults.throttleNext--;
      ctx.injected.status429++;
      const res = problem(c, 429, 'Too Many Requests', 'Rate limit exceeded: minute');
      for (const [k, v] of Object.entries(ctx.limiter.currentHeaders(tenantId))) res.headers.set(k, v);
      res.headers.set('Retry-After', String(ctx.faults.throttleRetryAfter));
      res.headers.set('X-Rate-Limit-Problem', 'minute');
      return res;
    }

    const admission = ctx.limiter.admit(tenantId);
    const limitHeaders = admission.headers;
    if (!admission.ok) {
      ctx.rateLimited.set(tenantId, (ctx.rateLimited.get(tenantId) ?? 0) + 1);
      const res = problem(c, 429, 'Too Many Requests', `Rate limit exceeded: ${admission.problem}`);
      for (const [k, v] of Object.entries(limitHeaders)) res.headers.set(k, v);
      res.headers.set('Retry-After', String(admission.retryAfterSeconds));
      res.headers.set('X-Rate-Limit-Problem', admission.problem!);
      return res;
    }
    ctx.apiCalls.set(tenantId, (ctx.apiCalls.get(tenantId) ?? 0) + 1);
    c.set('tenantId', tenantId);
    c.set('org', org);
    c.set('claims', claims);

    try {
      const latency = ctx.faults.latencyMs + (ctx.faults.latencyPerElementMs > 0 ? ctx.faults.latencyPerElementMs * bodyElementCount(await c.req.text()) : 0);
      if (latency > 0) await sleep(latency);
      const fault = pickFault(ctx);
      if (fault?.phase === 'before') {
        if (fault.kind === '5xx') {
          const res = serverError(c);
          for (const [k, v] of Object.entries(limitHeaders)) res.headers.set(k, v);
          return res;
        }
        if (fault.kind === 'drop') return dropConnection(c);
        await holdFor(ctx.faults.timeoutMs);
      }

      const key = c.req.method !== 'GET' ? c.req.header('idempotency-key') : undefined;
      if (key !== undefined && key.length > 128) {
        return validationAnswer(c, 'Idempotency-Key: must be 128 characters or fewer', limitHeaders);
      }
      let commit: ((r: { status: number; body: string; headers: Record<string, string> }) => void) | undefined;
      if (key) {
        const url = new URL(c.req.url);
        const body = await c.req.text();
        const lookup = ctx.idempotency.begin(tenantId, key, requestFingerprint(c.req.method, url.pathname + url.search, body));
        if (lookup.kind === 'mismatch') {
          return validationAnswer(c, 'Idempotency-Key: this key was already used for a different request (method, URL or body) in the last few minutes; use a new key', limitHeaders);
        }
        if (lookup.kind === 'in-flight') {
          const res = problem(c, 409, 'Conflict', 'Idempotency-Key: a request with this key is still being processed');
          for (const [k, v] of Object.entries(limitHeaders)) res.headers.set(k, v);
          return res;
        }
        if (lookup.kind === 'replay') {
          const res = new Response(lookup.response.body, { status: lookup.response.status, headers: lookup.response.headers });
          for (const [k, v] of Object.entries(limitHeaders)) res.headers.set(k, v);
          return res;
        }
        commit = lookup.commit;
        const abandon = lookup.abandon;
        try {
          await next();
        } catch (err) {
          abandon();
          throw err;
        }
        if (c.res.status >= 500) abandon();
        else {
          const body = await c.res.clone().text();
          commit({ status: c.res.status, body, headers: { 'content-type': c.res.headers.get('content-type') ?? 'application/json' } });
        }
      } else {
        await next();
      }

      if (fault?.phase === 'after') {
        // The work is done (and its idempotent response kept); the client never hears of it.
        if (fault.kind === '5xx') c.res = serverError(c);
        else if (fault.kind === 'drop') c.res = dropConnection(c);
        else await holdFor(ctx.faults.timeoutMs);
      }
      for (const [k, v] of Object.entries(limitHeaders)) c.res.headers.set(k, v);
    } finally {
      admission.release();
    }
  };
}
