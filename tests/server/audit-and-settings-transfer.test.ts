// Audit and settings (issue 13) over HTTP: a record's sync history after a
// push, the tenant's activity list (filters, paging, CSV) carrying ids, codes
// and outcomes only, settings versions (who changed which fields, never the
// values), settings export → import dry run → apply, a bad import refused
// naming the field with nothing written, admins only, and tenants as walls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCwSim } from '../../sim/connectwise/index.js';
import { registerTenant } from '../../server/tenants.js';
import { saveTenantSettings } from '../../server/settings.js';
import { BODY_LIMITS } from '../../server/app.js';
import { activityResponse, recordHistoryResponse, settingsImportResponse, settingsVersionsResponse, SETTINGS_EXPORT_FORMAT } from '../../shared/audit-api.js';
import { atRestText } from '../support/at-rest.js';
import { http } from '../support/stack.js';
import { CW_CLIENT_ID, signIn, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;
let other: Awaited<ReturnType<typeof startCwSim>>;
let admin: string;
let accountant: string;
let otherAdmin: string;
/** What invoice 1001 is in ConnectWise: its customer's name and its total, which no audit answer may carry. */
let secrets: string[];

beforeAll(async () => {
  s = await startSyncStack();
  admin = await signIn(s, 'admin');
  accountant = s.token;
  // A second ConnectWise company on its own simulator, registered on the same server: tenant B.
  other = await startCwSim({ port: 0, companyId: 'otherco', publicKey: 'otherPub', privateKey: 'otherPriv' });
  await registerTenant(s.server.deps, { companyId: 'OtherCo', siteUrl: other.url, clientId: CW_CLIENT_ID, publicKey: 'otherPub', privateKey: 'otherPriv' });
  otherAdmin = await signIn(s, 'admin', 'otherco', other.sim);
  const inv = await s.cwGet('finance/invoices/1001');
  secrets = [inv.company.name, Number(inv.total).toFixed(2)];
  const p = await s.push(1001);
  expect(p.body.outcome, JSON.stringify(p.body).slice(0, 300)).toBe('synced');
}, 90_000);
afterAll(async () => {
  await other?.close();
  await s?.close();
});

const api = (path: string) => `${s.server.url}${path}`;
const get = (path: string, token: string) => http(api(path), { token });

function carriesNoAccountingData(text: string) {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('a record’s sync history', () => {
  it('shows the push: when, who, which Xero document, the outcome — ids only', async () => {
    const r = await get('/api/history/invoice/1001', accountant);
    expect(r.status).toBe(200);
    const h = recordHistoryResponse.parse(r.body);
    const push = h.entries.find((e) => e.action === 'invoice.push')!;
    expect(push).toMatchObject({ member: 'accountant', outcome: 'synced' });
    expect(Math.abs(Date.parse(push.at) - Date.now())).toBeLessThan(120_000);
    const xeroId = push.refs.find((x) => x.label === 'xero')?.id;
    expect(xeroId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.documents.find((d) => d.xeroDocumentId === xeroId)).toMatchObject({ number: 'INV-1001', state: 'synced' });
    carriesNoAccountingData(atRestText(r.body));
  });

  it('is empty for a record never pushed, and 400 naming the field for a bad id or kind', async () => {
    const none = await get('/api/history/invoice/1002', accountant);
    expect(none.body).toEqual({ entries: [], documents: [] });
    expect((await get('/api/history/invoice/abc', accountant)).body.error).toMatchObject({ code: 'invalid_input', field: 'id' });
    expect((await get('/api/history/ticket/1', accountant)).body.error).toMatchObject({ code: 'invalid_input', field: 'kind' });
    expect((await http(api('/api/history/invoice/1001'))).status).toBe(401);
  });

  it('is a wall between tenants: tenant B sees nothing of A’s record', async () => {
    const r = await get('/api/history/invoice/1001', otherAdmin);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ entries: [], documents: [] });
  });
});

describe('the activity list', () => {
  it('filters by kind, outcome, member and date range, and pages', async () => {
    const all = activityResponse.parse((await get('/api/activity', admin)).body);
    expect(all.items.some((i) => i.action === 'session.created')).toBe(true);
    const pushes = activityResponse.parse((await get('/api/activity?kind=invoice&outcome=synced&member=accountant', admin)).body);
    expect(pushes.items.length).toBeGreaterThanOrEqual(1);
    for (const i of pushes.items) expect(i).toMatchObject({ member: 'accountant', outcome: 'synced' });
    expect(pushes.items.every((i) => i.action.startsWith('invoice.'))).toBe(true);
    expect(pushes.items[0]!.refs[0]).toEqual({ label: 'invoice', id: '1001' });
    const today = new Date().toISOString().slice(0, 10);
    const inRange = activityResponse.parse((await get(`/api/activity?kind=invoice&from=${today}&to=${today}`, admin)).body);
    expect(inRange.items.length).toBe(pushes.items.length);
    const before = activityResponse.parse((await get('/api/activity?kind=invoice&to=2020-01-01', admin)).body);
    expect(before.items).toEqual([]);
    expect(activityResponse.parse((await get('/api/activity?member=nobody', admin)).body).items).toEqual([]);
    // Pages of one, newest first, each row once.
    const seen: number[] = [];
    let cursor: number | null | undefined;
    for (let n = 0; n < 50; n++) {
      const page = activityResponse.parse((await get(`/api/activity?limit=1${cursor ? `&before=${cursor}` : ''}`, admin)).body);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextBefore;
      if (cursor === null) break;
    }
    expect(seen).toEqual(all.items.map((i) => i.id));
    carriesNoAccountingData(atRestText(all));
  });

  it('refuses bad filters naming the field, and members who are not admins', async () => {
    expect((await get('/api/activity?limit=500', admin)).body.error).toMatchObject({ code: 'invalid_input', field: 'limit' });
    expect((await get('/api/activity?from=yesterday', admin)).body.error).toMatchObject({ code: 'invalid_input', field: 'from' });
    expect((await get('/api/activity?from=2026-13-45', admin)).body.error).toMatchObject({ code: 'invalid_input', field: 'from' });
    expect((await get('/api/activity?to=2026-02-30', admin)).body.error).toMatchObject({ code: 'invalid_input', field: 'to' });
    expect((await get('/api/activity?from=2026-02-01&to=2026-01-01', admin)).body.error).toMatchObject({ code: 'invalid_input', field: 'to' });
    expect((await get('/api/activity?colour=red', admin)).status).toBe(400);
    expect((await get('/api/activity', accountant)).status).toBe(403);
    expect((await get('/api/activity.csv', accountant)).status).toBe(403);
  });

  it('exports as CSV: ids, codes and outcomes, no names or amounts', async () => {
    const r = await get('/api/activity.csv?kind=invoice', admin);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="cw-xero-sync-activity-democo\.csv"/);
    const lines = (r.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('at,action,member,outcome,record,ids,codes');
    expect(lines.slice(1).some((l) => /,invoice\.push,accountant,synced,invoice:1001,xero:[0-9a-f-]{36}/.test(l))).toBe(true);
    expect(lines.slice(1).every((l) => l.includes(',invoice.'))).toBe(true);
    carriesNoAccountingData(r.body as string);
  });

  it('is a wall between tenants', async () => {
    const b = activityResponse.parse((await get('/api/activity', otherAdmin)).body);
    expect(b.items.every((i) => !i.action.startsWith('invoice.'))).toBe(true);
    expect(b.items.every((i) => i.member === 'admin')).toBe(true); // only B's own sign-in
    const csv = (await get('/api/activity.csv', otherAdmin)).body as string;
    expect(csv).not.toContain('invoice:1001');
  });
});

describe('settings versions', () => {
  it('records who changed which fields and when — paths, never the values', async () => {
    const put = (json: unknown) => http(api('/api/settings'), { method: 'PUT', token: admin, json });
    expect((await put({ paymentSyncIntervalMinutes: 30 })).status).toBe(200);
    expect((await put({ invoiceMapping: { accountMap: { '4917': '2713' } }, pushers: { securityRoles: ['Finance', 'Billing'] } })).status).toBe(200);
    // Saving the same again changes nothing and records nothing.
    expect((await put({ paymentSyncIntervalMinutes: 30 })).status).toBe(200);
    const v = settingsVersionsResponse.parse((await get('/api/settings/versions', admin)).body);
    expect(v.items.slice(0, 2).map((x) => x.changedPaths)).toEqual([['invoiceMapping.accountMap', 'pushers.securityRoles'], ['paymentSyncIntervalMinutes']]);
    expect(v.items[0]).toMatchObject({ memberId: 'admin', source: 'save' });
    expect(Math.abs(Date.parse(v.items[0]!.at) - Date.now())).toBeLessThan(120_000);
    const rows = await s.server.deps.db.k.selectFrom('settings_versions').selectAll().where('tenant_id', '=', 'democo').execute();
    const text = atRestText(rows);
    for (const value of ['4917', '2713', 'Billing', '"30"', ':30']) expect(text).not.toContain(value);
    // Saves are in the activity list too.
    const act = activityResponse.parse((await get('/api/activity?kind=settings', admin)).body);
    expect(act.items.length).toBeGreaterThanOrEqual(2);
    expect(act.items[0]).toMatchObject({ action: 'settings.saved', member: 'admin', outcome: 'changed' });
    const settingsCsv = ((await get('/api/activity.csv?kind=settings', admin)).body as string).trim().split('\r\n');
    expect(settingsCsv[1]).toMatch(/^[^,]+,settings\.saved,admin,changed,settings,,$/);
  });

  it('are for admins only, and a wall between tenants', async () => {
    expect((await get('/api/settings/versions', accountant)).status).toBe(403);
    expect(settingsVersionsResponse.parse((await get('/api/settings/versions', otherAdmin)).body).items).toEqual([]);
  });
});

describe('settings export and import', () => {
  const importFile = (token: string, file: unknown, dryRun: boolean) =>
    http(api(`/api/settings/import${dryRun ? '?dryRun=1' : ''}`), { method: 'POST', token, json: file });

  it('exports, shows what an import would change (dry run, nothing written), then applies it — in a second environment', async () => {
    const exported = await get('/api/settings/export', admin);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="cw-xero-sync-settings-democo\.json"/);
    expect(exported.body).toMatchObject({ format: SETTINGS_EXPORT_FORMAT, tenant: 'democo', settings: { paymentSyncIntervalMinutes: 30 } });
    // Tenant B is the second environment.
    const before = (await get('/api/settings', otherAdmin)).body.settings;
    const dry = await importFile(otherAdmin, exported.body, true);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(settingsImportResponse.parse(dry.body)).toEqual({ dryRun: true, changedPaths: ['invoiceMapping.accountMap', 'paymentSyncIntervalMinutes', 'pushers.securityRoles'] });
    expect((await get('/api/settings', otherAdmin)).body.settings).toEqual(before);
    expect(settingsVersionsResponse.parse((await get('/api/settings/versions', otherAdmin)).body).items).toEqual([]);
    const applied = await importFile(otherAdmin, exported.body, false);
    expect(applied.body).toEqual({ dryRun: false, changedPaths: ['invoiceMapping.accountMap', 'paymentSyncIntervalMinutes', 'pushers.securityRoles'] });
    expect((await get('/api/settings', otherAdmin)).body.settings).toEqual(exported.body.settings);
    const v = settingsVersionsResponse.parse((await get('/api/settings/versions', otherAdmin)).body);
    expect(v.items).toHaveLength(1);
    expect(v.items[0]).toMatchObject({ memberId: 'admin', source: 'import', changedPaths: ['invoiceMapping.accountMap', 'paymentSyncIntervalMinutes', 'pushers.securityRoles'] });
    // Again: nothing would change.
    expect((await importFile(otherAdmin, exported.body, true)).body).toEqual({ dryRun: true, changedPaths: [] });
  });

  it('refuses a bad file with 400 naming the field, and writes nothing of it', async () => {
    const before = (await get('/api/settings', otherAdmin)).body.settings;
    const versions = settingsVersionsResponse.parse((await get('/api/settings/versions', otherAdmin)).body).items.length;
    const bad = async (file: unknown, field: string) => {
      for (const dryRun of [true, false]) {
        const r = await importFile(otherAdmin, file, dryRun);
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body.error).toMatchObject({ code: 'invalid_input', field });
      }
    };
    const good = { format: SETTINGS_EXPORT_FORMAT, settings: { paymentSyncIntervalMinutes: 60 } };
    await bad({ ...good, settings: { paymentSyncIntervalMinutes: 60, invoiceMapping: { accountMap: { '4000': '' } } } }, 'invoiceMapping.accountMap.4000');
    await bad({ ...good, settings: { paymentSyncIntervalMinutes: 60, expenses: { billStatus: 'PAID' } } }, 'expenses.billStatus');
    await bad({ ...good, settings: { paymentSyncIntervalMinutes: 60, colour: 'red' } }, 'settings');
    await bad({ ...good, format: 'something-else' }, 'format');
    await bad({ settings: good.settings }, 'format');
    await bad({ ...good, settings: { adminSecurityRoles: [], adminMemberIdentifiers: [] } }, 'adminSecurityRoles');
    const notJson = await http(api('/api/settings/import'), { method: 'POST', token: otherAdmin, body: '{"format":', headers: { 'content-type': 'application/json' } });
    expect(notJson.body.error).toMatchObject({ code: 'invalid_json', field: 'body' });
    expect((await get('/api/settings', otherAdmin)).body.settings).toEqual(before);
    expect(settingsVersionsResponse.parse((await get('/api/settings/versions', otherAdmin)).body).items).toHaveLength(versions);
  });

  it('is for admins only', async () => {
    expect((await get('/api/settings/export', accountant)).status).toBe(403);
    const r = await importFile(accountant, { format: SETTINGS_EXPORT_FORMAT, settings: {} }, true);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('not_admin');
  });

  it('takes the largest legitimate settings (the Wise-Pay matrix, the account map) within its body limit', async () => {
    const wide = (prefix: string, i: number, n: number) => (prefix + i + '会'.repeat(n)).slice(0, n);
    // As several PUTs build it, a section at a time; every Wise-Pay account is a bank account Xero has ('091').
    const wisePayAccounts = Object.fromEntries(Array.from({ length: 1000 }, (_, m) => [`member${m}`, Object.fromEntries(Array.from({ length: 50 }, (_, t) => [String(1_000_000_000 + t), '091']))]));
    await saveTenantSettings(s.server.deps.db, 'democo', {
      adminSecurityRoles: ['Admin', ...Array.from({ length: 49 }, (_, i) => wide('role', i, 100))],
      invoiceMapping: {
        accountMap: { '091': '805', ...Object.fromEntries(Array.from({ length: 1999 }, (_, i) => [wide('gl', i, 50), wide('acc', i, 50)])) },
        taxMap: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [wide('tax', i, 50), wide('t', i, 50)])),
      },
      expenses: { wisePay: true, wisePayAccounts },
    });
    const exported = await get('/api/settings/export', admin);
    const bytes = Buffer.byteLength(JSON.stringify(exported.body));
    expect(bytes).toBeGreaterThan(1024 * 1024);
    expect(bytes).toBeLessThan(BODY_LIMITS['POST /api/settings/import']!);
    const dry = await importFile(admin, exported.body, true);
    expect(dry.status, JSON.stringify(dry.body).slice(0, 300)).toBe(200);
    expect(dry.body).toEqual({ dryRun: true, changedPaths: [] });
    const over = await http(api('/api/settings/import?dryRun=1'), { method: 'POST', token: admin, body: ' '.repeat(BODY_LIMITS['POST /api/settings/import']! + 1), headers: { 'content-type': 'application/json' } });
    expect(over.status).toBe(413);
  }, 60_000);
});
