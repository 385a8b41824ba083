// POST /api/session: the pod trades ConnectWise's memberHash for our own
// short-lived bearer token. The hash is verified against the site REGISTERED
// for the company (never one the browser names); admin rights come from the
// member's ConnectWise security role read with the tenant's API keys.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { parseJson } from '../http/validate.js';
import { issueSession } from '../session.js';
import { requireTenant } from '../tenants.js';
import { loadTenantSettings, isTenantAdmin } from '../settings.js';
import { verifyMemberHash } from '../cw/member-verification.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { memberSecurityRole } from '../cw/members.js';
import { sessionRequest, type SessionResponse } from '../../shared/api.js';
import { nowIso } from '../db/index.js';

export function sessionRoutes(deps: AppDeps): Hono {
  const app = new Hono();

  app.post('/session', async (c) => {
    const req = await parseJson(c, sessionRequest);
    const tenant = await requireTenant(deps.db, req.companyid);
    let member;
    try {
      member = await verifyMemberHash(tenant, req.memberid, req.memberHash);
    } catch (err) {
      await audit({ tenantId: tenant.id, action: 'session.refused', memberId: req.memberid, outcome: 'failure', message: err instanceof Error ? err.message : 'unknown' });
      throw err;
    }
    const cw = await cwClientForTenant(deps, tenant);
    const role = await memberSecurityRole(cw, member.recId);
    const isAdmin = isTenantAdmin(await loadTenantSettings(deps.db, tenant.id), { identifier: member.identifier, securityRoleName: role });
    const { token, expiresAt } = await issueSession(
      deps.keys.sessionKey,
      { tenantId: tenant.id, memberRecId: member.recId, memberIdentifier: member.identifier, memberName: member.name, isAdmin },
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
