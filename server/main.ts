// Runs one server instance from the environment. With PORT=0 (tests) the
// socket is opened first and PUBLIC_URL, when not given, is derived from the
// port actually bound, since the app needs its own origin (CORS, pod-config).
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from './config.js';
import { openDb } from './db/index.js';
import { deriveKeys, loadOrCreateRootKey } from './crypto/keys.js';
import { createApp } from './app.js';
import type { AppDeps } from './deps.js';
import { startPaymentSchedule } from './payments/payment-schedule.js';

export interface StartOptions {
  /** Where the built pod lives (dist/); tests may point elsewhere. */
  distDir?: string;
  /** The engine's Xero pacing, retries and call timeout; Xero's real ones when absent (the fault matrix runs them on a fast clock). */
  engine?: AppDeps['engine'];
  /** ConnectWise's retries and timeouts; the client's defaults when absent. */
  cwRetry?: AppDeps['cwRetry'];
}

export async function startServer(env: Record<string, string | undefined> = process.env, opts: StartOptions = {}) {
  const config = loadConfig(env);
  const db = await openDb({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'cw-xero-sync.sqlite') });
  const keys = deriveKeys(loadOrCreateRootKey(config.secretsKey, config.dataDir));

  // The node server's bindings (env.incoming: the socket's peer address) are passed on to the app.
  let handler: ((req: Request, env: unknown) => Response | Promise<Response>) | undefined;
  const server = serve({
    fetch: (req, env) => (handler ? handler(req, env) : new Response('starting', { status: 503 })),
    hostname: config.host,
    port: config.port,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  if (!env.PUBLIC_URL) config.publicUrl = `http://${config.host}:${port}`;
  config.port = port;

  const deps: AppDeps & StartOptions = {
    config,
    db,
    keys,
    now: () => new Date(),
    ...(opts.distDir ? { distDir: opts.distDir } : {}),
    ...(opts.engine ? { engine: opts.engine } : {}),
    ...(opts.cwRetry ? { cwRetry: opts.cwRetry } : {}),
  };
  const app = createApp(deps);
  handler = (req, env) => app.fetch(req, env);
  // Payment sync per tenant on its interval (issue 5); PAYMENT_SCHEDULE_TICK_SECONDS=0 turns the timer off.
  const paymentSchedule = startPaymentSchedule(deps, { tickMs: Number(env.PAYMENT_SCHEDULE_TICK_SECONDS ?? 60) * 1000 });
  return {
    deps,
    server,
    url: config.publicUrl,
    paymentSchedule,
    async close() {
      paymentSchedule.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await db.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startServer();
  console.log(`[server] listening on ${s.deps.config.publicUrl} (${s.deps.db.engine})`);
}
