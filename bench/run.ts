// npm run bench — the bulk sync and the single push against the simulators.
//
//  1. Bulk: N invoices for C customers generated in the ConnectWise simulator,
//     synced to the Xero simulator WITH ITS REAL LIMITS (5 at once, 60 a
//     minute, 5000 a day). Printed: Xero calls, elapsed time, the bound
//     ceil(C/50) + ceil(N/50) calls at 60 a minute and elapsed / bound,
//     ConnectWise calls, 429s that reached a record (must be 0), and the
//     server's peak memory (RSS, and live heap after a full GC, sampled
//     every second) — for 200 and for 1000 invoices, each on a fresh
//     server process, to show memory does not grow with N.
//  2. Single push with 100 ms injected on every API call of both simulators:
//     median and p95 from click (POST /api/invoices/:id/push) to confirmed
//     (its answer), over 20 pushes.
// The server runs as a child process (tests/bulk/instance.ts) on an embedded
// database; the simulators run in this process.
import { api, startBulkStack } from '../tests/bulk/harness.js';
import { seed, waitForRun, xeroFaults, cwFaults } from '../tests/bulk/checks.js';
import { HARBOUR_TENANT_ID } from '../sim/xero/seed.js';

const MB = 1024 * 1024;

interface BulkFigures {
  invoices: number;
  customers: number;
  xeroCalls: number;
  boundCalls: number;
  elapsedS: number;
  boundS: number;
  cwCalls: number;
  failed: number;
  peakRssMb: number;
  peakHeapMb: number;
}

async function bulk(invoices: number, customers: number): Promise<BulkFigures> {
  const stack = await startBulkStack({ engine: 'sqlite', env: { LOG_LEVEL: 'warn' }, nodeArgs: ['--expose-gc'] });
  try {
    const { inst, token } = await stack.first();
    const { glEntryIds } = await seed(stack, invoices, customers);
    const xeroBefore = stack.xero.sim.ctx.apiCalls.get(HARBOUR_TENANT_ID) ?? 0;
    const cwBefore = stack.counter.cwApiCalls;
    const m0 = await inst.memory();
    let peak = m0.rss;
    let peakHeap = m0.heapUsed;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const m = await inst.memory();
        peak = Math.max(peak, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    const t0 = performance.now();
    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds });
    if (started.status !== 201) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
    const end = await waitForRun(inst.url, token, started.body.id, (v) => v.status === 'done', 280_000);
    const elapsedS = (performance.now() - t0) / 1000;
    sampling = false;
    await sampler;
    const boundCalls = Math.ceil(customers / 50) + Math.ceil(invoices / 50);
    return {
      invoices,
      customers,
      xeroCalls: (stack.xero.sim.ctx.apiCalls.get(HARBOUR_TENANT_ID) ?? 0) - xeroBefore,
      boundCalls,
      elapsedS,
      boundS: boundCalls, // calls at 60 a minute = one a second
      cwCalls: stack.counter.cwApiCalls - cwBefore,
      failed: end.counts.failed,
      peakRssMb: peak / MB,
      peakHeapMb: peakHeap / MB,
    };
  } finally {
    await stack.close();
  }
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

async function singlePush(pushes: number): Promise<{ median: number; p95: number; n: number; failed: number }> {
  const stack = await startBulkStack({ engine: 'sqlite' });
  try {
    const { inst, token } = await stack.first();
    const { invoiceIds } = await seed(stack, pushes, pushes);
    await xeroFaults(stack, { latencyMs: 100 });
    await cwFaults(stack, { latencyMs: 100 });
    const times: number[] = [];
    let failed = 0;
    for (const id of invoiceIds) {
      const t0 = performance.now();
      const r = await api(inst.url, token, 'POST', `/api/invoices/${id}/push`, {});
      const ms = performance.now() - t0;
      if (r.status !== 200 || r.body?.outcome !== 'synced') {
        failed++;
        console.error(`push ${id}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        continue;
      }
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    return { median: times.length ? quantile(times, 0.5) : NaN, p95: times.length ? quantile(times, 0.95) : NaN, n: times.length, failed };
  } finally {
    await stack.close();
  }
}

const f = (n: number, d = 1) => n.toFixed(d);

const small = await bulk(200, 60);
const large = await bulk(1000, 300);
const push = await singlePush(20);

console.log('\nBulk sync against the Xero simulator with its real limits (5 at once, 60 a minute)');
console.log('| invoices | customers | Xero calls | bound (calls) | elapsed | bound at 60/min | elapsed / bound | CW calls | failed | peak server RSS | peak live heap (after GC) |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const b of [small, large]) {
  console.log(`| ${b.invoices} | ${b.customers} | ${b.xeroCalls} (${f(b.xeroCalls / b.boundCalls, 2)}× bound) | ${b.boundCalls} | ${f(b.elapsedS)} s | ${b.boundS} s | ${f(b.elapsedS / b.boundS, 2)} | ${b.cwCalls} | ${b.failed} | ${f(b.peakRssMb, 0)} MB | ${f(b.peakHeapMb, 0)} MB |`);
}
console.log(`Peak memory 1000 vs 200 invoices: RSS ${f(large.peakRssMb / small.peakRssMb, 2)}×, heap ${f(large.peakHeapMb / small.peakHeapMb, 2)}×`);
console.log('\nSingle-invoice push, 100 ms injected per API call on both simulators (click → confirmed)');
console.log(`median ${f(push.median, 0)} ms, p95 ${f(push.p95, 0)} ms over ${push.n} pushes${push.failed ? ` (${push.failed} failed)` : ''}`);
process.exit(0);
