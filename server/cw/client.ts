// A ConnectWise Manage REST client for one tenant: base URL, auth headers,
// JSON, zod-checked responses, Link-header paging with a hard page cap,
// retries of 429/502/503 (and dropped connections; any 5xx for a read, which
// changes nothing and so is safe to ask again) with back-off that honours
// Retry-After, and a bound on the total time a call may take. Every failure
// surfaces as a CwError (an ApiError) whose message the pod can show as is.
import pRetry, { AbortError } from 'p-retry';
import { z } from 'zod';
import { ApiError } from '../http/errors.js';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const CW_API_PATH = '/v4_6_release/apis/3.0';
export const CW_ACCEPT = 'application/vnd.connectwise.com+json; version=2024.1';
export const CW_MAX_PAGE_SIZE = 1000;

const RETRYABLE = new Set([429, 502, 503]);

export interface CwRetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on one call including every retry and wait. */
  totalTimeMs: number;
  /** Upper bound on one HTTP attempt. */
  attemptTimeoutMs: number;
}

export const defaultRetry: CwRetryOptions = { retries: 4, minDelayMs: 300, maxDelayMs: 5_000, totalTimeMs: 25_000, attemptTimeoutMs: 10_000 };

export interface CwClientOptions {
  /** e.g. https://api-na.myconnectwise.net (no path). */
  siteUrl: string;
  clientId: string;
  /** The full Authorization header value (API member or member-hash credentials). */
  authorization: string;
  retry?: Partial<CwRetryOptions>;
  fetch?: typeof fetch;
}

/** ConnectWise said no (or did not answer); `cwStatus` is what ConnectWise answered (0 = no answer). */
export class CwError extends ApiError {
  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    readonly cwStatus: number,
  ) {
    super(status, code, message);
  }
}

/** An attempt that may be retried; carries the server's Retry-After if it sent one. */
class RetryableAttempt extends Error {
  constructor(
    readonly cwStatus: number,
    readonly retryAfterMs: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

const cwErrorBody = z.object({ code: z.string().optional(), message: z.string().optional() }).loose();

/** Basic auth of an API member: base64("{companyId}+{publicKey}:{privateKey}"). */
export function apiMemberAuthorization(companyId: string, publicKey: string, privateKey: string): string {
  return `Basic ${Buffer.from(`${companyId}+${publicKey}:${privateKey}`, 'utf8').toString('base64')}`;
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The URL of rel="next" in a Link header, if any. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (m?.[1] && /rel\s*=\s*"?next"?/i.test(m[2] ?? '')) return m[1];
  }
  return undefined;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Words naming the record, for a 404: e.g. "invoice 123". */
  what?: string;
}

/** GETs on their way, by fetch implementation (a test's own fetch never meets another's), then by credentials and address. */
const GETS_IN_FLIGHT = new WeakMap<typeof fetch, Map<string, Promise<{ body: unknown }>>>();

function getsInFlight(f: typeof fetch): Map<string, Promise<{ body: unknown }>> {
  let m = GETS_IN_FLIGHT.get(f);
  if (!m) GETS_IN_FLIGHT.set(f, (m = new Map()));
  return m;
}

export class CwClient {
  readonly baseUrl: string;
  private readonly retry: CwRetryOptions;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: CwClientOptions) {
    this.baseUrl = `${opts.siteUrl.replace(/\/+$/, '')}${CW_API_PATH}`;
    this.retry = { ...defaultRetry, ...opts.retry };
    this.fetchImpl = opts.fetch ?? fetch;
  }

  url(path: string, query?: Query): URL {
    const u = new URL(`${this.baseUrl}/${path.replace(/^\/+/, '')}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  /**
   * A GET; one already on its way with the same credentials to the same address is joined, not sent
   * again (a dialog's first reads ask for the same invoice twice at once). A joiner gets its own copy.
   */
  async get<S extends z.ZodType>(path: string, schema: S, opts: RequestOptions = {}): Promise<z.infer<S>> {
    const url = this.url(path, opts.query);
    const inFlight = getsInFlight(this.fetchImpl);
    const key = `${this.opts.authorization}\u0000${this.opts.clientId}\u0000${url.href}`;
    const joined = inFlight.get(key);
    if (joined) return this.check(schema, structuredClone((await joined).body), path);
    const sent = this.send('GET', url, opts);
    inFlight.set(key, sent);
    try {
      return this.check(schema, (await sent).body, path);
    } finally {
      inFlight.delete(key);
    }
  }

  async post<S extends z.ZodType>(path: string, body: unknown, schema: S, opts: RequestOptions = {}): Promise<z.infer<S>> {
    const res = await this.send('POST', this.url(path, opts.query), { ...opts, body });
    return this.check(schema, res.body, path);
  }

  /** A POST that creates: its body, and the Location header naming what it made (when ConnectWise sends one). */
  async postCreated<S extends z.ZodType>(path: string, body: unknown, schema: S, opts: RequestOptions = {}): Promise<{ body: z.infer<S>; location: string | null }> {
    const res = await this.send('POST', this.url(path, opts.query), { ...opts, body });
    return { body: this.check(schema, res.body, path), location: res.headers.get('location') };
  }

  /** ConnectWise PATCH takes a JSON-Patch-like list: [{op:"replace", path, value}]. */
  async patch<S extends z.ZodType>(path: string, ops: { op: 'replace' | 'add' | 'remove'; path: string; value?: unknown }[], schema: S, opts: RequestOptions = {}): Promise<z.infer<S>> {
    const res = await this.send('PATCH', this.url(path, opts.query), { ...opts, body: ops });
    return this.check(schema, res.body, path);
  }

  async delete(path: string, opts: RequestOptions = {}): Promise<void> {
    await this.send('DELETE', this.url(path, opts.query), opts);
  }

  /**
   * Every item of a list endpoint, following Link rel="next". Stops with an
   * error past `maxPages` rather than loop or silently truncate.
   */
  async list<S extends z.ZodType>(path: string, item: S, opts: { query?: Query; pageSize?: number; maxPages?: number } = {}): Promise<z.infer<S>[]> {
    const pageSize = Math.min(Math.max(1, opts.pageSize ?? CW_MAX_PAGE_SIZE), CW_MAX_PAGE_SIZE);
    const maxPages = opts.maxPages ?? 50;
    const out: z.infer<S>[] = [];
    let url: URL | undefined = this.url(path, { ...opts.query, page: 1, pageSize });
    for (let page = 1; url; page++) {
      if (page > maxPages) {
        throw new CwError(502, 'cw_too_many_pages', `ConnectWise returned more than ${maxPages} pages of ${path}; narrow the request.`, 200);
      }
      const res = await this.send('GET', url, {});
      out.push(...this.check(z.array(item), res.body, path));
      const next = nextLink(res.headers.get('link'));
      url = next ? this.sameSite(next) : undefined;
    }
    return out;
  }

  /** Follow a next link only on our tenant's own site: never let a response steer us elsewhere. */
  private sameSite(next: string): URL {
    const u = new URL(next, this.baseUrl);
    if (u.origin !== new URL(this.baseUrl).origin) {
      throw new CwError(502, 'cw_bad_link', 'ConnectWise sent a next-page link to another site; refusing to follow it.', 200);
    }
    return u;
  }

  private check<S extends z.ZodType>(schema: S, body: unknown, path: string): z.infer<S> {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') || '(body)';
    throw new CwError(502, 'cw_unexpected_response', `ConnectWise answered ${path} in a form we do not understand (${field}: ${issue?.message ?? 'invalid'}).`, 200);
  }

  private async send(method: string, url: URL, opts: RequestOptions): Promise<{ status: number; headers: Headers; body: unknown }> {
    const started = Date.now();
    const r = this.retry;
    const headers: Record<string, string> = {
      Authorization: this.opts.authorization,
      clientId: this.opts.clientId,
      Accept: CW_ACCEPT,
    };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';

    const attempt = async () => {
      const remaining = r.totalTimeMs - (Date.now() - started);
      if (remaining <= 0) throw new AbortError(new RetryableAttempt(0, undefined, 'time budget spent'));
      let res: Response;
      try {
        res = await this.fetchImpl(url, {
          method,
          headers,
          ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
          signal: AbortSignal.timeout(Math.min(r.attemptTimeoutMs, remaining)),
          redirect: 'error',
        });
      } catch (err) {
        // Connection refused, reset, DNS, timeout: ConnectWise is not answering.
        throw new RetryableAttempt(0, undefined, err instanceof Error ? err.message : String(err));
      }
      if (RETRYABLE.has(res.status) || (method === 'GET' && res.status >= 500)) {
        await res.body?.cancel();
        throw new RetryableAttempt(res.status, parseRetryAfter(res.headers.get('retry-after')), `HTTP ${res.status}`);
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        // Cut or stalled mid-body (the attempt's timeout covers the body too): no answer. A read goes
        // again; a write whose answer had begun may have done its work, so it is not sent again.
        const lost = new RetryableAttempt(0, undefined, err instanceof Error ? err.message : String(err));
        throw method === 'GET' ? lost : new AbortError(lost);
      }
      return { res, text };
    };

    let res: Response;
    let text: string;
    try {
      ({ res, text } = await pRetry(attempt, {
        retries: r.retries,
        minTimeout: r.minDelayMs,
        maxTimeout: r.maxDelayMs,
        factor: 2,
        randomize: true,
        shouldRetry: (e) => e instanceof RetryableAttempt,
        onFailedAttempt: async (e) => {
          if (!(e instanceof RetryableAttempt) || e.retriesLeft <= 0) return;
          const remaining = r.totalTimeMs - (Date.now() - started);
          const wait = e.retryAfterMs ?? 0;
          // A Retry-After beyond our budget: give up now instead of waiting in vain.
          if (wait >= remaining) throw e;
          if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        },
      }));
    } catch (err) {
      if (err instanceof RetryableAttempt) {
        if (err.cwStatus === 429) {
          throw new CwError(503, 'cw_rate_limited', 'ConnectWise is busy (rate limit reached); try again in a minute.', 429);
        }
        throw new CwError(503, 'cw_unavailable', 'ConnectWise is not answering; try again in a minute.', err.cwStatus);
      }
      throw err;
    }

    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        if (res.ok) throw new CwError(502, 'cw_unexpected_response', `ConnectWise answered ${url.pathname} with something other than JSON.`, res.status);
      }
    }
    if (res.ok) return { status: res.status, headers: res.headers, body };
    throw this.failure(res.status, body, opts.what ?? url.pathname.replace(/^.*\/apis\/3\.0\//, ''));
  }

  private failure(status: number, body: unknown, what: string): CwError {
    const parsed = cwErrorBody.safeParse(body);
    const cwMessage = parsed.success && parsed.data.message ? `: ${parsed.data.message}` : '';
    if (status === 404) return new CwError(404, 'cw_not_found', `ConnectWise has no ${what}.`, status);
    if (status === 401) return new CwError(502, 'cw_unauthorized', 'ConnectWise refused our API member keys for this company; an administrator must register them again.', status);
    if (status === 403) return new CwError(502, 'cw_forbidden', `Our ConnectWise API member may not read ${what}; give its security role access.`, status);
    if (status >= 500) return new CwError(503, 'cw_unavailable', 'ConnectWise is not answering; try again in a minute.', status);
    return new CwError(502, 'cw_rejected', `ConnectWise refused the request for ${what}${cwMessage}.`, status);
  }
}
