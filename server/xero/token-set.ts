// A Xero token set: what the token endpoint answers, how we keep it (sealed as
// JWE bound to the connection id, so it opens only for that row and only with
// the server's key), and when it needs a refresh.
import { z } from 'zod';
import { openSecret, sealSecret } from '../crypto/secrets.js';

/** The token endpoint's answer (authorization_code and refresh_token grants). */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
  token_type: z.string(),
  id_token: z.string().optional(),
  scope: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export interface StoredTokenSet {
  accessToken: string;
  refreshToken: string;
  /** ISO time the access token stops working (by our clock at receipt). */
  expiresAt: string;
  scope?: string | undefined;
}

export function tokenSetFrom(res: TokenResponse, receivedAt: Date): StoredTokenSet {
  return {
    accessToken: res.access_token,
    refreshToken: res.refresh_token,
    expiresAt: new Date(receivedAt.getTime() + res.expires_in * 1000).toISOString(),
    scope: res.scope,
  };
}

/** The binding string for a connection's sealed token set. */
const bindingFor = (connectionId: string) => `xero_connection:${connectionId}`;

export function sealTokenSet(secretsKey: Uint8Array, connectionId: string, ts: StoredTokenSet): Promise<string> {
  return sealSecret(secretsKey, bindingFor(connectionId), ts);
}

export function openTokenSet(secretsKey: Uint8Array, connectionId: string, jwe: string): Promise<StoredTokenSet> {
  return openSecret<StoredTokenSet>(secretsKey, bindingFor(connectionId), jwe);
}

/** Refresh when less than this is left, so a call started now cannot outlive its token. */
export const REFRESH_MARGIN_MS = 2 * 60 * 1000;

export function needsRefresh(expiresAtIso: string, now: Date): boolean {
  return Date.parse(expiresAtIso) - now.getTime() < REFRESH_MARGIN_MS;
}
