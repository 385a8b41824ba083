// Request bodies over HTTP (issue 14): every route's limit is its largest
// legitimate body — that body is accepted, one byte more is a 413 in our error
// shape naming the limit — and a 200 MB body is refused at once with memory
// flat, whether it declares its length or streams in chunks. The API reads
// JSON only (415 otherwise) and no response of ours may be sniffed.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, http, type TestStack } from '../support/stack.js';
import { signIn } from '../support/connect-xero.js';
import { BODY_LIMITS, DEFAULT_BODY_LIMIT } from '../../server/app.js';

let stack: TestStack;
let admin: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await signIn(stack, 'admin');
});
afterAll(async () => {
  await stack?.close();
});

const url = (path: string) => `${stack.server.url}${path}`;
const MB = 1024 * 1024;

/** JSON text padded with trailing whitespace (still the same JSON) to exactly `bytes`. */
function padTo(json: string, bytes: number): string {
  const have = Buffer.byteLength(json);
  if (have > bytes) throw new Error(`body is already ${have} bytes`);
  return json + ' '.repeat(bytes - have);
}

interface Streamed {
  status: number;
  connection: string | undefined;
  body: string;
  elapsedMs: number;
  /** The most this process's RSS grew while the request was in flight (server and client share it). */
  rssGrowth: number;
}

/**
 * Sends `total` bytes of body from one reused 64 KB chunk (the client holds no
 * copy), declared by Content-Length or chunked, and reads the answer.
 */
function sendHuge(path: string, total: number, mode: 'content-length' | 'chunked', token?: string): Promise<Streamed> {
  const target = new URL(url(path));
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = Date.now();
  return new Promise<Streamed>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(mode === 'content-length' ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' }),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          clearInterval(sampler);
          peak = Math.max(peak, process.memoryUsage().rss);
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body, elapsedMs: Date.now() - started, rssGrowth: peak - rssBefore });
          req.destroy();
        });
      },
    );
    // Once the server has answered it stops reading and closes: our writes then fail, as expected.
    req.on('error', (e) => (req.writableEnded || req.destroyed ? undefined : reject(e)));
    let sent = 0;
    const pump = () => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

describe('a 200 MB body', () => {
  for (const mode of ['content-length', 'chunked'] as const) {
    it(`is refused at once with 413 in our shape, memory flat (${mode})`, async () => {
      const r = await sendHuge('/api/session', 200 * MB, mode);
      expect(r.status).toBe(413);
      expect(r.connection).toBe('close');
      expect(JSON.parse(r.body)).toEqual({ error: { code: 'body_too_large', message: 'body: at most 8 KB is accepted by POST /api/session', field: 'body' } });
      // Buffering it would take 200 MB at least (twice that as text); reading it at all, seconds.
      expect(r.rssGrowth).toBeLessThan(64 * MB);
      expect(r.elapsedMs).toBeLessThan(5_000);
    });
  }

  it('is refused on a route with a large limit too, and on a route that takes no body', async () => {
    const runs = await sendHuge('/api/batch/runs', 200 * MB, 'chunked', admin);
    expect(runs.status).toBe(413);
    expect(JSON.parse(runs.body).error.message).toBe('body: at most 256 KB is accepted by POST /api/batch/runs');
    const push = await sendHuge('/api/invoices/1001/push', 200 * MB, 'content-length', admin);
    expect(push.status).toBe(413);
    expect(JSON.parse(push.body).error.message).toBe(`body: at most ${DEFAULT_BODY_LIMIT / 1024} KB is accepted by POST /api/invoices/1001/push`);
    expect(push.rssGrowth).toBeLessThan(64 * MB);
  });

  it('is answered 413, not a dropped connection, to a client that keeps its connection alive (fetch)', async () => {
    // Without "Connection: close" on the 413 the node server cuts the connection under a client still sending: "other side closed".
    const big = new Uint8Array(20 * MB).fill(0x20);
    const outcomes: (number | string)[] = [];
    for (let i = 0; i < 4; i++) {
      const over = await fetch(url('/api/settings'), { method: 'PUT', body: big, headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` } })
        .then(async (r) => (await r.json(), r.status))
        .catch((e: Error) => `${e.message}: ${(e.cause as Error | undefined)?.message}`);
      const fine = await http(url('/api/settings'), { token: admin });
      outcomes.push(over, fine.status);
    }
    expect(outcomes).toEqual([413, 200, 413, 200, 413, 200, 413, 200]);
  });

  it('leaves the server answering', async () => {
    const r = await http(url('/healthz'));
    expect(r.status).toBe(200);
  });
});

describe('each route accepts its largest legitimate body, and not one byte more', () => {
  const send = (method: string, path: string, body: string, token?: string) =>
    http(url(path), { method, body, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });

  it('POST /api/session: a memberHash of 4,096 characters', async () => {
    const limit = BODY_LIMITS['POST /api/session']!;
    const body = JSON.stringify({ companyid: 'democo', memberid: 'accountant', memberHash: 'h'.repeat(4096) }, null, 2);
    const ok = await send('POST', '/api/session', padTo(body, limit));
    expect(ok.status).toBe(401); // read, parsed and asked of ConnectWise: a wrong hash
    const over = await send('POST', '/api/session', padTo(body, limit + 1));
    expect(over.status).toBe(413);
    expect(over.body.error).toMatchObject({ code: 'body_too_large', field: 'body' });
  });

  it('POST /api/batch/runs: a selection of 5,000 records, pretty-printed', async () => {
    const limit = BODY_LIMITS['POST /api/batch/runs']!;
    // The largest ids there are; "batching" is wrong on purpose so that nothing runs: a 400 shows the body was read whole.
    const glEntryIds = Array.from({ length: 5000 }, (_, i) => 2_147_483_647 - i);
    const body = JSON.stringify({ glEntryIds, batching: 'neither' }, null, 2);
    expect(Buffer.byteLength(body)).toBeGreaterThan(60_000);
    const ok = await send('POST', '/api/batch/runs', padTo(body, limit), admin);
    expect(ok.status).toBe(400);
    expect(ok.body.error.field).toBe('batching');
    const over = await send('POST', '/api/batch/runs', padTo(body, limit + 1), admin);
    expect(over.status).toBe(413);
  });

  it('PUT /api/settings: every list and map at its largest, in a script of three bytes a character', async () => {
    const limit = BODY_LIMITS['PUT /api/settings']!;
    const wide = (prefix: string, i: number, n: number) => (prefix + i + '会'.repeat(n)).slice(0, n);
    const settings = {
      adminSecurityRoles: ['Admin', ...Array.from({ length: 49 }, (_, i) => wide('role', i, 100))],
      adminMemberIdentifiers: Array.from({ length: 200 }, (_, i) => `member${i}.`.padEnd(100, 'x')),
      invoiceMapping: {
        accountMap: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [wide('gl', i, 50), wide('acc', i, 50)])),
        taxMap: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [wide('tax', i, 50), wide('t', i, 50)])),
        tracking: [
          { source: 'location', categoryName: wide('Region', 0, 100), options: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [String(i + 1), wide('opt', i, 100)])) },
          { source: 'department', categoryName: wide('Dept', 0, 100), options: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [String(i + 1), wide('opt', i, 100)])) },
        ],
      },
    };
    const body = JSON.stringify(settings);
    expect(Buffer.byteLength(body)).toBeGreaterThan(700 * 1024);
    const ok = await send('PUT', '/api/settings', padTo(body, limit), admin);
    expect(ok.status, JSON.stringify(ok.body).slice(0, 300)).toBe(200);
    expect(Object.keys(ok.body.settings.invoiceMapping.accountMap)).toHaveLength(2000);
    const over = await send('PUT', '/api/settings', padTo(body, limit + 1), admin);
    expect(over.status).toBe(413);
    expect(over.body.error.message).toBe('body: at most 1 MB is accepted by PUT /api/settings');
    // Back to the defaults for whoever reads this tenant's settings next.
    const reset = await send('PUT', '/api/settings', JSON.stringify({ adminSecurityRoles: ['Admin'], adminMemberIdentifiers: [], invoiceMapping: { accountMap: {}, taxMap: {}, tracking: [] } }), admin);
    expect(reset.status).toBe(200);
  });

  it('PUT /api/xero/location-map: 500 rows', async () => {
    const limit = BODY_LIMITS['PUT /api/xero/location-map']!;
    const body = JSON.stringify({ mappings: Array.from({ length: 500 }, (_, i) => ({ cwLocationId: 2_147_483_647 - i, xeroTenantId: 'x'.repeat(64) })) }, null, 2);
    const ok = await send('PUT', '/api/xero/location-map', padTo(body, limit), admin);
    expect(ok.status).not.toBe(413);
    expect(ok.status).toBeLessThan(500);
    const over = await send('PUT', '/api/xero/location-map', padTo(body, limit + 1), admin);
    expect(over.status).toBe(413);
  });
});

describe('JSON only', () => {
  const sessionBody = () => JSON.stringify({ companyid: 'democo', memberid: 'accountant', memberHash: stack.cwSim.issueMemberHash('accountant') });

  it('refuses a JSON text sent as text/plain, a form, or without a type with 415 in words', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      const r = await http(url('/api/session'), { method: 'POST', body: sessionBody(), headers: { 'content-type': type } });
      expect(r.status, type).toBe(415);
      expect(r.body.error).toEqual({ code: 'unsupported_media_type', message: 'body: send JSON with "Content-Type: application/json"', field: 'body' });
    }
    const untyped = await http(url('/api/session'), { method: 'POST', body: new TextEncoder().encode(sessionBody()) });
    expect(untyped.status).toBe(415);
    const settings = await http(url('/api/settings'), { method: 'PUT', body: '{"paymentSyncIntervalMinutes":30}', headers: { 'content-type': 'text/plain', authorization: `Bearer ${admin}` } });
    expect(settings.status).toBe(415);
  });

  it('accepts application/json with a charset, in any case', async () => {
    const r = await http(url('/api/session'), { method: 'POST', body: sessionBody(), headers: { 'content-type': 'Application/JSON; charset=utf-8' } });
    expect(r.status).toBe(200);
  });

  it('a route without a body still answers a request without one', async () => {
    const r = await http(url('/api/xero/status'), { token: admin });
    expect(r.status).toBe(200);
  });
});

describe('nosniff', () => {
  it('is on API answers, errors and pages alike', async () => {
    const answers = [
      await http(url('/api/xero/status'), { token: admin }),
      await http(url('/api/settings')),
      await http(url('/api/no-such-route')),
      await http(url('/healthz')),
      await http(url('/pod/invoice.html')),
    ];
    for (const r of answers) expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
