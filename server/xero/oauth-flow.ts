// Our OAuth 2.0 / OpenID Connect code flow against the configured issuer
// (xero-node's own OAuth client fixes Xero's URLs, so it cannot reach the
// simulator): authorize URL with PKCE S256 + nonce, code exchange, id_token
// verification against the issuer's keys, then Xero's /connections.
import { decodeJwt, jwtVerify } from 'jose';
import type { AppDeps } from '../deps.js';
import { discover, issuerKeys, XeroIdentityUnavailable } from './discovery.js';
import { consumeOauthState, OauthStateError, peekOauthState, pkceChallenge } from './oauth-state.js';
import { exchangeCode, revokeRefreshToken, TokenEndpointError } from './token-endpoint.js';
import { tokenSetFrom } from './token-set.js';
import { ConnectionsApiError, listXeroConnections } from './connections-api.js';
import { orgDisplayName, saveNewConnection } from './connection-store.js';
import type { OauthPopupResult } from '../../shared/api.js';

export const redirectUriFor = (deps: AppDeps) => `${deps.config.publicUrl}/oauth/xero/callback`;

/** Where the popup goes after /oauth/xero/start: the issuer's authorize endpoint. */
export async function authorizeUrl(deps: AppDeps, state: string): Promise<string> {
  const live = await peekOauthState(deps, state);
  const { authorization_endpoint } = await discover(deps.config.xero.issuer);
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: deps.config.xero.clientId,
    redirect_uri: redirectUriFor(deps),
    scope: deps.config.xero.scopes,
    state,
    code_challenge: pkceChallenge(live.verifier),
    code_challenge_method: 'S256',
    nonce: live.nonce,
  }).toString();
  return url.toString();
}

export interface CallbackInput {
  code?: string | undefined;
  state?: string | undefined;
  error?: string | undefined;
  errorDescription?: string | undefined;
  /** Whether the request carried the cookie set by /oauth/xero/start for this state. */
  sameBrowser: boolean;
}

const fail = (code: string, message: string, tenant: string | null = null): OauthPopupResult => ({ ok: false, code, message, tenant, connectionId: null, orgs: [] });

/** Completes the flow. Never throws: every outcome is a result the popup shows and reports. */
export async function completeCallback(deps: AppDeps, input: CallbackInput): Promise<OauthPopupResult> {
  if (!input.state) return fail('state_missing', 'Xero came back without the sign-in state. Nothing was connected; start again with "Connect to Xero".');
  let flow;
  try {
    if (!input.sameBrowser) {
      // Burn it: a state that arrives in another browser was leaked or forged.
      const live = await consumeOauthState(deps, input.state);
      return fail('state_foreign', 'This Xero sign-in was started in another browser window, so it was refused. Nothing was connected; start again with "Connect to Xero" here.', live.tenantId);
    }
    flow = await consumeOauthState(deps, input.state);
  } catch (e) {
    if (e instanceof OauthStateError) return fail(e.code, e.message);
    throw e;
  }
  const tenant = flow.tenantId;
  if (input.error) {
    if (input.error === 'access_denied') return fail('access_denied', 'Access was not allowed in Xero, so nothing was connected.', tenant);
    return fail('xero_error', `Xero reported "${input.error}"${input.errorDescription ? `: ${input.errorDescription.slice(0, 200)}` : ''}. Nothing was connected.`, tenant);
  }
  if (!input.code) return fail('code_missing', 'Xero came back without an authorization code. Nothing was connected; try again.', tenant);

  try {
    const cfg = deps.config.xero;
    const discovery = await discover(cfg.issuer);
    const tokens = await exchangeCode(cfg, input.code, flow.verifier, redirectUriFor(deps));
    const receivedAt = deps.now();
    if (/\bopenid\b/.test(cfg.scopes)) {
      if (!tokens.id_token) return fail('id_token_missing', 'Xero did not say who signed in (no id_token). Nothing was connected.', tenant);
      try {
        const { payload } = await jwtVerify(tokens.id_token, issuerKeys(discovery.jwks_uri), {
          issuer: discovery.issuer,
          audience: cfg.clientId,
          // id_token iat/exp are judged by our clock, with room for a little skew.
          currentDate: receivedAt,
          clockTolerance: 120,
        });
        if (payload.nonce !== flow.nonce) throw new Error('nonce mismatch');
      } catch (e) {
        return fail('id_token_invalid', `Xero's identity token did not verify (${(e as Error).message}). Nothing was connected.`, tenant);
      }
    }
    const tokenSet = tokenSetFrom(tokens, receivedAt);
    const authEventId = authEventIdOf(tokens.access_token);
    const orgs = await listXeroConnections(cfg.connectionsUrl, tokens.access_token, authEventId);
    if (orgs.length === 0) {
      await revokeRefreshToken(cfg, tokens.refresh_token).catch(() => false);
      return fail('no_organisations', 'No Xero organisation was selected in Xero, so nothing was connected. Try again and tick at least one organisation.', tenant);
    }
    const saved = await saveNewConnection(deps, { tenantId: tenant, memberIdentifier: flow.memberIdentifier, tokenSet, authEventId, orgs });
    // An organisation another ConnectWise company holds is left out, and nothing is
    // revoked or disconnected at Xero for it: if both companies' admins signed in as
    // the same Xero user, that would cut the other company's connection too.
    const refusedWords = saved.refused.length
      ? `${listWords(saved.refused.map(orgDisplayName))} ${saved.refused.length > 1 ? 'are' : 'is'} already connected to another ConnectWise company in CW–Xero Sync, and a Xero organisation syncs with one ConnectWise company only; that company must disconnect it first.`
      : '';
    if (!saved.connectionId) {
      return fail('xero_org_taken', `Not connected: ${refusedWords} Nothing was connected.`, tenant);
    }
    const connected = saved.connected.map((o) => ({ xeroTenantId: o.tenantId, name: orgDisplayName(o) }));
    return {
      ok: true,
      code: saved.refused.length ? 'connected_partly' : 'connected',
      message: `Connected to Xero: ${connected.map((o) => o.name).join(', ')}.${refusedWords ? ` Not connected: ${refusedWords}` : ''}`,
      tenant,
      connectionId: saved.connectionId,
      orgs: connected,
    };
  } catch (e) {
    if (e instanceof TokenEndpointError || e instanceof ConnectionsApiError || e instanceof XeroIdentityUnavailable) {
      return fail('xero_failed', `${e.message}. Nothing was connected; try again.`, tenant);
    }
    throw e;
  }
}

/** Xero's access tokens are JWTs carrying the sign-in's `authentication_event_id`; tolerate opaque tokens. */
function authEventIdOf(accessToken: string): string | null {
  try {
    const claim = decodeJwt(accessToken).authentication_event_id;
    return typeof claim === 'string' ? claim : null;
  } catch {
    return null;
  }
}

/** "A", "A and B", "A, B and C". */
function listWords(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
