// The Xero simulator: identity, /connections, the Accounting API and sim controls.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { SimContext } from './context.js';
import { optionsSchema, type XeroSimOptionsInput } from './options.js';
import { identityRoutes } from './identity/routes.js';
import { connectionsRoutes } from './connections-routes.js';
import { accountingApi } from './api/index.js';
import { controlRoutes } from './control-routes.js';
import { appPageRoutes } from './app-pages.js';

export { HARBOUR_TENANT_ID, KIWI_TENANT_ID, DEMO_USER } from './seed.js';
export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from './options.js';
export { IDEMPOTENCY_WINDOW_SECONDS } from './api/idempotency.js';

export interface XeroSim {
  app: Hono;
  ctx: SimContext;
  reset(): void;
  /** The issuer / public origin; startXeroSim sets it once the port is known. */
  setPublicUrl(url: string): void;
}

export function createXeroSim(opts: XeroSimOptionsInput = {}): XeroSim {
  const options = optionsSchema.parse(opts);
  const ctx = new SimContext(options, options.publicUrl ?? 'http://127.0.0.1:8082');
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/', identityRoutes(ctx));
  app.route('/', connectionsRoutes(ctx));
  app.route('/', controlRoutes(ctx));
  app.route('/', appPageRoutes(ctx));
  app.route('/api.xro/2.0', accountingApi(ctx));
  return {
    app,
    ctx,
    reset: () => ctx.reset(),
    setPublicUrl: (url) => {
      ctx.publicUrl = url.replace(/\/$/, '');
    },
  };
}

export async function startXeroSim(opts: XeroSimOptionsInput & { port?: number; host?: string } = {}) {
  const { port = 0, host = '127.0.0.1', ...rest } = opts;
  const sim = createXeroSim(rest);
  const server = serve({ fetch: sim.app.fetch, hostname: host, port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = rest.publicUrl ?? `http://${host}:${address.port}`;
  sim.setPublicUrl(url);
  return {
    url,
    sim,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
