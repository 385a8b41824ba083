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
import { startDraining } from './lifecycle.js';
import { bulkJobs } from './jobs/index.js';
import { loggableError } from './http/errors.js';
import { setupCodeIfNoTenant } from './onboarding/setup-code.js';

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

  // Shutting down, once: with a grace (SIGTERM) the instance drains — readyz 503 and no new work
  // (server/lifecycle.ts), the job engine takes no further step and the one in flight finishes its
  // chunks within the grace or is handed back to the queue, requests in flight finish — then the
  // listener and the database close. Without one (tests' close()) it stops at once.
  let closing: Promise<void> | undefined;
  const shutdown = (graceMs: number | undefined) =>
    (closing ??= (async () => {
      startDraining(deps);
      paymentSchedule.stop();
      const deadline = Date.now() + (graceMs ?? 0);
      if (graceMs !== undefined) await (await bulkJobs(deps).catch(() => undefined))?.stop({ graceMs: Math.max(0, deadline - Date.now()) });
      const http = server as unknown as { closeAllConnections?: () => void; closeIdleConnections?: () => void };
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open: idle ones go now and as requests end, the rest at the deadline.
        const tick = setInterval(() => (Date.now() >= deadline ? http.closeAllConnections?.() : http.closeIdleConnections?.()), 100);
        server.once('close', () => clearInterval(tick));
        if (Date.now() >= deadline) http.closeAllConnections?.();
        else http.closeIdleConnections?.();
      });
      await db.close();
    })());
  return {
    deps,
    server,
    url: config.publicUrl,
    paymentSchedule,
    /** Drains within SHUTDOWN_GRACE_SECONDS (or `graceMs`), then closes. */
    drain: (graceMs = config.shutdownGraceSeconds * 1000) => shutdown(graceMs),
    close: () => shutdown(undefined),
  };
}

/**
 * SIGTERM (or SIGINT) drains the instance and exits 0 once its database is
 * closed; a second signal exits at once (1).
 */
export function drainOnSignals(s: { drain(): Promise<void> }): void {
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (draining) process.exit(1);
    draining = true;
    const drained = s.drain(); // marks the instance draining before anything else runs
    console.log(`[server] ${signal}: draining (no new work; steps and requests in flight finish)`);
    drained.then(
      () => {
        console.log('[server] drained: exiting');
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`[server] drain failed: ${loggableError(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startServer();
  drainOnSignals(s);
  console.log(`[server] listening on ${s.deps.config.publicUrl} (${s.deps.db.engine})`);
  // No company registered yet: the one-time code that claims this server on /setup (issue 13).
  await setupCodeIfNoTenant(s.deps);
}
