// Starts a whole stack for a test on free ports: the ConnectWise simulator,
// the Xero simulator (when it exists), our server on a temp SQLite database,
// the demo tenant registered and its hosted setups installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDemoStack, type DemoStack, type DemoStackOptions } from '../../scripts/demo-stack.js';
import type { CwSim } from '../../sim/connectwise/index.js';

const ROOT = resolve(import.meta.dirname, '../..');

export type TestStack = DemoStack & { cwSim: CwSim; dataDir: string };

export async function startStack(opts: Partial<DemoStackOptions> = {}): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cwx-stack-'));
  const stack = await startDemoStack({
    cwSimPort: 0,
    xeroSimPort: 0,
    ...opts,
    serverEnv: { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...opts.serverEnv },
  });
  // Tests change the Xero simulator's limits at will (setXeroLimits): the simulator's own 429s pace them, as
  // Xero's would. Our own rolling-minute pacing is tested where the limits are fixed (tests/bulk, tests/engine).
  stack.server.deps.engine = { xeroLimits: { concurrent: 5, perMinute: 100_000, dayReserve: 50 } };
  return {
    ...stack,
    cwSim: stack.cw.sim,
    dataDir,
    async close() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Builds the pod once if dist/pod is missing (npm test builds it before
 * vitest). A lock directory keeps parallel test files from building at once.
 */
export async function ensurePodBuilt(): Promise<void> {
  const built = join(ROOT, 'dist/pod/invoice.html');
  const lock = join(ROOT, 'dist/.building');
  for (let i = 0; i < 600; i++) {
    if (existsSync(built)) return;
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    try {
      mkdirSync(lock);
    } catch {
      await new Promise((r) => setTimeout(r, 200)); // another file is building
      continue;
    }
    try {
      execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  if (!existsSync(built)) throw new Error('the pod build did not appear in dist/pod');
}

/** JSON over HTTP for tests: status and parsed body. */
export async function http(url: string, init: RequestInit & { json?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url, { ...init, headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json), method: init.method ?? 'POST' } : {}) });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}
