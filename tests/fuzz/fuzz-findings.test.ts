// What the fuzzers (tests/fuzz/api-routes.test.ts, tests/fuzz/clients.test.ts)
// found, kept as plain regression tests so each stays fixed even if a fuzzer's
// seed stops generating its input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CwClient, CwError, apiMemberAuthorization } from '../../server/cw/client.js';
import { XeroUnavailable } from '../../server/engine/errors.js';
import { XeroTransport, XERO_LIMITS } from '../../server/engine/transport.js';
import { issueSession } from '../../server/session.js';
import type { XeroSim } from '../../sim/xero/index.js';
import { AU_ORG, CW_CLIENT_ID, startSyncStack, type SyncStack } from '../sync/helpers.js';
import { GarbageServer, type BadAnswer } from './garbage-server.js';

let s: SyncStack;
let garbage: GarbageServer;
beforeAll(async () => {
  s = await startSyncStack({ serverEnv: { PAYMENT_SCHEDULE_TICK_SECONDS: '0' } });
  garbage = await new GarbageServer(s.xero!.url).start();
}, 60_000);
afterAll(async () => {
  await garbage?.close();
  await s?.close();
});

const http200 = (body: string, type = 'application/json'): BadAnswer => ({ kind: 'raw', label: `200 ${type}`, bytes: `HTTP/1.1 200 OK\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`, then: 'end' });
/** Answers `answer` to the requests `matches` picks and counts them; the rest pass to the simulator. */
function answerSome(answer: BadAnswer, matches: (method: string, url: string) => boolean = () => true): { count: number } {
  const seen = { count: 0 };
  garbage.plan = (req) => {
    if (!matches(req.method!, req.url!)) return 'pass';
    seen.count++;
    return answer;
  };
  return seen;
}

async function api(method: string, path: string, token: string, body?: string) {
  const res = await fetch(s.server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

// Found by the request fuzzer: a well-signed session of a company that is not
// registered (a database replaced or restored while sessions live) got a 500
// from PUT /api/settings and POST /api/xero/connect (the insert failed on the
// missing tenant), and POST /api/payments/sync answered 404 after writing a
// payment_sync_tenants row.
it('a valid session of a company that is not registered is refused in words before any handler, and writes nothing', async () => {
  const ghost = (await issueSession(s.server.deps.keys.sessionKey, { tenantId: 'ghostco', memberRecId: 1, memberIdentifier: 'admin', memberName: 'Admin', isAdmin: true }, 600)).token;
  const requests: [string, string, string?][] = [
    ['PUT', '/api/settings', '{}'],
    ['POST', '/api/xero/connect'],
    ['POST', '/api/payments/sync'],
    ['GET', '/api/settings'],
    ['GET', '/api/xero/status'],
    ['PUT', '/api/xero/location-map', '{"mappings":[]}'],
    ['GET', '/api/batch/unposted'],
    ['POST', '/api/invoices/1001/push'],
  ];
  for (const [method, path, body] of requests) {
    const r = await api(method, path, ghost, body);
    expect(r.status, `${method} ${path}`).toBe(404);
    expect(r.body.error?.code, `${method} ${path}`).toBe('tenant_not_registered');
    expect(r.body.error?.message).toMatch(/"ghostco" is not registered/);
  }
  const k = s.server.deps.db.k;
  for (const table of ['tenant_settings', 'oauth_states', 'payment_sync_tenants', 'audit_log'] as const) {
    const rows = await k.selectFrom(table).select('tenant_id').where('tenant_id', '=', 'ghostco').execute();
    expect(rows, table).toEqual([]);
  }
});

describe('the ConnectWise client, found by the client fuzzer', () => {
  const cwClient = (siteUrl: string) =>
    new CwClient({ siteUrl, clientId: CW_CLIENT_ID, authorization: apiMemberAuthorization('democo', 'simPublicKey', 'simPrivateKey'), retry: { retries: 2, minDelayMs: 5, maxDelayMs: 10, totalTimeMs: 3_000, attemptTimeoutMs: 300 } });
  let cw: GarbageServer;
  beforeAll(async () => {
    cw = await new GarbageServer(s.cw.url).start();
  });
  afterAll(async () => {
    await cw?.close();
  });

  // Found: the body was read after the retries and outside them, so a body that
  // stalled (the attempt's timeout fired while reading it) or was cut threw a
  // bare DOMException/TypeError — a 500 "internal" at the API.
  it('a read whose body stalls after the headers is asked again, then ends in a CwError in words', async () => {
    let asked = 0;
    cw.plan = () => {
      asked++;
      return { kind: 'raw', label: 'headers then silence', bytes: 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n', then: 'hold' };
    };
    const e = await cwClient(cw.url).get('finance/invoices/1001', z.object({ id: z.number() }).loose()).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CwError);
    expect((e as CwError).code).toBe('cw_unavailable');
    expect(asked).toBe(3);
    // Once ConnectWise answers again, so does the client.
    cw.plan = () => 'pass';
    cw.dropAll();
    await expect(cwClient(cw.url).get('finance/invoices/1001', z.object({ id: z.number() }).loose())).resolves.toMatchObject({ id: 1001 });
  });

  it('a write whose answer is cut mid-body is not sent again (its work may be done), and ends in a CwError in words', async () => {
    let asked = 0;
    cw.plan = () => {
      asked++;
      return { kind: 'raw', label: 'cut', bytes: 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"id":', then: 'destroy' };
    };
    const e = await cwClient(cw.url).patch('finance/accounting/batches/1', [{ op: 'replace', path: 'name', value: 'x' }], z.object({ id: z.number() })).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CwError);
    expect((e as CwError).code).toBe('cw_unavailable');
    expect(asked).toBe(1);
  });
});

describe('the Xero transport, found by the client fuzzer', () => {
  // Found: xero-node resolves any 2xx, and axios hands over the raw text when it
  // is not JSON, which the SDK reads as an empty model — "no such invoice" where
  // Xero said nothing (or a TypeError on a bare `null`).
  const transport = () => {
    const deps = s.server.deps;
    const viaGarbage = { ...deps, config: { ...deps.config, xero: { ...deps.config.xero, apiBase: `${garbage.url}/api.xro/2.0` } } };
    return new XeroTransport(viaGarbage, 'democo', AU_ORG, XERO_LIMITS, { person: [10, 10], run: [] }, 2_000);
  };
  const lookup = (t: XeroTransport) => t.call('invoice lookup', (a, x) => a.getInvoices(x, undefined, undefined, undefined, undefined, ['INV-1001'], undefined, undefined, undefined, undefined, undefined, undefined, true));

  for (const [name, answer] of [
    ['a cut JSON body', http200('{"Invoices":[{"InvoiceID":')],
    ['a proxy’s HTML page', http200('<!doctype html><title>Sign in</title>', 'text/html')],
    ['a bare null', http200('null')],
  ] as const) {
    it(`a read answered 200 with ${name} is no answer: asked again, then XeroUnavailable`, async () => {
      const seen = answerSome(answer);
      const e = await lookup(transport()).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(XeroUnavailable);
      expect((e as Error).message).toBe('Xero did not answer the invoice lookup');
      expect(seen.count).toBe(3);
      garbage.plan = () => 'pass';
    });
  }

  it('a create answered 200 with text that is not JSON is not sent again: XeroUnavailable, so the engine looks first', async () => {
    const seen = answerSome(http200('OK'));
    const e = await transport()
      .call('new contacts', (a, x) => a.createContacts(x, { contacts: [{ name: 'Garbled Answer Pty Ltd' }] }), { retryServerErrors: false })
      .catch((err: unknown) => err);
    garbage.plan = () => 'pass';
    expect(e).toBeInstanceOf(XeroUnavailable);
    expect(seen.count).toBe(1);
    const made = [...(s.xero!.sim as XeroSim).ctx.orgs.get(AU_ORG)!.contacts.values()].filter((c) => c.Name === 'Garbled Answer Pty Ltd');
    expect(made).toEqual([]);
  });

  it('a good JSON answer still is one', async () => {
    garbage.plan = () => 'pass';
    const r = await lookup(transport());
    expect(Array.isArray(r.body.invoices)).toBe(true);
  });
});

// Found by the client fuzzer: the engine's typed errors that no service turned
// into words (Xero answering 400 to the organisation read of a push) reached
// the error handler as the bare 500 "internal".
it('a push while Xero refuses the organisation read answers 502 in words, not the bare 500', async () => {
  const deps = s.server.deps;
  const apiBase = deps.config.xero.apiBase;
  const before = deps.engine;
  // A server whose transports are fresh (they keep their first API base) and whose Xero is the garbage server.
  deps.config.xero.apiBase = `${garbage.url}/api.xro/2.0`;
  deps.engine = { ...before, xeroRetry: { person: [10], run: [10] } };
  const { createApp } = await import('../../server/app.js');
  const app = createApp({ ...deps });
  try {
    answerSome({ kind: 'raw', label: '400 garbled', bytes: 'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 7\r\nconnection: close\r\n\r\n{"oops"', then: 'end' }, (_m, url) => /\/Organisation\b/.test(url));
    const res = await app.request('/api/invoices/1003/push', { method: 'POST', headers: { authorization: `Bearer ${s.token}` } });
    const body = (await res.json()) as { error?: { code: string; message: string } };
    expect(res.status).toBe(502);
    expect(body.error?.code).toBe('xero_refused');
    expect(body.error?.message).toMatch(/^Xero answered 400 to the .+try again in a minute\.$/);
  } finally {
    garbage.plan = () => 'pass';
    deps.config.xero.apiBase = apiBase;
    deps.engine = before;
  }
});
