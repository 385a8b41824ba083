// The fuzzer's other half (issue 14): the ConnectWise and Xero clients fed
// malformed, truncated, mislabelled, slow and cut answers by a raw HTTP
// server on 127.0.0.1 standing in front of each simulator
// (tests/fuzz/garbage-server.ts). Each must end in a clear error — a typed
// error from the client, or from our API a 4xx/5xx in our JSON error shape
// (never the bare "internal" 500) or a view that says what is wrong — within a
// bound: never a hang, never an unhandled rejection, never a crash of the
// server. Fixed seeds, so a run is the same run every time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { CwClient, CwError, apiMemberAuthorization } from '../../server/cw/client.js';
import { XeroTransport, XERO_LIMITS } from '../../server/engine/transport.js';
import { NeedsAttention, XeroDayLimit, XeroNotFound, XeroRefused, XeroUnavailable } from '../../server/engine/errors.js';
import { ApiError } from '../../server/http/errors.js';
import { issueSession } from '../../server/session.js';
import { DEFAULT_CW_CLIENT_ID, registerTenant } from '../../server/tenants.js';
import { AU_ORG, NZ_ORG, connectDemoTenantToXero } from '../support/connect-xero.js';
import { startStack, type TestStack } from '../support/stack.js';
import type { XeroSim } from '../../sim/xero/index.js';
import { badAnswer, GarbageServer, type BadAnswer } from './garbage-server.js';

let stack: TestStack;
let cwProxy: GarbageServer;
let xeroProxy: GarbageServer;
let admin: string;

/** Short timings, so a held answer costs a fraction of a second (the defaults are tens of seconds). */
const CW_RETRY = { retries: 1, minDelayMs: 5, maxDelayMs: 20, totalTimeMs: 1_000, attemptTimeoutMs: 150 };
const XERO_RETRY = { person: [20], run: [20] };
const XERO_CALL_TIMEOUT_MS = 150;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  stack = await startStack({ serverEnv: { PAYMENT_SCHEDULE_TICK_SECONDS: '0', LOG_LEVEL: 'error' } });
  cwProxy = await new GarbageServer(stack.cw.url).start();
  xeroProxy = await new GarbageServer(stack.xero!.url).start();
  const deps = stack.server.deps;
  // Our server reaches ConnectWise and Xero's Accounting API through the proxies (passing, until a test says otherwise).
  await registerTenant(deps, { companyId: 'democo', siteUrl: cwProxy.url, clientId: DEFAULT_CW_CLIENT_ID, publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });
  deps.config.xero.apiBase = `${xeroProxy.url}/api.xro/2.0`;
  deps.engine = { ...deps.engine, xeroRetry: XERO_RETRY, xeroCallTimeoutMs: XERO_CALL_TIMEOUT_MS };
  deps.cwRetry = CW_RETRY;
  const limits = await fetch(`${stack.xero!.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { perMinute: 1_000_000, perDay: 1_000_000 } }) });
  expect(limits.status).toBe(200);
  await connectDemoTenantToXero(stack);
  admin = (await issueSession(deps.keys.sessionKey, { tenantId: 'democo', memberRecId: 1, memberIdentifier: 'admin', memberName: 'Alex Admin', isAdmin: true }, 900)).token;
}, 120_000);

afterAll(async () => {
  await cwProxy?.close();
  await xeroProxy?.close();
  await stack?.close();
  process.off('unhandledRejection', onUnhandled);
});

/** Every request answered badly, or only the first (then the simulator answers). */
type Plan = 'every' | 'first';
function install(proxy: GarbageServer, answer: BadAnswer, plan: Plan): void {
  let n = 0;
  proxy.plan = () => (plan === 'every' || n++ === 0 ? answer : 'pass');
}
function passAll(): void {
  cwProxy.plan = () => 'pass';
  xeroProxy.plan = () => 'pass';
  cwProxy.dropAll();
  xeroProxy.dropAll();
}

async function timed<T>(work: () => Promise<T>): Promise<{ ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number }> {
  const t0 = Date.now();
  try {
    const value = await work();
    return { ok: true, value, ms: Date.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: Date.now() - t0 };
  }
}

const errorWords = (e: unknown) => (e instanceof Error ? `${e.constructor.name}: ${e.message}` : `a thrown ${typeof e}: ${String(e).slice(0, 200)}`);

describe('the ConnectWise client', () => {
  const invoice = z.object({ id: z.number().int(), invoiceNumber: z.string() }).loose();
  const location = z.object({ id: z.number().int(), name: z.string() });
  const ops: Record<'get' | 'list' | 'patch', (c: CwClient) => Promise<unknown>> = {
    get: (c: CwClient) => c.get('finance/invoices/1001', invoice, { what: 'invoice 1001' }),
    list: (c: CwClient) => c.list('system/locations', location),
    // A write the simulator refuses (no such batch), so a passed-through retry changes nothing.
    patch: (c: CwClient) => c.patch('finance/accounting/batches/999999', [{ op: 'replace', path: 'name', value: 'x' }], z.object({ id: z.number() })),
  };

  it('ends every malformed, truncated, slow or cut answer in a CwError in words, within its time bound', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(badAnswer, fc.constantFrom<Plan>('every', 'first'), fc.constantFrom(...(Object.keys(ops) as (keyof typeof ops)[])), async (answer, plan, op) => {
        install(cwProxy, answer, plan);
        const client = new CwClient({ siteUrl: cwProxy.url, clientId: DEFAULT_CW_CLIENT_ID, authorization: apiMemberAuthorization('democo', 'simPublicKey', 'simPrivateKey'), retry: CW_RETRY });
        const r = await timed(() => ops[op](client));
        passAll();
        const what = `${op} answered "${answer.label}" (${plan})`;
        // The whole budget, one more attempt's timeout, and room for a busy machine.
        expect(r.ms, `${what} took too long`).toBeLessThan(CW_RETRY.totalTimeMs + CW_RETRY.attemptTimeoutMs + 3_000);
        if (r.ok) {
          outcomes.set('answered (valid by chance, or passed through)', (outcomes.get('answered (valid by chance, or passed through)') ?? 0) + 1);
          return;
        }
        expect(r.error, `${what}: ${errorWords(r.error)}`).toBeInstanceOf(CwError);
        const e = r.error as CwError;
        expect(e.status, what).toBeGreaterThanOrEqual(400);
        expect(e.status, what).toBeLessThan(600);
        expect(e.message, what).toMatch(/ConnectWise.{10,}/);
        outcomes.set(e.code, (outcomes.get(e.code) ?? 0) + 1);
      }),
      { seed: 14_001, numRuns: 160, endOnFailure: true },
    );
    console.log(`fuzz: ConnectWise client outcomes ${JSON.stringify(Object.fromEntries(outcomes))}; answers injected ${JSON.stringify(Object.fromEntries(cwProxy.injected))}`);
  }, 120_000);
});

describe('the Xero client (the engine transport over xero-node)', () => {
  type Call = (t: XeroTransport) => Promise<{ response?: { data?: unknown } }>;
  const ops: Record<string, { write: boolean; call: Call }> = {
    organisation: { write: false, call: (t) => t.call('organisation', (a, x) => a.getOrganisations(x)) },
    invoices: { write: false, call: (t) => t.call('invoice lookup', (a, x) => a.getInvoices(x, undefined, undefined, undefined, undefined, ['INV-1001'], undefined, undefined, undefined, undefined, undefined, undefined, true)) },
    contacts: { write: false, call: (t) => t.call('contact search', (a, x) => a.getContacts(x, undefined, 'Name=="Nobody Pty Ltd"')) },
    // A create is never retried: only ever answered badly here, so nothing reaches the simulator.
    createContact: { write: true, call: (t) => t.call('new contacts', (a, x) => a.createContacts(x, { contacts: [{ name: 'Fuzzed Answer Pty Ltd' }] }), { retryServerErrors: false }) },
  };
  const typed = [XeroUnavailable, XeroRefused, XeroNotFound, NeedsAttention, XeroDayLimit, ApiError];

  it('ends every malformed, truncated, slow or cut answer in one of the engine’s typed errors, within its time bound', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(badAnswer, fc.constantFrom<Plan>('every', 'first'), fc.constantFrom(...Object.keys(ops)), fc.constantFrom(AU_ORG, NZ_ORG), async (answer, plan, op, org) => {
        const { write, call } = ops[op]!;
        install(xeroProxy, answer, write ? 'every' : plan);
        const transport = new XeroTransport(stack.server.deps, 'democo', org, XERO_LIMITS, XERO_RETRY, XERO_CALL_TIMEOUT_MS);
        const r = await timed(() => call(transport));
        passAll();
        const what = `${op} answered "${answer.label}" (${write ? 'every' : plan})`;
        expect(r.ms, `${what} took too long`).toBeLessThan(2 * XERO_CALL_TIMEOUT_MS + 3_000);
        if (r.ok) {
          // Only an answer that was JSON may be taken as one: text that is not (cut, garbled, HTML) is no answer.
          const data = r.value.response?.data;
          expect(typeof data === 'object' && data !== null, `${what} was taken as an answer: ${JSON.stringify(data)?.slice(0, 120)}`).toBe(true);
          outcomes.set('answered', (outcomes.get('answered') ?? 0) + 1);
          return;
        }
        expect(
          typed.some((T) => r.error instanceof T),
          `${what}: ${errorWords(r.error)}`,
        ).toBe(true);
        const name = (r.error as Error).constructor.name;
        expect((r.error as Error).message.length, what).toBeGreaterThan(10);
        outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
      }),
      { seed: 14_002, numRuns: 120, endOnFailure: true },
    );
    console.log(`fuzz: Xero client outcomes ${JSON.stringify(Object.fromEntries(outcomes))}; answers injected ${JSON.stringify(Object.fromEntries(xeroProxy.injected))}`);
    // The simulator never saw the create (every one was answered by the proxy).
    const made = [...(stack.xero!.sim as XeroSim).ctx.orgs.values()].flatMap((o) => [...o.contacts.values()]).filter((c) => c.Name === 'Fuzzed Answer Pty Ltd');
    expect(made).toEqual([]);
  }, 120_000);
});

describe('our API in front of them', () => {
  const routes: [string, string][] = [
    ['GET', '/api/invoices/1001'],
    ['GET', '/api/cw/locations'],
    ['GET', '/api/invoices/1002/sync'],
    ['GET', '/api/invoices/1004/reconcile'],
    ['GET', '/api/batch/unposted'],
    ['GET', '/api/xero/status'],
    ['GET', '/api/expenses/reports/2001/sync'],
    ['POST', '/api/invoices/1003/push'],
    ['POST', '/api/invoices/1005/push'],
    ['POST', '/api/invoices/1001/payments/sync'],
  ];

  it('answers in words (never the bare 500, never a hang) while either side answers garbage, and serves again once it stops', async () => {
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(badAnswer, fc.constantFrom('cw' as const, 'xero' as const), fc.constantFrom<Plan>('every', 'first'), fc.constantFrom(...routes), async (answer, side, plan, [method, path]) => {
        install(side === 'cw' ? cwProxy : xeroProxy, answer, plan);
        const r = await timed(async () => {
          const res = await fetch(stack.server.url + path, { method, headers: { authorization: `Bearer ${admin}` }, signal: AbortSignal.timeout(45_000) });
          return { status: res.status, text: await res.text() };
        });
        passAll();
        const what = `${method} ${path} with ${side === 'cw' ? 'ConnectWise' : 'Xero'} answering "${answer.label}" (${plan})`;
        expect(r.ok, `${what}: no answer (${r.ok ? '' : errorWords(r.error)})`).toBe(true);
        if (!r.ok) return;
        const { status, text } = r.value;
        statuses.set(String(status), (statuses.get(String(status)) ?? 0) + 1);
        if (status >= 400) {
          const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
          expect(typeof body.error?.code, `${what} → ${status} ${text.slice(0, 200)}`).toBe('string');
          expect(body.error?.code, `${what} → ${status} ${text.slice(0, 200)}`).not.toBe('internal');
          expect(body.error?.message?.length ?? 0, what).toBeGreaterThan(10);
        }
        // Still serving: the health check and a plain read answer at once.
        expect((await fetch(`${stack.server.url}/healthz`)).status).toBe(200);
      }),
      { seed: 14_003, numRuns: 80, endOnFailure: true },
    );
    // With the product's own timings again (the fuzz's short ones could time out a good answer on a busy machine).
    delete stack.server.deps.cwRetry;
    const after = await fetch(`${stack.server.url}/api/invoices/1001`, { headers: { authorization: `Bearer ${admin}` } });
    expect(after.status).toBe(200);
    console.log(`fuzz: API statuses with a broken side ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, 180_000);

  it('left no unhandled rejection behind', () => {
    expect(unhandled.map(errorWords)).toEqual([]);
  });
});
