// Xero Identity, simulated: discovery, JWKS, the authorize (sign-in +
// consent) pages, the token endpoint (authorization_code with PKCE S256,
// refresh_token with rotation and a grace period, client_credentials for
// custom connections) and revocation. Errors are OAuth JSON, e.g.
// {"error":"invalid_grant"}, with error_description naming the field.
import { Hono, type Context } from 'hono';
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { SimContext } from '../context.js';
import { DEMO_USER } from '../seed.js';
import { newId } from '../ids.js';
import { consentPage, errorPage, signInPage } from './consent-page.js';
import { opaqueToken, type Grant } from './store.js';
import { signAccessToken, signIdToken, verifyAccessToken } from './tokens.js';
import { publicJwks } from './keys.js';

const authorizeQuery = z.object({
  client_id: z.string().min(1, 'client_id is required'),
  redirect_uri: z.string().min(1, 'redirect_uri is required'),
  response_type: z.string().min(1, 'response_type is required'),
  scope: z.string().min(1, 'scope is required'),
  state: z.string().optional(),
  nonce: z.string().optional(),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
});

const tokenForm = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('authorization_code'),
    code: z.string().min(1),
    redirect_uri: z.string().min(1),
    code_verifier: z.string().optional(),
  }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string().min(1) }),
  z.object({ grant_type: z.literal('client_credentials'), scope: z.string().optional() }),
]);

function oauthError(c: Context, status: 400 | 401, error: string, description?: string) {
  return c.json({ error, ...(description ? { error_description: description } : {}) }, status);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Client authentication by HTTP Basic or client_id/client_secret in the form. */
function authenticateClient(ctx: SimContext, c: Context, form: Record<string, string>): string | null {
  let id = form.client_id;
  let secret = form.client_secret;
  const auth = c.req.header('authorization');
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      id = decodeURIComponent(decoded.slice(0, i));
      secret = decodeURIComponent(decoded.slice(i + 1));
    }
  }
  if (!id || !secret) return null;
  const client = ctx.options.clients.find((cl) => cl.clientId === id);
  return client && safeEqual(client.clientSecret, secret) ? client.clientId : null;
}

async function formOf(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

async function tokenResponse(ctx: SimContext, grant: Grant, opts: { refresh: boolean; nonce?: string }) {
  const now = ctx.now();
  const access_token = await signAccessToken(ctx, grant);
  const out: Record<string, unknown> = {};
  if (grant.scopes.includes('openid')) out.id_token = await signIdToken(ctx, grant, opts.nonce);
  out.access_token = access_token;
  out.expires_in = ctx.options.accessTokenSeconds;
  out.token_type = 'Bearer';
  if (opts.refresh) {
    const token = opaqueToken();
    ctx.identity.refreshTokens.set(token, {
      token,
      grantId: grant.id,
      issuedAt: now,
      expiresAt: now + ctx.options.refreshTokenDays * 86_400_000,
      ...(opts.nonce ? { nonce: opts.nonce } : {}),
    });
    out.refresh_token = token;
  }
  out.scope = grant.scopes.join(' ');
  return out;
}

export function identityRoutes(ctx: SimContext): Hono {
  const app = new Hono();

  app.get('/.well-known/openid-configuration', (c) => {
    const base = ctx.publicUrl;
    return c.json({
      issuer: base,
      jwks_uri: `${base}/.well-known/openid-configuration/jwks`,
      authorization_endpoint: `${base}/identity/connect/authorize`,
      token_endpoint: `${base}/connect/token`,
      userinfo_endpoint: `${base}/connect/userinfo`,
      revocation_endpoint: `${base}/connect/revocation`,
      scopes_supported: ['openid', 'profile', 'email', 'offline_access', 'accounting.transactions', 'accounting.contacts', 'accounting.settings'],
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });

  app.get('/.well-known/openid-configuration/jwks', async (c) => c.json(await publicJwksOf(ctx)));

  app.get('/identity/connect/authorize', (c) => {
    const parsed = authorizeQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return c.html(errorPage(`Invalid request: ${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`), 400);
    }
    const q = parsed.data;
    const client = ctx.options.clients.find((cl) => cl.clientId === q.client_id);
    if (!client) return c.html(errorPage('Invalid request: unauthorized_client (client_id is not a registered app)'), 400);
    const redirectOk = client.redirectUris ? client.redirectUris.includes(q.redirect_uri) : isHttpUrl(q.redirect_uri);
    if (!redirectOk) return c.html(errorPage('Invalid request: redirect_uri is not registered for this app'), 400);
    if (q.response_type !== 'code') return c.html(errorPage('Invalid request: response_type must be "code"'), 400);
    const scopes = q.scope.split(/\s+/).filter(Boolean);
    if (!scopes.includes('openid')) return c.html(errorPage('Invalid request: scope must include openid'), 400);
    if (q.code_challenge !== undefined && q.code_challenge_method !== 'S256') {
      return c.html(errorPage('Invalid request: code_challenge_method must be S256'), 400);
    }
    if (q.code_challenge !== undefined && !/^[A-Za-z0-9_-]{43,128}$/.test(q.code_challenge)) {
      return c.html(errorPage('Invalid request: code_challenge is not a base64url S256 challenge'), 400);
    }
    const txn = {
      id: newId(),
      clientId: client.clientId,
      redirectUri: q.redirect_uri,
      scopes,
      ...(q.state !== undefined ? { state: q.state } : {}),
      ...(q.code_challenge !== undefined ? { codeChallenge: q.code_challenge } : {}),
      ...(q.nonce !== undefined ? { nonce: q.nonce } : {}),
      expiresAt: ctx.now() + 30 * 60_000,
    };
    ctx.identity.transactions.set(txn.id, txn);
    return c.html(signInPage(txn.id, DEMO_USER.email));
  });

  const transactionOf = (id: string | undefined) => {
    const txn = id ? ctx.identity.transactions.get(id) : undefined;
    return txn && txn.expiresAt > ctx.now() ? txn : undefined;
  };

  app.post('/identity/connect/authorize/signin', async (c) => {
    const form = await formOf(c);
    const txn = transactionOf(form.txn);
    if (!txn) return c.html(errorPage('This sign-in request has expired. Start again from the app.'), 400);
    if ((form.email ?? '').toLowerCase() !== DEMO_USER.email || form.password !== DEMO_USER.password) {
      return c.html(signInPage(txn.id, form.email ?? '', 'Your email or password is incorrect.'), 400);
    }
    txn.userId = DEMO_USER.userId;
    const orgs = DEMO_USER.tenantIds.map((id) => ({ tenantId: id, name: ctx.org(id)?.info.Name ?? id }));
    return c.html(consentPage(txn.id, 'CW–Xero Sync', txn.scopes, orgs));
  });

  app.post('/identity/connect/authorize/consent', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const txnId = typeof body.txn === 'string' ? body.txn : undefined;
    const txn = transactionOf(txnId);
    if (!txn || !txn.userId) return c.html(errorPage('This sign-in request has expired. Start again from the app.'), 400);
    const redirect = new URL(txn.redirectUri);
    if (body.decision !== 'allow') {
      ctx.identity.transactions.delete(txn.id);
      redirect.searchParams.set('error', 'access_denied');
      if (txn.state !== undefined) redirect.searchParams.set('state', txn.state);
      return c.redirect(redirect.toString(), 302);
    }
    const raw = body.tenant;
    const chosen = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
    const allowed = chosen.filter((t) => DEMO_USER.tenantIds.includes(t));
    if (allowed.length === 0) {
      const orgs = DEMO_USER.tenantIds.map((id) => ({ tenantId: id, name: ctx.org(id)?.info.Name ?? id }));
      return c.html(consentPage(txn.id, 'CW–Xero Sync', txn.scopes, orgs, 'Select at least one organisation.'), 400);
    }
    ctx.identity.transactions.delete(txn.id);
    const code = opaqueToken();
    ctx.identity.codes.set(code, {
      code,
      clientId: txn.clientId,
      redirectUri: txn.redirectUri,
      ...(txn.codeChallenge ? { codeChallenge: txn.codeChallenge } : {}),
      userId: txn.userId,
      tenantIds: [...new Set(allowed)],
      scopes: txn.scopes,
      ...(txn.nonce ? { nonce: txn.nonce } : {}),
      expiresAt: ctx.now() + ctx.options.authCodeSeconds * 1000,
      used: false,
    });
    redirect.searchParams.set('code', code);
    redirect.searchParams.set('scope', txn.scopes.join(' '));
    if (txn.state !== undefined) redirect.searchParams.set('state', txn.state);
    return c.redirect(redirect.toString(), 302);
  });

  app.post('/connect/token', async (c) => {
    const form = await formOf(c);
    const clientId = authenticateClient(ctx, c, form);
    if (!clientId) return oauthError(c, 400, 'invalid_client');
    if (!form.grant_type) return oauthError(c, 400, 'invalid_request', 'grant_type is required');
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(form.grant_type)) {
      return oauthError(c, 400, 'unsupported_grant_type', `grant_type "${form.grant_type}" is not supported`);
    }
    const parsed = tokenForm.safeParse(form);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return oauthError(c, 400, 'invalid_request', `${issue?.path.join('.') || 'form'} is required`);
    }
    const req = parsed.data;
    const now = ctx.now();

    if (req.grant_type === 'authorization_code') {
      const code = ctx.identity.codes.get(req.code);
      if (!code || code.used || code.expiresAt <= now || code.clientId !== clientId || code.redirectUri !== req.redirect_uri) {
        if (code) code.used = true; // a failed redemption burns the code, like a replayed one
        return oauthError(c, 400, 'invalid_grant');
      }
      if (code.codeChallenge) {
        if (!req.code_verifier || s256(req.code_verifier) !== code.codeChallenge) {
          code.used = true;
          return oauthError(c, 400, 'invalid_grant', 'code_verifier does not match the code_challenge');
        }
      }
      code.used = true;
      const grant = ctx.identity.createGrant({ kind: 'user', clientId, userId: code.userId, scopes: code.scopes, tenantIds: code.tenantIds, createdAt: now });
      return c.json(await tokenResponse(ctx, grant, { refresh: code.scopes.includes('offline_access'), ...(code.nonce ? { nonce: code.nonce } : {}) }));
    }

    if (req.grant_type === 'refresh_token') {
      const rec = ctx.identity.refreshTokens.get(req.refresh_token);
      const grant = rec ? ctx.identity.grants.get(rec.grantId) : undefined;
      if (!rec || !grant || grant.revoked || grant.clientId !== clientId || rec.expiresAt <= now) return oauthError(c, 400, 'invalid_grant');
      if (rec.supersededAt !== undefined && now - rec.supersededAt > ctx.options.refreshGraceSeconds * 1000) {
        ctx.identity.refreshTokens.delete(rec.token);
        return oauthError(c, 400, 'invalid_grant');
      }
      // Rotation: this token is replaced now, but keeps working for the grace period
      // (a client that crashed before storing the new one can retry).
      if (rec.supersededAt === undefined) rec.supersededAt = now;
      return c.json(await tokenResponse(ctx, grant, { refresh: true }));
    }

    // client_credentials: a custom connection reaches exactly one organisation.
    const tenantId = ctx.options.customConnectionTenantId ?? [...ctx.orgs.keys()][0]!;
    const scopes = (req.scope ?? 'accounting.transactions accounting.contacts accounting.settings').split(/\s+/).filter(Boolean);
    if (scopes.includes('offline_access')) return oauthError(c, 400, 'invalid_scope', 'offline_access is not available to custom connections');
    const grant = ctx.identity.createGrant({ kind: 'custom', clientId, scopes, tenantIds: [tenantId], createdAt: now });
    return c.json(await tokenResponse(ctx, grant, { refresh: false }));
  });

  // OpenID userinfo for user grants (custom connections have no user).
  app.get('/connect/userinfo', async (c) => {
    const token = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const claims = token ? await verifyAccessToken(ctx, token.trim()) : null;
    const grant = claims ? ctx.identity.grants.get(claims.grantId) : undefined;
    if (!grant || grant.kind !== 'user') return oauthError(c, 401, 'invalid_token');
    return c.json({ sub: DEMO_USER.userId, xero_userid: DEMO_USER.userId, email: DEMO_USER.email, given_name: DEMO_USER.givenName, family_name: DEMO_USER.familyName, preferred_username: DEMO_USER.email });
  });

  app.post('/connect/revocation', async (c) => {
    const form = await formOf(c);
    const clientId = authenticateClient(ctx, c, form);
    if (!clientId) return oauthError(c, 400, 'invalid_client');
    if (!form.token) return oauthError(c, 400, 'invalid_request', 'token is required');
    const rec = ctx.identity.refreshTokens.get(form.token);
    const grant = rec ? ctx.identity.grants.get(rec.grantId) : undefined;
    if (grant && grant.clientId === clientId) ctx.identity.revokeGrant(grant.id);
    // RFC 7009: unknown tokens are answered 200 too.
    return c.body(null, 200);
  });

  return app;
}

function publicJwksOf(ctx: SimContext) {
  return publicJwks(ctx.key);
}
