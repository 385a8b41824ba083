// One-record push, click → confirmed (issue 12's speed budget: p95 ≤ 1.0 s).
// `npx tsx bench/push.ts` alone, or called by bench/run.ts.
//
// The pod's push button POSTs /api/invoices/:id/push ({}); the time runs from
// that POST to its answer, over HTTP against the real server (a child process,
// tests/bulk/instance.ts, on the embedded database), with 100 ms injected on
// every API call of both simulators. Every record is a different invoice of a
// different new customer, never previewed first (no GET …/sync before), so a
// push reads everything itself and writes a contact, a document and a batch.
// After the pushes, each is confirmed in the simulators' own state: its number
// in Xero exactly once and its GL entry in exactly one ConnectWise batch.
//
// Xero's limits: 5 calls at once as Xero has them, but the rolling minute is
// lifted (simulator and engine alike): pushes back to back make ~3 Xero calls
// each, ~100 a minute — more than Xero's 60, which one person clicking does not
// reach; a whole list goes through the batch run. The Xero calls per push are
// printed, so what the minute allows is plain (60 ÷ calls a push).
//
// With BENCH_PUSH_WITH_RUN=1 (or measurePushes({ withRun })), the same pushes
// are made while a batch run of other invoices of the same organisation is
// going: the person's calls go ahead of the run's queued work.
//
// BENCH_TRACE=N prints the simulators' calls of the first N pushes (start and
// end in ms from the POST): where the time goes.
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { api, startBulkStack } from '../tests/bulk/harness.js';
import { cwBatchesByGl, cwFaults, seed, xeroDocs, xeroFaults } from '../tests/bulk/checks.js';
import { HARBOUR_TENANT_ID } from '../sim/xero/seed.js';

export interface PushFigures {
  n: number;
  median: number;
  p95: number;
  max: number;
  /** Answered anything but 200 synced. */
  failed: number;
  /** Answered synced, but Xero or ConnectWise does not hold it exactly once. */
  unconfirmed: number;
  xeroCallsPerPush: number;
  cwCallsPerPush: number;
  withRun: boolean;
  /** The run's records done when the pushes ended, of its total (withRun). */
  runProgress?: string;
}

const LATENCY_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** Calls the simulators in this process answer (both listen here), for BENCH_TRACE. */
function tracer() {
  const calls: { at: number; end?: number; what: string }[] = [];
  let on = false;
  subscribe('http.server.request.start', (m) => {
    if (!on) return;
    const { request, response } = m as { request: IncomingMessage; response: ServerResponse };
    const c: { at: number; end?: number; what: string } = { at: performance.now(), what: `${request.method} ${decodeURIComponent(request.url ?? '').slice(0, 110)}` };
    calls.push(c);
    response.once('finish', () => (c.end = performance.now()));
  });
  return {
    start() {
      calls.length = 0;
      on = true;
    },
    print(t0: number, total: number) {
      on = false;
      console.log(`  push ${total.toFixed(0)} ms:`);
      for (const c of calls) console.log(`    ${(c.at - t0).toFixed(0).padStart(5)} → ${c.end ? (c.end - t0).toFixed(0).padStart(5) : '    ?'}  ${c.what}`);
    },
  };
}

export async function measurePushes(pushes: number, o: { withRun?: boolean; trace?: number } = {}): Promise<PushFigures> {
  const stack = await startBulkStack({
    engine: 'sqlite',
    xeroLimits: { concurrent: 5, perMinute: 100_000, perDay: 100_000 },
    env: { INSTANCE_XERO_PER_MINUTE: '100000' },
  });
  const trace = o.trace ? tracer() : undefined;
  try {
    const { inst, token } = await stack.first();
    const { invoiceIds } = await seed(stack, pushes, pushes);
    let runId: string | undefined;
    if (o.withRun) {
      // Other invoices of the same organisation (location 1 → Harbour), enough to outlast the pushes.
      const other = await seed(stack, pushes * 6, pushes * 2);
      await xeroFaults(stack, { latencyMs: LATENCY_MS });
      await cwFaults(stack, { latencyMs: LATENCY_MS });
      const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds: other.glEntryIds });
      if (started.status !== 201) throw new Error(`run: ${started.status} ${JSON.stringify(started.body)}`);
      runId = started.body.id;
      await sleep(2_000); // the run is reading ConnectWise and writing to Xero
    } else {
      await xeroFaults(stack, { latencyMs: LATENCY_MS });
      await cwFaults(stack, { latencyMs: LATENCY_MS });
    }
    const xeroBefore = stack.xero.sim.ctx.apiCalls.get(HARBOUR_TENANT_ID) ?? 0;
    const cwBefore = stack.counter.cwApiCalls;
    const times: number[] = [];
    let failed = 0;
    for (const [i, id] of invoiceIds.entries()) {
      if (trace && i < o.trace!) trace.start();
      const t0 = performance.now();
      const r = await api(inst.url, token, 'POST', `/api/invoices/${id}/push`, {});
      const ms = performance.now() - t0;
      if (trace && i < o.trace!) trace.print(t0, ms);
      if (r.status !== 200 || r.body?.outcome !== 'synced') {
        failed++;
        console.error(`push ${id}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        continue;
      }
      times.push(ms);
    }
    // Without a run, every call counted is a push's; with one, the run's share the counters.
    const xeroCalls = (stack.xero.sim.ctx.apiCalls.get(HARBOUR_TENANT_ID) ?? 0) - xeroBefore;
    const cwCalls = stack.counter.cwApiCalls - cwBefore;
    let runProgress: string | undefined;
    if (runId) {
      const v = await api(inst.url, token, 'GET', `/api/batch/runs/${runId}?limit=1`);
      runProgress = `${v.body.status}, ${JSON.stringify(v.body.counts)}`;
    }
    // Confirmed: the Xero document and the ConnectWise batch both exist, once each.
    const docs = xeroDocs(stack);
    const batches = cwBatchesByGl(stack);
    let unconfirmed = 0;
    for (const id of invoiceIds) {
      const inv = stack.cw.sim.state.invoices.find((x) => x.id === id)!;
      if (docs.get(inv.invoiceNumber)?.count !== 1 || batches.get(inv.glEntryId)?.length !== 1) unconfirmed++;
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => (times.length ? quantile(times, q) : NaN);
    return {
      n: times.length,
      median: at(0.5),
      p95: at(0.95),
      max: at(1),
      failed,
      unconfirmed,
      xeroCallsPerPush: xeroCalls / invoiceIds.length,
      cwCallsPerPush: cwCalls / invoiceIds.length,
      withRun: !!o.withRun,
      ...(runProgress ? { runProgress } : {}),
    };
  } finally {
    await stack.close();
  }
}

const f = (n: number, d = 0) => n.toFixed(d);

export function printPush(p: PushFigures): void {
  console.log(`\nSingle-invoice push${p.withRun ? ' while a batch run of the same organisation is going' : ''}, ${LATENCY_MS} ms injected per API call on both simulators (click → confirmed)`);
  console.log(`median ${f(p.median)} ms, p95 ${f(p.p95)} ms, max ${f(p.max)} ms over ${p.n} pushes${p.failed ? ` (${p.failed} failed)` : ''}; ${p.unconfirmed} not confirmed in both simulators`);
  if (p.withRun) console.log(`the run when the pushes ended: ${p.runProgress}`);
  else console.log(`calls a push: Xero ${f(p.xeroCallsPerPush, 2)}, ConnectWise ${f(p.cwCallsPerPush, 2)}`);
}

/** `name: value` lines (bench/run.ts prints them in its summary). */
export function pushSummary(p: PushFigures): string[] {
  const k = p.withRun ? 'push during run' : 'push';
  return [
    `${k} median ms: ${f(p.median)}`,
    `${k} p95 ms: ${f(p.p95)}`,
    `${k} failed: ${p.failed}`,
    `${k} not confirmed: ${p.unconfirmed}`,
    ...(p.withRun ? [] : [`push xero calls: ${f(p.xeroCallsPerPush, 2)}`, `push cw calls: ${f(p.cwCallsPerPush, 2)}`]),
  ];
}

export const pushBroken = (p: PushFigures) => p.failed > 0 || p.unconfirmed > 0;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.env.BENCH_PUSHES ?? 100);
  const trace = Number(process.env.BENCH_TRACE ?? 0);
  const results = [await measurePushes(n, { trace })];
  if (process.env.BENCH_PUSH_WITH_RUN) results.push(await measurePushes(n, { withRun: true }));
  for (const p of results) printPush(p);
  console.log('\nSummary');
  for (const p of results) for (const line of pushSummary(p)) console.log(line);
  process.exit(results.some(pushBroken) ? 1 : 0);
}
