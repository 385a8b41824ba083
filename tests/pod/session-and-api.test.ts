// The pod's session and typed API client, with a fake bridge and a scripted
// fetch: exchange, renewal near expiry, renewal after a 401, tenant mismatch,
// errors in words, exact money formatting.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { HostedBridge } from '../../pod/bridge/index.js';
import { startPodSession } from '../../pod/lib/session.js';
import { createApi } from '../../pod/lib/api.js';
import { PodApiError } from '../../pod/lib/http.js';
import { formatMoney } from '../../pod/lib/money.js';

const config = { tenant: 'democo', cwOrigin: 'https://cw.test', apiBase: 'https://sync.test' };

function fakeBridge() {
  let n = 0;
  const bridge = {
    getMemberAuthentication: vi.fn(async () => ({ site: 'cw.test', companyid: 'democo', memberid: 'ana', memberHash: `hash-${++n}` })),
  } as unknown as HostedBridge & { getMemberAuthentication: ReturnType<typeof vi.fn> };
  return bridge;
}

type Handler = (url: string, init: RequestInit) => { status: number; body: unknown };
function stubFetch(handler: Handler) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const r = handler(url, init);
    return new Response(JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

const session = (token: string, inMs: number, tenant = 'democo') => ({
  token,
  expiresAt: new Date(Date.now() + inMs).toISOString(),
  member: { identifier: 'ana', name: 'Ana Accountant' },
  tenant,
  isAdmin: false,
});

afterEach(() => vi.unstubAllGlobals());

describe('pod session', () => {
  it('posts the member authentication and keeps the token in memory', async () => {
    const calls = stubFetch(() => ({ status: 200, body: session('t1', 3_600_000) }));
    const s = await startPodSession(fakeBridge(), config);
    expect(calls[0]?.url).toBe('https://sync.test/api/session');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ companyid: 'democo', memberid: 'ana', memberHash: 'hash-1' });
    expect(s.member.name).toBe('Ana Accountant');
    expect(await s.token()).toBe('t1');
    expect(calls).toHaveLength(1);
  });

  it('fetches a new token when the current one is about to expire', async () => {
    let i = 0;
    const calls = stubFetch(() => ({ status: 200, body: session(`t${++i}`, i === 1 ? 30_000 : 3_600_000) }));
    const bridge = fakeBridge();
    const s = await startPodSession(bridge, config);
    expect(await s.token()).toBe('t2');
    expect(bridge.getMemberAuthentication).toHaveBeenCalledTimes(2);
    expect(calls).toHaveLength(2);
  });

  it('refuses a session for another company than the page was installed for', async () => {
    stubFetch(() => ({ status: 200, body: session('t1', 3_600_000, 'otherco') }));
    await expect(startPodSession(fakeBridge(), config)).rejects.toMatchObject({ code: 'tenant_mismatch' });
  });

  it('turns our error JSON into the message to show', async () => {
    stubFetch(() => ({ status: 401, body: { error: { code: 'member_not_verified', message: 'ConnectWise did not confirm your sign-in.' } } }));
    const err = await startPodSession(fakeBridge(), config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PodApiError);
    expect(err).toMatchObject({ status: 401, code: 'member_not_verified', message: 'ConnectWise did not confirm your sign-in.' });
  });
});

describe('pod api', () => {
  it('sends the bearer token, validates the answer, and renews once after session_expired', async () => {
    let sessions = 0;
    let invoiceCalls = 0;
    const calls = stubFetch((url) => {
      if (url.endsWith('/api/session')) return { status: 200, body: session(`t${++sessions}`, 3_600_000) };
      invoiceCalls++;
      return invoiceCalls === 1
        ? { status: 401, body: { error: { code: 'session_expired', message: 'expired' } } }
        : { status: 200, body: { n: 1 } };
    });
    const s = await startPodSession(fakeBridge(), config);
    const api = createApi(config, s);
    await expect(api('/api/x', { method: 'GET' }, z.object({ n: z.number() }))).resolves.toEqual({ n: 1 });
    const auths = calls.filter((c) => c.url.endsWith('/api/x')).map((c) => (c.init.headers as Record<string, string>).Authorization);
    expect(auths).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('reports an answer of the wrong shape, and a network failure, in words', async () => {
    stubFetch((url) => (url.endsWith('/api/session') ? { status: 200, body: session('t1', 3_600_000) } : { status: 200, body: { n: 'one' } }));
    const api = createApi(config, await startPodSession(fakeBridge(), config));
    await expect(api('/api/x', {}, z.object({ n: z.number() }))).rejects.toThrow(/not understood \(n:/);
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api('/api/x', {}, z.object({ n: z.number() }))).rejects.toThrow(/Cannot reach the CW–Xero Sync server/);
  });
});

describe('money formatting', () => {
  it('formats decimal strings exactly, grouped, with the currency code', () => {
    expect(formatMoney('1047.75', 'AUD')).toBe('AUD 1,047.75');
    expect(formatMoney('1234567.1', 'NZD')).toBe('NZD 1,234,567.10');
    expect(formatMoney('-250.5', 'AUD')).toBe('−AUD 250.50');
    expect(formatMoney('0.10', '')).toBe('0.10');
    expect(formatMoney('9007199254740993.01', 'USD')).toBe('USD 9,007,199,254,740,993.01');
  });
});

describe('first reads answered with the sign-in (issue 12)', () => {
  it('asks for them at sign-in only, and answers each path’s first GET from them once — later calls, and renewals, go to the server', async () => {
    let sessions = 0;
    const calls = stubFetch((url) => {
      if (url.endsWith('/api/session')) {
        sessions++;
        return {
          status: 200,
          body: {
            ...session(`t${sessions}`, sessions === 1 ? 30_000 : 3_600_000),
            ...(sessions === 1
              ? {
                  first: [
                    { path: '/api/invoices/7', status: 200, body: { id: 7, from: 'sign-in' } },
                    { path: '/api/xero/status', status: 503, body: { error: { code: 'xero_unavailable', message: 'Xero is not answering.' } } },
                  ],
                }
              : {}),
          },
        };
      }
      return { status: 200, body: { id: 7, from: 'server' } };
    });
    const s = await startPodSession(fakeBridge(), config, ['/api/invoices/7', '/api/xero/status']);
    expect(JSON.parse(String(calls[0]?.init.body)).first).toEqual(['/api/invoices/7', '/api/xero/status']);
    const api = createApi(config, s);
    expect(await api('/api/invoices/7', { method: 'GET' })).toEqual({ id: 7, from: 'sign-in' });
    // An error answered with the sign-in is the same PodApiError the GET would have thrown.
    await expect(api('/api/xero/status', { method: 'GET' })).rejects.toMatchObject({ status: 503, code: 'xero_unavailable', message: 'Xero is not answering.' });
    expect(calls).toHaveLength(1);
    // Taken once: the next read of the path asks the server (renewing the dying token, without first reads).
    expect(await api('/api/invoices/7', { method: 'GET' })).toEqual({ id: 7, from: 'server' });
    expect(JSON.parse(String(calls[1]?.init.body)).first).toBeUndefined();
    expect(calls.map((c) => c.url)).toEqual(['https://sync.test/api/session', 'https://sync.test/api/session', 'https://sync.test/api/invoices/7']);
  });

  it('checks a first answer as it checks the server’s', async () => {
    stubFetch(() => ({ status: 200, body: { ...session('t1', 3_600_000), first: [{ path: '/api/n', status: 200, body: { n: 'not a number' } }] } }));
    const api = createApi(config, await startPodSession(fakeBridge(), config, ['/api/n']));
    await expect(api('/api/n', { method: 'GET' }, z.object({ n: z.number() }))).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('never answers a POST from them', async () => {
    const calls = stubFetch((url) => (url.endsWith('/api/session') ? { status: 200, body: { ...session('t1', 3_600_000), first: [{ path: '/api/x', status: 200, body: { from: 'sign-in' } }] } } : { status: 200, body: { from: 'server' } }));
    const api = createApi(config, await startPodSession(fakeBridge(), config, ['/api/x']));
    expect(await api('/api/x', { method: 'POST', body: '{}' })).toEqual({ from: 'server' });
    expect(calls).toHaveLength(2);
  });
});
