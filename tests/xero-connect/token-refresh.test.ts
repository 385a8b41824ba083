// Token refresh against the Xero simulator: expiry, rotation with its grace
// period (a crash between the issuer's answer and our commit), a revoked grant
// (needs reconnect, said in words), and single-flight within one process and
// across two server instances on PostgreSQL.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, TENANT_A, type Stack } from './harness.js';
import { api, connectXero } from './flow.js';
import { getAccessToken, renewRejectedToken } from '../../server/xero/token-refresh.js';
import { openTokenSet } from '../../server/xero/token-set.js';
import { accountingApiFor } from '../../server/xero/accounting.js';
import { xeroStatusResponse } from '../../shared/api.js';

/** Refresh tokens the simulator has issued for the grant behind a refresh token: 1 + refreshes done. */
function refreshTokensIssued(s: Stack, grantId: string): number {
  return [...s.xero.sim.ctx.identity.refreshTokens.values()].filter((r) => r.grantId === grantId).length;
}

function grantOf(s: Stack, refreshToken: string): string {
  const rec = s.xero.sim.ctx.identity.refreshTokens.get(refreshToken);
  if (!rec) throw new Error('refresh token unknown to the simulator');
  return rec.grantId;
}

async function stored(s: Stack) {
  const row = await s.db.k.selectFrom('xero_connections').selectAll().executeTakeFirstOrThrow();
  return { row, ts: await openTokenSet(s.server.deps.keys.secretsKey, row.id, row.token_set_jwe) };
}

/** What a process that died before committing would have done: spend the refresh token at the issuer. */
async function refreshBehindOurBack(s: Stack, refreshToken: string): Promise<number> {
  const cfg = s.server.deps.config.xero;
  const res = await fetch(`${s.xero.url}/connect/token`, {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(`${cfg.clientId}:${cfg.clientSecret}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
  return res.status;
}

describe.each(['sqlite', 'postgres'] as const)('token refresh (%s)', (engine) => {
  let s: Stack;
  let admin: string;
  beforeAll(async () => {
    s = await startStack(engine);
    admin = await s.session(TENANT_A, 'admin', true);
  });
  afterAll(async () => s?.close());
  afterEach(async () => {
    await s.db.k.deleteFrom('xero_connections').execute();
  });

  it('keeps a fresh token, refreshes with under two minutes left, stores the rotated refresh token first, and the new token works', async () => {
    expect((await connectXero(s.server.url, admin)).ok).toBe(true);
    const first = await stored(s);
    const grant = grantOf(s, first.ts.refreshToken);
    expect(refreshTokensIssued(s, grant)).toBe(1);

    await s.advance(20 * 60);
    expect(await getAccessToken(s.server.deps, TENANT_A, first.row.id)).toBe(first.ts.accessToken);
    expect(refreshTokensIssued(s, grant)).toBe(1);

    await s.advance(9 * 60); // 29 minutes in: one minute left
    const token = await getAccessToken(s.server.deps, TENANT_A, first.row.id);
    expect(token).not.toBe(first.ts.accessToken);
    expect(refreshTokensIssued(s, grant)).toBe(2);
    const second = await stored(s);
    expect(second.ts.accessToken).toBe(token);
    expect(second.ts.refreshToken).not.toBe(first.ts.refreshToken);
    expect(second.row.version).toBe(first.row.version + 1);
    expect(second.row.last_refresh_at).not.toBeNull();

    // The refreshed token is accepted by the Accounting API (xero-node).
    const org = await s.db.k.selectFrom('xero_orgs').select('xero_tenant_id').executeTakeFirstOrThrow();
    const { api: acc } = await accountingApiFor(s.server.deps, TENANT_A, org.xero_tenant_id);
    const res = await acc.getOrganisations(org.xero_tenant_id);
    expect(res.response.status).toBe(200);
  });

  it('survives a crash between the issuer answering and our commit: the old refresh token still works within the grace period', async () => {
    expect((await connectXero(s.server.url, admin)).ok).toBe(true);
    const before = await stored(s);
    await s.advance(29 * 60);
    expect(await refreshBehindOurBack(s, before.ts.refreshToken)).toBe(200); // the answer that was lost
    await s.advance(60); // still inside the simulator's 30-minute grace
    const token = await getAccessToken(s.server.deps, TENANT_A, before.row.id);
    expect(token).not.toBe(before.ts.accessToken);
    const after = await stored(s);
    expect(after.row.status).toBe('ok');
    expect(after.ts.accessToken).toBe(token);
  });

  it('a refresh refused for good marks the connection needs_reconnect, and status says so in words', async () => {
    expect((await connectXero(s.server.url, admin)).ok).toBe(true);
    const before = await stored(s);
    // Revoked at Xero (e.g. the app was disconnected there).
    const cfg = s.server.deps.config.xero;
    const revoke = await fetch(`${s.xero.url}/connect/revocation`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${cfg.clientId}:${cfg.clientSecret}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: before.ts.refreshToken }).toString(),
    });
    expect(revoke.status).toBe(200);
    await s.advance(29 * 60);

    const accountant = await s.session(TENANT_A, 'accountant', false);
    const status = xeroStatusResponse.parse(await (await api(s.server.url, accountant, 'GET', '/api/xero/status')).json());
    expect(status.needsReconnect).toBe(true);
    expect(status.connections[0]!.status).toBe('needs_reconnect');
    expect(status.banner).toMatch(/^Xero needs reconnecting for .+: nothing can be sent .* An admin must click "Reconnect"/);
    expect(status.connections[0]!.health).toMatch(/Needs reconnecting: Xero no longer accepts the saved sign-in/);
    await expect(getAccessToken(s.server.deps, TENANT_A, before.row.id)).rejects.toMatchObject({ status: 409, code: 'xero_needs_reconnect' });

    // A reconnect clears it.
    expect((await connectXero(s.server.url, admin)).ok).toBe(true);
    const healed = xeroStatusResponse.parse(await (await api(s.server.url, accountant, 'GET', '/api/xero/status')).json());
    expect(healed).toMatchObject({ needsReconnect: false, banner: null });
  });

  it('a lost refresh past the grace period also ends in needs_reconnect (not a silent failure)', async () => {
    expect((await connectXero(s.server.url, admin)).ok).toBe(true);
    const before = await stored(s);
    await s.advance(29 * 60);
    expect(await refreshBehindOurBack(s, before.ts.refreshToken)).toBe(200);
    await s.advance(31 * 60); // grace (30 min) is over
    await expect(getAccessToken(s.server.deps, TENANT_A, before.row.id)).rejects.toMatchObject({ code: 'xero_needs_reconnect' });
    expect((await stored(s)).row.status).toBe('needs_reconnect');
  });

  it('is single-flight within one instance: ten concurrent callers, one refresh, one token', async () => {
    expect((await connectXero(s.server.url, admin)).ok).toBe(true);
    const before = await stored(s);
    const grant = grantOf(s, before.ts.refreshToken);
    await s.advance(29 * 60);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => getAccessToken(s.server.deps, TENANT_A, before.row.id)));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(before.ts.accessToken);
    expect(refreshTokensIssued(s, grant)).toBe(2);
  });

  it('a token Xero refused before its expiry is renewed once (later callers get the replacement); a revoked grant ends in needs_reconnect', async () => {
    expect((await connectXero(s.server.url, admin)).ok).toBe(true);
    const before = await stored(s);
    const grant = grantOf(s, before.ts.refreshToken);
    const renewed = await renewRejectedToken(s.server.deps, TENANT_A, before.row.id, before.ts.accessToken);
    expect(renewed).not.toBe(before.ts.accessToken);
    expect(await renewRejectedToken(s.server.deps, TENANT_A, before.row.id, before.ts.accessToken)).toBe(renewed);
    expect(refreshTokensIssued(s, grant)).toBe(2);

    s.xero.sim.ctx.identity.revokeGrant(grant);
    await expect(renewRejectedToken(s.server.deps, TENANT_A, before.row.id, renewed)).rejects.toMatchObject({ code: 'xero_needs_reconnect' });
    expect((await stored(s)).row.status).toBe('needs_reconnect');
  });

  it('another tenant cannot use the connection', async () => {
    expect((await connectXero(s.server.url, admin)).ok).toBe(true);
    const { row } = await stored(s);
    await expect(getAccessToken(s.server.deps, 'bravo', row.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('two server instances on PostgreSQL', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('postgres');
  });
  afterAll(async () => s?.close());

  it('refreshing the same connection at the same moment: exactly one refresh at the issuer, both get the fresh token', async () => {
    const admin = await s.session(TENANT_A, 'admin', true);
    const accountant = await s.session(TENANT_A, 'accountant', false);
    const other = await s.secondInstance();
    expect((await connectXero(s.server.url, admin)).ok).toBe(true);
    const before = await stored(s);
    const grant = grantOf(s, before.ts.refreshToken);

    for (let round = 1; round <= 3; round++) {
      await s.advance(29 * 60);
      // Over HTTP (status renews a stale token) and directly, on both instances at once.
      const [a, b, viaHttpA, viaHttpB] = await Promise.all([
        getAccessToken(s.server.deps, TENANT_A, before.row.id),
        getAccessToken(other.deps, TENANT_A, before.row.id),
        api(s.server.url, accountant, 'GET', '/api/xero/status'),
        api(other.url, accountant, 'GET', '/api/xero/status'),
      ]);
      expect(a).toBe(b);
      expect(viaHttpA.status).toBe(200);
      expect(viaHttpB.status).toBe(200);
      expect(refreshTokensIssued(s, grant)).toBe(1 + round);
      const now = await stored(s);
      expect(now.ts.accessToken).toBe(a);
      expect(now.row.status).toBe('ok');
    }
  });
});
