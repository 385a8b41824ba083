// npm run bench (scripts/bench.sh) — month end at Xero's real bound, and the single push.
//
//  1. Month end: N invoices for C customers generated in the ConnectWise
//     simulator, synced in one run to the Xero simulator at Xero's REAL limits
//     (5 at once, 60 in a rolling minute, 5000 a day per organisation), with
//     latency injected on both simulators: Xero 300 ms a call plus 10 ms per
//     element of its body, ConnectWise 100 ms a call. Elapsed runs from the POST
//     that starts the run to the run's end (its finishedAt), every Xero call the
//     product makes included. The bound is computed (bench/bound.ts): the least
//     time Xero's limits allow for the fewest calls the work needs — never the
//     calls the run happened to make. Printed per size: Xero calls, bound,
//     elapsed, elapsed ÷ bound (target ≤ 1.10), ConnectWise calls per invoice
//     and the most ConnectWise calls in flight at once (measured in the
//     ConnectWise simulator; at most 8), 429s that reached a record (0),
//     duplicates in Xero and records not synced (0), and the server's peak
//     memory (RSS sampled every second, and the live heap: the most in use just after one of V8's own full GCs during the run — a forced GC there would stop the server being timed — and after a forced one once the run has ended) — for
//     5,000 invoices / 1,500 customers (one ConnectWise batch an invoice, the
//     pod's default, and one batch for the run), and 200 / 60 and 1,000 / 300 to show
//     memory does not grow with N. Each size runs on a fresh server process.
//  2. Single push (bench/push.ts, runnable alone): 100 ms injected on every
//     API call of both simulators, median and p95 from click (POST
//     /api/invoices/:id/push) to its answer, over 100 different invoices
//     never previewed, each then confirmed in Xero and ConnectWise.
//  3. 200 concurrent requests to session-only routes (bench/concurrency.ts,
//     runnable alone): p50, p99 and requests a second.
// It ends with a plain summary, one `name: value` line per figure, for scripts
// and CI. It exits 1 if a must-hold figure fails (a duplicate, a record not
// synced, a 429 reaching a record, more than 8 ConnectWise calls at once, a
// push that failed or is not in both simulators).
// The server runs as a child process (tests/bulk/instance.ts) on an embedded
// database; the simulators run in this process.
import { api, startBulkStack, type BulkStack } from '../tests/bulk/harness.js';
import { cwFaults, seed, xeroDocs, xeroFaults } from '../tests/bulk/checks.js';
import { HARBOUR_TENANT_ID } from '../sim/xero/seed.js';
import { monthEndBound } from './bound.js';
import { measurePushes, printPush, pushBroken, pushSummary } from './push.js';
import { concurrencySummary, cpuMsOf, measureConcurrencyApart, printConcurrency } from './concurrency.js';
import { podJsSizes, podSizeSummary } from './pod-size.js';
import { measurePaint, paintSummary, printPaint } from './paint.js';

const MB = 1024 * 1024;
const XERO_LIMITS = { concurrent: 5, perMinute: 60, perDay: 5000 };
const XERO_LATENCY = { perCallMs: 300, perElementMs: 10 };
const CW_LATENCY_MS = 100;
const CW_MAX_CONCURRENT = 8;
const TARGET = 1.1;

/**
 * ConnectWise batches a run closes: one per invoice (the pod's default; a mistake is re-synced alone) or one for
 * the whole run (as ConnectWise's own export closes a month). One batch per invoice is one ConnectWise call per
 * invoice, and only once its Xero document exists: the invoices of Xero's last window (800 of 5,000 here) can
 * only be closed after it, ≥ 800 calls ÷ 8 at once × 100 ms = 10 s past the bound however the run is planned.
 */
type Batching = 'record' | 'run';

interface BulkFigures {
  invoices: number;
  customers: number;
  batching: Batching;
  xeroCalls: number;
  xero429s: number;
  minimumCalls: number;
  boundS: number;
  elapsedS: number;
  cwCalls: number;
  cwPeakInFlight: number;
  notSynced: number;
  rateLimitedRecords: number;
  duplicates: number;
  peakRssMb: number;
  peakHeapMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the run lightly (one item a page) until it is done; answers its view. */
async function runEnd(url: string, token: string, runId: string, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await api(url, token, 'GET', `/api/batch/runs/${runId}?limit=1`);
    if (v.status !== 200) throw new Error(`run view: ${v.status} ${JSON.stringify(v.body)}`);
    if (v.body.status === 'done') return v.body;
    if (Date.now() > deadline) throw new Error(`run ${runId} not done after ${timeoutMs / 1000} s: ${JSON.stringify(v.body.counts)} ${v.body.status}`);
    await sleep(500);
  }
}

/** Records the run did not sync, and those of them whose words speak of Xero's limits (a 429 that reached a record). */
async function unsynced(url: string, token: string, runId: string, total: number): Promise<{ notSynced: number; rateLimited: number }> {
  let notSynced = 0;
  let rateLimited = 0;
  for (let offset = 0; offset < total; offset += 1000) {
    const v = await api(url, token, 'GET', `/api/batch/runs/${runId}?offset=${offset}&limit=1000`);
    for (const item of v.body.items as { state: string; problem: { code: string; message: string } | null }[]) {
      if (item.state === 'synced') continue;
      notSynced++;
      if (item.problem && /429|rate.?limit|too many|limit/i.test(`${item.problem.code} ${item.problem.message}`)) rateLimited++;
    }
  }
  return { notSynced, rateLimited };
}

function duplicatesInXero(stack: BulkStack): number {
  let n = 0;
  for (const d of xeroDocs(stack).values()) if (d.count > 1) n += d.count - 1;
  return n;
}

async function bulk(invoices: number, customers: number, batching: Batching): Promise<BulkFigures> {
  const stack = await startBulkStack({ engine: 'sqlite', xeroLimits: XERO_LIMITS, env: { LOG_LEVEL: 'warn', BULK_JOB_EXPIRE_SECONDS: '600' }, nodeArgs: ['--expose-gc', ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [])] });
  try {
    const { inst, token } = await stack.first();
    const { glEntryIds } = await seed(stack, invoices, customers);
    await xeroFaults(stack, { latencyMs: XERO_LATENCY.perCallMs, latencyPerElementMs: XERO_LATENCY.perElementMs });
    await cwFaults(stack, { latencyMs: CW_LATENCY_MS });
    const xeroBefore = stack.xero.sim.ctx.apiCalls.get(HARBOUR_TENANT_ID) ?? 0;
    const limitedBefore = stack.xero.sim.ctx.rateLimited.get(HARBOUR_TENANT_ID) ?? 0;
    const m0 = await inst.memory();
    let peak = m0.rss;
    let peakHeap = m0.heapUsed;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const m = await inst.memory(true); // no forced GC while the run is timed: it would stop the server
        peak = Math.max(peak, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
        await sleep(1000);
      }
    })();
    stack.cw.sim.traffic.restart();
    const t0 = Date.now();
    // BENCH_TIMELINE=1: a line every second — ConnectWise and Xero calls started in it, and ConnectWise calls in flight — to see where a run's time goes.
    const timeline = process.env.BENCH_TIMELINE
      ? setInterval(
          (() => {
            let cw = 0;
            let xero = xeroBefore;
            let cpu = process.cpuUsage();
            let serverCpu = cpuMsOf(inst.proc.pid) ?? 0;
            return () => {
              const cpuNow = process.cpuUsage();
              const serverCpuNow = cpuMsOf(inst.proc.pid) ?? 0;
              const simsMs = (cpuNow.user + cpuNow.system - cpu.user - cpu.system) / 1000;
              const serverMs = serverCpuNow - serverCpu;
              cpu = cpuNow;
              serverCpu = serverCpuNow;
              const cwNow = stack.cw.sim.traffic.calls;
              const xeroNow = stack.xero.sim.ctx.apiCalls.get(HARBOUR_TENANT_ID) ?? 0;
              console.log(`  t=${((Date.now() - t0) / 1000).toFixed(0)}s cw +${cwNow - cw} (in flight ${stack.cw.sim.traffic.inFlight}) xero +${xeroNow - xero} (429s so far ${(stack.xero.sim.ctx.rateLimited.get(HARBOUR_TENANT_ID) ?? 0) - limitedBefore}); CPU ms: server ${serverMs.toFixed(0)}, simulators ${simsMs.toFixed(0)}`);
              cw = cwNow;
              xero = xeroNow;
            };
          })(),
          1000,
        )
      : undefined;
    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds, batching });
    if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
    const end = await runEnd(inst.url, token, started.body.id, 30 * 60_000);
    clearInterval(timeline);
    const elapsedS = ((end.finishedAt ? Date.parse(end.finishedAt) : Date.now()) - t0) / 1000;
    const cwCalls = stack.cw.sim.traffic.calls;
    const cwPeakInFlight = stack.cw.sim.traffic.peakInFlight;
    const xeroCalls = (stack.xero.sim.ctx.apiCalls.get(HARBOUR_TENANT_ID) ?? 0) - xeroBefore;
    const xero429s = (stack.xero.sim.ctx.rateLimited.get(HARBOUR_TENANT_ID) ?? 0) - limitedBefore;
    sampling = false;
    await sampler;
    const m1 = await inst.memory(); // after the run, a full GC: what stays live
    peak = Math.max(peak, m1.rss);
    peakHeap = Math.max(peakHeap, m1.heapUsed);
    await xeroFaults(stack, { latencyMs: 0, latencyPerElementMs: 0 });
    await cwFaults(stack, { latencyMs: 0 });
    const { notSynced, rateLimited } = await unsynced(inst.url, token, started.body.id, end.counts.total);
    const bound = monthEndBound({ customers, invoices, latency: XERO_LATENCY, limits: XERO_LIMITS });
    return {
      invoices,
      customers,
      batching,
      xeroCalls,
      xero429s,
      minimumCalls: bound.calls,
      boundS: bound.seconds,
      elapsedS,
      cwCalls,
      cwPeakInFlight,
      notSynced,
      rateLimitedRecords: rateLimited,
      duplicates: duplicatesInXero(stack),
      peakRssMb: peak / MB,
      peakHeapMb: peakHeap / MB,
    };
  } finally {
    await stack.close();
  }
}

const f = (n: number, d = 1) => n.toFixed(d);

// BENCH_SIZES="1000x300,200x60:run" runs other sizes, ":run" with one ConnectWise batch for the run (the first is the one the target is read from).
const sizes: [number, number, Batching][] = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map((s) => {
      const [size, batching] = s.split(':');
      const [n, c] = size!.split('x').map(Number) as [number, number];
      return [n, c, batching === 'run' ? 'run' : 'record'];
    })
  : [
      [5000, 1500, 'record'],
      [5000, 1500, 'run'],
      [200, 60, 'record'],
      [1000, 300, 'record'],
    ];
const batchingWords = (b: Batching) => (b === 'run' ? 'one ConnectWise batch for the run' : 'one ConnectWise batch an invoice');
const runs: BulkFigures[] = [];
for (const [invoices, customers, batching] of sizes) {
  console.log(`bulk ${invoices} invoices for ${customers} customers, ${batchingWords(batching)} …`);
  const b = await bulk(invoices, customers, batching);
  runs.push(b);
  // At once, so a run of one size can be read (and stopped) before the other benches.
  console.log(`  elapsed ${f(b.elapsedS)} s, bound ${f(b.boundS)} s, elapsed/bound ${f(b.elapsedS / b.boundS, 2)}, Xero calls ${b.xeroCalls} (${b.xero429s} 429s), CW calls/invoice ${f(b.cwCalls / b.invoices, 2)}, CW at once ${b.cwPeakInFlight}, not synced ${b.notSynced}, duplicates ${b.duplicates}`);
}
// BENCH_BULK_ONLY=1: the month-end runs alone (with BENCH_TIMELINE=1, to see where a run's time goes).
if (process.env.BENCH_BULK_ONLY) process.exit(runs.some((b) => b.duplicates > 0 || b.notSynced > 0) ? 1 : 0);
console.log('single pushes …');
const push = await measurePushes(Number(process.env.BENCH_PUSHES ?? 100));
console.log('session-only routes, 200 at once …');
const sessionRoutes = await measureConcurrencyApart(200, 10);
// 3. The pod (issue 12): JavaScript each page loads (bench/pod-size.ts, from the build scripts/bench.sh made) and first useful paint (bench/paint.ts).
const podSizes = podJsSizes();
console.log('first useful paint …');
const paint = await measurePaint();

console.log(
  `\nMonth end against the Xero simulator at Xero's limits (5 at once, 60 in a rolling minute, 5000 a day), latency injected: Xero ${XERO_LATENCY.perCallMs} ms a call + ${XERO_LATENCY.perElementMs} ms an element, ConnectWise ${CW_LATENCY_MS} ms a call`,
);
console.log('| invoices | customers | ConnectWise batches | Xero calls | 429s answered | fewest calls | bound | elapsed | elapsed / bound | CW calls / invoice | CW at once (max) | not synced | 429s reaching a record | duplicates | peak server RSS | peak live heap (after GC) |');
console.log('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const b of runs) {
  console.log(
    `| ${b.invoices} | ${b.customers} | ${b.batching === 'run' ? 'one for the run' : 'one an invoice'} | ${b.xeroCalls} | ${b.xero429s} | ${b.minimumCalls} | ${f(b.boundS)} s | ${f(b.elapsedS)} s | ${f(b.elapsedS / b.boundS, 2)} | ${f(b.cwCalls / b.invoices, 2)} | ${b.cwPeakInFlight} | ${b.notSynced} | ${b.rateLimitedRecords} | ${b.duplicates} | ${f(b.peakRssMb, 0)} MB | ${f(b.peakHeapMb, 0)} MB |`,
  );
}
const largest = runs[0]!;
const smallest = runs.filter((b) => b.batching === largest.batching).reduce((a, b) => (b.invoices < a.invoices ? b : a));
console.log(`Peak memory ${largest.invoices} vs ${smallest.invoices} invoices: RSS ${f(largest.peakRssMb / smallest.peakRssMb, 2)}×, live heap ${f(largest.peakHeapMb / smallest.peakHeapMb, 2)}×`);
printPush(push);
printConcurrency(sessionRoutes);
printPaint(paint);
console.log('\nSummary');
for (const b of runs) {
  const k = `bulk ${b.invoices}${b.batching === 'run' ? ' one batch' : ''}`;
  console.log(`${k} customers: ${b.customers}`);
  console.log(`${k} xero calls: ${b.xeroCalls}`);
  console.log(`${k} xero 429s answered: ${b.xero429s}`);
  console.log(`${k} fewest xero calls: ${b.minimumCalls}`);
  console.log(`${k} bound s: ${f(b.boundS)}`);
  console.log(`${k} elapsed s: ${f(b.elapsedS)}`);
  console.log(`${k} elapsed/bound: ${f(b.elapsedS / b.boundS, 2)}`);
  console.log(`${k} cw calls per invoice: ${f(b.cwCalls / b.invoices, 2)}`);
  console.log(`${k} cw max concurrency: ${b.cwPeakInFlight}`);
  console.log(`${k} 429s reaching a record: ${b.rateLimitedRecords}`);
  console.log(`${k} records not synced: ${b.notSynced}`);
  console.log(`${k} duplicates in xero: ${b.duplicates}`);
  console.log(`${k} peak rss mb: ${f(b.peakRssMb, 0)}`);
  console.log(`${k} peak heap mb: ${f(b.peakHeapMb, 0)}`);
}
console.log(`bulk ${largest.invoices} target elapsed/bound: ${f(TARGET, 2)}`);
for (const b of runs.filter((r) => r.invoices === largest.invoices && r.customers === largest.customers)) {
  console.log(`bulk ${b.invoices}${b.batching === 'run' ? ' one batch' : ''} target met: ${b.elapsedS / b.boundS <= TARGET ? 'yes' : 'no'}`);
}
console.log(`memory ${largest.invoices} vs ${smallest.invoices} rss: ${f(largest.peakRssMb / smallest.peakRssMb, 2)}`);
for (const line of pushSummary(push)) console.log(line);
for (const line of concurrencySummary(sessionRoutes)) console.log(line);
for (const line of podSizeSummary(podSizes)) console.log(line);
for (const line of paintSummary(paint)) console.log(line);

const broken = runs.some((b) => b.duplicates > 0 || b.notSynced > 0 || b.rateLimitedRecords > 0 || b.cwPeakInFlight > CW_MAX_CONCURRENT) || pushBroken(push);
process.exit(broken ? 1 : 0);
