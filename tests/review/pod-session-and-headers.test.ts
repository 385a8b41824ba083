// The pod's side of issue 14, with a fake bridge and a scripted fetch: a
// session (at most 15 minutes) is renewed silently before it expires, judged
// by the token's own lifetime so a browser clock that is off neither renews on
// every call nor never; and a caller's Content-Type replaces the default
// instead of being sent twice ("application/json, application/json" is a 415).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { HostedBridge } from '../../pod/bridge/index.js';
import { localExpiry, startPodSession } from '../../pod/lib/session.js';
import { createApi } from '../../pod/lib/api.js';
import { requestJson } from '../../pod/lib/http.js';

const config = { tenant: 'democo', cwOrigin: 'https://cw.test', apiBase: 'https://sync.test' };

/** A token shaped like ours: only its claims matter to the pod. */
function jwt(claims: { iat: number; exp: number }): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ ...claims, tid: 'democo' })}.signature`;
}

function fakeBridge() {
  let n = 0;
  return { getMemberAuthentication: vi.fn(async () => ({ site: 'cw.test', companyid: 'democo', memberid: 'ana', memberHash: `hash-${++n}` })) } as unknown as HostedBridge;
}

type Call = { url: string; init: RequestInit };
function stubFetch(answer: (url: string, init: RequestInit) => unknown): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(answer(url, init)), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('when the pod renews its session', () => {
  it('counts the token’s lifetime from its arrival, whatever the browser clock says', () => {
    // The server's clock is an hour behind this browser's: expiresAt is long past by the browser clock.
    const serverNow = Math.floor(Date.now() / 1000) - 3600;
    const s = { token: jwt({ iat: serverNow, exp: serverNow + 900 }), expiresAt: new Date((serverNow + 900) * 1000).toISOString() };
    expect(localExpiry(s, 1_000_000)).toBe(1_000_000 + 900_000);
    // Not a token it can read: the server's expiresAt.
    expect(localExpiry({ token: 'opaque', expiresAt: '2030-01-01T00:00:00.000Z' }, 0)).toBe(Date.parse('2030-01-01T00:00:00.000Z'));
  });

  it('renews silently a minute before a 15-minute session ends, once, and not before', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const skewed = Math.floor(Date.now() / 1000) + 7200; // a server clock two hours ahead
    let issued = 0;
    const calls = stubFetch((url) =>
      url.endsWith('/api/session')
        ? { token: jwt({ iat: skewed, exp: skewed + 900 }) + `#${++issued}`, expiresAt: new Date((skewed + 900) * 1000).toISOString(), member: { identifier: 'ana', name: 'Ana' }, tenant: 'democo', isAdmin: false }
        : { n: 1 },
    );
    const session = await startPodSession(fakeBridge(), config);
    const api = createApi(config, session);
    const sessionCalls = () => calls.filter((c) => c.url.endsWith('/api/session')).length;
    for (let minute = 0; minute < 13; minute++) {
      await api('/api/x', { method: 'GET' }, z.object({ n: z.number() }));
      vi.setSystemTime(Date.now() + 60_000);
    }
    expect(sessionCalls()).toBe(1); // 13 minutes in: still the first session
    vi.setSystemTime(Date.now() + 60_500); // 14 minutes and a half: within the last minute
    await api('/api/x', { method: 'GET' }, z.object({ n: z.number() }));
    expect(sessionCalls()).toBe(2);
    await api('/api/x', { method: 'GET' }, z.object({ n: z.number() }));
    expect(sessionCalls()).toBe(2);
  });
});

describe('request headers', () => {
  it('a caller’s content-type, in any case, replaces the default; one is sent', async () => {
    const calls = stubFetch(() => ({ n: 1 }));
    await requestJson('https://sync.test/api/x', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }, z.object({ n: z.number() }));
    await requestJson('https://sync.test/api/x', { method: 'POST', body: '{}' }, z.object({ n: z.number() }));
    await requestJson('https://sync.test/api/x', { method: 'GET', headers: new Headers({ Authorization: 'Bearer t' }) }, z.object({ n: z.number() }));
    const sent = calls.map((c) => new Headers(c.init.headers));
    expect(sent[0]!.get('content-type')).toBe('application/json');
    expect(sent[1]!.get('content-type')).toBe('application/json');
    expect(sent[2]!.get('content-type')).toBeNull();
    expect(sent[2]!.get('authorization')).toBe('Bearer t');
    expect(sent.every((h) => h.get('accept') === 'application/json')).toBe(true);
  });
});
