// A server instance as its own process, for the bulk tests and the benchmark
// (so one can be killed mid-run). Reads everything from the environment, as
// `npm start` does; registers the simulator's demo tenant when BULK_REGISTER_CW
// names the ConnectWise simulator's URL. Prints {"url"} on its first line.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { drainOnSignals, startServer } from '../../server/main.js';
import { DEFAULT_CW_CLIENT_ID, registerTenant } from '../../server/tenants.js';
import { XERO_LIMITS } from '../../server/engine/transport.js';

// Test knobs (never the product's configuration): the fault matrix runs the
// engine on a fast clock, as it runs its simulators — Xero's pacing per real
// minute, and how long one Xero or ConnectWise call may go unanswered.
const knob = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);
const xeroPerMinute = knob('INSTANCE_XERO_PER_MINUTE');
const xeroCallTimeoutMs = knob('INSTANCE_XERO_CALL_TIMEOUT_MS');
const cwAttemptTimeoutMs = knob('INSTANCE_CW_ATTEMPT_TIMEOUT_MS');
const s = await startServer(process.env, {
  ...(xeroPerMinute || xeroCallTimeoutMs
    ? { engine: { ...(xeroPerMinute ? { xeroLimits: { ...XERO_LIMITS, perMinute: xeroPerMinute } } : {}), ...(xeroCallTimeoutMs ? { xeroCallTimeoutMs } : {}) } }
    : {}),
  ...(cwAttemptTimeoutMs ? { cwRetry: { attemptTimeoutMs: cwAttemptTimeoutMs } } : {}),
});
// SIGTERM drains the instance as in production (server/main.ts).
drainOnSignals(s);
const cwUrl = process.env.BULK_REGISTER_CW;
if (cwUrl) {
  await registerTenant(s.deps, { companyId: 'democo', siteUrl: cwUrl, clientId: DEFAULT_CW_CLIENT_ID, publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });
}
// Memory for the benchmark, on request: RSS, and the heap still live.
// 'memory' forces a full GC first (node --expose-gc) so garbage not yet
// collected does not count — a stop of the whole process, so the bench asks
// for it only outside what it times. 'memory-passive' forces nothing: the live
// heap is the most heap in use just after one of V8's own full (major) GCs so
// far (until one has run, the heap in use now, an upper bound).
let liveAfterMajorGc = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) liveAfterMajorGc = Math.max(liveAfterMajorGc, process.memoryUsage().heapUsed);
  }
}).observe({ entryTypes: ['gc'] });
process.on('message', (m) => {
  if (m !== 'memory' && m !== 'memory-passive') return;
  if (m === 'memory') (globalThis as { gc?: () => void }).gc?.();
  const u = process.memoryUsage();
  process.send?.({ rss: u.rss, heapUsed: m === 'memory' ? u.heapUsed : liveAfterMajorGc || u.heapUsed });
});
process.stdout.write(`${JSON.stringify({ url: s.url, pid: process.pid })}\n`);
