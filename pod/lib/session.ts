// The pod's session: ConnectWise's memberHash (from the Hosted API) traded at
// POST /api/session for our bearer token, held in memory only (third-party
// cookies do not reach a cross-site iframe). A session lasts at most 15
// minutes; while the pod is open it is renewed silently, a minute before it
// expires (on the next call) or once after the server says `session_expired`
// (pod/lib/api.ts).
import type { HostedBridge } from '../bridge/index.js';
import type { PodConfig, SessionFirstAnswer, SessionRequest, SessionResponse } from '../../shared/api.js';
import { PodApiError, requestJson } from './http.js';

export interface PodSession {
  readonly member: SessionResponse['member'];
  readonly tenant: string;
  readonly isAdmin: boolean;
  /** A valid bearer token, renewed first if it is about to expire. */
  token(): Promise<string>;
  /** Forces a new exchange (after the server said the token expired). */
  renew(): Promise<void>;
  /**
   * The answer to GET `path` that came with the sign-in (the surface's first reads, issue 12), once:
   * later calls of the path, and calls after FIRST_ANSWERS_KEEP_MS, read afresh.
   */
  takeFirst?(path: string): SessionFirstAnswer | undefined;
}

/** How long the first reads answered with the sign-in stand in for the surface's own first GETs. */
const FIRST_ANSWERS_KEEP_MS = 10_000;

/** Renew this long before the server's expiry, so a request never carries a dying token. */
const RENEW_EARLY_MS = 60_000;

/**
 * When the session expires by this browser's clock: the token's lifetime
 * (exp − iat, the server's own clock on both) counted from when it arrived, so
 * a browser clock that is off does not renew on every call or never. A token
 * that is not a readable JWT falls back to the server's expiresAt.
 */
export function localExpiry(s: Pick<SessionResponse, 'token' | 'expiresAt'>, receivedAtMs: number): number {
  try {
    const payload = s.token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown; iat?: unknown };
    if (typeof claims.exp === 'number' && typeof claims.iat === 'number' && claims.exp > claims.iat) return receivedAtMs + (claims.exp - claims.iat) * 1000;
  } catch {
    /* not a JWT we can read */
  }
  return Date.parse(s.expiresAt);
}

async function exchange(bridge: HostedBridge, config: PodConfig, first?: readonly string[]): Promise<SessionResponse> {
  const auth = await bridge.getMemberAuthentication();
  const body: SessionRequest = { companyid: auth.companyid, memberid: auth.memberid, memberHash: auth.memberHash, ...(first?.length ? { first: [...first] } : {}) };
  const s = await requestJson<SessionResponse>(`${config.apiBase}/api/session`, { method: 'POST', body: JSON.stringify(body) });
  if (s.tenant !== config.tenant.toLowerCase()) {
    throw new PodApiError(
      `You are signed in to ConnectWise company "${s.tenant}", but this page was installed for "${config.tenant}". Ask your administrator to check the installation.`,
      403,
      'tenant_mismatch',
    );
  }
  return s;
}

/** Signs in; `first`: the GET paths the surface reads first, answered with the sign-in (renewals ask none). */
export async function startPodSession(bridge: HostedBridge, config: PodConfig, first?: readonly string[]): Promise<PodSession> {
  let current = await exchange(bridge, config, first);
  let expiresAtMs = localExpiry(current, Date.now());
  const firstAnswers = new Map((current.first ?? []).map((a) => [a.path, a] as const));
  const firstUntil = Date.now() + FIRST_ANSWERS_KEEP_MS;
  let renewing: Promise<void> | undefined;

  const renew = () => {
    renewing ??= exchange(bridge, config)
      .then((s) => {
        current = s;
        expiresAtMs = localExpiry(s, Date.now());
      })
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  };

  return {
    get member() {
      return current.member;
    },
    get tenant() {
      return current.tenant;
    },
    get isAdmin() {
      return current.isAdmin;
    },
    async token() {
      if (expiresAtMs - Date.now() < RENEW_EARLY_MS) await renew();
      return current.token;
    },
    renew,
    takeFirst(path) {
      const a = firstAnswers.get(path);
      firstAnswers.delete(path);
      return a && Date.now() < firstUntil ? a : undefined;
    },
  };
}
