// The ConnectWise REST client against a scripted fetch: headers, paging,
// retries honouring Retry-After, bounded time, errors in words.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CwClient, CwError, apiMemberAuthorization, nextLink, parseRetryAfter } from '../../server/cw/client.js';
import { memberHashAuthorization } from '../../server/cw/member-verification.js';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'network-error';

function scripted(replies: Reply[]) {
  const calls: { url: string; init: RequestInit; at: number }[] = [];
  const fetchImpl = (async (url: URL | string, init: RequestInit = {}) => {
    calls.push({ url: String(url), init, at: Date.now() });
    const r = replies.shift();
    if (!r) throw new Error('no more scripted replies');
    if (r === 'network-error') throw new TypeError('fetch failed');
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json', ...r.headers } });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5, totalTimeMs: 5_000, attemptTimeoutMs: 1_000 };
const item = z.object({ id: z.number() });

function client(replies: Reply[], retry = fast) {
  const s = scripted(replies);
  const c = new CwClient({ siteUrl: 'https://cw.test/', clientId: 'cid-1', authorization: apiMemberAuthorization('acme', 'pub', 'priv'), retry, fetch: s.fetchImpl });
  return { c, calls: s.calls };
}

describe('ConnectWise client', () => {
  it('sends the base path, Basic API-member auth, clientId and the versioned Accept', async () => {
    const { c, calls } = client([{ status: 200, body: { id: 5 } }]);
    await expect(c.get('finance/invoices/5', item)).resolves.toEqual({ id: 5 });
    expect(calls[0]?.url).toBe('https://cw.test/v4_6_release/apis/3.0/finance/invoices/5');
    const h = calls[0]?.init.headers as Record<string, string>;
    expect(h.Authorization).toBe(`Basic ${Buffer.from('acme+pub:priv').toString('base64')}`);
    expect(h.clientId).toBe('cid-1');
    expect(h.Accept).toBe('application/vnd.connectwise.com+json; version=2024.1');
  });

  it('asks a read again after a 500 (it changed nothing), but never a write, whose work may be done', async () => {
    const read = client([{ status: 500, body: { message: 'boom' } }, { status: 200, body: { id: 5 } }]);
    await expect(read.c.get('finance/invoices/5', item)).resolves.toEqual({ id: 5 });
    expect(read.calls).toHaveLength(2);
    const write = client([{ status: 500, body: { message: 'boom' } }, { status: 200, body: { id: 5 } }]);
    await expect(write.c.post('finance/accounting/batches', { batchIdentifier: 'x' }, item)).rejects.toMatchObject({ code: 'cw_unavailable' });
    expect(write.calls).toHaveLength(1);
  });

  it('joins a GET already on its way with the same credentials and address; a joiner gets its own copy; nothing else is joined', async () => {
    const s = scripted([{ status: 200, body: { id: 5, tags: ['a'] } }, { status: 200, body: { id: 5, tags: ['a'] } }, { status: 200, body: { id: 5, tags: ['a'] } }, { status: 200, body: { id: 6 } }]);
    const mk = (authorization: string) => new CwClient({ siteUrl: 'https://cw.test/', clientId: 'cid-1', authorization, retry: fast, fetch: s.fetchImpl });
    const withTags = z.object({ id: z.number(), tags: z.array(z.string()) }).passthrough();
    const a = mk(apiMemberAuthorization('acme', 'pub', 'priv'));
    const b = mk(apiMemberAuthorization('acme', 'pub', 'priv'));
    const [x, y] = await Promise.all([a.get('finance/invoices/5', withTags), b.get('finance/invoices/5', withTags)]);
    expect(s.calls).toHaveLength(1);
    expect(y).toEqual(x);
    x.tags.push('changed by one caller');
    expect(y.tags).toEqual(['a']);
    // Another company's credentials, or the same read after the first has answered: sent.
    await Promise.all([a.get('finance/invoices/5', withTags), mk(apiMemberAuthorization('other', 'pub', 'priv')).get('finance/invoices/5', withTags)]);
    expect(s.calls).toHaveLength(3);
    await a.get('finance/invoices/6', item);
    expect(s.calls.map((c) => c.url.replace(/^.*apis\/3\.0\//, ''))).toEqual(['finance/invoices/5', 'finance/invoices/5', 'finance/invoices/5', 'finance/invoices/6']);
  });

  it('encodes member-hash credentials as companyid+memberid:memberHash', () => {
    expect(memberHashAuthorization('democo', 'ana', 'h4sh')).toBe(`Basic ${Buffer.from('democo+ana:h4sh').toString('base64')}`);
  });

  it('follows Link rel="next" with pageSize capped at 1000', async () => {
    const next = (p: number) => ({ link: `<https://cw.test/v4_6_release/apis/3.0/system/members?page=${p}&pageSize=1000>; rel="next", <https://cw.test/x?page=9>; rel="last"` });
    const { c, calls } = client([
      { status: 200, body: [{ id: 1 }, { id: 2 }], headers: next(2) },
      { status: 200, body: [{ id: 3 }], headers: next(3) },
      { status: 200, body: [{ id: 4 }] },
    ]);
    expect(await c.list('system/members', item, { pageSize: 5000 })).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
    expect(calls).toHaveLength(3);
    expect(new URL(calls[0]!.url).searchParams.get('pageSize')).toBe('1000');
    expect(new URL(calls[2]!.url).searchParams.get('page')).toBe('3');
  });

  it('stops at the page cap with an error instead of looping', async () => {
    const loop = { status: 200, body: [{ id: 1 }], headers: { link: '<https://cw.test/v4_6_release/apis/3.0/a?page=2>; rel="next"' } };
    const { c, calls } = client([loop, loop, loop, loop]);
    await expect(c.list('a', item, { maxPages: 3 })).rejects.toMatchObject({ status: 502, code: 'cw_too_many_pages' });
    expect(calls).toHaveLength(3);
  });

  it('refuses a next link that points at another site', async () => {
    const { c } = client([{ status: 200, body: [], headers: { link: '<https://evil.test/steal>; rel="next"' } }]);
    await expect(c.list('a', item)).rejects.toMatchObject({ code: 'cw_bad_link' });
  });

  it('retries 429 honouring Retry-After, then 503, then succeeds', async () => {
    const { c, calls } = client([
      { status: 429, body: { code: 'TooManyRequests', message: 'slow down' }, headers: { 'retry-after': '1' } },
      { status: 503, body: { code: 'ServiceUnavailable', message: 'x' } },
      { status: 200, body: { id: 1 } },
    ]);
    await expect(c.get('x', item)).resolves.toEqual({ id: 1 });
    expect(calls).toHaveLength(3);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('gives up after the retries: 429 → 503 "busy", network down → 503 "not answering"', async () => {
    const { c } = client(Array.from({ length: 4 }, () => ({ status: 429, headers: { 'retry-after': '0' } })));
    await expect(c.get('x', item)).rejects.toMatchObject({ status: 503, code: 'cw_rate_limited' });
    const down = client(['network-error', 'network-error', 'network-error', 'network-error']);
    const err = await down.c.get('x', item).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CwError);
    expect(err).toMatchObject({ status: 503, code: 'cw_unavailable', cwStatus: 0 });
    expect((err as Error).message).toMatch(/ConnectWise is not answering/);
    expect(down.calls).toHaveLength(4);
  });

  it('does not wait for a Retry-After longer than its time budget', async () => {
    const { c, calls } = client([{ status: 429, headers: { 'retry-after': '3600' } }, { status: 200, body: { id: 1 } }], { ...fast, totalTimeMs: 2_000 });
    const started = Date.now();
    await expect(c.get('x', item)).rejects.toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toHaveLength(1);
  });

  it('maps 404 to a 404 naming the record, 401 to a re-register message, bad shapes to 502', async () => {
    const { c } = client([{ status: 404, body: { code: 'NotFound', message: 'nope' } }]);
    await expect(c.get('finance/invoices/9', item, { what: 'invoice 9' })).rejects.toMatchObject({ status: 404, message: 'ConnectWise has no invoice 9.' });
    const u = client([{ status: 401, body: { code: 'Unauthorized', message: 'x' } }]);
    await expect(u.c.get('x', item)).rejects.toMatchObject({ status: 502, code: 'cw_unauthorized', cwStatus: 401 });
    const s = client([{ status: 200, body: { id: 'seven' } }]);
    await expect(s.c.get('x', item)).rejects.toMatchObject({ status: 502, code: 'cw_unexpected_response' });
    const b = client([{ status: 400, body: { code: 'InvalidObject', message: 'conditions is malformed at 3' } }]);
    await expect(b.c.get('x', item)).rejects.toMatchObject({ status: 502, message: expect.stringContaining('conditions is malformed at 3') });
  });

  it('parses Link and Retry-After headers', () => {
    expect(nextLink('<https://a/1>; rel="prev", <https://a/3>; rel="next"')).toBe('https://a/3');
    expect(nextLink('<https://a/3>; rel="last"')).toBeUndefined();
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
