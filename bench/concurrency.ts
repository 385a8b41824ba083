// 200 concurrent requests to session-only routes against one server (issue
// 12's speed budget: p99 < 100 ms, throughput printed). `npx tsx
// bench/concurrency.ts` alone, or called by bench/run.ts.
//
// The routes a pod opens with, which need only a session and our database:
// GET /api/settings, /api/xero/status, /api/xero/location-map and
// /api/batch/runs/latest, each with a member's bearer token (an admin's and a
// technician's, so both the admin and the plain path are verified). The
// server is one real instance in a process of its own (tests/bulk/instance.ts,
// embedded database) as deployed; the simulators and this load run in this
// process, as ConnectWise and Xero are elsewhere in a real deployment. Bursts
// of 200 requests at once (BENCH_CONCURRENCY, BENCH_BURSTS), each timed from
// its send to its whole answer; throughput is all answers ÷ the time of all
// bursts. Warm-up bursts (BENCH_WARMUP, 10 by default) are not counted: a
// server answers these routes for hours, and V8 compiles the hot paths only
// after some thousands of requests — with one burst of warm-up the figures
// were mostly the compiler's work (server CPU a request ~3× the warm one).
//
// The load is sent with node:http over kept-alive connections, one per request
// in flight (200 at once, as 200 pods would). fetch (BENCH_CLIENT=fetch) costs
// this process about as much CPU a request as the server spends answering it,
// and on a 2-core machine that CPU is taken from the server being measured.
// The server's own CPU time a request (from /proc, Linux) is printed too: it
// depends far less on what else the machine is doing than p99 does.
// bench/run.ts runs it in a process of its own (measureConcurrencyApart): in the bench's process, after the
// month-end runs and the pushes, the load cost ~0.24 ms of CPU a request instead of ~0.18, and its bursts were
// slower by that (p99 106 ms against 70–98 alone, the server's CPU a request alike): the load's own state
// taken for the server's latency. The load process's CPU a request and each burst's time are printed.
// BENCH_ROUTES=/healthz,/api/settings measures other GETs (a floor: /healthz costs the server ~0.11 ms a
// request, the session routes 0.26–0.51 over runs here); BENCH_SERVER_NODE_ARGS gives the server's process node flags
// ("--cpu-prof --cpu-prof-dir=/tmp/p" profiles it).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { startBulkStack } from '../tests/bulk/harness.js';

export interface ConcurrencyFigures {
  concurrency: number;
  requests: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
  /** The server process's CPU time (user + system) a request, when /proc tells it. */
  serverCpuMs?: number;
  /** The load's process's CPU time a request (it shares the machine's cores with the server). */
  loadCpuMs: number;
  /** Each measured burst's time, from its first send to its last answer. */
  burstsMs: number[];
  client: 'http' | 'fetch';
  warmup: number;
  /** p50 and p99 of each route, to see which one makes the tail. */
  byRoute: Record<string, { p50: number; p99: number }>;
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function cpuMsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

/** GET with a bearer token: status and the whole body read. */
function httpGet(agent: Agent, url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const ROUTES = process.env.BENCH_ROUTES ? process.env.BENCH_ROUTES.split(',') : ['/api/settings', '/api/xero/status', '/api/xero/location-map', '/api/batch/runs/latest'];

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export async function measureConcurrency(concurrency = 200, bursts = 10, client: 'http' | 'fetch' = 'http', warmup = 10): Promise<ConcurrencyFigures> {
  const stack = await startBulkStack({ engine: 'sqlite', ...(process.env.BENCH_SERVER_NODE_ARGS ? { nodeArgs: process.env.BENCH_SERVER_NODE_ARGS.split(' ') } : {}) });
  // Idle connections are let go before the server's keep-alive timeout (5 s) could close one under a request.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, timeout: 4_000 });
  try {
    const { inst, token } = await stack.first();
    const tokens = [token, await stack.session(inst.url, 'tech')];
    const send = async (url: string, token: string): Promise<number> => {
      if (client === 'http') return httpGet(agent, url, token);
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      return res.status;
    };
    const one = async (i: number): Promise<{ ms: number; ok: boolean; route: string }> => {
      const t0 = performance.now();
      const route = ROUTES[i % ROUTES.length]!;
      const status = await send(`${inst.url}${route}`, tokens[i % tokens.length]!);
      return { ms: performance.now() - t0, ok: status === 200, route };
    };
    const burst = () => Promise.all(Array.from({ length: concurrency }, (_, i) => one(i)));
    for (let w = 0; w < Math.max(1, warmup); w++) {
      const warm = await burst();
      if (warm.some((r) => !r.ok)) throw new Error('a session-only route did not answer 200');
    }
    const times: number[] = [];
    const routeTimes = new Map<string, number[]>();
    let failed = 0;
    const cpu0 = cpuMsOf(inst.proc.pid);
    const load0 = process.cpuUsage();
    const burstsMs: number[] = [];
    const t0 = performance.now();
    for (let b = 0; b < bursts; b++) {
      const tb = performance.now();
      const answers = await burst();
      burstsMs.push(performance.now() - tb);
      for (const r of answers) {
        times.push(r.ms);
        const ofRoute = routeTimes.get(r.route);
        if (ofRoute) ofRoute.push(r.ms);
        else routeTimes.set(r.route, [r.ms]);
        if (!r.ok) failed++;
      }
    }
    const elapsed = performance.now() - t0;
    const cpu1 = cpuMsOf(inst.proc.pid);
    const load = process.cpuUsage(load0);
    times.sort((a, b) => a - b);
    return {
      concurrency,
      requests: times.length,
      failed,
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      max: times.at(-1)!,
      perSecond: times.length / (elapsed / 1000),
      ...(cpu0 !== undefined && cpu1 !== undefined ? { serverCpuMs: (cpu1 - cpu0) / times.length } : {}),
      loadCpuMs: (load.user + load.system) / 1000 / times.length,
      burstsMs,
      client,
      warmup,
      byRoute: Object.fromEntries(
        [...routeTimes].map(([route, ms]) => {
          const sorted = [...ms].sort((a, b) => a - b);
          return [route, { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) }];
        }),
      ),
    };
  } finally {
    agent.destroy();
    await stack.close();
  }
}

const f = (n: number, d = 0) => n.toFixed(d);

export function printConcurrency(c: ConcurrencyFigures): void {
  console.log(`\n${c.concurrency} concurrent requests to session-only routes (${ROUTES.join(', ')}), one server in its own process, simulators and load (${c.client === 'http' ? 'node:http, kept-alive connections' : 'fetch'}) in another; after ${c.warmup} bursts of warm-up`);
  console.log(`p50 ${f(c.p50)} ms, p99 ${f(c.p99)} ms, max ${f(c.max)} ms, ${f(c.perSecond)} requests/s over ${c.requests} requests${c.failed ? ` (${c.failed} failed)` : ''}${c.serverCpuMs !== undefined ? `; server CPU ${f(c.serverCpuMs, 2)} ms a request` : ''}`);
  const bursts = [...c.burstsMs].sort((a, b) => a - b);
  console.log(`load process CPU ${f(c.loadCpuMs, 2)} ms a request; bursts of ${c.concurrency}: fastest ${f(bursts[0]!)} ms, median ${f(quantile(bursts, 0.5))}, slowest ${f(bursts.at(-1)!)}`);
  console.log(`by route: ${Object.entries(c.byRoute).map(([r, q]) => `${r} p50 ${f(q.p50)} / p99 ${f(q.p99)} ms`).join('; ')}`);
}

export function concurrencySummary(c: ConcurrencyFigures): string[] {
  return [
    `session routes p50 ms: ${f(c.p50)}`,
    `session routes p99 ms: ${f(c.p99)}`,
    `session routes req/s: ${f(c.perSecond)}`,
    ...(c.serverCpuMs !== undefined ? [`session routes server CPU ms/req: ${f(c.serverCpuMs, 2)}`] : []),
    `session routes failed: ${c.failed}`,
  ];
}

const FIGURES_LINE = 'concurrency figures: ';

/** measureConcurrency in a fresh process of its own (this file run alone), so nothing the caller did before weighs on the load. */
export function measureConcurrencyApart(concurrency = 200, bursts = 10): Promise<ConcurrencyFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename], {
      env: { ...process.env, BENCH_CONCURRENCY: String(concurrency), BENCH_BURSTS: String(bursts), BENCH_FIGURES_LINE: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(FIGURES_LINE));
      if (line) resolve(JSON.parse(line.slice(FIGURES_LINE.length)) as ConcurrencyFigures);
      else reject(new Error(`the concurrency bench ended (${code}) without its figures: ${out.slice(-2000)}`));
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const c = await measureConcurrency(Number(process.env.BENCH_CONCURRENCY ?? 200), Number(process.env.BENCH_BURSTS ?? 10), process.env.BENCH_CLIENT === 'fetch' ? 'fetch' : 'http', Number(process.env.BENCH_WARMUP ?? 10));
  if (process.env.BENCH_FIGURES_LINE) {
    console.log(FIGURES_LINE + JSON.stringify(c));
    process.exit(0);
  }
  printConcurrency(c);
  console.log('\nSummary');
  for (const line of concurrencySummary(c)) console.log(line);
  process.exit(c.failed > 0 ? 1 : 0);
}
