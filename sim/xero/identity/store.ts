// Grants, codes and refresh tokens of the identity side. A grant is one
// consent (or one custom connection): the organisations it reaches are its
// connections. Revoking the grant kills its refresh tokens and access tokens.
import { randomBytes } from 'node:crypto';
import { newId } from '../ids.js';

export interface Connection {
  id: string;
  tenantId: string;
  createdAt: number;
  updatedAt: number;
}

export interface Grant {
  id: string;
  kind: 'user' | 'custom';
  clientId: string;
  userId?: string;
  authEventId: string;
  scopes: string[];
  connections: Connection[];
  revoked: boolean;
  createdAt: number;
}

export interface RefreshTokenRec {
  token: string;
  grantId: string;
  issuedAt: number;
  expiresAt: number;
  /** When a newer refresh token replaced this one; it then works only for the grace period. */
  supersededAt?: number;
  nonce?: string;
}

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  userId: string;
  tenantIds: string[];
  scopes: string[];
  nonce?: string;
  expiresAt: number;
  used: boolean;
}

/** A validated authorize request waiting for sign-in and consent. */
export interface AuthTransaction {
  id: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  nonce?: string;
  userId?: string;
  expiresAt: number;
}

export function opaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export class IdentityStore {
  grants = new Map<string, Grant>();
  refreshTokens = new Map<string, RefreshTokenRec>();
  codes = new Map<string, AuthCode>();
  transactions = new Map<string, AuthTransaction>();

  createGrant(input: Omit<Grant, 'id' | 'authEventId' | 'connections' | 'revoked'> & { tenantIds: string[] }): Grant {
    const grant: Grant = {
      id: newId(),
      kind: input.kind,
      clientId: input.clientId,
      ...(input.userId ? { userId: input.userId } : {}),
      authEventId: newId(),
      scopes: input.scopes,
      connections: input.tenantIds.map((tenantId) => ({ id: newId(), tenantId, createdAt: input.createdAt, updatedAt: input.createdAt })),
      revoked: false,
      createdAt: input.createdAt,
    };
    this.grants.set(grant.id, grant);
    return grant;
  }

  revokeGrant(grantId: string): void {
    const grant = this.grants.get(grantId);
    if (grant) grant.revoked = true;
    for (const [token, rec] of this.refreshTokens) if (rec.grantId === grantId) this.refreshTokens.delete(token);
  }

  clear(): void {
    this.grants.clear();
    this.refreshTokens.clear();
    this.codes.clear();
    this.transactions.clear();
  }
}
