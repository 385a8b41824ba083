// Everything one simulator instance holds, passed to every route module.
import { SimClock } from './clock.js';
import { IdentityStore } from './identity/store.js';
import { makeSigningKey, type SigningKey } from './identity/keys.js';
import type { OrgState } from './records.js';
import { seedOrganisations } from './seed.js';
import type { XeroSimOptions } from './options.js';
import { RateLimiter } from './api/limits.js';
import { IdempotencyStore } from './api/idempotency.js';
import { noInjected, type FaultPhaseSetting, type InjectedCounts } from '../net-faults.js';

export interface Faults {
  latencyMs: number;
  /** Added per element of a write's body ({"Invoices":[…50…]} waits 50 × this more): big batches take longer, as in Xero. */
  latencyPerElementMs: number;
  errorRate5xx: number;
  /**
   * When an injected 5xx, drop or timeout strikes (net-faults.ts): 'before' the work (nothing done),
   * 'after' it (done, and the answer lost), or 'either' at random per fault.
   */
  errorPhase: FaultPhaseSetting;
  /** Deterministic: the next N Accounting API calls fail with a 500. */
  failNext: number;
  /** Deterministic: the next N Accounting API calls get 429 (minute) with Retry-After throttleRetryAfter. */
  throttleNext: number;
  throttleRetryAfter: number;
  /** A share of Accounting API calls answered 429 (minute) with Retry-After throttleRetryAfter, at random. */
  throttleRate: number;
  /** A share of calls whose connection is closed without an answer (net-faults.ts). */
  dropRate: number;
  /** A share of calls whose answer is held timeoutMs (net-faults.ts). */
  timeoutRate: number;
  timeoutMs: number;
}

export const NO_FAULTS: Faults = { latencyMs: 0, latencyPerElementMs: 0, errorRate5xx: 0, errorPhase: 'before', failNext: 0, throttleNext: 0, throttleRetryAfter: 1, throttleRate: 0, dropRate: 0, timeoutRate: 0, timeoutMs: 30_000 };

export class SimContext {
  readonly clock = new SimClock();
  readonly key: SigningKey = makeSigningKey();
  readonly identity = new IdentityStore();
  orgs = new Map<string, OrgState>();
  readonly limiter: RateLimiter;
  readonly idempotency = new IdempotencyStore(() => this.clock.now());
  faults: Faults = { ...NO_FAULTS };
  /** Faults injected since the start or the last reset, by kind. */
  injected: InjectedCounts = noInjected();
  /** Counts per organisation, for GET /__sim/state and the benchmark. */
  apiCalls = new Map<string, number>();
  /** Calls refused with 429 for a limit (not injected ones), per organisation. */
  rateLimited = new Map<string, number>();

  constructor(
    readonly options: XeroSimOptions,
    public publicUrl: string,
  ) {
    this.limiter = new RateLimiter(options.limits, () => this.clock.now());
    this.seed();
  }

  seed(): void {
    this.orgs = new Map(seedOrganisations(this.clock.now()).map((o) => [o.info.OrganisationID, o]));
  }

  reset(): void {
    this.clock.reset();
    this.identity.clear();
    this.limiter.reset();
    this.limiter.setLimits(this.options.limits);
    this.idempotency.clear();
    this.faults = { ...NO_FAULTS };
    this.injected = noInjected();
    this.apiCalls.clear();
    this.rateLimited.clear();
    this.seed();
  }

  org(tenantId: string): OrgState | undefined {
    return this.orgs.get(tenantId);
  }

  now(): number {
    return this.clock.now();
  }
}
