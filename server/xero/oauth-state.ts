// Single-use OAuth `state`: random, stored only as a SHA-256 hash, bound to the
// tenant and admin who asked to connect, carrying the PKCE verifier (sealed)
// and the OpenID nonce; valid for ten minutes and consumed exactly once.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import { openSecret, sealSecret } from '../crypto/secrets.js';
import type { Session } from '../session.js';

export const STATE_TTL_MS = 10 * 60 * 1000;

export const hashState = (state: string) => createHash('sha256').update(state).digest('base64url');
export const pkceChallenge = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const random = () => randomBytes(32).toString('base64url');
const verifierBinding = (stateHash: string) => `oauth_state:${stateHash}`;

export interface OauthStart {
  state: string;
  expiresAt: string;
}

export async function createOauthState(deps: AppDeps, s: Session): Promise<OauthStart> {
  const state = random();
  const stateHash = hashState(state);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + STATE_TTL_MS).toISOString();
  await deps.db.k
    .insertInto('oauth_states')
    .values({
      state_hash: stateHash,
      tenant_id: s.tenantId,
      member_identifier: s.memberIdentifier,
      member_rec_id: s.memberRecId,
      verifier_jwe: await sealSecret(deps.keys.secretsKey, verifierBinding(stateHash), random()),
      nonce: random(),
      expires_at: expiresAt,
      used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  // Old states are useless after expiry: sweep them while we are here.
  await deps.db.k.deleteFrom('oauth_states').where('expires_at', '<', new Date(now.getTime() - STATE_TTL_MS).toISOString()).execute();
  return { state, expiresAt };
}

/** Why a state cannot be used, in words an admin understands. */
export class OauthStateError extends Error {
  constructor(
    readonly code: 'state_unknown' | 'state_used' | 'state_expired' | 'state_foreign',
    message: string,
  ) {
    super(message);
  }
}

export interface LiveState {
  stateHash: string;
  tenantId: string;
  memberIdentifier: string;
  memberRecId: number;
  verifier: string;
  nonce: string;
}

async function readState(deps: AppDeps, state: string) {
  const stateHash = hashState(state);
  const row = await deps.db.k.selectFrom('oauth_states').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
  if (!row) throw new OauthStateError('state_unknown', 'This Xero sign-in link was not started here (unknown state). Nothing was connected; start again with "Connect to Xero".');
  if (row.used_at) throw new OauthStateError('state_used', 'This Xero sign-in link was already used. Nothing more was connected; start again with "Connect to Xero" if needed.');
  if (Date.parse(row.expires_at) <= deps.now().getTime())
    throw new OauthStateError('state_expired', 'This Xero sign-in took longer than 10 minutes and expired. Nothing was connected; start again with "Connect to Xero".');
  return row;
}

/** For the start redirect: the state must be live; it stays usable for the callback. */
export async function peekOauthState(deps: AppDeps, state: string): Promise<LiveState> {
  const row = await readState(deps, state);
  return {
    stateHash: row.state_hash,
    tenantId: row.tenant_id,
    memberIdentifier: row.member_identifier,
    memberRecId: row.member_rec_id,
    verifier: await openSecret<string>(deps.keys.secretsKey, verifierBinding(row.state_hash), row.verifier_jwe),
    nonce: row.nonce,
  };
}

/**
 * Marks the state used, atomically (a conditional UPDATE), so two callbacks
 * racing with one state cannot both proceed. Returns the bound flow.
 */
export async function consumeOauthState(deps: AppDeps, state: string): Promise<LiveState> {
  const live = await peekOauthState(deps, state);
  const res = await deps.db.k
    .updateTable('oauth_states')
    .set({ used_at: deps.now().toISOString() })
    .where('state_hash', '=', live.stateHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new OauthStateError('state_used', 'This Xero sign-in link was already used. Nothing more was connected.');
  return live;
}

/**
 * The browser that started the flow gets a cookie holding this value; the
 * callback must come back with it, so a callback link sent to someone else
 * (a "foreign" state, login CSRF) is refused.
 */
export function browserBinding(secretsKey: Uint8Array, state: string): string {
  return createHmac('sha256', secretsKey).update('oauth-browser:').update(state).digest('base64url');
}

/**
 * The proof that the start of a sign-in comes from the settings pod that asked
 * for it: handed to that pod in the API answer (never in a URL) and posted by
 * it into the popup with the state, so the link alone — opened in another
 * browser, or sent to someone — cannot start the sign-in.
 */
export function startProof(secretsKey: Uint8Array, state: string): string {
  return createHmac('sha256', secretsKey).update('oauth-start:').update(state).digest('base64url');
}

export function isStartProof(secretsKey: Uint8Array, state: string, proof: string): boolean {
  const want = Buffer.from(startProof(secretsKey, state));
  const got = Buffer.from(proof);
  return got.length === want.length && timingSafeEqual(got, want);
}
