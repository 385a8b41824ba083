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
import { memberSecurityRole } from '../cw/members.js';
import { sessionRequest, type SessionResponse } from '../../shared/api.js';
import { nowIso } from '../db/index.js';

/** Wrong memberHashes one client address may send: 10 at once, then one every 6 seconds. */
export const SIGN_IN_FAILURES_PER_ADDRESS = { capacity: 10, refillPerMinute: 10 };
/** Wrong memberHashes for one company from everywhere together: 50 at once, then 50 a minute. */
export const SIGN_IN_FAILURES_PER_COMPANY = { capacity: 50, refillPerMinute: 50 };

export function sessionRoutes(deps: AppDeps): Hono {
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
    const cw = await cwClientForTenant(deps, tenant);
    const role = await memberSecurityRole(cw, member.recId);
    const isAdmin = isTenantAdmin(await loadTenantSettings(deps.db, tenant.id), { identifier: member.identifier, securityRoleName: role });
    const { token, expiresAt } = await issueSession(
      deps.keys.sessionKey,
      { tenantId: tenant.id, memberRecId: member.recId, memberIdentifier: member.identifier, memberName: member.name, isAdmin, securityRoleName: role },
      deps.config.sessionTtlSeconds,
    );
    await audit({ tenantId: tenant.id, action: 'session.created', memberId: member.identifier, outcome: 'success' });
    const body: SessionResponse = { token, expiresAt, member: { identifier: member.identifier, name: member.name }, tenant: tenant.id, isAdmin };
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
