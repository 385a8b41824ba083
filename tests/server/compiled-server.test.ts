// The production start (issue 13, "Run it for real"): the server compiled by
// `npm run build:server` runs on plain node — no TypeScript loader, no dev
// dependency — configured by the environment only; /healthz and /readyz answer
// without a session; SIGTERM drains it and it exits 0. On SQLite and on
// PostgreSQL (where readiness includes pg-boss). scripts/test.sh builds the
// server first; run alone, this test builds it when it is missing or older
// than the sources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { PG_URL } from '../support/db.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist-server/server/main.js');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : []));
}

beforeAll(() => {
  const newestSource = Math.max(...files(join(ROOT, 'server'), '.ts').map((f) => statSync(f).mtimeMs), ...files(join(ROOT, 'shared'), '.ts').map((f) => statSync(f).mtimeMs));
  // tsc rewrites only the outputs that change; its build info is rewritten whenever a source did.
  const info = join(ROOT, 'dist-server/.tsbuildinfo');
  const built = existsSync(MAIN) && existsSync(info) ? Math.max(statSync(MAIN).mtimeMs, statSync(info).mtimeMs) : 0;
  if (built < newestSource) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit', timeout: 280_000 });
  }
}, 300_000);

interface Running {
  url: string;
  lines: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** `node dist-server/server/main.js` from a foreign folder, with only the given environment. */
async function runCompiled(env: Record<string, string>): Promise<Running> {
  const cwd = mkdtempSync(join(tmpdir(), 'cwx-compiled-cwd-'));
  const proc = spawn(process.execPath, [MAIN], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  void exit.then(() => rmSync(cwd, { recursive: true, force: true }));
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const lines: string[] = [];
  const rl = createInterface({ input: proc.stdout! });
  const url = await new Promise<string>((res, rej) => {
    rl.on('line', (l) => {
      lines.push(l);
      const m = /^\[server\] listening on (\S+)/.exec(l);
      if (m) res(m[1]!);
    });
    void exit.then((e) => rej(new Error(`compiled server exited (${e.code}): ${stderr.slice(-2000)}`)));
  });
  return { url, lines, exit, kill: (s) => proc.kill(s) };
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

describe('the compiled server', () => {
  it('imports nothing but node built-ins, its own files and the production dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set(Object.keys(pkg.dependencies));
    const builtins = new Set(builtinModules);
    const bare = new Set<string>();
    for (const f of files(join(ROOT, 'dist-server'), '.js')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec)) continue;
        bare.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect(bare.size).toBeGreaterThan(5);
    expect([...bare].filter((p) => !allowed.has(p))).toEqual([]);
  });

  it('starts on plain node with SQLite, answers /healthz and /readyz, and exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cwx-compiled-'));
    try {
      const s = await runCompiled({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, SHUTDOWN_GRACE_SECONDS: '5' });
      expect((await getJson(`${s.url}/healthz`))).toEqual({ status: 200, body: { ok: true, service: 'cw-xero-sync', engine: 'sqlite' } });
      expect(await getJson(`${s.url}/readyz`)).toEqual({ status: 200, body: { ready: true, checks: { process: 'ok', database: 'ok', migrations: 'ok', jobs: 'ok' } } });
      s.kill('SIGTERM');
      expect(await s.exit).toEqual({ code: 0, signal: null });
      expect(s.lines.some((l) => l.startsWith('[server] drained'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  describe('on PostgreSQL', () => {
    const database = `compiled_${randomBytes(6).toString('hex')}`;
    const admin = async (q: string) => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(q);
      } finally {
        await c.end();
      }
    };
    beforeAll(() => admin(`create database ${database}`));
    afterAll(() => admin(`drop database if exists ${database} with (force)`));

    it('is ready once its migrations and pg-boss are, and drains on SIGTERM', async () => {
      const u = new URL(PG_URL);
      u.pathname = `/${database}`;
      const dataDir = mkdtempSync(join(tmpdir(), 'cwx-compiled-'));
      try {
        const s = await runCompiled({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, DATABASE_URL: u.toString(), SECRETS_KEY: randomBytes(32).toString('base64url'), SHUTDOWN_GRACE_SECONDS: '5' });
        // pg-boss starts beside the app: ready within a bound.
        let ready: { status: number; body: any } | undefined;
        for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
          ready = await getJson(`${s.url}/readyz`);
          if (ready.status === 200) break;
          expect(ready.status).toBe(503);
        }
        expect(ready).toEqual({ status: 200, body: { ready: true, checks: { process: 'ok', database: 'ok', migrations: 'ok', jobs: 'ok' } } });
        expect((await getJson(`${s.url}/healthz`)).body.engine).toBe('postgres');
        s.kill('SIGTERM');
        expect(await s.exit).toEqual({ code: 0, signal: null });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 60_000);
  });
});
