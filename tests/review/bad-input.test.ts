// Every bad input gets a clear 4xx naming the field, never a 500: each API
// route probed over HTTP with malformed JSON, wrong types, missing fields,
// huge values, non-numeric ids and ids that are not this tenant's.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AU_ORG, NZ_ORG, connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let admin: string;
let tech: string;
beforeAll(async () => {
  stack = await startStack({ serverEnv: { PAYMENT_SCHEDULE_TICK_SECONDS: '0' } });
  admin = await connectDemoTenantToXero(stack);
  tech = await signIn(stack, 'tech');
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

async function call(method: string, path: string, body?: string, token: string | null = admin) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(stack.server.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

const RUN = '00000000-0000-4000-8000-000000000000';
const IDS = ['abc', '1.5', '-1', '0', '0x10', '1e3', '%20', '99999999999999999999', '1e300'];

/** [method, path, body?, field the answer must name] */
const bad: [string, string, string | undefined, string][] = [
  ['POST', '/api/session', '{bad', 'body'],
  ['POST', '/api/session', '[]', 'body'],
  ['POST', '/api/session', 'null', 'body'],
  ['POST', '/api/session', '{"companyid":1,"memberid":"admin","memberHash":"x"}', 'companyid'],
  ['POST', '/api/session', '{"companyid":"democo","memberHash":"x"}', 'memberid'],
  ['POST', '/api/session', '{"companyid":"democo","memberid":"a\\"b","memberHash":"x"}', 'memberid'],
  ['POST', '/api/session', JSON.stringify({ companyid: 'democo', memberid: 'admin', memberHash: 'h'.repeat(5000) }), 'memberHash'],
  ...IDS.flatMap((id): [string, string, undefined, string][] => [
    ['GET', `/api/invoices/${id}`, undefined, 'id'],
    ['GET', `/api/invoices/${id}/sync`, undefined, 'id'],
    ['POST', `/api/invoices/${id}/push`, undefined, 'id'],
    ['POST', `/api/invoices/${id}/payments/sync`, undefined, 'id'],
    ['GET', `/api/invoices/${id}/reconcile`, undefined, 'id'],
  ]),
  ['PUT', '/api/settings', '{bad', 'body'],
  ['PUT', '/api/settings', 'null', 'body'],
  ['PUT', '/api/settings', '{"unknown":1}', 'body'],
  ['PUT', '/api/settings', '{"paymentSyncIntervalMinutes":"x"}', 'paymentSyncIntervalMinutes'],
  ['PUT', '/api/settings', '{"paymentSyncIntervalMinutes":1e308}', 'paymentSyncIntervalMinutes'],
  ['PUT', '/api/settings', '{"adminSecurityRoles":[1]}', 'adminSecurityRoles.0'],
  ['PUT', '/api/settings', JSON.stringify({ adminSecurityRoles: ['x'.repeat(100_000)] }), 'adminSecurityRoles.0'],
  ['PUT', '/api/settings', '{"invoiceMapping":{"accountMap":"x"}}', 'invoiceMapping.accountMap'],
  ['PUT', '/api/settings', JSON.stringify({ invoiceMapping: { accountMap: { ['k'.repeat(100_000)]: '200' } } }), 'invoiceMapping.accountMap'],
  ['PUT', '/api/settings', JSON.stringify({ invoiceMapping: { taxMap: { ['k'.repeat(100_000)]: 'OUTPUT' } } }), 'invoiceMapping.taxMap'],
  // 200,000 mappings (3.6 MB) are over the route's body limit: refused (413) before they are read.
  ['PUT', '/api/settings', JSON.stringify({ invoiceMapping: { accountMap: Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`GL${i}`, '200'])) } }), 'body'],
  ['PUT', '/api/settings', JSON.stringify({ invoiceMapping: { accountMap: Object.fromEntries(Array.from({ length: 2_001 }, (_, i) => [`GL${i}`, '200'])) } }), 'invoiceMapping.accountMap'],
  ['PUT', '/api/xero/location-map', '{bad', 'body'],
  ['PUT', '/api/xero/location-map', '{"mappings":"x"}', 'mappings'],
  ['PUT', '/api/xero/location-map', '{"mappings":[{"cwLocationId":"1","xeroTenantId":"x"}]}', 'mappings.0.cwLocationId'],
  ['PUT', '/api/xero/location-map', '{"mappings":[{"cwLocationId":99999999999999999999,"xeroTenantId":"x"}]}', 'mappings.0.cwLocationId'],
  ['PUT', '/api/xero/location-map', '{"mappings":[{"cwLocationId":1,"xeroTenantId":"another-tenants-org"}]}', 'mappings.0.xeroTenantId'],
  ['PUT', '/api/xero/location-map', JSON.stringify({ mappings: [{ cwLocationId: 1, xeroTenantId: AU_ORG }, { cwLocationId: 1, xeroTenantId: NZ_ORG }] }), 'mappings.1.cwLocationId'],
  ['DELETE', '/api/xero/connections/abc', undefined, 'id'],
  ['DELETE', `/api/xero/connections/${RUN}`, undefined, ''],
  ['GET', '/api/batch/unposted?page=abc', undefined, 'page'],
  ['GET', '/api/batch/unposted?pageSize=100000', undefined, 'pageSize'],
  ['GET', '/api/batch/unposted?locationId=99999999999999999999', undefined, 'locationId'],
  ['GET', '/api/batch/unposted?throughDate=2026-02-31', undefined, 'throughDate'],
  ['GET', '/api/batch/unposted?type=Nope', undefined, 'type'],
  ['GET', '/api/batch/unposted?zz=1', undefined, 'query'],
  ['POST', '/api/batch/runs', '{bad', 'body'],
  ['POST', '/api/batch/runs', '[]', 'body'],
  ['POST', '/api/batch/runs', '{}', 'glEntryIds'],
  ['POST', '/api/batch/runs', '{"glEntryIds":[]}', 'glEntryIds'],
  ['POST', '/api/batch/runs', '{"glEntryIds":["a"]}', 'glEntryIds.0'],
  ['POST', '/api/batch/runs', '{"glEntryIds":[99999999999999999999]}', 'glEntryIds.0'],
  ['POST', '/api/batch/runs', JSON.stringify({ glEntryIds: Array.from({ length: 6000 }, (_, i) => i + 1) }), 'glEntryIds'],
  ['POST', '/api/batch/runs', '{"glEntryIds":[999999]}', 'glEntryIds'],
  ['POST', '/api/batch/runs', '{"glEntryIds":[5001],"batching":"x"}', 'batching'],
  ['POST', '/api/batch/runs', '{"all":true,"filter":{"locationId":"x"}}', 'filter.locationId'],
  ['GET', '/api/batch/runs/abc', undefined, 'id'],
  ['GET', `/api/batch/runs/${RUN}`, undefined, 'id'],
  ['GET', '/api/batch/runs/latest?offset=-1', undefined, 'offset'],
  ['GET', '/api/batch/runs/latest?limit=abc', undefined, 'limit'],
  ['GET', '/api/batch/runs/latest?offset=1e300', undefined, 'offset'],
  ['POST', `/api/batch/runs/${RUN}/retry`, undefined, 'id'],
  ['POST', `/api/batch/runs/${RUN}/cancel`, undefined, 'id'],
  ['POST', '/api/batch/runs/abc/cancel', undefined, 'id'],
];

it('answers every bad input with a 4xx in words naming the field', async () => {
  const wrong: string[] = [];
  for (const [method, path, body, field] of bad) {
    const r = await call(method, path, body);
    const e = r.body?.error;
    const ok = r.status >= 400 && r.status < 500 && typeof e?.code === 'string' && typeof e?.message === 'string' && (!field || e.field === field);
    if (!ok) wrong.push(`${method} ${path.slice(0, 60)} ${(body ?? '').slice(0, 60)} → ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
  }
  expect(wrong).toEqual([]);
}, 120_000);

it('an unknown invoice or run is a 404 in words, not a 500', async () => {
  expect((await call('GET', '/api/invoices/999999')).status).toBe(404);
  expect((await call('GET', '/api/invoices/999999/sync')).status).toBe(404);
  expect((await call('POST', '/api/invoices/999999/push')).status).toBe(404);
  expect((await call('GET', '/api/invoices/2147483648/reconcile')).status).toBe(404);
  expect((await call('POST', '/api/invoices/999999/payments/sync')).status).toBe(409);
});

it('no session, a forged session or a member who is not an admin: 401 / 403, never data', async () => {
  const routes: [string, string, string?][] = [
    ['GET', '/api/invoices/1001'], ['GET', '/api/invoices/1001/sync'], ['POST', '/api/invoices/1001/push'], ['POST', '/api/invoices/1001/payments/sync'],
    ['GET', '/api/invoices/1001/reconcile'], ['POST', '/api/payments/sync'], ['GET', '/api/settings'], ['PUT', '/api/settings', '{}'],
    ['GET', '/api/xero/status'], ['POST', '/api/xero/connect'], ['GET', '/api/xero/location-map'], ['PUT', '/api/xero/location-map', '{"mappings":[]}'],
    ['DELETE', `/api/xero/connections/${RUN}`], ['GET', '/api/cw/locations'], ['GET', '/api/batch/unposted'], ['POST', '/api/batch/runs', '{"all":true}'],
    ['GET', '/api/batch/runs/latest'], ['GET', `/api/batch/runs/${RUN}`],
  ];
  const forged = `${admin.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;
  for (const [m, p, b] of routes) {
    expect((await call(m, p, b, null)).status, `${m} ${p} without a session`).toBe(401);
    expect((await call(m, p, b, forged)).status, `${m} ${p} with a forged session`).toBe(401);
  }
  for (const [m, p, b] of [['PUT', '/api/settings', '{}'], ['POST', '/api/xero/connect'], ['PUT', '/api/xero/location-map', '{"mappings":[]}'], ['DELETE', `/api/xero/connections/${RUN}`]] as const) {
    const r = await call(m, p, b, tech);
    expect(r.status, `${m} ${p} as tech`).toBe(403);
    expect(r.body.error.code).toBe('not_admin');
  }
});
