// The pod's session: ConnectWise's memberHash (from the Hosted API) traded at
// POST /api/session for our bearer token, held in memory only (third-party
// cookies do not reach a cross-site iframe) and fetched again near expiry.
import type { HostedBridge } from '../bridge/index.js';
import { sessionResponse, type PodConfig, type SessionRequest, type SessionResponse } from '../../shared/api.js';
import { PodApiError, requestJson } from './http.js';

export interface PodSession {
  readonly member: SessionResponse['member'];
  readonly tenant: string;
  readonly isAdmin: boolean;
  /** A valid bearer token, renewed first if it is about to expire. */
  token(): Promise<string>;
  /** Forces a new exchange (after the server said the token expired). */
  renew(): Promise<void>;
}

/** Renew this long before the server's expiry, so a request never carries a dying token. */
const RENEW_EARLY_MS = 60_000;

async function exchange(bridge: HostedBridge, config: PodConfig): Promise<SessionResponse> {
  const auth = await bridge.getMemberAuthentication();
  const body: SessionRequest = { companyid: auth.companyid, memberid: auth.memberid, memberHash: auth.memberHash };
  const s = await requestJson(`${config.apiBase}/api/session`, { method: 'POST', body: JSON.stringify(body) }, sessionResponse);
  if (s.tenant !== config.tenant.toLowerCase()) {
    throw new PodApiError(
      `You are signed in to ConnectWise company "${s.tenant}", but this page was installed for "${config.tenant}". Ask your administrator to check the installation.`,
      403,
      'tenant_mismatch',
    );
  }
  return s;
}

export async function startPodSession(bridge: HostedBridge, config: PodConfig): Promise<PodSession> {
  let current = await exchange(bridge, config);
  let renewing: Promise<void> | undefined;

  const renew = () => {
    renewing ??= exchange(bridge, config)
      .then((s) => {
        current = s;
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
      if (Date.parse(current.expiresAt) - Date.now() < RENEW_EARLY_MS) await renew();
      return current.token;
    },
    renew,
  };
}
