// A server instance as its own process, for the bulk tests and the benchmark
// (so one can be killed mid-run). Reads everything from the environment, as
// `npm start` does; registers the simulator's demo tenant when BULK_REGISTER_CW
// names the ConnectWise simulator's URL. Prints {"url"} on its first line.
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
// Memory for the benchmark, on request: RSS, and the heap still live (after a
// full GC when node runs with --expose-gc, so garbage not yet collected does not count).
process.on('message', (m) => {
  if (m !== 'memory') return;
  (globalThis as { gc?: () => void }).gc?.();
  const u = process.memoryUsage();
  process.send?.({ rss: u.rss, heapUsed: u.heapUsed });
});
process.stdout.write(`${JSON.stringify({ url: s.url, pid: process.pid })}\n`);
