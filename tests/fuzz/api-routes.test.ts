// The fuzzer of issue 14 ("Fuzzing in CI"): fast-check generates well over
// 10,000 requests across every route of the server — pod pages, /api/*, the
// OAuth popup's start and callback, the session — most with a valid session
// so they reach the handlers, with wrong types, huge and unicode strings, deep
// nesting, bad ids, bad query strings, wrong content types and bad sessions.
// Each request must get an answer below 500 (an /api/ refusal in our JSON
// error shape), and a refused request (4xx) must write nothing: the database
// (every table, by row count and content) and both simulators' records
// are compared before and after each one (tests/fuzz/state-snapshot.ts).
// The seed is fixed, so a run is the same run every time.
//
// The server runs in this process on a loopback port (real HTTP, so the
// body limits and content-type checks see what a client sends).
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { SignJWT } from 'jose';
import { createApp } from '../../server/app.js';
import { issueSession, SESSION_AUDIENCE, SESSION_ISSUER } from '../../server/session.js';
import { browserBinding } from '../../server/xero/oauth-state.js';
import type { XeroSim } from '../../sim/xero/index.js';
import { seedId } from '../../sim/xero/ids.js';
import { AU_ORG, NZ_ORG, connectDemoTenantToXero } from '../support/connect-xero.js';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { forbiddenChanges, StateWatch, type StateSnapshot } from './state-snapshot.js';
import { badIdSegment, contentType, encodeBytes, hugeString, jsonText, junkValue, queryString, queryValue, unicodeString } from './arbitraries.js';
import { saveTenantSettings } from '../../server/settings.js';

/** Requests the property sends (the setup's few are not counted). */
const FUZZ_REQUESTS = 10_200;
const SEED = 20_260_414;

let stack: TestStack;
let watch: StateWatch;
let distDir: string | undefined;
const ROOT = resolve(import.meta.dirname, '../..');
let xeroSim: XeroSim;
let base: string;
const tokens = {} as Record<SessionKind, string | null>;
const authorization = {} as Record<SessionKind, string | null>;
let liveStates: { state: string; startProof: string }[] = [];
let connectionIds: string[] = [];

// ---- sessions ----

const VALID_SESSIONS = ['admin', 'adminByRole', 'tech', 'lowercaseBearer', 'unknownTenant'] as const;
const INVALID_SESSIONS = ['none', 'expired', 'noExpiry', 'tooLong', 'wrongKey', 'algNone', 'tampered', 'wrongAudience', 'basic', 'garbage'] as const;
type SessionKind = (typeof VALID_SESSIONS)[number] | (typeof INVALID_SESSIONS)[number];

async function mintSessions(): Promise<void> {
  const key = stack.server.deps.keys.sessionKey;
  const admin = { tenantId: 'democo', memberRecId: 1, memberIdentifier: 'admin', memberName: 'Alex Admin', isAdmin: true };
  // No securityRoleName: isAdmin is taken as issued, so a fuzzed admin list does not end the admin's coverage.
  tokens.admin = (await issueSession(key, admin, 900)).token;
  tokens.adminByRole = (await issueSession(key, { ...admin, securityRoleName: 'Admin' }, 900)).token;
  tokens.tech = (await issueSession(key, { tenantId: 'democo', memberRecId: 3, memberIdentifier: 'tech', memberName: 'Tom', isAdmin: false, securityRoleName: 'Technician' }, 900)).token;
  tokens.lowercaseBearer = tokens.admin;
  // A well-signed session of a company that is not (or no longer) registered.
  tokens.unknownTenant = (await issueSession(key, { ...admin, tenantId: 'ghostco' }, 900)).token;
  tokens.none = null;
  tokens.expired = (await issueSession(key, admin, -120)).token;
  const now = Math.floor(Date.now() / 1000);
  const claims = { tid: 'democo', mid: 1, mnm: 'Alex Admin', adm: true };
  const signed = (b: SignJWT, k: Uint8Array = key) => b.setProtectedHeader({ alg: 'HS256' }).setIssuer(SESSION_ISSUER).setAudience(SESSION_AUDIENCE).setSubject('admin').sign(k);
  tokens.noExpiry = await signed(new SignJWT(claims).setIssuedAt(now));
  tokens.tooLong = await signed(new SignJWT(claims).setIssuedAt(now).setExpirationTime(now + 86_400));
  tokens.wrongKey = await signed(new SignJWT(claims).setIssuedAt(now).setExpirationTime(now + 600), randomBytes(32));
  tokens.wrongAudience = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(SESSION_ISSUER).setAudience('someone-else').setSubject('admin').setIssuedAt(now).setExpirationTime(now + 600).sign(key);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  tokens.algNone = `${b64({ alg: 'none' })}.${b64({ ...claims, sub: 'admin', iss: SESSION_ISSUER, aud: SESSION_AUDIENCE, iat: now, exp: now + 600 })}.`;
  // The technician's signature under a payload that says admin.
  const [h, , s] = tokens.tech!.split('.');
  tokens.tampered = `${h}.${b64({ ...claims, sub: 'tech', iss: SESSION_ISSUER, aud: SESSION_AUDIENCE, iat: now, exp: now + 600 })}.${s}`;
  tokens.basic = null;
  tokens.garbage = null;
  for (const k of [...VALID_SESSIONS, ...INVALID_SESSIONS]) authorization[k] = tokens[k] ? `Bearer ${tokens[k]}` : null;
  authorization.lowercaseBearer = `bearer   ${tokens.admin}`;
  authorization.basic = `Basic ${Buffer.from('democo+admin:secret').toString('base64')}`;
}

const sessionKind: fc.Arbitrary<{ kind: SessionKind; garbage?: string }> = fc.oneof(
  { arbitrary: fc.constantFrom<SessionKind>('admin', 'admin', 'admin', 'adminByRole', 'tech', 'tech').map((kind) => ({ kind })), weight: 15 },
  { arbitrary: fc.constantFrom<SessionKind>('lowercaseBearer', 'unknownTenant').map((kind) => ({ kind })), weight: 1 },
  { arbitrary: fc.constantFrom<SessionKind>(...INVALID_SESSIONS.filter((k) => k !== 'garbage')).map((kind) => ({ kind })), weight: 4 },
  {
    arbitrary: fc
      .oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), fc.constantFrom('Bearer', 'Bearer ', 'Bearer a.b.c', 'Bearer ....', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.', `Bearer ${'A'.repeat(12_000)}`))
      .map((garbage) => ({ kind: 'garbage' as const, garbage })),
    weight: 1,
  },
);

// ---- requests ----

interface FuzzRequest {
  /** The route as the app registers it (method and pattern), or "unrouted". */
  route: string;
  method: string;
  /** Path and query, already in URL form. */
  path: string;
  body?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
  /** OAuth callback: a refusal may burn the state it names (by design). */
  callback?: boolean;
}

const INVOICE_IDS = Array.from({ length: 16 }, (_, i) => 1001 + i);
const GL_ENTRY_IDS = INVOICE_IDS.map((id) => id + 4000);
const invoiceId = fc.oneof(
  { arbitrary: fc.constantFrom(...INVOICE_IDS).map(String), weight: 3 },
  { arbitrary: fc.constantFrom('999999', '2147483648', '1', '1000', '1017', '999999999999999'), weight: 2 },
  { arbitrary: badIdSegment, weight: 5 },
);
const expenseReportId = fc.oneof(
  { arbitrary: fc.integer({ min: 2001, max: 2005 }).map(String), weight: 3 },
  { arbitrary: fc.constantFrom('999999', '2147483647', '2147483648', '1', '2000', ' 2001', '2001.0', '+2001', '0x7d1', '2e3'), weight: 2 },
  { arbitrary: badIdSegment, weight: 5 },
);
const runIds: string[] = [];
const runId = fc.oneof(
  { arbitrary: fc.constant('latest'), weight: 1 },
  { arbitrary: fc.nat().map((n) => runIds[n % Math.max(1, runIds.length)] ?? '00000000-0000-4000-8000-000000000000'), weight: 3 },
  { arbitrary: fc.uuid(), weight: 2 },
  { arbitrary: badIdSegment, weight: 4 },
);
const maybeQuery = (keys: readonly string[]) => fc.option(queryString(keys, queryValue), { freq: 4, nil: undefined }).map((q) => (q === undefined ? '' : `?${q}`));
const noQuery = maybeQuery(['x']);

/** A JSON body for a route: mostly JSON with mostly JSON's content type, sometimes neither. */
const jsonBody = (value: fc.Arbitrary<unknown>) => fc.record({ body: jsonText(value), contentType });
/** A stray body on a route that takes none (or none at all). */
const strayBody = fc.option(fc.record({ body: fc.oneof(jsonText(junkValue), hugeString(6000)), contentType }), { freq: 3, nil: undefined });

/** A record with each field given, left out or of the wrong kind; sometimes an unknown field. */
function fields(shape: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(shape).map(([k, good]) =>
    fc.oneof({ arbitrary: good.map((v) => [k, v] as const), weight: 6 }, { arbitrary: junkValue.map((v) => [k, v] as const), weight: 2 }, { arbitrary: fc.constant(null), weight: 2 }),
  );
  return fc
    .tuple(fc.tuple(...entries), fc.option(fc.tuple(fc.oneof(unicodeString, fc.constantFrom('__proto__', 'constructor', 'isAdmin', 'tenantId')), junkValue), { freq: 5 }))
    .map(([es, extra]) => {
      const o: Record<string, unknown> = {};
      for (const e of es) if (e) o[e[0]] = e[1];
      if (extra) Object.defineProperty(o, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
      return o;
    });
}

const settingsPatch = fields({
  adminSecurityRoles: fc.array(fc.oneof(fc.constantFrom('Admin', 'Finance', ' Admin '), unicodeString, hugeString(150)), { maxLength: 60 }),
  adminMemberIdentifiers: fc.array(fc.oneof(fc.constantFrom('admin', 'accountant', 'a b', 'x@y.z'), unicodeString), { maxLength: 5 }),
  paymentSyncIntervalMinutes: fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.constantFrom(15, 60, 1440)),
  invoiceMapping: fields({
    status: fc.constantFrom('DRAFT', 'AUTHORISED', 'authorised', 'VOIDED'),
    lineAmountTypes: fc.constantFrom('Exclusive', 'Inclusive', 'NoTax', 'Tax'),
    invoiceNumberPrefix: fc.oneof(fc.constantFrom('', 'CW-', 'a b'), unicodeString),
    createMissingItems: fc.boolean(),
    includeUnitOfMeasure: fc.boolean(),
    itemCodeOverflow: fc.constantFrom('shorten', 'omit', 'block', 'truncate', 'explode'),
    unitDecimalPlaces: fc.constantFrom(2, 4, 3),
    accountMap: fc.dictionary(fc.oneof(fc.constantFrom('4000', '4100', '1200'), unicodeString), fc.oneof(fc.constantFrom('200', '260'), unicodeString), { maxKeys: 4 }),
    taxMap: fc.dictionary(fc.constantFrom('GST', 'NZGST', 'EXEMPT', ''), fc.oneof(fc.constantFrom('OUTPUT', 'OUTPUT2', 'EXEMPTOUTPUT'), unicodeString), { maxKeys: 3 }),
    nonTaxableTaxType: fc.oneof(fc.constantFrom('', 'EXEMPTOUTPUT'), unicodeString),
    allowRoundingLine: fc.boolean(),
    roundingAccountCode: fc.constantFrom('', '860', 'x'),
    roundingAllowance: fc.constantFrom('0.05', '1', '999.99', '1000', '-1', '0.001'),
    tracking: fc.array(fields({ source: fc.constantFrom('location', 'department', 'glClass', 'x'), categoryName: unicodeString, options: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }) }), { maxLength: 3 }),
    contactAccountNumber: fc.boolean(),
  }),
  expenses: fields({
    billStatus: fc.constantFrom('DRAFT', 'AUTHORISED', 'PAID'),
    billNumberPrefix: fc.oneof(fc.constantFrom('', 'ER-', 'a b'), unicodeString),
    dueDays: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.constantFrom(7, 30)),
    memberContactPrefix: fc.constantFrom('CWM-', '', 'toolongprefix'),
    enhancedExpenses: fc.boolean(),
    weekStart: fc.constantFrom('Monday', 'Sunday', 'monday', 'Someday'),
    wisePay: fc.boolean(),
    wisePayAccounts: fc.dictionary(fc.oneof(fc.constantFrom('tech', 'admin'), unicodeString), fc.dictionary(fc.oneof(fc.constantFrom('1', '2', '99'), unicodeString), fc.oneof(fc.constantFrom('090', '091', 'NOPE'), unicodeString), { maxKeys: 2 }), { maxKeys: 2 }),
    inputTaxMap: fc.dictionary(fc.constantFrom('GST', 'NZGST', ''), fc.constantFrom('INPUT', 'INPUT2', ''), { maxKeys: 2 }),
    nonTaxableInputTaxType: fc.constantFrom('', 'NONE', 'x'),
    secondTierApproval: fc.boolean(),
    autoPushApproved: fc.boolean(),
  }),
});

const locationMapBody = fc.oneof(
  // The demo's own mapping (so pushes keep their organisations), in any order.
  { arbitrary: fc.shuffledSubarray([{ cwLocationId: 1, xeroTenantId: AU_ORG }, { cwLocationId: 2, xeroTenantId: NZ_ORG }], { minLength: 2 }).map((mappings) => ({ mappings })), weight: 2 },
  {
    arbitrary: fields({
      mappings: fc.array(fields({ cwLocationId: fc.oneof(fc.constantFrom(1, 2, 3, 0, -1, 1.5, 2 ** 31), fc.integer()), xeroTenantId: fc.oneof(fc.constantFrom(AU_ORG, NZ_ORG, AU_ORG.toUpperCase(), ''), fc.uuid(), unicodeString, hugeString(200)) }), { maxLength: 5 }),
    }),
    weight: 5,
  },
);

const batchRunBody = fields({
  glEntryIds: fc.oneof(
    fc.array(fc.oneof(fc.constantFrom(...GL_ENTRY_IDS), fc.integer({ min: -2, max: 99_999 })), { minLength: 0, maxLength: 6 }),
    fc.integer({ min: 4990, max: 6000 }).map((n) => Array.from({ length: n }, (_, i) => i + 1)),
    fc.array(junkValue, { maxLength: 3 }),
  ),
  all: fc.constantFrom(true, false, 'true', 1),
  filter: fields({ locationId: fc.oneof(fc.constantFrom(1, 2, 3), fc.integer()), throughDate: fc.constantFrom('2026-04-30', '2026-02-31', '30/04/2026', ''), type: fc.constantFrom('Standard', 'CreditMemo', 'Agreement', 'Nope') }),
  batching: fc.constantFrom('record', 'run', 'RUN', ''),
});

const sessionBody = fields({
  companyid: fc.oneof(fc.constantFrom('democo', 'DEMOCO', ' democo ', 'ghostco', 'a+b', ''), unicodeString, hugeString(100)),
  memberid: fc.oneof(fc.constantFrom('admin', 'tech', 'accountant', 'nobody', 'a"b', ''), unicodeString),
  memberHash: fc.oneof(fc.constantFrom('x', '', 'valid'), fc.string({ maxLength: 60 }), hugeString(5000)),
});

const stateParam = fc.oneof(
  { arbitrary: fc.nat().map((n) => liveStates[n % Math.max(1, liveStates.length)]?.state ?? 'no-live-state-yet'), weight: 2 },
  { arbitrary: fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), unicodeString, hugeString(300)).map(encodeBytes), weight: 3 },
);

const oauthStart = (method: 'GET' | 'POST') =>
  fc
    .record({
      state: fc.option(stateParam, { freq: 6, nil: undefined }),
      proof: fc.oneof(fc.constant('right'), fc.string({ maxLength: 50 }), hugeString(400)),
      site: fc.constantFrom<string | undefined>('same-origin', 'cross-site', 'same-site', 'none', undefined),
      origin: fc.constantFrom<string | undefined>('ours', 'null', 'https://evil.example', undefined),
      form: fc.constantFrom('urlencoded', 'multipart', 'json', 'none'),
      query: noQuery,
    })
    .map(({ state, proof, site, origin, form, query }): FuzzRequest => {
      const path = `/oauth/xero/start${state === undefined ? query : `?state=${state}`}`;
      const headers: Record<string, string> = {};
      if (site) headers['sec-fetch-site'] = site;
      if (origin) headers.origin = origin === 'ours' ? base : origin;
      if (method === 'GET') return { route: 'GET /oauth/xero/start', method, path, headers };
      const live = liveStates.find((s) => s.state === state);
      const startProof = proof === 'right' ? (live?.startProof ?? 'x') : proof;
      if (form === 'urlencoded') return { route: 'POST /oauth/xero/start', method, path, headers, body: `startProof=${encodeURIComponent(startProof)}`, contentType: 'application/x-www-form-urlencoded' };
      if (form === 'multipart') return { route: 'POST /oauth/xero/start', method, path, headers, body: `--b\r\nContent-Disposition: form-data; name="startProof"\r\n\r\n${startProof}\r\n--b--\r\n`, contentType: 'multipart/form-data; boundary=b' };
      if (form === 'json') return { route: 'POST /oauth/xero/start', method, path, headers, body: JSON.stringify({ startProof }), contentType: 'application/json' };
      return { route: 'POST /oauth/xero/start', method, path, headers };
    });

const oauthCallback = fc
  .record({
    state: fc.option(stateParam, { freq: 5, nil: undefined }),
    code: fc.option(fc.oneof(fc.string({ maxLength: 40 }), hugeString(2500)).map(encodeBytes), { nil: undefined }),
    error: fc.option(fc.oneof(fc.constantFrom('access_denied', 'server_error'), unicodeString.map(encodeBytes)), { freq: 3, nil: undefined }),
    description: fc.option(hugeString(1200).map(encodeBytes), { freq: 4, nil: undefined }),
    cookie: fc.constantFrom('right', 'wrong', 'none', 'none'),
    extra: noQuery,
  })
  .map(({ state, code, error, description, cookie, extra }): FuzzRequest => {
    const q = [state !== undefined && `state=${state}`, code !== undefined && `code=${code}`, error !== undefined && `error=${error}`, description !== undefined && `error_description=${description}`].filter(Boolean).join('&');
    const headers: Record<string, string> = {};
    if (cookie !== 'none') {
      const decoded = state === undefined ? '' : safeDecode(state);
      headers.cookie = `cwxs_xero_oauth=${cookie === 'right' ? browserBinding(stack.server.deps.keys.secretsKey, decoded) : 'forged'}`;
    }
    return { route: 'GET /oauth/xero/callback', method: 'GET', path: `/oauth/xero/callback${q ? `?${q}` : extra}`, headers, callback: true };
  });

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const get = (route: string, path: fc.Arbitrary<string>) => path.map((p): FuzzRequest => ({ route, method: 'GET', path: p }));
const withBody = (route: string, method: string, path: fc.Arbitrary<string>, body: fc.Arbitrary<{ body: string; contentType: string | null } | undefined>) =>
  fc.tuple(path, body).map(([p, b]): FuzzRequest => ({ route, method, path: p, ...(b ? { body: b.body, contentType: b.contentType } : {}) }));
const id = (arb: fc.Arbitrary<string>, pattern: (id: string) => string, query: fc.Arbitrary<string> = noQuery) => fc.tuple(arb, query).map(([i, q]) => `${pattern(i)}${q}`);

const connectionId = fc.oneof(
  { arbitrary: fc.uuid(), weight: 3 },
  { arbitrary: badIdSegment, weight: 3 },
  // A real connection: only sessions that may not delete it get it (below), so the refusal is what is tested.
  { arbitrary: fc.nat().map((n) => connectionIds[n % Math.max(1, connectionIds.length)] ?? '00000000-0000-4000-8000-000000000001'), weight: 2 },
);

const purchaseOrderId = fc.oneof(
  { arbitrary: fc.integer({ min: 3001, max: 3005 }).map(String), weight: 3 },
  { arbitrary: fc.constantFrom('999999', '2147483648', '0', '-1'), weight: 1 },
  { arbitrary: badIdSegment, weight: 3 },
);

const tieOutBody = fc.oneof(
  batchRunBody,
  fields({ all: fc.constantFrom(true, false, 'yes'), glEntryIds: fc.array(fc.constantFrom(...GL_ENTRY_IDS), { maxLength: 4 }), filter: fields({ locationId: fc.constantFrom(1, 2, 0), throughDate: fc.constantFrom('2026-04-30', 'April') }) }),
);

const day = fc.oneof(fc.constantFrom('2026-04-01', '2026-04-30', '2026-02-31', '30/04/2026', ''), unicodeString);
const activityQueryArb = fc.option(
  fc
    .record(
      {
        kind: fc.oneof(fc.constantFrom('invoice', 'settings', 'session', 'payment', 'INVOICE', 'a-b'), unicodeString),
        outcome: fc.constantFrom('synced', 'needs_attention', 'refused', 'x y'),
        member: fc.oneof(fc.constantFrom('admin', 'tech', 'a b', 'schedule'), hugeString(300)),
        from: day,
        to: day,
        before: fc.oneof(fc.nat().map(String), fc.constantFrom('-1', '1e3', '9999999999999999')),
        limit: fc.constantFrom('1', '50', '200', '201', '0', 'all'),
        x: fc.constant('1'),
      },
      { requiredKeys: [] },
    )
    .map((o) => `?${new URLSearchParams(o as Record<string, string>).toString()}`),
  { freq: 6, nil: '' },
);

/** An import is an export file: its envelope right or wrong around a settings patch. */
const settingsImportBody = fields({
  format: fc.constantFrom('cw-xero-sync-settings', 'cw-xero-sync-settings', 'cw-xero-sync/settings@2', ''),
  exportedAt: fc.oneof(fc.constant('2026-11-30T00:00:00.000Z'), hugeString(300)),
  tenant: fc.constantFrom('democo', 'ghostco', ''),
  settings: settingsPatch,
});

const trackingOptionBody = fields({
  xeroTenantId: fc.oneof(fc.constantFrom(AU_ORG, NZ_ORG, ''), fc.uuid(), hugeString(120)),
  categoryId: fc.oneof(fc.constantFrom(seedId(`${AU_ORG}:tracking:Region`), seedId(`${NZ_ORG}:tracking:Business Unit`)), fc.uuid(), unicodeString),
  name: fc.oneof(fc.constantFrom('Fuzz North', 'Sydney', '', ' '), unicodeString, hugeString(120)),
});

const POD_FILES = ['invoice', 'batch', 'purchaseorder', 'expense', 'settings', 'oauth-popup'];

/** Every route of the app, each with its requests; the test checks this list against the app's own routes. */
const ROUTES: Record<string, { weight: number; arb: fc.Arbitrary<FuzzRequest> }> = {
  'GET /healthz': { weight: 1, arb: get('GET /healthz', noQuery.map((q) => `/healthz${q}`)) },
  'GET /readyz': { weight: 1, arb: get('GET /readyz', noQuery.map((q) => `/readyz${q}`)) },
  'GET /': { weight: 1, arb: get('GET /', noQuery.map((q) => `/${q}`)) },
  'GET /pod/:file{[a-z-]+\\.html}': {
    weight: 4,
    arb: fc
      .tuple(
        fc.oneof({ arbitrary: fc.constantFrom(...POD_FILES), weight: 4 }, { arbitrary: fc.constantFrom('index', 'nope', 'a-b', 'oauth-popup-'), weight: 1 }),
        fc.oneof(
          { arbitrary: fc.constantFrom('democo', 'DemoCo', 'ghostco', '', '%20democo', 'democo%00', 'demo.co', '-'), weight: 4 },
          { arbitrary: fc.oneof(unicodeString, hugeString(200)).map(encodeBytes), weight: 2 },
        ),
        fc.option(queryString(['tenant', 'x'], queryValue), { freq: 5, nil: undefined }),
      )
      .map(([file, tenant, q]): FuzzRequest => ({ route: 'GET /pod/:file{[a-z-]+\\.html}', method: 'GET', path: `/pod/${file}.html?tenant=${tenant}${q ? `&${q}` : ''}` })),
  },
  'ALL /pod/assets/*': {
    weight: 2,
    arb: fc
      .tuple(fc.constantFrom('GET', 'GET', 'HEAD', 'POST'), fc.oneof(fc.constantFrom('x.js', 'index.css', '..%2F..%2Fpackage.json', '%2e%2e/%2e%2e/package.json', '..%5C..%5Cpackage.json', '%00', '', 'a/b/c.js'), unicodeString.map(encodeBytes)))
      .map(([method, p]): FuzzRequest => ({ route: 'ALL /pod/assets/*', method, path: `/pod/assets/${p}` })),
  },
  'GET /oauth/xero/start': { weight: 2, arb: oauthStart('GET') },
  'POST /oauth/xero/start': { weight: 4, arb: oauthStart('POST') },
  'GET /oauth/xero/callback': { weight: 4, arb: oauthCallback },
  'POST /api/session': { weight: 4, arb: withBody('POST /api/session', 'POST', noQuery.map((q) => `/api/session${q}`), jsonBody(sessionBody)) },
  'GET /api/invoices/:id': { weight: 4, arb: get('GET /api/invoices/:id', id(invoiceId, (i) => `/api/invoices/${i}`)) },
  'GET /api/invoices/:id/sync': { weight: 3, arb: get('GET /api/invoices/:id/sync', id(invoiceId, (i) => `/api/invoices/${i}/sync`)) },
  'POST /api/invoices/:id/push': { weight: 3, arb: withBody('POST /api/invoices/:id/push', 'POST', id(invoiceId, (i) => `/api/invoices/${i}/push`), strayBody) },
  'POST /api/invoices/:id/link': {
    weight: 3,
    arb: withBody('POST /api/invoices/:id/link', 'POST', id(invoiceId, (i) => `/api/invoices/${i}/link`), jsonBody(fields({ xeroDocumentId: fc.oneof(fc.uuid(), unicodeString) }))),
  },
  'POST /api/invoices/:id/payments/sync': { weight: 3, arb: withBody('POST /api/invoices/:id/payments/sync', 'POST', id(invoiceId, (i) => `/api/invoices/${i}/payments/sync`), strayBody) },
  'POST /api/payments/sync': { weight: 1, arb: withBody('POST /api/payments/sync', 'POST', noQuery.map((q) => `/api/payments/sync${q}`), strayBody) },
  'GET /api/invoices/:id/reconcile': { weight: 3, arb: get('GET /api/invoices/:id/reconcile', id(invoiceId, (i) => `/api/invoices/${i}/reconcile`)) },
  'GET /api/settings': { weight: 2, arb: get('GET /api/settings', noQuery.map((q) => `/api/settings${q}`)) },
  'GET /api/settings/expense-choices': { weight: 2, arb: get('GET /api/settings/expense-choices', noQuery.map((q) => `/api/settings/expense-choices${q}`)) },
  'PUT /api/settings': { weight: 6, arb: withBody('PUT /api/settings', 'PUT', noQuery.map((q) => `/api/settings${q}`), jsonBody(settingsPatch)) },
  'GET /api/batch/unposted': { weight: 1, arb: get('GET /api/batch/unposted', maybeQuery(['page', 'pageSize', 'locationId', 'throughDate', 'type']).map((q) => `/api/batch/unposted${q}`)) },
  'POST /api/batch/runs': { weight: 5, arb: withBody('POST /api/batch/runs', 'POST', noQuery.map((q) => `/api/batch/runs${q}`), jsonBody(batchRunBody)) },
  'GET /api/batch/runs/latest': { weight: 2, arb: get('GET /api/batch/runs/latest', maybeQuery(['offset', 'limit']).map((q) => `/api/batch/runs/latest${q}`)) },
  'GET /api/batch/runs/:id': { weight: 3, arb: get('GET /api/batch/runs/:id', id(runId, (i) => `/api/batch/runs/${i}`, maybeQuery(['offset', 'limit']))) },
  'POST /api/batch/runs/:id/retry': { weight: 2, arb: withBody('POST /api/batch/runs/:id/retry', 'POST', id(runId, (i) => `/api/batch/runs/${i}/retry`), strayBody) },
  'POST /api/batch/runs/:id/cancel': { weight: 2, arb: withBody('POST /api/batch/runs/:id/cancel', 'POST', id(runId, (i) => `/api/batch/runs/${i}/cancel`), strayBody) },
  'GET /api/expenses/reports/:id/sync': { weight: 3, arb: get('GET /api/expenses/reports/:id/sync', id(expenseReportId, (i) => `/api/expenses/reports/${i}/sync`)) },
  'POST /api/expenses/reports/:id/push': { weight: 3, arb: withBody('POST /api/expenses/reports/:id/push', 'POST', id(expenseReportId, (i) => `/api/expenses/reports/${i}/push`), strayBody) },
  'POST /api/xero/connect': { weight: 2, arb: withBody('POST /api/xero/connect', 'POST', noQuery.map((q) => `/api/xero/connect${q}`), strayBody) },
  'GET /api/xero/status': { weight: 2, arb: get('GET /api/xero/status', noQuery.map((q) => `/api/xero/status${q}`)) },
  'DELETE /api/xero/connections/:id': { weight: 3, arb: withBody('DELETE /api/xero/connections/:id', 'DELETE', id(connectionId, (i) => `/api/xero/connections/${i}`), strayBody) },
  'GET /api/xero/location-map': { weight: 1, arb: get('GET /api/xero/location-map', noQuery.map((q) => `/api/xero/location-map${q}`)) },
  'PUT /api/xero/location-map': { weight: 4, arb: withBody('PUT /api/xero/location-map', 'PUT', noQuery.map((q) => `/api/xero/location-map${q}`), jsonBody(locationMapBody)) },
  'GET /api/cw/locations': { weight: 2, arb: get('GET /api/cw/locations', noQuery.map((q) => `/api/cw/locations${q}`)) },
  'GET /api/batch/summary': { weight: 1, arb: get('GET /api/batch/summary', maybeQuery(['locationId', 'throughDate', 'type', 'kind']).map((q) => `/api/batch/summary${q}`)) },
  'POST /api/batch/tieout': { weight: 2, arb: withBody('POST /api/batch/tieout', 'POST', noQuery.map((q) => `/api/batch/tieout${q}`), jsonBody(tieOutBody)) },
  'GET /api/batch/runs/:id/tieout': { weight: 1, arb: get('GET /api/batch/runs/:id/tieout', id(runId, (i) => `/api/batch/runs/${i}/tieout`)) },
  'GET /api/batch/expenses': { weight: 1, arb: get('GET /api/batch/expenses', noQuery.map((q) => `/api/batch/expenses${q}`)) },
  'GET /api/batch/procurement': { weight: 1, arb: get('GET /api/batch/procurement', noQuery.map((q) => `/api/batch/procurement${q}`)) },
  'GET /api/purchaseorders/:id/sync': { weight: 2, arb: get('GET /api/purchaseorders/:id/sync', id(purchaseOrderId, (i) => `/api/purchaseorders/${i}/sync`)) },
  'POST /api/purchaseorders/:id/push': { weight: 2, arb: withBody('POST /api/purchaseorders/:id/push', 'POST', id(purchaseOrderId, (i) => `/api/purchaseorders/${i}/push`), strayBody) },
  'GET /api/history/:kind/:id': {
    weight: 2,
    arb: get('GET /api/history/:kind/:id', fc.tuple(fc.oneof(fc.constantFrom('invoice', 'expensereport', 'purchaseorder'), fc.constantFrom('Invoice', 'payment', '', '..'), unicodeString.map(encodeBytes)), invoiceId, noQuery).map(([k, i, q]) => `/api/history/${k}/${i}${q}`)),
  },
  'GET /api/activity': { weight: 2, arb: get('GET /api/activity', activityQueryArb.map((q) => `/api/activity${q}`)) },
  'GET /api/activity.csv': { weight: 1, arb: get('GET /api/activity.csv', activityQueryArb.map((q) => `/api/activity.csv${q}`)) },
  'GET /api/settings/versions': { weight: 1, arb: get('GET /api/settings/versions', maybeQuery(['before']).map((q) => `/api/settings/versions${q}`)) },
  'GET /api/settings/export': { weight: 1, arb: get('GET /api/settings/export', noQuery.map((q) => `/api/settings/export${q}`)) },
  'POST /api/settings/import': { weight: 3, arb: withBody('POST /api/settings/import', 'POST', maybeQuery(['dryRun']).map((q) => `/api/settings/import${q}`), jsonBody(settingsImportBody)) },
  'GET /api/settings/alerts': { weight: 1, arb: get('GET /api/settings/alerts', noQuery.map((q) => `/api/settings/alerts${q}`)) },
  'GET /api/settings/procurement-choices': { weight: 1, arb: get('GET /api/settings/procurement-choices', noQuery.map((q) => `/api/settings/procurement-choices${q}`)) },
  'GET /api/settings/tracking-choices': { weight: 1, arb: get('GET /api/settings/tracking-choices', noQuery.map((q) => `/api/settings/tracking-choices${q}`)) },
  'POST /api/settings/tracking-options': { weight: 2, arb: withBody('POST /api/settings/tracking-options', 'POST', noQuery.map((q) => `/api/settings/tracking-options${q}`), jsonBody(trackingOptionBody)) },
  'GET /api/hosted-setups': { weight: 1, arb: get('GET /api/hosted-setups', noQuery.map((q) => `/api/hosted-setups${q}`)) },
  'POST /api/hosted-setups': { weight: 1, arb: withBody('POST /api/hosted-setups', 'POST', noQuery.map((q) => `/api/hosted-setups${q}`), fc.option(jsonBody(fc.oneof(fc.constant({}), junkValue)), { nil: undefined })) },
  'DELETE /api/hosted-setups': { weight: 1, arb: withBody('DELETE /api/hosted-setups', 'DELETE', noQuery.map((q) => `/api/hosted-setups${q}`), strayBody) },
  'ALL /api/xero/*': {
    weight: 1,
    arb: withBody('ALL /api/xero/*', 'GET', fc.oneof(fc.constantFrom('connections', 'connect/x', 'status/1', 'tenants', '%'), unicodeString.map(encodeBytes)).map((p) => `/api/xero/${p}`), fc.constant(undefined)),
  },
  // Paths no route answers, and known paths with a method they do not take.
  unrouted: {
    weight: 2,
    arb: fc
      .tuple(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        fc.oneof(
          fc.constantFrom('/api/settings', '/api/session', '/api/invoices/1001', '/api/batch/runs', '/api/xero/location-map', '/api', '/api/', '/oauth/xero', '/pod/', '/pod/invoice.HTML', '/.env', '/api/invoices', '/api/invoices/1001/payments'),
          unicodeString.map((s) => `/${encodeBytes(s)}`),
        ),
      )
      .map(([method, path]): FuzzRequest => ({ route: 'unrouted', method, path })),
  },
};

/**
 * Requests for a route this table does not know yet (one added since): its
 * path parameters filled with good and bad ids, any method it takes, any
 * body. The route-aware entries above reach deeper; this keeps "every route"
 * true in the meantime.
 */
function genericRoute(method: string, pattern: string): fc.Arbitrary<FuzzRequest> {
  const param = fc.oneof(fc.integer({ min: 1, max: 5000 }).map(String), fc.constantFrom(...INVOICE_IDS.map(String)), badIdSegment, fc.uuid());
  const parts = pattern.split('/').map((seg) => (seg.startsWith(':') ? param : seg === '*' ? fc.oneof(fc.constantFrom('x', '1', ''), unicodeString.map(encodeBytes)) : fc.constant(seg)));
  const route = `${method} ${pattern}`;
  return fc
    .tuple(fc.tuple(...parts), method === 'ALL' ? fc.constantFrom('GET', 'POST', 'PUT', 'DELETE') : fc.constant(method), maybeQuery(['offset', 'limit', 'page', 'id']), fc.option(jsonBody(fc.oneof(junkValue, fc.object())), { nil: undefined }))
    .map(([segs, m, q, b]): FuzzRequest => ({ route, method: m, path: `${segs.join('/')}${q}`, ...(b && m !== 'GET' ? { body: b.body, contentType: b.contentType } : {}) }));
}

/** The app's routes: handlers take (c), middleware (c, next); the static assets are served by middleware, named by hand. */
function appRoutes(): string[] {
  const app = createApp(stack.server.deps);
  return [...new Set([...app.routes.filter((r) => r.handler.length < 2).map((r) => `${r.method} ${r.path}`), 'ALL /pod/assets/*'])];
}

/** Sessions that must not be the one deleting a real connection (the fuzzer keeps its Xero connection). */
const mayDelete = (kind: SessionKind) => kind === 'admin' || kind === 'adminByRole' || kind === 'lowercaseBearer';

/** Now and then, headers a client may send anything in (never believed, never a crash). */
const headerNoise = fc.option(
  fc.dictionary(
    fc.constantFrom('origin', 'x-forwarded-for', 'cookie', 'accept', 'accept-language', 'if-none-match', 'x-http-method-override', 'sec-fetch-site', 'referer', 'range'),
    fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), fc.constantFrom('null', 'https://evil.example', '1.2.3.4, 127.0.0.1', 'cwxs_xero_oauth=x; a=b', 'DELETE', 'bytes=0-1', '*/*', 'application/xml')),
    { maxKeys: 3 },
  ),
  { freq: 6, nil: undefined },
);

function fuzzRequest(routes: Record<string, { weight: number; arb: fc.Arbitrary<FuzzRequest> }>) {
  return fc.tuple(fc.oneof(...Object.values(routes).map(({ weight, arb }) => ({ weight, arbitrary: arb }))), sessionKind, headerNoise).map(([req, session, noise]) => {
    if (noise) req = { ...req, headers: { ...noise, ...req.headers } };
    if (req.route === 'DELETE /api/xero/connections/:id' && mayDelete(session.kind) && connectionIds.some((c) => req.path.includes(c))) return { req, session: { kind: 'tech' as SessionKind } };
    return { req, session };
  });
}

// ---- sending and judging ----

interface Answer {
  status: number;
  text: string;
}

async function send(req: FuzzRequest, session: { kind: SessionKind; garbage?: string }): Promise<Answer> {
  const headers: Record<string, string> = { ...req.headers };
  const auth = session.kind === 'garbage' ? session.garbage! : authorization[session.kind];
  if (auth) headers.authorization = auth;
  if (req.body !== undefined && req.contentType) headers['content-type'] = req.contentType;
  const body = req.body !== undefined && req.method !== 'GET' && req.method !== 'HEAD' ? req.body : undefined;
  let res: Response;
  try {
    res = await fetch(base + req.path, { method: req.method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    // fetch refuses some header values itself (not ByteStrings); that request never left.
    if (err instanceof TypeError && /header|ByteString/i.test(String(err.message) + String((err as { cause?: Error }).cause?.message))) return { status: -1, text: '' };
    throw new Error(`${req.method} ${req.path.slice(0, 120)}: no answer (${err instanceof Error ? `${err.name}: ${err.message}` : String(err)})`);
  }
  return { status: res.status, text: await res.text() };
}

const REFUSED_BEFORE_HANDLER = new Set([401, 403, 413, 415, 431]);

/** Waits until no bulk run of the fuzzer's is still working in the background (its writes are the accepted request's). */
async function backgroundSettled(): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const busy = await sql<{ n: number }>`select count(*) as n from bulk_runs where status in ('running', 'cancelling')`.execute(stack.server.deps.db.k);
    if (Number(busy.rows[0]?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error('a bulk run started by the fuzzer did not finish within 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function describeReq(req: FuzzRequest, kind: SessionKind): string {
  const body = req.body === undefined ? '' : ` body(${req.contentType ?? 'no type'}, ${req.body.length} chars)=${JSON.stringify(req.body.slice(0, 200))}`;
  return `${req.method} ${req.path.slice(0, 200)}${req.path.length > 200 ? `…(${req.path.length} chars)` : ''} as ${kind}${body}`;
}

/**
 * A copy of the built pod for this server alone: another test process that
 * builds the pod meanwhile (it empties dist/ first) must not turn a page into
 * "not built yet" (503) in the middle of the run.
 */
async function privatePodCopy(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cwx-fuzz-dist-'));
  for (let attempt = 0; ; attempt++) {
    await ensurePodBuilt();
    try {
      cpSync(join(ROOT, 'dist/pod'), join(dir, 'pod'), { recursive: true });
      if (POD_FILES.every((f) => existsSync(join(dir, 'pod', `${f}.html`)))) return dir;
    } catch {
      // dist/ changed under the copy: copy again
    }
    if (attempt >= 20) throw new Error('could not copy a whole pod build');
    rmSync(join(dir, 'pod'), { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  distDir = await privatePodCopy();
  stack = await startStack({ distDir, serverEnv: { PAYMENT_SCHEDULE_TICK_SECONDS: '0', LOG_LEVEL: 'error' } });
  xeroSim = stack.xero!.sim as XeroSim;
  base = stack.server.url;
  // The simulator's own minute (60 calls) would pace pushes for most of a minute; its limits are not under test here.
  const limits = await http(`${stack.xero!.url}/__sim/faults`, { json: { limits: { perMinute: 1_000_000, perDay: 1_000_000, appPerMinute: 1_000_000 } } });
  expect(limits.status).toBe(200);
  await connectDemoTenantToXero(stack);
  await mintSessions();
  connectionIds = (await stack.server.deps.db.k.selectFrom('xero_connections').select('id').execute()).map((r) => r.id);
  watch = new StateWatch(join(stack.dataDir, 'cw-xero-sync.sqlite'), stack.cwSim, xeroSim);
  // A few live OAuth states for the popup's pages (the fuzzer also burns them).
  for (let i = 0; i < 4; i++) {
    const r = await http(`${base}/api/xero/connect`, { method: 'POST', token: tokens.admin! });
    expect(r.status).toBe(200);
    liveStates.push({ state: new URL(r.body.url).searchParams.get('state')!, startProof: r.body.startProof });
  }
}, 120_000);

afterAll(async () => {
  watch?.close();
  await stack?.close();
  if (distDir) rmSync(distDir, { recursive: true, force: true });
});

it('knows every route of the app by its inputs (a new route is fuzzed with generic inputs until it is added here)', () => {
  const routes = appRoutes();
  const known = new Set(Object.keys(ROUTES));
  const generic = routes.filter((r) => !known.has(r));
  if (generic.length) console.log(`fuzz: routes fuzzed with generic inputs only (add them to ROUTES): ${generic.join(', ')}`);
  expect([...known].filter((r) => r !== 'unrouted' && !routes.includes(r)), 'routes the fuzzer lists that the app no longer has').toEqual([]);
});

it(`answers ${FUZZ_REQUESTS} generated requests across every route below 500, and a refused request writes nothing`, async () => {
  const routes = { ...ROUTES };
  for (const r of appRoutes()) if (!routes[r]) routes[r] = { weight: 1, arb: genericRoute(r.slice(0, r.indexOf(' ')), r.slice(r.indexOf(' ') + 1)) };
  const perRoute = new Map<string, { sent: number; reached: number }>(Object.keys(routes).map((r) => [r, { sent: 0, reached: 0 }]));
  let sent = 0;
  let reached = 0;
  let validSessionRequests = 0;
  let refused = 0;
  const statuses = new Map<number, number>();
  let before: StateSnapshot = watch.take();
  const started = Date.now();
  // Every failure is kept (the first few of each route and status), so one run reports all it found.
  const failures: string[] = [];
  const failuresBy = new Map<string, number>();
  const fail = (key: string, message: string) => {
    const n = (failuresBy.get(key) ?? 0) + 1;
    failuresBy.set(key, n);
    if (n <= 3) failures.push(message);
  };

  await fc.assert(
    fc.asyncProperty(fuzzRequest(routes), async ({ req, session }) => {
      const answer = await send(req, session);
      if (answer.status === -1) return; // not sendable by fetch: nothing reached the server
      sent++;
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const route = perRoute.get(req.route)!;
      route.sent++;
      if ((VALID_SESSIONS as readonly string[]).includes(session.kind)) validSessionRequests++;
      if (!REFUSED_BEFORE_HANDLER.has(answer.status)) {
        reached++;
        route.reached++;
      }
      const what = describeReq(req, session.kind);
      if (answer.status >= 500) fail(`${req.route} ${answer.status}`, `${what} → ${answer.status} ${answer.text.slice(0, 300)}`);
      if (answer.text.includes('"devDependencies"')) fail(`${req.route} file`, `${what} → served a file from outside the pod build`);
      if (answer.status >= 400) {
        refused++;
        if (req.path.startsWith('/api/') && answer.status !== 431) {
          // Our error shape: {error: {code, message}}.
          let parsed: { error?: { code?: unknown; message?: unknown } } | undefined;
          try {
            parsed = JSON.parse(answer.text);
          } catch {
            parsed = undefined;
          }
          if (typeof parsed?.error?.code !== 'string' || typeof parsed.error.message !== 'string') fail(`${req.route} shape`, `${what} → ${answer.status} not in our error shape: ${answer.text.slice(0, 200)}`);
        }
        const after = watch.take();
        const changes = forbiddenChanges(before, after, { callback: !!req.callback });
        before = after;
        if (changes.length) fail(`${req.route} ${answer.status} wrote`, `${what} → ${answer.status} ${answer.text.slice(0, 200)}, yet it wrote: ${changes.join('; ')}`);
      } else {
        // Accepted: what it wrote (and any run it started, once finished) is the next baseline.
        if (req.route.startsWith('POST /api/batch/runs')) {
          const m = /"id":"([0-9a-f-]{36})"/.exec(answer.text);
          if (m && !runIds.includes(m[1]!)) runIds.push(m[1]!);
          await backgroundSettled();
        }
        before = watch.take();
      }
    }),
    // The server is stateful: an exception (a request without an answer) ends the run as found, without shrinking (which would replay requests).
    { seed: SEED, numRuns: FUZZ_REQUESTS, endOnFailure: true },
  );
  if (failures.length) console.log(`fuzz: failures by kind ${JSON.stringify(Object.fromEntries(failuresBy))}`);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `fuzz: ${sent} requests sent in ${seconds} s, ${reached} reached a handler (answered other than 401/403/413/415/431), ` +
      `${validSessionRequests} with a valid session, ${refused} refused (4xx) with nothing written; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
  );
  for (const [r, c] of perRoute) console.log(`fuzz:   ${r}: ${c.sent} sent, ${c.reached} reached the handler`);

  expect(failures).toEqual([]);
  expect(sent).toBeGreaterThanOrEqual(10_000);
  expect(validSessionRequests * 2).toBeGreaterThan(sent);
  for (const [r, c] of perRoute) {
    expect(c.sent, `requests to ${r}`).toBeGreaterThanOrEqual(50);
    expect(c.reached, `requests to ${r} that reached its handler`).toBeGreaterThan(0);
  }
  // A guard against a hang, not a speed check: ~45 s on a quiet machine, minutes on a loaded two-core one.
}, 900_000);

it('would see a write: the snapshot tells a changed table, audit row, OAuth state or simulator record', async () => {
  const k = stack.server.deps.db.k;
  // The tenant's settings row exists only if a fuzzed PUT happened to be valid: make sure it does, before the snapshot.
  await saveTenantSettings(stack.server.deps.db, 'democo', {});
  const before = watch.take();
  const seen = (callback = false) => forbiddenChanges(before, watch.take(), { callback });
  expect(seen()).toEqual([]);

  await k.updateTable('tenant_settings').set({ updated_at: 'changed' }).where('tenant_id', '=', 'democo').execute();
  expect(seen().join()).toMatch(/table tenant_settings: rows 1 → 1, content changed/);

  const audit = await k.insertInto('audit_log').values({ tenant_id: 'democo', action: 'invoice.push', member_id: 'admin', subject: 'invoice:1', outcome: 'synced', message: null, at: 'now' }).returning('id').executeTakeFirstOrThrow();
  expect(seen().join()).toMatch(/audit_log: a row invoice\.push\/synced written/);
  await k.deleteFrom('audit_log').where('id', '=', audit.id).execute();

  const state = await k.selectFrom('oauth_states').select('state_hash').where('used_at', 'is', null).executeTakeFirst();
  if (state) {
    await k.updateTable('oauth_states').set({ used_at: 'now' }).where('state_hash', '=', state.state_hash).execute();
    expect(seen().join()).toMatch(/oauth_states: a state used/);
    expect(seen(true).join()).not.toMatch(/oauth_states/); // the callback may use one up
  }

  const invoice = stack.cwSim.state.invoices[0]!;
  const status = invoice.statusName;
  invoice.statusName = `${status} (changed)`;
  expect(seen().join()).toMatch(/ConnectWise simulator: its records changed/);
  invoice.statusName = status;

  const contacts = xeroSim.ctx.orgs.get(AU_ORG)!.contacts;
  const [id, contact] = [...contacts.entries()][0]!;
  contacts.set(id, { ...contact, Name: `${contact.Name} (changed)` });
  expect(seen().join()).toMatch(/Xero simulator: its records changed/);
  contacts.set(id, contact);
});
