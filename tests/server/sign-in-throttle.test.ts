// Failed sign-ins are throttled per company and per client address (issue 14):
// a burst of wrong memberHashes costs at most the allowance in ConnectWise
// calls and audit rows, the rest are refused at once with 429 + Retry-After;
// good sign-ins never use the allowance; X-Forwarded-For is believed only from
// a proxy the configuration trusts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { startStack, http, type TestStack } from '../support/stack.js';
import { createCwSim } from '../../sim/connectwise/index.js';
import { registerTenant } from '../../server/tenants.js';
import { DEFAULT_CW_CLIENT_ID } from '../../server/tenants.js';
import { clientAddressResolver } from '../../server/http/client-address.js';
import { SIGN_IN_FAILURES_PER_ADDRESS, SIGN_IN_FAILURES_PER_COMPANY } from '../../server/routes/session.js';
import { loadConfig } from '../../server/config.js';

let stack: TestStack;
// A company of its own whose ConnectWise counts the member verifications it is asked for.
const countco = createCwSim({ companyId: 'countco', publicKey: 'countPub', privateKey: 'countPriv' });
let countcoServer: ReturnType<typeof serve>;
let memberVerifications = 0;
// The member's role, read with the tenant's API keys beside each verification (the sign-in's first paint, issue 12).
let roleReads = 0;

beforeAll(async () => {
  // Our server trusts the loopback proxy, so each test names its client address in X-Forwarded-For.
  stack = await startStack({ serverEnv: { TRUSTED_PROXIES: '127.0.0.1,::1' } });
  countcoServer = serve({
    fetch: (req) => {
      if (new URL(req.url).pathname.endsWith('/system/members')) {
        // Basic base64("countco+<member or public key>:<hash or private key>"): which credential asks.
        const user = Buffer.from((req.headers.get('authorization') ?? '').replace(/^Basic\s+/i, ''), 'base64').toString('utf8').split(':')[0];
        if (user === 'countco+countPub') roleReads++;
        else memberVerifications++;
      }
      return countco.app.fetch(req);
    },
    hostname: '127.0.0.1',
    port: 0,
  });
  await new Promise<void>((r) => countcoServer.once('listening', () => r()));
  const siteUrl = `http://127.0.0.1:${(countcoServer.address() as AddressInfo).port}`;
  await registerTenant(stack.server.deps, { companyId: 'countco', siteUrl, clientId: DEFAULT_CW_CLIENT_ID, publicKey: 'countPub', privateKey: 'countPriv' });
});
afterAll(async () => {
  await new Promise<void>((r) => countcoServer?.close(() => r()));
  await stack?.close();
});

const signIn = (from: string, memberHash: string, member = 'accountant', companyid = 'countco') =>
  http(`${stack.server.url}/api/session`, { json: { companyid, memberid: member, memberHash }, headers: { 'x-forwarded-for': from } });

async function refusedAuditRows(): Promise<number> {
  const rows = await stack.server.deps.db.k.selectFrom('audit_log').select('id').where('tenant_id', '=', 'countco').where('action', '=', 'session.refused').execute();
  return rows.length;
}

describe('wrong memberHashes', () => {
  it('a burst from one address asks ConnectWise and audits at most the allowance; the rest are 429 with Retry-After', async () => {
    const callsBefore = memberVerifications;
    const rolesBefore = roleReads;
    const auditBefore = await refusedAuditRows();
    // All at once: the allowance is reserved before ConnectWise is asked, so concurrency does not get past it.
    const started = Date.now();
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn('203.0.113.7', `wrong-${i}`)));
    // The allowance refills as the burst goes: on a slow machine a failure or two more may get through.
    const refilled = Math.ceil(((Date.now() - started) / 60_000) * SIGN_IN_FAILURES_PER_ADDRESS.refillPerMinute);
    const statuses = burst.map((r) => r.status);
    const refused = statuses.filter((s) => s === 401).length;
    expect(refused).toBeGreaterThanOrEqual(SIGN_IN_FAILURES_PER_ADDRESS.capacity);
    expect(refused).toBeLessThanOrEqual(SIGN_IN_FAILURES_PER_ADDRESS.capacity + refilled);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - refused);
    expect(memberVerifications - callsBefore).toBe(refused);
    // At most one role read beside each verification asked: a throttled sign-in asks ConnectWise nothing.
    expect(roleReads - rolesBefore).toBeLessThanOrEqual(refused);
    expect((await refusedAuditRows()) - auditBefore).toBe(refused);
    const throttled = burst.find((r) => r.status === 429)!;
    expect(throttled.body.error.code).toBe('too_many_sign_ins');
    const retryAfter = Number(throttled.headers.get('retry-after'));
    // One failure comes back every 6 seconds at this allowance.
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(6);
    expect(throttled.body.error.message).toContain(`${retryAfter} seconds`);
  });

  it('another address of the same company signs in at once, and fails on its own allowance', async () => {
    const started = Date.now();
    const good = await signIn('198.51.100.20', countco.issueMemberHash('accountant'));
    expect(good.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const wrong = await signIn('198.51.100.20', 'wrong');
    expect(wrong.status).toBe(401);
  });

  it('the address may try again once its allowance refills (by the server clock)', async () => {
    const locked = await signIn('203.0.113.7', 'wrong-again');
    expect(locked.status).toBe(429);
    const realNow = stack.server.deps.now;
    stack.server.deps.now = () => new Date(realNow().getTime() + 61_000);
    try {
      const again = await signIn('203.0.113.7', 'wrong-again');
      expect(again.status).toBe(401);
    } finally {
      stack.server.deps.now = realNow;
    }
  });

  it('wrong hashes for one company from many addresses stop at the company allowance', async () => {
    const callsBefore = memberVerifications;
    const started = Date.now();
    // 8 failures from each of 10 addresses, under every address's allowance, together over the company's.
    const statuses: number[] = [];
    for (let round = 0; round < 8; round++) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, a) => signIn(`192.0.2.${a + 1}`, `spray-${round}-${a}`)));
      statuses.push(...answers.map((r) => r.status));
    }
    const asked = memberVerifications - callsBefore;
    // Earlier tests of this file used part of the company's allowance already; the spray cannot pass what is left
    // (and what refilled while it went: on a slow machine a failure or two more).
    const refilled = Math.ceil(((Date.now() - started) / 60_000) * SIGN_IN_FAILURES_PER_COMPANY.refillPerMinute);
    expect(asked).toBeLessThanOrEqual(SIGN_IN_FAILURES_PER_COMPANY.capacity + refilled);
    expect(statuses.filter((s) => s === 401)).toHaveLength(asked);
    expect(statuses.filter((s) => s === 429).length).toBe(80 - asked);
    // The company is locked for wrong hashes from a fresh address too; the demo company is not.
    expect((await signIn('192.0.2.200', 'one-more')).status).toBe(429);
    const other = await http(`${stack.server.url}/api/session`, { json: { companyid: 'democo', memberid: 'accountant', memberHash: 'wrong' }, headers: { 'x-forwarded-for': '192.0.2.200' } });
    expect(other.status).toBe(401);
  });
});

describe('good sign-ins', () => {
  it('are never counted: many more than the allowance from one address all succeed', async () => {
    const answers = [];
    for (let i = 0; i < SIGN_IN_FAILURES_PER_ADDRESS.capacity * 2 + 5; i++) {
      answers.push(await http(`${stack.server.url}/api/session`, { json: { companyid: 'democo', memberid: 'tech', memberHash: stack.cwSim.issueMemberHash('tech') }, headers: { 'x-forwarded-for': '198.51.100.99' } }));
    }
    expect(answers.map((r) => r.status).every((s) => s === 200)).toBe(true);
    // And the address still has its whole allowance for mistakes.
    const wrong = [];
    for (let i = 0; i < SIGN_IN_FAILURES_PER_ADDRESS.capacity; i++) wrong.push((await signIn('198.51.100.99', `typo-${i}`, 'tech', 'democo')).status);
    expect(wrong.every((s) => s === 401)).toBe(true);
  });
});

describe('the client address', () => {
  function addressSeen(trusted: string[], peer: string | undefined, forwardedFor?: string): Promise<string> {
    const app = new Hono();
    const resolve = clientAddressResolver(trusted);
    app.get('/', (c) => c.text(resolve(c)));
    const env = peer ? { incoming: { socket: { remoteAddress: peer } } } : {};
    return Promise.resolve(app.request('/', { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }, env)).then((r) => r.text());
  }

  it('is the peer when it is not a trusted proxy, whatever X-Forwarded-For says', async () => {
    expect(await addressSeen([], '203.0.113.9', '10.9.9.9')).toBe('203.0.113.9');
    expect(await addressSeen(['10.0.0.0/8'], '::ffff:203.0.113.9', '10.9.9.9')).toBe('203.0.113.9');
  });

  it('behind trusted proxies, is the nearest hop that is not one of them', async () => {
    expect(await addressSeen(['10.0.0.0/8'], '10.0.0.2', '198.51.100.1')).toBe('198.51.100.1');
    // A client writing its own X-Forwarded-For only adds hops further left: the hop our proxy appended wins.
    expect(await addressSeen(['10.0.0.0/8'], '10.0.0.2', '1.1.1.1, 198.51.100.1, 10.0.0.7')).toBe('198.51.100.1');
    expect(await addressSeen(['10.0.0.0/8', '2001:db8::/32'], '2001:db8::5', '198.51.100.1')).toBe('198.51.100.1');
    // Garbage in the header stops at the last proxy we trust; none at all is the proxy itself.
    expect(await addressSeen(['10.0.0.0/8'], '10.0.0.2', 'not-an-address')).toBe('10.0.0.2');
    expect(await addressSeen(['10.0.0.2'], '10.0.0.2')).toBe('10.0.0.2');
  });

  it('is "unknown" without a socket (an app driven in-process)', async () => {
    expect(await addressSeen([], undefined)).toBe('unknown');
  });

  it('TRUSTED_PROXIES refuses what is not an address or range, naming it', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1 ,::1' }).trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES: "10.0.0.0\/33"/);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'proxy.internal' })).toThrow(/TRUSTED_PROXIES: "proxy.internal"/);
    expect(loadConfig({}).trustedProxies).toEqual([]);
  });
});
