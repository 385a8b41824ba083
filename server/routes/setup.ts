// Onboarding from an empty server (issue 13): the first-run page /setup and its API.
//   GET  /setup               the page (a server with no company: / sends here)
//   POST /api/setup/check     keys checked live, each permission tested; nothing saved
//   POST /api/setup/register  the same checks, then the company registered (new company ids
//                             only: an existing one is a 409 and stays as it was) and our
//                             hosted setups installed; answers a setup session for it (below)
//   GET  /api/setup/company   the signed-in admin's own company: its site URL and clientId, never
//                             its keys (the settings pod's ConnectWise connection card)
//   PUT  /api/setup/company   a registered company's site URL, clientId or keys, changed by its
//                             own admin only (another company's admin: 403 naming companyId),
//                             checked live like a registration first
//   GET  /api/setup/proposal  mappings proposed from both sides (server/onboarding/proposal.ts),
//                             for an admin of the company (the setup session is one)
// The page then opens the settings in a window of ours (/pod/settings.html?view=window&setup=1),
// lending it the setup session as a pod lends its own (pod/batch/window-session.ts): Connect to
// Xero there (the settings' own flow and popup), then the proposed mappings, reviewed and saved.
// The setup session: whoever registered a company proved its API keys (and the setup code or an
// admin's session), so they are its admin for the rest of its setup — a session of member "setup",
// for that company only, as short-lived as any (config sessionTtlSeconds).
// Who may: server/onboarding/setup-code.ts (the printed one-time code, or an admin's session).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { parseJson } from '../http/validate.js';
import type { SessionEnv } from '../session.js';
import { DEFAULT_CW_CLIENT_ID, listTenants, getTenant, registerTenant, requireTenant, tenantRegistration } from '../tenants.js';
import type { CompanyConnection } from '../../shared/company-connection.js';
import { ApiError } from '../http/errors.js';
import { checkCwPermissions, type PermissionResult } from '../onboarding/cw-permissions.js';
import { requireSetupRight, setupCodeIfNoTenant, spendSetupCode } from '../onboarding/setup-code.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { hostedSetupWords, installHostedSetups } from '../cw/installer.js';
import { SETUP_CSS, SETUP_JS, setupPageHtml } from './setup-page.js';
import { issueSession, requireAdmin, requireSession } from '../session.js';
import { mappingProposal } from '../onboarding/proposal.js';

const setupRequest = tenantRegistration
  .omit({ cwOrigin: true })
  .extend({
    clientId: z.string().trim().min(1, 'is required').max(64).default(DEFAULT_CW_CLIENT_ID),
    setupCode: z.string().trim().max(64).optional(),
  })
  .strict();
type SetupRequest = z.infer<typeof setupRequest>;

/** The member a setup session names (audit rows, "connected by"). */
export const SETUP_MEMBER = 'setup';

const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** A required permission the API member lacks (an optional one missing blocks nothing). */
const blocking = (p: PermissionResult) => p.status === 'missing' && p.required;

/** The 400 answer when the API member lacks a required permission (all of them listed), or undefined. */
function missingPermissions(permissions: PermissionResult[]) {
  const missing = permissions.filter(blocking);
  if (!missing.length) return undefined;
  const error = { code: 'cw_permissions_missing', message: `permissions: the API member's security role lacks ${missing.map((p) => p.label).join(', ')}; grant them and check again.`, field: 'permissions' };
  return { error, permissions };
}

export function setupRoutes(deps: AppDeps): Hono<SessionEnv> {
  const app = new Hono<SessionEnv>();
  const probeUrl = `${deps.config.publicUrl.replace(/\/+$/, '')}/setup`;

  // A server with no company opens on the first-run page.
  app.use('/', async (c, next) => {
    if (c.req.method === 'GET' && (await listTenants(deps.db)).length === 0) return c.redirect('/setup', 302);
    await next();
  });

  app.get('/setup', async (c) => {
    const code = await setupCodeIfNoTenant(deps);
    c.header('Content-Security-Policy', PAGE_POLICY);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(setupPageHtml({ firstCompany: code !== null }));
  });
  app.get('/setup/setup.js', (c) => c.body(SETUP_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' }));
  app.get('/setup/setup.css', (c) => c.body(SETUP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-store' }));

  const checked = async (c: Context<SessionEnv>): Promise<{ req: SetupRequest; mode: 'code' | 'admin'; permissions: PermissionResult[] }> => {
    const req = await parseJson(c, setupRequest);
    const mode = await requireSetupRight(deps, c.get('session'), req.setupCode);
    if (await getTenant(deps.db, req.companyId)) {
      throw new ApiError(409, 'tenant_exists', `companyId: the ConnectWise company "${req.companyId.trim().toLowerCase()}" is already registered; only its own admin changes its site or keys.`, 'companyId');
    }
    const permissions = await checkCwPermissions(req, probeUrl);
    return { req, mode, permissions };
  };

  app.post('/api/setup/check', async (c) => {
    const { permissions } = await checked(c);
    return c.json({ ok: !permissions.some(blocking), permissions });
  });

  app.post('/api/setup/register', async (c) => {
    const { req, mode, permissions } = await checked(c);
    const missing = missingPermissions(permissions);
    if (missing) return c.json(missing, 400);
    const { setupCode: _code, ...registration } = req;
    const tenant = await registerTenant(deps, registration, { onlyNew: true });
    if (mode === 'code') spendSetupCode(deps);
    let install: { setups: { key: string; screen: string; type: string; action: string }[] } | { error: string };
    try {
      const r = await installHostedSetups(await cwClientForTenant(deps, tenant), { publicUrl: deps.config.publicUrl, tenantId: tenant.id });
      install = { setups: r.setups.map((s) => ({ key: s.key, screen: s.screen, type: s.type, action: s.action, words: hostedSetupWords(s) })) };
    } catch (e) {
      install = { error: `${e instanceof Error ? e.message : String(e)} Install them later from the settings pod (ConnectWise screens).` };
    }
    const session = await issueSession(
      deps.keys.sessionKey,
      { tenantId: tenant.id, memberRecId: 0, memberIdentifier: SETUP_MEMBER, memberName: 'First-run setup', isAdmin: true },
      deps.config.sessionTtlSeconds,
    );
    return c.json({ tenant: { id: tenant.id, siteUrl: tenant.siteUrl }, permissions, install, session: { token: session.token, expiresAt: session.expiresAt } });
  });

  app.use('/api/setup/company', requireSession(deps.keys.sessionKey));
  app.get('/api/setup/company', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    const t = await requireTenant(deps.db, s.tenantId);
    const answer: CompanyConnection = { companyId: t.id, siteUrl: t.siteUrl, clientId: t.clientId, updatedAt: t.updatedAt };
    return c.json(answer);
  });
  app.put('/api/setup/company', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    const req = await parseJson(c, setupRequest.omit({ setupCode: true }));
    if (req.companyId.trim().toLowerCase() !== s.tenantId) {
      throw new ApiError(403, 'not_own_company', `companyId: only an admin of the ConnectWise company "${req.companyId.trim().toLowerCase()}" changes its site or keys; you are signed in to "${s.tenantId}".`, 'companyId');
    }
    const permissions = await checkCwPermissions(req, probeUrl);
    const missing = missingPermissions(permissions);
    if (missing) return c.json(missing, 400);
    const tenant = await registerTenant(deps, req);
    return c.json({ tenant: { id: tenant.id, siteUrl: tenant.siteUrl }, permissions });
  });

  app.use('/api/setup/proposal', requireSession(deps.keys.sessionKey));
  app.get('/api/setup/proposal', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    return c.json(await mappingProposal(deps, s.tenantId));
  });
  return app;
}
