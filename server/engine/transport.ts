// One Xero transport per (server instance, organisation): every Xero call the
// engine, the views, payments and reconcile make for an organisation goes
// through it, so the organisation's limits are kept in one place:
//   - pacing (OrgScheduler): 5 at once, 60 a rolling minute, a person's call
//     ahead of queued run work;
//   - 429: Xero's Retry-After is waited out (the whole organisation pauses for
//     "minute"); "day" ends the work with XeroDayLimit (when X-DayLimit-Remaining
//     reaches the reserve, run work stops and people's pushes go on);
//   - 5xx and no answer (a dropped connection, or none within the call
//     timeout): retried with back-off — briefly for a person, for
//     minutes for a run, which says so while it waits ("Xero is not answering
//     — retrying, next try in 20 s"); never for a create, whose answer may
//     have been lost after the work was done (the caller looks first);
//   - 401 before expiry: the token is renewed once and the call goes again;
//   - everything else becomes one of the engine's typed errors, with Xero's
//     words parsed in one place (problems.ts).
// Xero's limits belong to the organisation, not to this instance: calls of
// other instances (and other apps) spend the same minute, and Xero's 429 with
// Retry-After is what keeps us inside it then.
import type { AccountingApi } from 'xero-node';
import { AccountingApi as AccountingApiClass } from 'xero-node';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { connectionIdForOrg } from '../xero/connection-store.js';
import { answeredJson, GARBLED_ANSWER, parseXeroError } from '../xero/accounting.js';
import { getAccessToken, renewRejectedToken } from '../xero/token-refresh.js';
import { NeedsAttention, XeroDayLimit, XeroNotFound, XeroRefused, XeroUnavailable } from './errors.js';
import { OrgScheduler, type Limits, type Priority } from './scheduler.js';
import { WHERE } from './where.js';

export interface TransportLimits extends Limits {
  /** Calls kept back from the day's allowance for people's own pushes. */
  dayReserve: number;
}

export const XERO_LIMITS: TransportLimits = { concurrent: 5, perMinute: 60, dayReserve: 50 };

export interface RetryPolicy {
  /** Back-off steps for 5xx / no answer (ms); their count is the number of retries. */
  person: number[];
  run: number[];
}

export const DEFAULT_RETRY: RetryPolicy = {
  person: [250, 750, 1_500],
  // About two minutes of an outage before a run's step gives up (the job engine then tries the step again).
  run: [1_000, 2_000, 4_000, 8_000, 15_000, 20_000, 20_000, 20_000, 20_000, 20_000],
};

/**
 * How long one call may go unanswered before it counts as "no answer". xero-node sets
 * none, so a connection Xero holds open would hang the push (and keep renewing its lease)
 * for ever. Generous: a create of 50 documents takes Xero seconds, not half a minute.
 */
export const XERO_CALL_TIMEOUT_MS = 30_000;

/** The longest Retry-After a person's push waits for; longer, and the push says when to try again. */
const PERSON_MAX_WAIT_MS = 65_000;

export interface CallOptions {
  priority?: Priority;
  /** False for creates: after a 5xx or no answer the work may be done, so the caller looks before retrying. */
  retryServerErrors?: boolean;
}

export interface TransportNotice {
  reason: 'minute' | 'concurrent' | 'unavailable';
  untilMs: number;
}

export type XeroCall<T> = (api: AccountingApi, xeroTenantId: string) => Promise<T>;

export class XeroTransport {
  readonly scheduler: OrgScheduler;
  /** Calls Xero answered (retries included): the benchmark reads it. */
  calls = 0;
  rateLimited = 0;
  private dayStopUntil = 0;
  private api: AccountingApi | undefined;
  private connectionId: string | undefined;
  private readonly listeners = new Set<(n: TransportNotice) => void>();

  constructor(
    private readonly deps: AppDeps,
    readonly tenantId: string,
    readonly xeroTenantId: string,
    readonly limits: TransportLimits,
    private readonly retry: RetryPolicy,
    private readonly callTimeoutMs: number = XERO_CALL_TIMEOUT_MS,
  ) {
    this.scheduler = new OrgScheduler(limits);
  }

  /** Hear about waits (a run shows them on its panel). Returns the unsubscribe. */
  onNotice(fn: (n: TransportNotice) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(n: TransportNotice): void {
    for (const l of this.listeners) l(n);
  }

  private log(line: string): void {
    if (this.deps.config.logLevel === 'silent' || this.deps.config.logLevel === 'error') return;
    console.warn(`[xero] org=${this.xeroTenantId} ${line}`);
  }

  /** The SDK client with a fresh token (the connection is looked up once; a disconnect is noticed at the next call). */
  private async client(again = true): Promise<{ api: AccountingApi; token: string }> {
    if (!this.connectionId) {
      const id = await connectionIdForOrg(this.deps, this.tenantId, this.xeroTenantId);
      if (!id) {
        throw new ApiError(409, 'xero_org_not_connected', 'This Xero organisation is not connected to your ConnectWise company. An admin can connect it in the CW–Xero Sync settings.');
      }
      this.connectionId = id;
      this.api = new AccountingApiClass(this.deps.config.xero.apiBase);
      // The SDK's one hook into each request's axios options (its "default authentication"): the call timeout.
      const timeout = this.callTimeoutMs;
      this.api.setDefaultAuthentication({ applyToRequest: (options) => void (options.timeout = timeout) });
    }
    try {
      const token = await getAccessToken(this.deps, this.tenantId, this.connectionId);
      this.api!.accessToken = token;
      return { api: this.api!, token };
    } catch (err) {
      // The connection we knew was removed since (disconnected, maybe reconnected): look it up again, once.
      if (err instanceof ApiError && err.code === 'xero_connection_not_found') {
        this.connectionId = undefined;
        if (again) return this.client(false);
      }
      throw err;
    }
  }

  /** One SDK call within the organisation's limits, retried as the header says; typed errors otherwise. */
  async call<T>(what: string, fn: XeroCall<T>, opts: CallOptions = {}): Promise<T> {
    const priority = opts.priority ?? 'person';
    const backoff = priority === 'person' ? this.retry.person : this.retry.run;
    let failures = 0;
    let renewed = false;
    for (;;) {
      if (this.dayStopUntil > Date.now() && priority === 'run') throw new XeroDayLimit(new Date(this.dayStopUntil));
      const release = await this.scheduler.acquire(priority);
      let api: AccountingApi;
      let token: string;
      try {
        ({ api, token } = await this.client());
      } catch (err) {
        release();
        throw err;
      }
      let rejection: unknown;
      try {
        const r = await fn(api, this.xeroTenantId);
        this.calls++;
        // xero-node resolves any 2xx, even one whose body was not JSON (cut, garbled, a proxy's page): no answer.
        if (!answeredJson(r)) throw GARBLED_ANSWER;
        this.observe((r as { response?: { headers?: Record<string, unknown> } })?.response?.headers);
        return r;
      } catch (err) {
        rejection = err;
      } finally {
        release();
      }
      // xero-node rejects with a JSON string or a {response, body} object; an Error of ours (a bug) passes through.
      if (rejection instanceof Error && !/ECONN|ETIMEDOUT|socket hang up|EPIPE|network/i.test(rejection.message)) throw rejection;
      const e = parseXeroError(rejection);
      if (e.statusCode !== 0) this.calls++;
      if (e.statusCode === 429) {
        this.rateLimited++;
        const retryAfterMs = Math.max(1, Number(e.headers['retry-after']) || 1) * 1000;
        const problem = e.headers['x-rate-limit-problem'];
        if (problem === 'day') {
          this.dayStopUntil = Date.now() + retryAfterMs;
          throw new XeroDayLimit(new Date(this.dayStopUntil));
        }
        if (priority === 'person' && retryAfterMs > PERSON_MAX_WAIT_MS) {
          throw new XeroUnavailable(`Xero asked us to wait ${Math.ceil(retryAfterMs / 1000)} s before the ${what}`, new Date(Date.now() + retryAfterMs));
        }
        const until = Date.now() + retryAfterMs;
        if (problem !== 'concurrent') this.scheduler.pauseUntil(until);
        this.notify({ reason: problem === 'concurrent' ? 'concurrent' : 'minute', untilMs: until });
        await sleep(retryAfterMs);
        continue; // Xero did nothing: a 429 is not a failure
      }
      if (e.statusCode === 0 || e.statusCode >= 500) {
        const words = e.statusCode ? `Xero answered ${e.statusCode} to the ${what}` : `Xero did not answer the ${what}`;
        if (opts.retryServerErrors === false) throw new XeroUnavailable(words);
        const wait = backoff[failures++];
        if (wait === undefined) {
          this.log(`gave up: ${e.statusCode || 'no answer'} to the ${what} after ${failures} tries`);
          throw new XeroUnavailable(words, new Date(Date.now() + 20_000));
        }
        // One line per failure, never a stack trace per retry.
        this.log(`${e.statusCode || 'no answer'} to the ${what}; retrying in ${Math.round(wait / 1000)} s`);
        this.notify({ reason: 'unavailable', untilMs: Date.now() + wait });
        await sleep(wait);
        continue;
      }
      if (e.statusCode === 401 && !renewed && this.connectionId) {
        // Refused before expiry (revoked, or clocks apart): renew once, then go again.
        renewed = true;
        await renewRejectedToken(this.deps, this.tenantId, this.connectionId, token);
        continue;
      }
      if (e.statusCode === 401 || e.statusCode === 403) {
        throw new NeedsAttention('xero_unauthorised', 'Xero refused our connection to this organisation: an admin must reconnect Xero in the CW–Xero Sync settings.', WHERE.settingsXero);
      }
      if (e.statusCode === 404) throw new XeroNotFound(`Xero has no such record (${what})`);
      if (e.statusCode === 409) throw new NeedsAttention('xero_conflict', `Xero reported a conflicting request for the ${what}; try again in a moment.`, 'Xero');
      throw new XeroRefused(e.statusCode, e.body, what);
    }
  }

  private observe(h: Record<string, unknown> | undefined): void {
    if (!h) return;
    const get = (name: string) => {
      const v = h[name] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
      return v == null ? NaN : Number(Array.isArray(v) ? v[0] : v);
    };
    const day = get('x-daylimit-remaining');
    // Xero does not say when the oldest call leaves the day's window; a day from now is the safe bound.
    // People's pushes go on into the reserve; runs stop at the next call.
    if (Number.isFinite(day) && day <= this.limits.dayReserve) this.dayStopUntil = Date.now() + 86_400_000;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface EngineOptions {
  xeroLimits?: TransportLimits;
  xeroRetry?: RetryPolicy;
  /** How long one Xero call may go unanswered (XERO_CALL_TIMEOUT_MS when absent). */
  xeroCallTimeoutMs?: number;
}

const transports = new WeakMap<object, Map<string, XeroTransport>>();

/**
 * The organisation's transport on this server instance (per AppDeps: two
 * servers in one process never share one, nor a tenant another's).
 */
export function xeroTransport(deps: AppDeps, tenantId: string, xeroTenantId: string): XeroTransport {
  let byOrg = transports.get(deps);
  if (!byOrg) transports.set(deps, (byOrg = new Map()));
  const key = `${tenantId}\u0000${xeroTenantId}`;
  let t = byOrg.get(key);
  if (!t) {
    t = new XeroTransport(deps, tenantId, xeroTenantId, deps.engine?.xeroLimits ?? XERO_LIMITS, deps.engine?.xeroRetry ?? DEFAULT_RETRY, deps.engine?.xeroCallTimeoutMs);
    byOrg.set(key, t);
  }
  return t;
}
