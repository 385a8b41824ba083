// The bulk tests' stack: both simulators in this process (port 0), our server
// as child processes (so one can be killed mid-run) on one database — a SQLite
// file or a PostgreSQL schema of its own — the demo tenant registered, Xero
// connected through the real OAuth flow and both locations mapped.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createCwSim } from '../../sim/connectwise/index.js';
import { startXeroSim } from '../../sim/xero/index.js';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID } from '../../sim/xero/seed.js';
import { connectXero } from '../xero-connect/flow.js';
import { PG_URL } from '../support/db.js';

const ROOT = resolve(import.meta.dirname, '../..');

export interface Instance {
  url: string;
  /** The instance's stdout lines after its first (e.g. "[bulk] step run=… pid=…"). */
  lines: string[];
  proc: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** RSS and live heap; `passive` forces no GC (the live heap after V8's own full GCs), for sampling while a run is timed. */
  memory(passive?: boolean): Promise<{ rss: number; heapUsed: number }>;
}

export interface BulkStackOptions {
  engine: 'sqlite' | 'postgres';
  xeroLimits?: Partial<{ concurrent: number; perMinute: number; perDay: number }>;
  /** Extra environment of the server instances. */
  env?: Record<string, string>;
  /** Extra node flags of the server instances (the benchmark measures live heap with --expose-gc). */
  nodeArgs?: string[];
}

export type BulkStack = Awaited<ReturnType<typeof startBulkStack>>;

export async function startBulkStack(o: BulkStackOptions) {
  // The ConnectWise simulator behind a counter of REST calls (the benchmark reports them).
  const cwSim = createCwSim();
  const counter = { cwApiCalls: 0 };
  const cwServer = serve({
    // The node bindings go on: the simulator drops connections through them (sim/net-faults.ts).
    fetch: (req, bindings) => {
      if (new URL(req.url).pathname.startsWith('/v4_6_release/')) counter.cwApiCalls++;
      return cwSim.app.fetch(req, bindings);
    },
    hostname: '127.0.0.1',
    port: 0,
  });
  await new Promise<void>((r) => cwServer.once('listening', () => r()));
  const cw = {
    url: `http://127.0.0.1:${(cwServer.address() as AddressInfo).port}`,
    sim: cwSim,
    close: () =>
      new Promise<void>((r) => {
        cwServer.close(() => r());
        (cwServer as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
  const xero = await startXeroSim({ port: 0, host: '127.0.0.1', ...(o.xeroLimits ? { limits: { concurrent: 5, perMinute: 60, perDay: 5000, appPerMinute: 10000, ...o.xeroLimits } } : {}) });
  const dataDir = mkdtempSync(join(tmpdir(), 'cwx-bulk-'));
  let schema: string | undefined;
  let databaseUrl: string | undefined;
  if (o.engine === 'postgres') {
    // A database of its own (not a schema): the server opens it exactly as in production.
    schema = `bulk_${randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`create database ${schema}`);
    await c.end();
    const u = new URL(PG_URL);
    u.pathname = `/${schema}`;
    databaseUrl = u.toString();
  }
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    SECRETS_KEY: randomBytes(32).toString('base64url'),
    XERO_CLIENT_ID: 'SIMCLIENT0000000000000000000001',
    XERO_CLIENT_SECRET: 'simXeroClientSecret',
    XERO_ISSUER: xero.url,
    XERO_API_BASE: `${xero.url}/api.xro/2.0`,
    XERO_CONNECTIONS_URL: `${xero.url}/connections`,
    LOG_LEVEL: 'warn',
    BULK_JOB_POLL_SECONDS: '0.5',
    BULK_JOB_MAINTENANCE_SECONDS: '2',
    BULK_JOB_EXPIRE_SECONDS: '8',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...o.env,
  };
  const instances: Instance[] = [];

  async function spawnInstance(extra: Record<string, string> = {}): Promise<Instance> {
    const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', join(ROOT, 'tests/bulk/instance.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    let stderr = '';
    proc.stderr!.on('data', (d) => { stderr += String(d); if (process.env.SHOW_STDERR) process.stderr.write(d); });
    const lines = createInterface({ input: proc.stdout! });
    const first = await new Promise<string>((res, rej) => {
      lines.once('line', res);
      proc.once('exit', (code) => rej(new Error(`instance exited (${code}): ${stderr.slice(-2000)}`)));
    });
    const { url } = JSON.parse(first) as { url: string };
    const out: string[] = [];
    lines.on('line', (l) => out.push(l));
    const inst: Instance = {
      url,
      lines: out,
      proc,
      exited,
      async kill(signal = 'SIGKILL') {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
        await exited;
      },
      memory: (passive = false) =>
        new Promise((res) => {
          proc.once('message', (m) => res(m as { rss: number; heapUsed: number }));
          proc.send(passive ? 'memory-passive' : 'memory');
        }),
    };
    instances.push(inst);
    return inst;
  }

  /** A session as the pod gets one; tried again when injected ConnectWise faults make verification answer 5xx. */
  async function session(url: string, member = 'admin'): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ companyid: 'democo', memberid: member, memberHash: cw.sim.issueMemberHash(member) }),
      });
      if (res.status === 200) return ((await res.json()) as { token: string }).token;
      if (res.status < 500 || attempt >= 5) throw new Error(`session: ${res.status} ${await res.text()}`);
    }
  }

  /** First instance: registers the tenant, connects Xero (both organisations), maps both locations. */
  async function first(): Promise<{ inst: Instance; token: string }> {
    const inst = await spawnInstance({ BULK_REGISTER_CW: cw.url });
    const token = await session(inst.url);
    const result = await connectXero(inst.url, token);
    if (!result.ok) throw new Error(`connect Xero: ${JSON.stringify(result)}`);
    const map = await fetch(`${inst.url}/api/xero/location-map`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mappings: [{ cwLocationId: 1, xeroTenantId: HARBOUR_TENANT_ID }, { cwLocationId: 2, xeroTenantId: KIWI_TENANT_ID }] }),
    });
    if (map.status !== 200) throw new Error(`location map: ${map.status} ${await map.text()}`);
    return { inst, token };
  }

  return {
    cw,
    xero,
    counter,
    env,
    spawnInstance,
    session,
    first,
    async close() {
      for (const i of instances) await i.kill('SIGTERM').catch(() => undefined);
      await cw.close();
      await xero.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop database if exists ${schema} with (force)`);
        await c.end();
      }
    },
  };
}

/** JSON API call with a session token. */
export async function api<T = any>(url: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
