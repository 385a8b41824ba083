// Sessions over HTTP (issue 14): a token without an expiry, or living longer
// than 15 minutes, is refused; sessions last at most 15 minutes; a member
// removed from the settings' admin lists loses admin rights within a minute
// (with the session they hold), and a change of ConnectWise security role
// takes effect at the next session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { startStack, http, type TestStack } from '../support/stack.js';
import { signIn } from '../support/connect-xero.js';
import { ADMIN_LISTS_MAX_AGE_MS, SESSION_AUDIENCE, SESSION_ISSUER } from '../../server/session.js';
import { loadConfig, MAX_SESSION_TTL_SECONDS } from '../../server/config.js';
import { saveTenantSettings } from '../../server/settings.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const url = (path: string) => `${stack.server.url}${path}`;

/** A token signed with the server's own key, with the claims a session has, and exp/iat as given. */
async function forge(times: { iat?: number; exp?: number }): Promise<string> {
  let jwt = new SignJWT({ tid: 'democo', mid: 1, mnm: 'Alex Admin', adm: true, rol: 'Admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setSubject('admin');
  if (times.iat !== undefined) jwt = jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt = jwt.setExpirationTime(times.exp);
  return jwt.sign(stack.server.deps.keys.sessionKey);
}

/** Moves the server's clock (the admin lists' age is judged by it) for the length of `fn`. */
async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const real = stack.server.deps.now;
  stack.server.deps.now = () => new Date(real().getTime() + ms);
  try {
    return await fn();
  } finally {
    stack.server.deps.now = real;
  }
}

describe('session tokens', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('a token without exp is refused, even signed with our key', async () => {
    const r = await http(url('/api/settings'), { token: await forge({ iat: now() }) });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('session_expired');
    const noIat = await http(url('/api/settings'), { token: await forge({ exp: now() + 60 }) });
    expect(noIat.status).toBe(401);
  });

  it('a token made to live longer than 15 minutes is refused; one within is taken', async () => {
    const long = await http(url('/api/settings'), { token: await forge({ iat: now(), exp: now() + MAX_SESSION_TTL_SECONDS + 60 }) });
    expect(long.status).toBe(401);
    const old = await http(url('/api/settings'), { token: await forge({ iat: now() - MAX_SESSION_TTL_SECONDS - 60, exp: now() + 60 }) });
    expect(old.status).toBe(401);
    const fine = await http(url('/api/settings'), { token: await forge({ iat: now(), exp: now() + MAX_SESSION_TTL_SECONDS }) });
    expect(fine.status).toBe(200);
  });

  it('a session lasts at most 15 minutes', async () => {
    const r = await http(url('/api/session'), { json: { companyid: 'democo', memberid: 'accountant', memberHash: stack.cwSim.issueMemberHash('accountant') } });
    expect(r.status).toBe(200);
    const lifetime = Date.parse(r.body.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(MAX_SESSION_TTL_SECONDS * 1000);
    const [, payload] = (r.body.token as string).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(MAX_SESSION_TTL_SECONDS);
  });

  it('SESSION_TTL_SECONDS is at most 900, and 900 by default', () => {
    expect(loadConfig({}).sessionTtlSeconds).toBe(900);
    expect(loadConfig({ SESSION_TTL_SECONDS: '300' }).sessionTtlSeconds).toBe(300);
    expect(() => loadConfig({ SESSION_TTL_SECONDS: '3600' })).toThrow(/SESSION_TTL_SECONDS: at most 900 seconds/);
  });
});

describe('admin rights', () => {
  const putSettings = (token: string, patch: unknown) => http(url('/api/settings'), { method: 'PUT', token, json: patch });

  it('a member removed from the admin list loses them at once when this server saved the change', async () => {
    const admin = await signIn(stack, 'admin');
    expect((await putSettings(admin, { adminMemberIdentifiers: ['accountant'] })).status).toBe(200);
    // Made an admin by the list: a session issued now says so, and so does the server.
    const accountant = await signIn(stack, 'accountant');
    expect((await putSettings(accountant, { paymentSyncIntervalMinutes: 30 })).status).toBe(200);
    expect((await putSettings(admin, { adminMemberIdentifiers: [] })).status).toBe(200);
    const refused = await putSettings(accountant, { paymentSyncIntervalMinutes: 45 });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('not_admin');
    expect((await http(url('/api/settings'), { token: accountant })).body.isAdmin).toBe(false);
    // The admin by security role keeps them.
    expect((await putSettings(admin, { paymentSyncIntervalMinutes: 15 })).status).toBe(200);
  });

  it('within a minute when another instance saved it (the lists are read again at most a minute old)', async () => {
    const admin = await signIn(stack, 'admin');
    expect((await putSettings(admin, { adminMemberIdentifiers: ['accountant'] })).status).toBe(200);
    const accountant = await signIn(stack, 'accountant');
    expect((await putSettings(accountant, { paymentSyncIntervalMinutes: 30 })).status).toBe(200);
    // Another instance of the server, sharing the database, takes the member off the list.
    await saveTenantSettings(stack.server.deps.db, 'democo', { adminMemberIdentifiers: [] });
    await later(ADMIN_LISTS_MAX_AGE_MS, async () => {
      const refused = await putSettings(accountant, { paymentSyncIntervalMinutes: 45 });
      expect(refused.status).toBe(403);
      expect((await http(url('/api/settings'), { token: accountant })).body.isAdmin).toBe(false);
    });
    // And it stays so: the lists were read again.
    expect((await putSettings(accountant, { paymentSyncIntervalMinutes: 45 })).status).toBe(403);
  });

  it('a role taken out of the admin roles loses them too', async () => {
    const admin = await signIn(stack, 'admin');
    expect((await putSettings(admin, { adminSecurityRoles: ['Finance'], adminMemberIdentifiers: ['accountant'] })).status).toBe(200);
    expect((await putSettings(admin, { paymentSyncIntervalMinutes: 20 })).status).toBe(403);
    await saveTenantSettings(stack.server.deps.db, 'democo', { adminSecurityRoles: ['Admin'], adminMemberIdentifiers: [] });
  });

  it('a change of ConnectWise security role takes effect at the next session', async () => {
    const member = stack.cwSim.state.members.find((m) => m.identifier === 'tech')!;
    const before = await http(url('/api/session'), { json: { companyid: 'democo', memberid: 'tech', memberHash: stack.cwSim.issueMemberHash('tech') } });
    expect(before.body.isAdmin).toBe(false);
    const oldRole = member.securityRole;
    member.securityRole = { id: 1, name: 'Admin' };
    try {
      // The session held carries the role read at sign-in.
      expect((await putSettings(before.body.token, { paymentSyncIntervalMinutes: 20 })).status).toBe(403);
      const next = await http(url('/api/session'), { json: { companyid: 'democo', memberid: 'tech', memberHash: stack.cwSim.issueMemberHash('tech') } });
      expect(next.body.isAdmin).toBe(true);
      expect((await putSettings(next.body.token, { paymentSyncIntervalMinutes: 20 })).status).toBe(200);
    } finally {
      member.securityRole = oldRole;
    }
  });
});
