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
// bursts. A warm-up burst is not counted.
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
}

const ROUTES = ['/api/settings', '/api/xero/status', '/api/xero/location-map', '/api/batch/runs/latest'];

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export async function measureConcurrency(concurrency = 200, bursts = 10): Promise<ConcurrencyFigures> {
  const stack = await startBulkStack({ engine: 'sqlite' });
  try {
    const { inst, token } = await stack.first();
    const tokens = [token, await stack.session(inst.url, 'tech')];
    const one = async (i: number): Promise<{ ms: number; ok: boolean }> => {
      const t0 = performance.now();
      const res = await fetch(`${inst.url}${ROUTES[i % ROUTES.length]}`, { headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } });
      await res.arrayBuffer();
      return { ms: performance.now() - t0, ok: res.status === 200 };
    };
    const burst = () => Promise.all(Array.from({ length: concurrency }, (_, i) => one(i)));
    const warm = await burst();
    if (warm.some((r) => !r.ok)) throw new Error('a session-only route did not answer 200');
    const times: number[] = [];
    let failed = 0;
    const t0 = performance.now();
    for (let b = 0; b < bursts; b++) {
      for (const r of await burst()) {
        times.push(r.ms);
        if (!r.ok) failed++;
      }
    }
    const elapsed = performance.now() - t0;
    times.sort((a, b) => a - b);
    return { concurrency, requests: times.length, failed, p50: quantile(times, 0.5), p99: quantile(times, 0.99), max: times.at(-1)!, perSecond: times.length / (elapsed / 1000) };
  } finally {
    await stack.close();
  }
}

const f = (n: number, d = 0) => n.toFixed(d);

export function printConcurrency(c: ConcurrencyFigures): void {
  console.log(`\n${c.concurrency} concurrent requests to session-only routes (${ROUTES.join(', ')}), one server in its own process, simulators and load in another`);
  console.log(`p50 ${f(c.p50)} ms, p99 ${f(c.p99)} ms, max ${f(c.max)} ms, ${f(c.perSecond)} requests/s over ${c.requests} requests${c.failed ? ` (${c.failed} failed)` : ''}`);
}

export function concurrencySummary(c: ConcurrencyFigures): string[] {
  return [`session routes p50 ms: ${f(c.p50)}`, `session routes p99 ms: ${f(c.p99)}`, `session routes req/s: ${f(c.perSecond)}`, `session routes failed: ${c.failed}`];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const c = await measureConcurrency(Number(process.env.BENCH_CONCURRENCY ?? 200), Number(process.env.BENCH_BURSTS ?? 10));
  printConcurrency(c);
  console.log('\nSummary');
  for (const line of concurrencySummary(c)) console.log(line);
  process.exit(c.failed > 0 ? 1 : 0);
}
