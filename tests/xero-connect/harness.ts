// A test stack for Connect to Xero: our server (createApp over its own deps, on
// port 0, with a clock the test can move) + the Xero simulator (port 0), two
// registered tenants, and sessions minted for admins and non-admins.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../server/config.js';
import { deriveKeys } from '../../server/crypto/keys.js';
import { createApp } from '../../server/app.js';
import type { AppDeps } from '../../server/deps.js';
import { issueSession, type Session } from '../../server/session.js';
import { openDb, type Db, type Engine } from '../../server/db/index.js';
import { freshDb, PG_URL } from '../support/db.js';
import { startXeroSim } from '../../sim/xero/index.js';

export const CLIENT_ID = 'SIMCLIENT0000000000000000000001';
export const CLIENT_SECRET = 'simXeroClientSecret';
export const TENANT_A = 'acme';
export const TENANT_B = 'bravo';

export type XeroSimHandle = Awaited<ReturnType<typeof startXeroSim>>;

/** A popup page with a head, so the callback's injected outcome can be read back. */
export function fakeDistDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xero-connect-dist-'));
  mkdirSync(join(dir, 'pod'));
  writeFileSync(join(dir, 'pod', 'oauth-popup.html'), '<!doctype html><html><head><title>popup</title></head><body></body></html>');
  return dir;
}

export interface ServerInstance {
  url: string;
  deps: AppDeps & { distDir?: string };
  close(): Promise<void>;
}

/** One server instance over a given database handle. Several may share one database (PostgreSQL). */
export async function startInstance(db: Db, rootKey: Uint8Array, xeroUrl: string, clock: () => Date, distDir: string): Promise<ServerInstance> {
  let handler: ((req: Request) => Response | Promise<Response>) | undefined;
  const server = serve({ fetch: (req) => (handler ? handler(req) : new Response('starting', { status: 503 })), hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    PUBLIC_URL: url,
    XERO_CLIENT_ID: CLIENT_ID,
    XERO_CLIENT_SECRET: CLIENT_SECRET,
    XERO_ISSUER: xeroUrl,
    XERO_API_BASE: `${xeroUrl}/api.xro/2.0`,
    XERO_CONNECTIONS_URL: `${xeroUrl}/connections`,
    LOG_LEVEL: 'silent',
  });
  const deps: AppDeps & { distDir?: string } = { config, db, keys: deriveKeys(rootKey), now: clock, distDir };
  const app = createApp(deps);
  handler = (req) => app.fetch(req);
  return {
    url,
    deps,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

export interface Stack {
  engine: Engine;
  db: Db & { schema?: string; drop(): Promise<void> };
  rootKey: Uint8Array;
  xero: XeroSimHandle;
  server: ServerInstance;
  distDir: string;
  /** Our server's clock (real time + offset). */
  now: () => Date;
  /** Moves both clocks (ours and the simulator's) forward. */
  advance(seconds: number): Promise<void>;
  session(tenantId: string, identifier: string, isAdmin: boolean): Promise<string>;
  /** Another server instance on the same database (PostgreSQL only). */
  secondInstance(): Promise<ServerInstance & { db: Db }>;
  close(): Promise<void>;
}

export async function registerTestTenant(db: Db, id: string): Promise<void> {
  const at = new Date().toISOString();
  await db.k
    .insertInto('tenants')
    .values({ id, site_url: 'http://127.0.0.1:9', cw_origin: 'http://127.0.0.1:9', client_id: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d', api_keys_jwe: 'unused-in-these-tests', created_at: at, updated_at: at })
    .execute();
}

export async function startStack(engine: Engine): Promise<Stack> {
  const db = await freshDb(engine);
  await registerTestTenant(db, TENANT_A);
  await registerTestTenant(db, TENANT_B);
  const xero = await startXeroSim({ port: 0, host: '127.0.0.1' });
  const rootKey = new Uint8Array(randomBytes(32));
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const distDir = fakeDistDir();
  const server = await startInstance(db, rootKey, xero.url, now, distDir);
  const extra: (ServerInstance & { db: Db })[] = [];
  return {
    engine,
    db,
    rootKey,
    xero,
    server,
    distDir,
    now,
    async advance(seconds) {
      offsetMs += seconds * 1000;
      const res = await fetch(`${xero.url}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }) });
      if (!res.ok) throw new Error(`sim clock: ${res.status} ${await res.text()}`);
    },
    async session(tenantId, identifier, isAdmin) {
      const s: Session = { tenantId, memberRecId: identifier.length, memberIdentifier: identifier, memberName: identifier, isAdmin };
      return (await issueSession(server.deps.keys.sessionKey, s, 3600)).token;
    },
    async secondInstance() {
      if (!db.schema) throw new Error('a second instance shares a PostgreSQL schema');
      const db2 = await openDb({ databaseUrl: PG_URL, pgSchema: db.schema });
      const inst = await startInstance(db2, rootKey, xero.url, now, distDir);
      const out = { ...inst, db: db2 };
      extra.push(out);
      return out;
    },
    async close() {
      for (const e of extra) {
        await e.close();
        await e.db.close();
      }
      await server.close();
      await xero.close();
      await db.drop();
    },
  };
}
