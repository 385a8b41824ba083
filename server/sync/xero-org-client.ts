// One organisation's Accounting API for one unit of work (a push, a view):
// every SDK call goes through `call`, which
//   - retries 429 (honouring Retry-After, within a bound) and 5xx / no answer;
//   - after a 401 before expiry renews the token once (renewRejectedToken) and retries;
//   - turns a 400 into NeedsAttention with Xero's own validation words, a 404
//     into XeroNotFound, a 403 into NeedsAttention (reconnect).
// Rejections are parsed with server/xero/accounting.ts's parseXeroError.
import type { AccountingApi } from 'xero-node';
import pRetry, { AbortError } from 'p-retry';
import type { AppDeps } from '../deps.js';
import { accountingApiFor, parseXeroError } from '../xero/accounting.js';
import { getAccessToken, renewRejectedToken } from '../xero/token-refresh.js';
import { NeedsAttention } from './invoice-push.js';

export interface XeroRetryOptions {
  retries: number;
  /** The longest Retry-After we wait for; a longer one fails the call (the pod says "try again"). */
  maxWaitMs: number;
  minDelayMs: number;
}

export const DEFAULT_XERO_RETRY: XeroRetryOptions = { retries: 5, maxWaitMs: 65_000, minDelayMs: 200 };

export class XeroNotFound extends Error {}

/** Xero answered 429/5xx (or nothing) more often than we retry: a later push resumes. */
export class XeroUnavailable extends Error {}

export interface XeroOrgClient {
  xeroTenantId: string;
  /**
   * `retryServerErrors: false` for creates: after a 5xx or no answer the work
   * may have been done (a lost response), so the caller looks before retrying.
   * 429s are always retried (Xero did nothing).
   */
  call<T>(what: string, fn: (api: AccountingApi, xeroTenantId: string) => Promise<T>, opts?: { retryServerErrors?: boolean }): Promise<T>;
}

/** Xero's ValidationException messages, element by element, deduplicated. */
export function validationMessages(body: unknown): string[] {
  const b = body as { Message?: string; Detail?: string; Elements?: { ValidationErrors?: { Message?: string }[] }[] } | null | undefined;
  const msgs = (b?.Elements ?? []).flatMap((e) => (e.ValidationErrors ?? []).map((v) => v.Message ?? '')).filter(Boolean);
  if (msgs.length === 0 && b?.Message) msgs.push(b.Message);
  if (msgs.length === 0 && b?.Detail) msgs.push(b.Detail);
  return [...new Set(msgs)];
}

class Retryable extends Error {
  constructor(
    message: string,
    readonly waitMs: number,
  ) {
    super(message);
  }
}

export async function xeroOrgClient(deps: AppDeps, tenantId: string, xeroTenantId: string, retry: XeroRetryOptions = DEFAULT_XERO_RETRY): Promise<XeroOrgClient> {
  const handle = await accountingApiFor(deps, tenantId, xeroTenantId);
  // The token accountingApiFor just set (getAccessToken returns the same stored token while fresh).
  let token = await getAccessToken(deps, tenantId, handle.connectionId);
  handle.api.accessToken = token;
  let renewed = false;

  async function call<T>(what: string, fn: (api: AccountingApi, xeroTenantId: string) => Promise<T>, opts: { retryServerErrors?: boolean } = {}): Promise<T> {
    return pRetry(
      async () => {
        try {
          return await fn(handle.api, xeroTenantId);
        } catch (err) {
          // xero-node rejects with a JSON string or a {response, body} object; an Error is ours (a bug): never retried.
          if (err instanceof Error) throw new AbortError(err);
          const e = parseXeroError(err);
          if (e.statusCode === 0 || e.statusCode === 429 || e.statusCode >= 500) {
            const ra = Number(e.headers['retry-after']);
            const waitMs = Number.isFinite(ra) && ra > 0 ? ra * 1000 : 0;
            if (waitMs > retry.maxWaitMs) throw new AbortError(new XeroUnavailable(`Xero asked us to wait ${Math.ceil(waitMs / 1000)} s before the ${what}; try again later.`));
            if (e.statusCode !== 429 && opts.retryServerErrors === false) {
              throw new AbortError(new XeroUnavailable(e.statusCode ? `Xero answered ${e.statusCode} to the ${what}` : `Xero did not answer the ${what}`));
            }
            throw new Retryable(e.statusCode ? `Xero answered ${e.statusCode} to the ${what}` : `Xero did not answer the ${what}`, waitMs);
          }
          if (e.statusCode === 401 && !renewed) {
            // Refused before expiry (revoked, or clocks apart): renew once, then try again.
            renewed = true;
            token = await renewRejectedToken(deps, tenantId, handle.connectionId, token);
            handle.api.accessToken = token;
            throw new Retryable(`Xero refused the token for the ${what}; renewed`, 0);
          }
          if (e.statusCode === 400) {
            const msgs = validationMessages(e.body);
            throw new AbortError(new NeedsAttention('xero_validation', `Xero refused the ${what}: ${msgs.join('; ') || 'validation failed'}.`, 'Xero'));
          }
          if (e.statusCode === 401 || e.statusCode === 403) {
            throw new AbortError(new NeedsAttention('xero_unauthorised', 'Xero refused our connection to this organisation: an admin must reconnect Xero in the CW–Xero Sync settings.', 'Sync settings › Xero'));
          }
          if (e.statusCode === 404) throw new AbortError(new XeroNotFound(`Xero has no such record (${what})`));
          if (e.statusCode === 409) {
            throw new AbortError(new NeedsAttention('xero_conflict', `Xero reported a conflicting request for the ${what}; try again in a moment.`, 'Xero'));
          }
          throw new AbortError(new Error(`Xero answered ${e.statusCode} to the ${what}`));
        }
      },
      {
        retries: retry.retries,
        minTimeout: retry.minDelayMs,
        maxTimeout: 2_000,
        factor: 2,
        shouldRetry: (e) => e instanceof Retryable,
        onFailedAttempt: async (e) => {
          if (e instanceof Retryable && e.waitMs > 0 && e.retriesLeft > 0) await new Promise((r) => setTimeout(r, e.waitMs));
        },
      },
    ).catch((err: unknown) => {
      if (err instanceof Retryable) throw new XeroUnavailable(`${err.message}; try again in a minute.`);
      throw err;
    });
  }

  return { xeroTenantId, call };
}
