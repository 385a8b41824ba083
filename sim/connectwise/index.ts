// The ConnectWise Manage simulator: createCwSim() builds the Hono app,
// startCwSim() serves it on 127.0.0.1. See sim/connectwise/README.md.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { issueMemberHash } from './auth.js';
import { authMiddleware } from './auth.js';
import { DEFAULT_OPTIONS, SimContext, type CwSimOptions, type SimEnv, type Traffic } from './context.js';
import { controlRoutes } from './controls.js';
import { expenseControlRoutes, expenseRoutes } from './expenses/routes.js';
import { CwError, cwErrorResponse } from './errors.js';
import { faultsMiddleware } from './faults.js';
import type { InjectedCounts } from '../net-faults.js';
import { hostPageRoutes } from './host-page.js';
import type { SimState } from './model.js';
import { accountingRoutes } from './routes/accounting.js';
import { financeSetupRoutes } from './routes/finance-setup.js';
import { companyRoutes } from './routes/company.js';
import { hostedSetupRoutes } from './routes/hosted-setups.js';
import { invoiceRoutes } from './routes/invoices.js';
import { procurementRoutes } from './procurement/routes.js';
import { systemRoutes } from './routes/system.js';
import { permissionControlRoutes, permissionMiddleware } from './permissions.js';
import { serviceRoutes } from './service/routes.js';

export type { CwSimOptions } from './context.js';
export const CW_API_BASE = '/v4_6_release/apis/3.0';

export interface CwSim {
  app: Hono;
  reset(): void;
  readonly state: SimState;
  options: CwSimOptions;
  /** API calls and the most in flight at once, since the start or the last reset / traffic.restart(). */
  readonly traffic: Traffic;
  /** Faults injected since the start or the last reset, by kind. */
  readonly injected: InjectedCounts;
  /** Issues a memberHash as a host page would (for tests). */
  issueMemberHash(memberIdentifier: string): string;
}

export function createCwSim(opts: Partial<CwSimOptions> = {}): CwSim {
  const options: CwSimOptions = { ...DEFAULT_OPTIONS, now: () => new Date(), random: Math.random, ...opts };
  const ctx = new SimContext(options);

  const api = new Hono<SimEnv>();
  // Counted before the injected latency, so calls waiting in it count as in flight.
  api.use('*', async (_c, next) => {
    const end = ctx.traffic.begin();
    try {
      await next();
    } finally {
      end();
    }
  });
  api.use('*', faultsMiddleware(ctx));
  api.use('*', authMiddleware(ctx));
  api.use('*', permissionMiddleware(ctx, CW_API_BASE));
  api.route('/', systemRoutes(ctx));
  api.route('/', hostedSetupRoutes(ctx));
  api.route('/', companyRoutes(ctx));
  api.route('/', invoiceRoutes(ctx));
  api.route('/', accountingRoutes(ctx));
  api.route('/', financeSetupRoutes(ctx));
  api.route('/', expenseRoutes(ctx));
  api.route('/', procurementRoutes(ctx));
  api.route('/', serviceRoutes(ctx));
  // A mounted app's notFound is not consulted, so the API answers unknown paths itself.
  api.all('*', (c) => c.json(new CwError(404, 'NotFound', `No resource at ${c.req.method} ${c.req.path}`).body(), 404));
  api.onError((err, c) => cwErrorResponse(c, err));

  const controls = controlRoutes(ctx);
  controls.onError((err, c) => cwErrorResponse(c, err));

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true, service: 'connectwise-sim' }));
  app.route('/__sim', controls);
  app.route('/__sim', permissionControlRoutes(ctx));
  app.route('/__sim', expenseControlRoutes(ctx));
  app.route(CW_API_BASE, api);
  app.route('/', hostPageRoutes(ctx));
  app.onError((err, c) => cwErrorResponse(c, err));

  return {
    app,
    reset: () => ctx.reset(),
    get state() {
      return ctx.state;
    },
    options,
    traffic: ctx.traffic,
    get injected() {
      return ctx.injected;
    },
    issueMemberHash: (m) => issueMemberHash(ctx, m),
  };
}

export async function startCwSim(opts: { port: number; host?: string } & Partial<CwSimOptions>) {
  const { port, host = '127.0.0.1', ...rest } = opts;
  const sim = createCwSim(rest);
  const server = serve({ fetch: sim.app.fetch, hostname: host, port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${host}:${addr.port}`,
    sim,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
