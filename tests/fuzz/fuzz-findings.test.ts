// What the fuzzer (tests/fuzz/api-routes.test.ts) found, kept as plain
// regression tests so each stays fixed even if the fuzzer's seed stops
// generating its input.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, TENANT_A, type Stack } from '../xero-connect/harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('sqlite');
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

async function call(method: string, path: string, token: string, body?: string) {
  const res = await fetch(stack.server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

async function rowsOf(tenantId: string) {
  const k = stack.db.k;
  const count = async (table: 'tenant_settings' | 'oauth_states' | 'payment_sync_tenants' | 'audit_log') =>
    Number((await k.selectFrom(table).select((e) => e.fn.countAll().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()).n);
  return { settings: await count('tenant_settings'), states: await count('oauth_states'), paymentSync: await count('payment_sync_tenants'), audit: await count('audit_log') };
}

// Found: a well-signed session of a company that is not registered (a database
// replaced or restored while sessions live) got a 500 from PUT /api/settings and
// POST /api/xero/connect (the insert failed on the missing tenant), and
// POST /api/payments/sync answered 404 after writing a payment_sync_tenants row.
it('a valid session of a company that is not registered is refused in words before any handler, and writes nothing', async () => {
  const ghost = await stack.session('ghostco', 'admin', true);
  const requests: [string, string, string?][] = [
    ['PUT', '/api/settings', '{}'],
    ['POST', '/api/xero/connect'],
    ['POST', '/api/payments/sync'],
    ['GET', '/api/settings'],
    ['GET', '/api/xero/status'],
    ['PUT', '/api/xero/location-map', '{"mappings":[]}'],
    ['GET', '/api/batch/unposted'],
  ];
  for (const [method, path, body] of requests) {
    const r = await call(method, path, ghost, body);
    expect(r.status, `${method} ${path}`).toBe(404);
    expect(r.body.error?.code, `${method} ${path}`).toBe('tenant_not_registered');
    expect(r.body.error?.message).toMatch(/"ghostco" is not registered/);
  }
  expect(await rowsOf('ghostco')).toEqual({ settings: 0, states: 0, paymentSync: 0, audit: 0 });

  // A registered company's session is unaffected.
  const admin = await stack.session(TENANT_A, 'admin', true);
  expect((await call('PUT', '/api/settings', admin, '{}')).status).toBe(200);
  expect((await call('POST', '/api/xero/connect', admin)).status).toBe(200);
});
