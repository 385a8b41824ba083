// Probes for a load balancer or orchestrator (server/lifecycle.ts): /healthz
// (the process lives) and /readyz (it may be given work). No session, no data.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { readiness } from '../lifecycle.js';

export function healthRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true, service: 'cw-xero-sync', engine: deps.db.engine }));
  app.get('/readyz', async (c) => {
    const r = await readiness(deps);
    c.header('Cache-Control', 'no-store');
    return c.json(r, r.ready ? 200 : 503);
  });
  return app;
}
