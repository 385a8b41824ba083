// A server instance's life for its load balancer (issue 13, "Run it for real"):
//   - /healthz: the process lives and answers;
//   - /readyz: it may be given work — its database answers, every migration
//     this code knows is applied, and its bulk job engine (pg-boss on
//     PostgreSQL, the embedded queue on SQLite) has started; 503 naming what is
//     not ready otherwise. No session needed, no data in the answer (words of
//     our own only, never a driver's message);
//   - draining (SIGTERM, server/main.ts): readyz says 503 at once, new work is
//     refused with a 503 in words, a bulk step starts no further chunk
//     (server/bulk/worker.ts), and main.ts stops the job engine, the listener
//     and the database in that order.
// The state is per instance (keyed by its database, as server/jobs is), so
// tests run several instances in one process.
import type { MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import type { AppDeps } from './deps.js';
import { pendingMigrations } from './db/index.js';
import { bulkJobs } from './jobs/index.js';
import { ApiError, errorResponse } from './http/errors.js';

interface Life {
  drainingSince: Date | null;
}
const lives = new WeakMap<object, Life>();

function life(deps: Pick<AppDeps, 'db'>): Life {
  let l = lives.get(deps.db);
  if (!l) lives.set(deps.db, (l = { drainingSince: null }));
  return l;
}

/** True once the instance began to shut down: it takes no new work. */
export function isDraining(deps: Pick<AppDeps, 'db'>): boolean {
  return life(deps).drainingSince !== null;
}

export function startDraining(deps: Pick<AppDeps, 'db'>, now = new Date()): void {
  const l = life(deps);
  if (!l.drainingSince) l.drainingSince = now;
}

export type CheckState = 'ok' | 'draining' | 'unreachable' | 'pending' | 'starting' | 'failed';
export interface Readiness {
  ready: boolean;
  checks: { process: CheckState; database: CheckState; migrations: CheckState; jobs: CheckState };
  /** How many migrations this code knows are not applied (only when some are). */
  pendingMigrations?: number;
}

/** No check may hold a load balancer's probe longer than this. */
const CHECK_TIMEOUT_MS = 2_000;

function within<T>(p: Promise<T>, ms = CHECK_TIMEOUT_MS): Promise<T | 'timeout'> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<'timeout'>((r) => (t = setTimeout(() => r('timeout'), ms)))]).finally(() => clearTimeout(t));
}

export async function readiness(deps: AppDeps): Promise<Readiness> {
  const checks: Readiness['checks'] = { process: isDraining(deps) ? 'draining' : 'ok', database: 'ok', migrations: 'ok', jobs: 'ok' };
  let pending: number | undefined;
  const db = await within(sql`select 1 as one`.execute(deps.db.k).then(() => 'ok' as const)).catch(() => 'failed' as const);
  if (db !== 'ok') {
    checks.database = 'unreachable';
    checks.migrations = 'failed';
  } else {
    const names = await within(pendingMigrations(deps.db)).catch(() => 'failed' as const);
    if (names === 'timeout' || names === 'failed') checks.migrations = 'failed';
    else if (names.length) {
      checks.migrations = 'pending';
      pending = names.length;
    }
  }
  // The job engine starts with the app (routes/batch.ts); until its start resolves it is "starting".
  const jobs = await within(
    bulkJobs(deps).then(
      async (q) => ((await q.check()) ? ('ok' as const) : ('failed' as const)),
      () => 'failed' as const,
    ),
  ).catch(() => 'failed' as const);
  checks.jobs = jobs === 'timeout' ? 'starting' : jobs;
  const ready = Object.values(checks).every((s) => s === 'ok');
  return { ready, checks, ...(pending !== undefined ? { pendingMigrations: pending } : {}) };
}

/**
 * While draining, a request that would start work (anything but a read, or a
 * session — the pod renews those silently) is answered 503 in words with
 * Retry-After, so the load balancer or the person tries another instance.
 */
export function refuseWhileDraining(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    const m = c.req.method;
    if (!isDraining(deps) || m === 'GET' || m === 'HEAD' || m === 'OPTIONS' || c.req.path === '/api/session') return next();
    c.header('Retry-After', '2');
    c.header('Connection', 'close');
    return errorResponse(c, new ApiError(503, 'shutting_down', 'This server instance is shutting down and takes no new work; nothing was done — try again in a moment (another instance will answer).'));
  };
}
