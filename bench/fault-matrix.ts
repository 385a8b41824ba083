// The fault matrix (issue 14): randomized single pushes and batch runs over
// HTTP against our server as a child process (tests/bulk/harness.ts), while
// both simulators inject 429s, 5xx, dropped connections and held answers —
// before the work or after it (the lost answer) — and the server is killed
// (SIGKILL) at random points and started again on the same database.
//
// It goes in cycles. A storm: fresh invoices are seeded, faults are set at
// random on both simulators, every attempt of the cycle starts at a random
// moment (now and then a person pushes one of a run's records from its own
// screen meanwhile), and 0–3 kills strike after a random number of API calls. Beside
// the pushes and runs, a few "Sync payments" of invoices synced in earlier
// cycles, paid (or a payment reversed) in Xero just before. Then calm:
// faults stop and the product's own promise is kept, as a person would — a
// push that did not say synced is pushed again (waiting out "being pushed
// right now" while a dead push's lease lapses); a run is waited for (it goes
// on by itself after a kill or an outage) and "Retry failed" once if it ended
// with failures (again in a moment while a record is "busy": someone else's
// push holds it); a run whose start was never answered is started again over
// what is still unposted; a payment sync that did not finish cleanly is
// asked again ("try again in a minute" while another holds the tenant's
// turn). Then both sides are checked, in the simulators' own state, for
// every record:
//   - duplicate: a second Xero document under its number, a second
//     ConnectWise batch holding it, or a second ConnectWise payment record;
//   - synced: one Xero document with ConnectWise's total to the cent, for the
//     customer's contact, and one closed ConnectWise batch holding it; for a
//     payment sync, ConnectWise's payment record holds what Xero says was
//     paid, to the cent (none when nothing is);
//   - anything else is a silent divergence: every seeded record is valid, so
//     once the faults have passed nothing may still need attention.
// The simulators run on fast clocks: Xero's forgets Idempotency-Keys after six
// of its minutes (six seconds here) and expires access tokens after thirty of
// them, so exactly-once never leans on a remembered key. Xero's minute and day
// allowances are lifted (`npm run bench` measures pacing); its 429s are injected.
import { performance } from 'node:perf_hooks';
import { startBulkStack, type BulkStack, type Instance } from '../tests/bulk/harness.js';
import { HARBOUR_TENANT_ID } from '../sim/xero/seed.js';
import { toCwInvoice } from '../sim/connectwise/views.js';
import { noInjected, type FaultPhaseSetting, type InjectedCounts } from '../sim/net-faults.js';

export type Engine = 'sqlite' | 'postgres';

export interface MatrixOptions {
  engine: Engine;
  /** At least this many attempts (single pushes + runs). */
  attempts: number;
  /** Seed of every random choice the matrix makes (the simulators' own draws and timing vary). */
  seed: number;
  /** Attempts per cycle. */
  perCycle?: number;
  /** Share of cycles with at least one kill. */
  killShare?: number;
  /** No new cycle starts after this many ms (the figures say how many attempts ran). */
  budgetMs?: number;
  /** Invoices pushed without faults before the first cycle, so it has payments to sync too. */
  warmup?: number;
  log?: (line: string) => void;
}

export interface MatrixFigures {
  engine: Engine;
  cycles: number;
  attempts: number;
  pushes: number;
  runs: number;
  /** "Sync payments" of one invoice (beside the attempts). */
  paymentSyncs: number;
  kills: number;
  injected: { xero: InjectedCounts; cw: InjectedCounts };
  recordsChecked: number;
  duplicates: number;
  divergences: number;
  /** Synced on both sides, while the product's last word on it (after the promised retries) was not "synced". */
  staleWords: number;
  /** One line per duplicate or divergence: ids, counts, states and codes. */
  findings: string[];
  elapsedMs: number;
}

/** How long our server waits for an answer (both APIs), and how long the simulators hold the held ones: longer. */
const CALL_TIMEOUT_MS = 1_500;
const HOLD_MS = 4_000;
/** The Xero simulator's clock runs this much faster than the wall clock. */
const XERO_CLOCK_SPEED = 60;
/** Longest storm: faults stop then even if attempts are still going. */
const STORM_MAX_MS = 6_000;
/** A dead push's lease lapses within 10 s; a person looking again a little later finds it free. */
const BUSY_PATIENCE_MS = 25_000;
/** A run goes on by itself after a kill (pg-boss expires the dead step in ~10 s) or an outage (~20 s). */
const RUN_PATIENCE_MS = 120_000;
/** "A payment sync for your company is already running; try again in a minute." */
const PAYMENT_PATIENCE_MS = 70_000;
/** Payment syncs per cycle, of invoices synced in earlier cycles. */
const PAYMENTS_PER_CYCLE = 5;

// ---- randomness ---------------------------------------------------------------

/** mulberry32: small, seedable, good enough for choosing faults. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const between = (rng: () => number, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- talking to our server (whichever instance is alive) ----------------------

interface Answer {
  /** 0: no answer (the server was killed, or is starting). */
  status: number;
  body: any;
}

class Server {
  current!: Instance;
  /** Resolves when the instance being started after a kill is up. */
  restarting: Promise<void> | null = null;

  constructor(
    private readonly stack: BulkStack,
    readonly token: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<Answer> {
    if (this.restarting) await this.restarting;
    try {
      const res = await fetch(`${this.current.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(90_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: kept as text */
      }
      return { status: res.status, body: parsed };
    } catch {
      return { status: 0, body: undefined };
    }
  }

  /** SIGKILL, then a new instance on the same database (the old one's work is left as it was). */
  async kill(): Promise<void> {
    const dead = this.current;
    let done!: () => void;
    this.restarting = new Promise((r) => (done = r));
    try {
      await dead.kill('SIGKILL');
      this.current = await this.stack.spawnInstance();
    } finally {
      this.restarting = null;
      done();
    }
  }
}

// ---- one cycle ------------------------------------------------------------------

interface Lane {
  kind: 'push' | 'run' | 'payment';
  invoiceIds: number[];
  glEntryIds: number[];
  batching: 'record' | 'run';
  startAfterMs: number;
  /** The product's last word per invoice id: 'synced' or what it said instead. */
  words: Map<number, string>;
  runId?: string;
  /** Storm action finished (a push answered, a run ended or could not start). */
  settled: boolean;
  /** Someone also pushes the run's first record from its own screen while the run goes (ms into the storm). */
  rivalPushAfterMs?: number;
  /** Something slow worth a line in the log. */
  note?: string;
}

interface CycleFaults {
  xero: Record<string, unknown>;
  cw: Record<string, unknown>;
}

function stormFaults(rng: () => number): CycleFaults {
  const phase = (): FaultPhaseSetting => pick(rng, ['before', 'after', 'either'] as const);
  // A quiet side now and then: faults of one API alone, as outages usually are.
  const quiet = rng();
  const xeroOn = quiet > 0.15;
  const cwOn = quiet < 0.85;
  return {
    xero: xeroOn
      ? {
          latencyMs: between(rng, 0, 40),
          errorRate5xx: pick(rng, [0, 0.05, 0.1, 0.2, 0.3]),
          throttleRate: pick(rng, [0, 0.05, 0.1, 0.2]),
          throttleRetryAfter: 1,
          dropRate: pick(rng, [0, 0.05, 0.1, 0.2]),
          timeoutRate: pick(rng, [0, 0.03, 0.08]),
          timeoutMs: HOLD_MS,
          errorPhase: phase(),
        }
      : QUIET.xero,
    cw: cwOn
      ? {
          latencyMs: between(rng, 0, 30),
          errorRate: pick(rng, [0, 0.05, 0.1, 0.2, 0.3]),
          rate429: pick(rng, [0, 0.05, 0.1]),
          retryAfterSeconds: pick(rng, [0, 1]),
          dropRate: pick(rng, [0, 0.05, 0.1, 0.2]),
          timeoutRate: pick(rng, [0, 0.03, 0.08]),
          timeoutMs: HOLD_MS,
          errorPhase: phase(),
        }
      : QUIET.cw,
  };
}

const QUIET: CycleFaults = {
  xero: { latencyMs: 0, errorRate5xx: 0, throttleRate: 0, dropRate: 0, timeoutRate: 0, failNext: 0, throttleNext: 0 },
  cw: { latencyMs: 0, errorRate: 0, rate429: 0, dropRate: 0, timeoutRate: 0 },
};

async function setFaults(stack: BulkStack, f: CycleFaults): Promise<void> {
  for (const [url, body] of [[`${stack.xero.url}/__sim/faults`, f.xero], [`${stack.cw.url}/__sim/faults`, f.cw]] as const) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`faults ${url}: ${res.status} ${await res.text()}`);
  }
}

const xeroCalls = (stack: BulkStack) => [...stack.xero.sim.ctx.apiCalls.values()].reduce((a, b) => a + b, 0);

interface KillPlan {
  /** Counted on this API since the storm began (or since the last kill). */
  on: 'xero' | 'cw';
  afterCalls: number;
}

/** Kills as planned while the storm lasts; answers how many struck. */
async function killer(stack: BulkStack, server: Server, plans: KillPlan[], stormOver: () => boolean): Promise<number> {
  let kills = 0;
  for (const plan of plans) {
    const count = () => (plan.on === 'xero' ? xeroCalls(stack) : stack.counter.cwApiCalls);
    const from = count();
    while (!stormOver() && count() - from < plan.afterCalls) await sleep(2);
    if (stormOver()) break;
    await server.kill();
    kills++;
  }
  return kills;
}

const finalWord = (a: Answer): string =>
  a.status === 200 ? String(a.body?.outcome) : a.status === 0 ? 'no answer' : `${a.status} ${a.body?.error?.code ?? ''}`.trim();

async function push(server: Server, lane: Lane): Promise<Answer> {
  const a = await server.call('POST', `/api/invoices/${lane.invoiceIds[0]}/push`);
  lane.words.set(lane.invoiceIds[0]!, finalWord(a));
  return a;
}

const pushDone = (a: Answer) => a.status === 200 && (a.body?.outcome === 'synced' || a.body?.outcome === 'unchanged');
const pushBusy = (a: Answer) => (a.status === 200 && a.body?.outcome === 'busy') || (a.status === 409 && ['push_taken_over', 'busy'].includes(a.body?.error?.code));

async function startRun(server: Server, lane: Lane): Promise<Answer> {
  const a = await server.call('POST', '/api/batch/runs', { glEntryIds: lane.glEntryIds, batching: lane.batching });
  if (a.status === 201) lane.runId = String(a.body.id);
  return a;
}

async function runView(server: Server, lane: Lane): Promise<any | undefined> {
  const v = await server.call('GET', `/api/batch/runs/${lane.runId}?limit=1000`);
  return v.status === 200 ? v.body : undefined;
}

function recordRunWords(lane: Lane, view: any): void {
  const byGl = new Map<number, any>((view.items ?? []).map((i: any) => [i.glEntryId, i] as const));
  lane.glEntryIds.forEach((gl, n) => {
    const item = byGl.get(gl);
    if (item) lane.words.set(lane.invoiceIds[n]!, item.state === 'synced' ? 'synced' : `${item.state} ${item.problem?.code ?? ''}`.trim());
  });
}

async function waitRun(server: Server, lane: Lane, until: number): Promise<any | undefined> {
  for (;;) {
    const v = await runView(server, lane);
    if (v) recordRunWords(lane, v);
    if (v && (v.status === 'done' || v.status === 'cancelled')) return v;
    if (Date.now() > until) return v;
    await sleep(250);
  }
}

/** The storm's attempt: one push, or a run started and followed until the storm ends. */
async function stormAction(server: Server, lane: Lane, stormOver: () => boolean): Promise<void> {
  await sleep(lane.startAfterMs);
  if (lane.kind === 'push') {
    await push(server, lane);
  } else if (lane.kind === 'payment') {
    await syncPayments(server, lane);
  } else {
    // The rival push's answer is that person's business; the run's own word on the record is what counts.
    const rival = lane.rivalPushAfterMs === undefined ? undefined : sleep(lane.rivalPushAfterMs).then(() => server.call('POST', `/api/invoices/${lane.invoiceIds[0]}/push`));
    const a = await startRun(server, lane);
    await rival;
    if (a.status === 201) {
      while (!stormOver()) {
        const v = await runView(server, lane);
        if (v) recordRunWords(lane, v);
        if (v?.status === 'done') break;
        await sleep(200);
      }
    }
  }
  lane.settled = true;
}

/** What is still unposted in ConnectWise among these GL entries (the list a person would refresh). */
function stillUnposted(stack: BulkStack, glEntryIds: number[]): number[] {
  const posted = new Set(stack.cw.sim.state.batches.flatMap((b) => b.recordIds));
  return glEntryIds.filter((gl) => !posted.has(gl));
}

async function syncPayments(server: Server, lane: Lane): Promise<Answer> {
  const a = await server.call('POST', `/api/invoices/${lane.invoiceIds[0]}/payments/sync`);
  const b = a.body;
  const word =
    a.status !== 200
      ? finalWord(a)
      : b.busy
        ? 'busy'
        : b.errors?.length
          ? `error ${b.errors[0].message}`
          : b.needsAttention?.length
            ? `needs attention ${b.needsAttention[0].message}`
            : 'synced';
  lane.words.set(lane.invoiceIds[0]!, word);
  return a;
}

/** After the storm: what the product promises a person — push again; a run goes on, and "Retry failed" once; sync payments again. */
async function promisedRetry(stack: BulkStack, server: Server, lane: Lane): Promise<void> {
  if (lane.kind === 'payment') {
    if (lane.words.get(lane.invoiceIds[0]!) === 'synced') return;
    const until = Date.now() + PAYMENT_PATIENCE_MS;
    for (;;) {
      const a = await syncPayments(server, lane);
      const busy = a.status === 200 && a.body.busy;
      if ((busy || a.status === 0) && Date.now() < until) {
        await sleep(1_000);
        continue;
      }
      return;
    }
  }
  if (lane.kind === 'push') {
    if (lane.words.get(lane.invoiceIds[0]!) === 'synced' || lane.words.get(lane.invoiceIds[0]!) === 'unchanged') return;
    const until = Date.now() + BUSY_PATIENCE_MS;
    for (;;) {
      const a = await push(server, lane);
      // "Being pushed right now" (a dead push's lease, not lapsed yet): look again in a moment.
      if (pushBusy(a) && Date.now() < until) {
        await sleep(1_000);
        continue;
      }
      if (pushDone(a) || a.status !== 0 || Date.now() > until) return;
      await sleep(500); // no answer: the server is starting again
    }
  }
  const until = Date.now() + RUN_PATIENCE_MS;
  if (!lane.runId) {
    // Its start was never answered (or refused while ConnectWise erred): start it again over what is still unposted.
    const left = stillUnposted(stack, lane.glEntryIds);
    if (left.length === 0) return;
    for (;;) {
      const a = await server.call('POST', '/api/batch/runs', { glEntryIds: left, batching: lane.batching });
      if (a.status === 201) {
        lane.runId = String(a.body.id);
        break;
      }
      if (Date.now() > until) return;
      await sleep(500);
    }
  }
  const t0 = Date.now();
  let view = await waitRun(server, lane, until);
  // "Retry failed" once; a record someone else was pushing ("busy": a dead push's lease lapses within
  // 10 s) is looked at again in a moment, as a push that answered busy is.
  const busyUntil = Date.now() + BUSY_PATIENCE_MS;
  for (let first = true; view?.status === 'done' && view.counts.failed > 0; first = false) {
    const failed = (view.items as { state: string; problem: { code: string } | null }[]).filter((i) => i.state === 'failed' || i.state === 'needs_attention');
    const onlyBusy = failed.every((i) => i.problem?.code === 'busy');
    if (!first && (!onlyBusy || Date.now() > busyUntil)) break;
    if (!first) await sleep(2_000);
    const r = await server.call('POST', `/api/batch/runs/${lane.runId}/retry`);
    if (r.status !== 200) break;
    view = await waitRun(server, lane, Date.now() + RUN_PATIENCE_MS);
  }
  if (Date.now() - t0 > 30_000) lane.note = `run ${lane.runId} took ${Math.round((Date.now() - t0) / 1000)} s after the storm: ${view?.status} ${JSON.stringify(view?.counts)} ${view?.waiting?.reason ?? ''}`;
}

interface Check {
  records: number;
  duplicates: number;
  divergences: number;
  staleWords: number;
  findings: string[];
}

/** Both sides, in the simulators' own state, for every record of the cycle. */
function checkBothSides(stack: BulkStack, lanes: Lane[]): Check {
  const org = stack.xero.sim.ctx.orgs.get(HARBOUR_TENANT_ID)!;
  const docsByNumber = new Map<string, { Total: string; ContactID: string; Status: string }[]>();
  for (const d of org.documents.values()) {
    if (!d.Number || d.Status === 'DELETED' || d.Status === 'VOIDED') continue;
    docsByNumber.set(d.Number, [...(docsByNumber.get(d.Number) ?? []), d]);
  }
  const batchesByGl = new Map<number, { closedFlag: boolean; id: number }[]>();
  for (const b of stack.cw.sim.state.batches) for (const gl of b.recordIds) batchesByGl.set(gl, [...(batchesByGl.get(gl) ?? []), b]);
  const state = stack.cw.sim.state;
  const out: Check = { records: 0, duplicates: 0, divergences: 0, staleWords: 0, findings: [] };
  for (const lane of lanes) {
    if (lane.kind === 'payment') {
      checkPayment(stack, lane, out);
      continue;
    }
    lane.invoiceIds.forEach((id, n) => {
      out.records++;
      const inv = state.invoices.find((i) => i.id === id)!;
      const docs = docsByNumber.get(inv.invoiceNumber) ?? [];
      const batches = batchesByGl.get(lane.glEntryIds[n]!) ?? [];
      const word = lane.words.get(id) ?? 'no word';
      const where = `${lane.kind}${lane.runId ? ` ${lane.runId}${lane.batching === 'run' ? ' (one batch per run)' : ''}` : ''} ${inv.invoiceNumber}`;
      if (docs.length > 1 || batches.length > 1) {
        out.duplicates++;
        out.findings.push(`duplicate: ${where}: ${docs.length} Xero documents, ${batches.length} ConnectWise batches (product: ${word})`);
        return;
      }
      const doc = docs[0];
      const total = Math.abs(toCwInvoice(state, inv).total ?? 0).toFixed(2);
      const company = state.companies.find((c) => c.id === inv.companyId);
      const contactName = doc ? org.contacts.get(doc.ContactID.toLowerCase())?.Name ?? org.contacts.get(doc.ContactID)?.Name : undefined;
      const synced = doc && doc.Total === total && contactName === company?.name && batches.length === 1 && batches[0]!.closedFlag;
      if (!synced) {
        out.divergences++;
        const xeroSide = doc ? `Xero ${doc.Status} total ${doc.Total === total ? 'ok' : 'differs'} contact ${contactName === company?.name ? 'ok' : 'differs'}` : 'not in Xero';
        out.findings.push(`divergence: ${where}: ${xeroSide}, ${batches.length ? 'in a ConnectWise batch' : 'unposted in ConnectWise'} (product: ${word})`);
        return;
      }
      if (word !== 'synced' && word !== 'unchanged') out.staleWords++;
    });
  }
  return out;
}

/** ConnectWise's payment records of the invoice hold what Xero says was paid: one record, or none when nothing is. */
function checkPayment(stack: BulkStack, lane: Lane, out: Check): void {
  out.records++;
  const id = lane.invoiceIds[0]!;
  const state = stack.cw.sim.state;
  const inv = state.invoices.find((i) => i.id === id)!;
  const org = stack.xero.sim.ctx.orgs.get(HARBOUR_TENANT_ID)!;
  const doc = [...org.documents.values()].find((d) => d.Number === inv.invoiceNumber && d.Status !== 'DELETED' && d.Status !== 'VOIDED');
  const records = state.payments.filter((p) => p.invoiceId === id && p.type !== 'Credit');
  const word = lane.words.get(id) ?? 'no word';
  if (records.length > 1) {
    out.duplicates++;
    out.findings.push(`duplicate: payment sync ${inv.invoiceNumber}: ${records.length} ConnectWise payment records (product: ${word})`);
    return;
  }
  const xeroPaid = Number(doc?.AmountPaid ?? 0).toFixed(2);
  const cwPaid = Number(records[0]?.amount ?? 0).toFixed(2);
  if (!doc || xeroPaid !== cwPaid) {
    out.divergences++;
    out.findings.push(`divergence: payment sync ${inv.invoiceNumber}: Xero paid ${doc ? (xeroPaid === '0.00' ? 'nothing' : 'an amount') : '(no document)'}, ConnectWise ${records.length ? (cwPaid === xeroPaid ? 'the same' : 'another amount') : 'no payment record'} (product: ${word})`);
    return;
  }
  if (word !== 'synced') out.staleWords++;
}

/** Xero as a person in Xero uses it (a custom connection to the first organisation): payments and their reversal. */
class XeroBookkeeper {
  constructor(private readonly stack: BulkStack) {}

  private async token(): Promise<string> {
    const res = await fetch(`${this.stack.xero.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('SIMCLIENT0000000000000000000001:simXeroClientSecret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'accounting.transactions' }).toString(),
    });
    if (res.status !== 200) throw new Error(`Xero custom connection: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  private async call(method: string, path: string, body: unknown): Promise<void> {
    const res = await fetch(`${this.stack.xero.url}/api.xro/2.0${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.token()}`, 'xero-tenant-id': HARBOUR_TENANT_ID, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200 || /"ValidationErrors":\s*\[\s*\{/.test(text)) throw new Error(`Xero ${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  }

  /** Pays part or all of what is due, or reverses a payment (so ConnectWise's record must go down, or away). */
  async change(invoiceNumber: string, rng: () => number): Promise<void> {
    const org = this.stack.xero.sim.ctx.orgs.get(HARBOUR_TENANT_ID)!;
    const doc = [...org.documents.values()].find((d) => d.Number === invoiceNumber && d.Status !== 'DELETED' && d.Status !== 'VOIDED');
    if (!doc) throw new Error(`no Xero invoice ${invoiceNumber} to pay`);
    const paid = [...org.payments.values()].filter((p) => p.target.id === doc.id && p.Status !== 'DELETED');
    const dueCents = Math.round(Number(doc.Total) * 100) - Math.round(Number(doc.AmountPaid) * 100) - Math.round(Number(doc.AmountCredited) * 100);
    if (paid.length && (dueCents <= 0 || rng() < 0.35)) {
      await this.call('POST', `/Payments/${pick(rng, paid).PaymentID}`, { Status: 'DELETED' });
      return;
    }
    const cents = rng() < 0.5 ? dueCents : between(rng, 1, dueCents);
    await this.call('PUT', '/Payments', { Payments: [{ Invoice: { InvoiceID: doc.id }, Account: { Code: '090' }, Date: '2026-05-05', Amount: cents / 100 }] });
  }
}

// ---- the matrix -------------------------------------------------------------------

export async function runMatrix(o: MatrixOptions): Promise<MatrixFigures> {
  const t0 = performance.now();
  const rng = prng(o.seed);
  const perCycle = o.perCycle ?? 40;
  const killShare = o.killShare ?? 1;
  const log = o.log ?? (() => undefined);
  const stack = await startBulkStack({
    engine: o.engine,
    // Concurrency as Xero's; the minute and the day are not what this measures.
    xeroLimits: { concurrent: 5, perMinute: 1_000_000, perDay: 10_000_000 },
    env: {
      LOG_LEVEL: 'silent',
      PAYMENT_SCHEDULE_TICK_SECONDS: '0',
      INSTANCE_XERO_PER_MINUTE: '1000000',
      INSTANCE_XERO_CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
      INSTANCE_CW_ATTEMPT_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
    },
  });
  const figures: MatrixFigures = {
    engine: o.engine,
    cycles: 0,
    attempts: 0,
    pushes: 0,
    runs: 0,
    paymentSyncs: 0,
    kills: 0,
    injected: { xero: noInjected(), cw: noInjected() },
    recordsChecked: 0,
    duplicates: 0,
    divergences: 0,
    staleWords: 0,
    findings: [],
    elapsedMs: 0,
  };
  try {
    const { inst, token } = await stack.first();
    stack.xero.sim.ctx.clock.setSpeed(XERO_CLOCK_SPEED);
    const server = new Server(stack, token);
    server.current = inst;
    const bookkeeper = new XeroBookkeeper(stack);
    /** Invoices synced in earlier cycles: their payments are synced in later ones. */
    const synced: number[] = await warmUp(stack, server, o.warmup ?? 0);
    while (figures.attempts < o.attempts && (o.budgetMs === undefined || performance.now() - t0 < o.budgetMs)) {
      const c = await cycle(stack, server, bookkeeper, synced, rng, Math.min(perCycle, o.attempts - figures.attempts), killShare);
      figures.cycles++;
      const attempts = c.lanes.filter((l) => l.kind !== 'payment');
      figures.attempts += attempts.length;
      figures.pushes += c.lanes.filter((l) => l.kind === 'push').length;
      figures.runs += c.lanes.filter((l) => l.kind === 'run').length;
      figures.paymentSyncs += c.lanes.filter((l) => l.kind === 'payment').length;
      if (c.check.divergences === 0 && c.check.duplicates === 0) synced.push(...attempts.flatMap((l) => l.invoiceIds));
      figures.kills += c.kills;
      figures.recordsChecked += c.check.records;
      figures.duplicates += c.check.duplicates;
      figures.divergences += c.check.divergences;
      figures.staleWords += c.check.staleWords;
      figures.findings.push(...c.check.findings);
      log(
        `[faults] ${o.engine} cycle ${figures.cycles}: ${attempts.length} attempts + ${c.lanes.length - attempts.length} payment syncs, ${c.kills} kills, ${c.check.records} records, ` +
          `${c.check.duplicates} duplicates, ${c.check.divergences} divergences (${Math.round(c.ms / 100) / 10} s)`,
      );
      for (const f of c.check.findings) log(`[faults]   ${f}`);
      for (const l of c.lanes) if (l.note) log(`[faults]   note: ${l.note}`);
    }
    figures.injected = { xero: { ...stack.xero.sim.ctx.injected }, cw: { ...stack.cw.sim.injected } };
  } finally {
    await stack.close();
  }
  figures.elapsedMs = performance.now() - t0;
  return figures;
}

/** Invoices pushed while nothing fails: the first cycle's payment syncs have something to sync. */
async function warmUp(stack: BulkStack, server: Server, n: number): Promise<number[]> {
  if (n === 0) return [];
  const res = await fetch(`${stack.cw.url}/__sim/bulk-seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invoices: n, customers: n }) });
  const { invoiceIds } = (await res.json()) as { invoiceIds: number[] };
  for (const id of invoiceIds) {
    const a = await server.call('POST', `/api/invoices/${id}/push`);
    if (!pushDone(a)) throw new Error(`warm-up push of invoice ${id}: ${finalWord(a)}`);
  }
  return invoiceIds;
}

async function cycle(stack: BulkStack, server: Server, bookkeeper: XeroBookkeeper, synced: number[], rng: () => number, attempts: number, killShare: number) {
  const started = performance.now();
  // The plan: which attempts, on how many fresh records, sharing how many new customers.
  const lanes: Lane[] = Array.from({ length: attempts }, () => {
    const kind = rng() < 0.65 ? ('push' as const) : ('run' as const);
    const records = kind === 'push' ? 1 : between(rng, 1, 4);
    const lane: Lane = { kind, invoiceIds: new Array<number>(records), glEntryIds: new Array<number>(records), batching: kind === 'run' && rng() < 0.25 ? 'run' : 'record', startAfterMs: between(rng, 0, 1_200), words: new Map(), settled: false };
    if (kind === 'run' && rng() < 0.2) lane.rivalPushAfterMs = between(rng, 0, 600);
    return lane;
  });
  const total = lanes.reduce((a, l) => a + l.invoiceIds.length, 0);
  const customers = Math.max(1, Math.round(total * (0.5 + rng() * 0.5)));
  const res = await fetch(`${stack.cw.url}/__sim/bulk-seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invoices: total, customers }) });
  if (res.status !== 200) throw new Error(`bulk seed: ${res.status} ${await res.text()}`);
  const seeded = (await res.json()) as { invoiceIds: number[]; glEntryIds: number[] };
  let next = 0;
  for (const lane of lanes) {
    for (let i = 0; i < lane.invoiceIds.length; i++, next++) {
      lane.invoiceIds[i] = seeded.invoiceIds[next]!;
      lane.glEntryIds[i] = seeded.glEntryIds[next]!;
    }
  }
  // Payments made (or reversed) in Xero since, on distinct invoices synced in earlier cycles.
  const payees = new Set<number>();
  for (let i = 0; i < PAYMENTS_PER_CYCLE && synced.length > payees.size; i++) {
    let id: number;
    do id = pick(rng, synced);
    while (payees.has(id));
    payees.add(id);
    const inv = stack.cw.sim.state.invoices.find((x) => x.id === id)!;
    await bookkeeper.change(inv.invoiceNumber, rng);
    lanes.push({ kind: 'payment', invoiceIds: [id], glEntryIds: [inv.glEntryId], batching: 'record', startAfterMs: between(rng, 0, 1_200), words: new Map(), settled: false });
  }
  const faults = stormFaults(rng);
  const plans: KillPlan[] = rng() < killShare ? Array.from({ length: between(rng, 1, 3) }, () => ({ on: rng() < 0.6 ? 'xero' : 'cw', afterCalls: between(rng, 1, 25) })) : [];

  // The storm.
  await setFaults(stack, faults);
  let over = false;
  const stormOver = () => over;
  const kills = killer(stack, server, plans, stormOver);
  const actions = Promise.all(lanes.map((l) => stormAction(server, l, stormOver)));
  const deadline = performance.now() + STORM_MAX_MS;
  while (performance.now() < deadline && lanes.some((l) => !l.settled)) await sleep(50);
  over = true;
  const killed = await kills;

  // Calm: the product's promised retries, then both sides.
  await setFaults(stack, QUIET);
  await actions;
  await Promise.all(lanes.map((l) => promisedRetry(stack, server, l)));
  const check = checkBothSides(stack, lanes);
  return { lanes, kills: killed, check, ms: performance.now() - started };
}
