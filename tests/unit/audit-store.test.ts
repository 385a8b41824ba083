// The audit reads and settings versions on both engines (issue 13): a record's
// history from the push audit and bulk runs, the activity page's filters and
// paging, the CSV, settings versions with field paths only — and each tenant
// sees only its own rows.
import { afterEach, describe, expect, it } from 'vitest';
import { freshDb, engines } from '../support/db.js';
import { activityCsv, activityPage, recordHistory } from '../../server/audit/history.js';
import { listSettingsVersions, settingsChangedPaths } from '../../server/audit/settings-versions.js';
import { saveTenantSettings, tenantSettingsSchema, defaultSettings } from '../../server/settings.js';
import { RunStore } from '../../server/bulk/run-store.js';

describe('field paths of a settings change', () => {
  it('names the schema’s fields, never a map’s keys or values, and sees no change in a reordered map', () => {
    const a = defaultSettings();
    const b = { ...a, invoiceMapping: { ...a.invoiceMapping, accountMap: { '4000': '200' } }, pushers: { ...a.pushers, securityRoles: ['Billing'] } };
    expect(settingsChangedPaths(tenantSettingsSchema, a, b)).toEqual(['invoiceMapping.accountMap', 'pushers.securityRoles']);
    const c = { ...b, invoiceMapping: { ...b.invoiceMapping, accountMap: { x: '1', y: '2' } } };
    const d = { ...b, invoiceMapping: { ...b.invoiceMapping, accountMap: { y: '2', x: '1' } } };
    expect(settingsChangedPaths(tenantSettingsSchema, c, d)).toEqual([]);
  });
});

describe.each(engines)('audit store on %s', (engine) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => drop?.());

  it('reads a record’s history, the activity (filters, pages, CSV) and settings versions, tenant by tenant', async () => {
    const db = await freshDb(engine);
    drop = db.drop;
    const k = db.k;
    for (const id of ['a', 'b']) await k.insertInto('tenants').values({ id, site_url: 'https://cw.example', cw_origin: 'https://cw.example', client_id: 'c', api_keys_jwe: 'x', created_at: 'x', updated_at: 'x' }).execute();
    const row = (tenant: string, action: string, subject: string | null, outcome: string, at: string, member = 'ana', message: string | null = null) =>
      k.insertInto('audit_log').values({ tenant_id: tenant, action, member_id: member, subject, outcome, message, at }).execute();
    await row('a', 'invoice.push', 'invoice:7 xero:doc-7 cwbatch:3', 'synced', '2026-03-01T10:00:00.000Z');
    await row('a', 'invoice.push', 'invoice:7', 'needs_attention', '2026-03-02T10:00:00.000Z', 'ana', 'tax_unmapped,account_unmapped');
    await row('a', 'invoice.push', 'invoice:70 xero:doc-70', 'synced', '2026-03-03T10:00:00.000Z');
    await row('a', 'invoice.push', 'invoice:7', 'interrupted', '2026-03-04T10:00:00.000Z', 'bo', 'push interrupted (TypeError)');
    await row('b', 'invoice.push', 'invoice:7 xero:doc-b', 'synced', '2026-03-05T10:00:00.000Z');
    await k.insertInto('sync_ledger').values({ tenant_id: 'a', record_kind: 'invoice', cw_record_id: '7', gl_entry_ids: null, xero_tenant_id: 'org', xero_document_id: 'doc-7', xero_number: 'INV-7', xero_contact_id: null, xero_status: 'AUTHORISED', cw_batch_identifier: null, cw_batch_id: null, state: 'synced', content_hash: null, error_code: null, error_message: null, lease_owner: null, lease_until: null, created_at: 'x', updated_at: 'x', synced_at: null, document_kind: 'invoice', create_key: null }).execute();
    const runs = new RunStore(db, () => new Date('2026-03-06T10:00:00.000Z'));
    const run = await runs.create('a', 'cy', 'record', [{ cwRecordId: '7', glEntryId: '5007', xeroTenantId: 'org' }]);
    await runs.updateItem(run.id, 0, { state: 'failed', error_code: 'xero_unavailable' });

    const h = await recordHistory(k, 'a', 'invoice', 7);
    expect(h.entries.map((e) => [e.action, e.member, e.outcome, e.codes])).toEqual([
      ['invoice.run', 'cy', 'failed', ['xero_unavailable']],
      ['invoice.push', 'bo', 'interrupted', []], // words are not codes: left out
      ['invoice.push', 'ana', 'needs_attention', ['tax_unmapped', 'account_unmapped']],
      ['invoice.push', 'ana', 'synced', []],
    ]);
    expect(h.entries[3]!.refs).toEqual([{ label: 'invoice', id: '7' }, { label: 'xero', id: 'doc-7' }, { label: 'cwbatch', id: '3' }]);
    expect(h.documents).toEqual([{ xeroDocumentId: 'doc-7', number: 'INV-7', documentKind: 'invoice', state: 'synced' }]);
    expect((await recordHistory(k, 'b', 'invoice', 7)).entries.map((e) => e.refs[1]?.id)).toEqual(['doc-b']);
    expect((await recordHistory(k, 'b', 'invoice', 70)).entries).toEqual([]);

    const all = await activityPage(k, 'a', {});
    expect(all.items.map((i) => i.outcome)).toEqual(['interrupted', 'synced', 'needs_attention', 'synced']);
    expect((await activityPage(k, 'a', { member: 'bo' })).items).toHaveLength(1);
    expect((await activityPage(k, 'a', { outcome: 'synced', from: '2026-03-02', to: '2026-03-03' })).items.map((i) => i.refs[0]!.id)).toEqual(['70']);
    expect((await activityPage(k, 'a', { kind: 'payment' })).items).toEqual([]);
    const p1 = await activityPage(k, 'a', { limit: 3 });
    expect(p1.items).toHaveLength(3);
    const p2 = await activityPage(k, 'a', { limit: 3, before: p1.nextBefore! });
    expect([...p1.items, ...p2.items].map((i) => i.id)).toEqual(all.items.map((i) => i.id));
    expect(p2.nextBefore).toBeNull();
    const csv = await activityCsv(k, 'a', { member: 'ana' });
    expect(csv.split('\r\n')).toEqual([
      'at,action,member,outcome,record,ids,codes',
      '2026-03-03T10:00:00.000Z,invoice.push,ana,synced,invoice:70,xero:doc-70,',
      '2026-03-02T10:00:00.000Z,invoice.push,ana,needs_attention,invoice:7,,tax_unmapped account_unmapped',
      '2026-03-01T10:00:00.000Z,invoice.push,ana,synced,invoice:7,xero:doc-7 cwbatch:3,',
      '',
    ]);
    expect((await activityPage(k, 'b', {})).items).toHaveLength(1);

    await saveTenantSettings(db, 'a', { paymentSyncIntervalMinutes: 30 }, { memberId: 'ana', source: 'save' });
    await saveTenantSettings(db, 'a', { paymentSyncIntervalMinutes: 30 }, { memberId: 'ana', source: 'save' }); // no change: no version
    await saveTenantSettings(db, 'a', { invoiceMapping: { accountMap: { '4000': '200' } } }, { memberId: 'bo', source: 'import' });
    const v = await listSettingsVersions(k, 'a', { limit: 1 });
    expect(v.items).toEqual([{ id: expect.any(Number), at: expect.any(String), memberId: 'bo', source: 'import', changedPaths: ['invoiceMapping.accountMap'] }]);
    const v2 = await listSettingsVersions(k, 'a', { limit: 1, before: v.nextBefore! });
    expect(v2.items.map((x) => x.changedPaths)).toEqual([['paymentSyncIntervalMinutes']]);
    expect(v2.nextBefore).toBeNull();
    expect((await listSettingsVersions(k, 'b', { limit: 50 })).items).toEqual([]);
    expect((await activityPage(k, 'a', { kind: 'settings' })).items.map((i) => i.action)).toEqual(['settings.imported', 'settings.saved']);
  });
});
