// Calls to the issuer's token and revocation endpoints, authenticated with our
// client id and secret (HTTP Basic, as Xero expects).
import type { ServerConfig } from '../config.js';
import { discover } from './discovery.js';
import { tokenResponseSchema, type TokenResponse } from './token-set.js';

/** The issuer refused or failed a token request. `permanent` means the grant is gone (reconnect needed). */
export class TokenEndpointError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly oauthError: string | undefined,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

function basicAuth(cfg: ServerConfig['xero']): string {
  return 'Basic ' + Buffer.from(`${cfg.clientId}:${cfg.clientSecret}`).toString('base64');
}

async function postForm(url: string, cfg: ServerConfig['xero'], form: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { authorization: basicAuth(cfg), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (e) {
    throw new TokenEndpointError(`Xero sign-in service could not be reached (${(e as Error).message})`, 0, undefined, false);
  }
}

export async function requestTokens(cfg: ServerConfig['xero'], form: Record<string, string>): Promise<TokenResponse> {
  const { token_endpoint } = await discover(cfg.issuer);
  const res = await postForm(token_endpoint, cfg, form);
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) {
    const err = typeof body?.error === 'string' ? body.error : undefined;
    const desc = typeof body?.error_description === 'string' ? `: ${body.error_description}` : '';
    // invalid_grant = the code or refresh token is spent, expired or revoked; invalid_client = our app was removed.
    const permanent = err === 'invalid_grant' || err === 'invalid_client' || err === 'unauthorized_client';
    throw new TokenEndpointError(`Xero refused the token request (${res.status} ${err ?? 'error'}${desc})`, res.status, err, permanent);
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) throw new TokenEndpointError('Xero sent an unreadable token response', res.status, undefined, false);
  return parsed.data;
}

export function exchangeCode(cfg: ServerConfig['xero'], code: string, verifier: string, redirectUri: string): Promise<TokenResponse> {
  return requestTokens(cfg, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
}

export function refreshTokens(cfg: ServerConfig['xero'], refreshToken: string): Promise<TokenResponse> {
  return requestTokens(cfg, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** Revokes a refresh token (and with it the grant). Returns false when the issuer has no revocation endpoint or refused. */
export async function revokeRefreshToken(cfg: ServerConfig['xero'], refreshToken: string): Promise<boolean> {
  const { revocation_endpoint } = await discover(cfg.issuer);
  if (!revocation_endpoint) return false;
  const res = await postForm(revocation_endpoint, cfg, { token: refreshToken, token_type_hint: 'refresh_token' });
  return res.ok;
}
