// Our hosted setups in the tenant's ConnectWise, from the settings pod (admins only):
//   GET    /api/hosted-setups   what of ours is installed and where
//   POST   /api/hosted-setups   install / re-install ({}), answers the changes and the status after
//   DELETE /api/hosted-setups   uninstall: removes ours only, answers the changes and the status after
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { parseJson } from '../http/validate.js';
import { requireAdmin, requireSession, type SessionEnv } from '../session.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { hostedSetupsStatus, installHostedSetups, uninstallHostedSetups } from '../cw/installer.js';
import type { HostedSetupsChange, HostedSetupsStatus } from '../../shared/hosted-setups-api.js';

const installRequest = z.object({}).strict();

export function hostedSetupRoutes(deps: AppDeps): Hono<SessionEnv> {
  const app = new Hono<SessionEnv>();
  app.use('/hosted-setups', requireSession(deps.keys.sessionKey));
  app.use('/hosted-setups', async (c, next) => {
    requireAdmin(c.get('session'));
    await next();
  });
  const where = (tenantId: string) => ({ publicUrl: deps.config.publicUrl, tenantId });

  app.get('/hosted-setups', async (c) => {
    const { tenantId } = c.get('session');
    const body: HostedSetupsStatus = await hostedSetupsStatus(await cwClientForTenant(deps, tenantId), where(tenantId));
    return c.json(body);
  });

  app.post('/hosted-setups', async (c) => {
    await parseJson(c, installRequest);
    const { tenantId } = c.get('session');
    const cw = await cwClientForTenant(deps, tenantId);
    const r = await installHostedSetups(cw, where(tenantId));
    const body: HostedSetupsChange = {
      changes: [...r.removed.map((id) => ({ key: null, id, action: 'removed' as const })), ...r.setups.map((s) => ({ key: s.key, id: s.id, action: s.action }))],
      ...(await hostedSetupsStatus(cw, where(tenantId))),
    };
    return c.json(body);
  });

  app.delete('/hosted-setups', async (c) => {
    const { tenantId } = c.get('session');
    const cw = await cwClientForTenant(deps, tenantId);
    const r = await uninstallHostedSetups(cw, { tenantId });
    const body: HostedSetupsChange = {
      changes: r.removed.map((s) => ({ key: s.key, id: s.id, action: 'removed' as const })),
      ...(await hostedSetupsStatus(cw, where(tenantId))),
    };
    return c.json(body);
  });
  return app;
}
