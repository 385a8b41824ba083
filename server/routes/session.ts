// POST /api/session: the pod trades ConnectWise's memberHash for our own
// short-lived bearer token. The hash is verified against the site REGISTERED
// for the company (never one the browser names); admin rights come from the
// member's ConnectWise security role read with the tenant's API keys.
//
// Wrong memberHashes are throttled per company and per client address before
// ConnectWise is asked: each attempt reserves one failure from both buckets
// and a verified sign-in gives it back, so good sign-ins never wait, while a
// burst of wrong ones is refused with 429 + Retry-After without a ConnectWise
// call or an audit row each.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { parseJson } from '../http/validate.js';
import { clientAddressResolver } from '../http/client-address.js';
import { FailureBuckets, reserveFailure } from '../http/failure-throttle.js';
import { issueSession } from '../session.js';
import { requireTenant } from '../tenants.js';
import { loadTenantSettings, isTenantAdmin } from '../settings.js';
import { verifyMemberHash } from '../cw/member-verification.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { memberSecurityRole, securityRoleByIdentifier } from '../cw/members.js';
import { sessionRequest, type SessionFirstAnswer, type SessionResponse } from '../../shared/api.js';
import { nowIso } from '../db/index.js';

/** Wrong memberHashes one client address may send: 10 at once, then one every 6 seconds. */
export const SIGN_IN_FAILURES_PER_ADDRESS = { capacity: 10, refillPerMinute: 10 };
/** Wrong memberHashes for one company from everywhere together: 50 at once, then 50 a minute. */
export const SIGN_IN_FAILURES_PER_COMPANY = { capacity: 50, refillPerMinute: 50 };

/** Answers a request as the whole application would (createApp's fetch): the session's first reads go through every check a pod's own GET goes through. */
export type Dispatch = (req: Request) => Response | Promise<Response>;

/**
 * The first reads a sign-in asked for, each answered as that GET with the new token would be: the same
 * routes, the same session checks, the same refusals (a status and our error body). Only called once the
 * member is verified and the token issued; in parallel.
 */
export async function answerFirstReads(dispatch: Dispatch, base: string, token: string, paths: readonly string[]): Promise<SessionFirstAnswer[]> {
  return Promise.all(
    paths.map(async (path): Promise<SessionFirstAnswer> => {
      const url = new URL(path, base);
      // The schema already refuses dots and escapes in the path; the parsed URL must still be one of our API's GETs.
      if (url.origin !== new URL(base).origin || !url.pathname.startsWith('/api/') || url.pathname.startsWith('/api/session')) {
        return { path, status: 400, body: { error: { code: 'invalid_input', message: 'first: must be a GET path of our API', field: 'first' } } };
      }
      try {
        const res = await dispatch(new Request(url, { method: 'GET', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }));
        const text = await res.text();
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = null;
        }
        return { path, status: res.status, body };
      } catch {
        return { path, status: 500, body: { error: { code: 'internal', message: 'The CW–Xero Sync server could not answer this read; reload this screen.' } } };
      }
    }),
  );
}

export function sessionRoutes(deps: AppDeps, dispatch?: Dispatch): Hono {
  const app = new Hono();
  const clock = () => deps.now().getTime();
  const perAddress = new FailureBuckets(SIGN_IN_FAILURES_PER_ADDRESS, clock);
  const perCompany = new FailureBuckets(SIGN_IN_FAILURES_PER_COMPANY, clock);
  const clientAddress = clientAddressResolver(deps.config.trustedProxies);

  app.post('/session', async (c) => {
    const req = await parseJson(c, sessionRequest);
    const tenant = await requireTenant(deps.db, req.companyid);
    const reservation = reserveFailure([
      [perCompany, tenant.id],
      [perAddress, clientAddress(c)],
    ]);
    if (!reservation.ok) {
      c.header('Retry-After', String(reservation.retryAfterSeconds));
      throw new ApiError(429, 'too_many_sign_ins', `Too many failed sign-ins: try again in ${reservation.retryAfterSeconds} seconds (reopen this screen).`);
    }
    // Read while ConnectWise checks the member (nothing from them is used unless the member is verified).
    const settingsRead = loadTenantSettings(deps.db, tenant.id);
    const cwRead = cwClientForTenant(deps, tenant);
    // The member's role too, by the identifier asked (the tenant's API keys); used only if it is the verified member's record.
    const roleRead = cwRead.then((cw) => securityRoleByIdentifier(cw, req.memberid));
    for (const p of [settingsRead, cwRead, roleRead]) p.catch(() => undefined);
    let member;
    try {
      member = await verifyMemberHash(tenant, req.memberid, req.memberHash);
    } catch (err) {
      // Only a hash ConnectWise refused counts; ConnectWise being down is not the member's failure.
      const refused = err instanceof ApiError && err.code === 'member_not_verified';
      reservation.settle(refused ? 'failure' : 'success');
      await audit({ tenantId: tenant.id, action: 'session.refused', memberId: req.memberid, outcome: 'failure', message: err instanceof Error ? err.message : 'unknown' });
      throw err;
    }
    reservation.settle('success');
    const early = await roleRead.catch(() => undefined);
    const role = early && early.recId === member.recId ? early.role : await memberSecurityRole(await cwRead, member.recId);
    const isAdmin = isTenantAdmin(await settingsRead, { identifier: member.identifier, securityRoleName: role });
    const { token, expiresAt } = await issueSession(
      deps.keys.sessionKey,
      { tenantId: tenant.id, memberRecId: member.recId, memberIdentifier: member.identifier, memberName: member.name, isAdmin, securityRoleName: role },
      deps.config.sessionTtlSeconds,
    );
    // The member is verified and the token issued: the surface's first reads are answered now, with it (one round trip, not two).
    const [, first] = await Promise.all([
      audit({ tenantId: tenant.id, action: 'session.created', memberId: member.identifier, outcome: 'success' }),
      req.first?.length && dispatch ? answerFirstReads(dispatch, deps.config.publicUrl, token, req.first) : undefined,
    ]);
    const body: SessionResponse = { token, expiresAt, member: { identifier: member.identifier, name: member.name }, tenant: tenant.id, isAdmin, ...(first ? { first } : {}) };
    return c.json(body);
  });

  // Ids and outcomes only: which member of which tenant signed in or was refused.
  async function audit(d: { tenantId: string; action: string; memberId: string; outcome: string; message?: string }) {
    await deps.db.k
      .insertInto('audit_log')
      .values({ tenant_id: d.tenantId, action: d.action, member_id: d.memberId, subject: null, outcome: d.outcome, message: d.message ?? null, at: nowIso() })
      .execute();
  }

  return app;
}
