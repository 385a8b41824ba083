import { afterEach, describe, expect, it } from 'vitest';
import { freshDb, engines } from '../support/db.js';
import { nowIso } from '../../server/db/index.js';

describe.each(engines)('database on %s', (engine) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => drop?.());

  it('migrates and round-trips a tenant row', async () => {
    const db = await freshDb(engine);
    drop = db.drop;
    const at = nowIso();
    await db.k
      .insertInto('tenants')
      .values({ id: 'acme', site_url: 'https://cw.example', cw_origin: 'https://cw.example', client_id: 'c', api_keys_jwe: 'x', created_at: at, updated_at: at })
      .execute();
    const row = await db.k.selectFrom('tenants').selectAll().where('id', '=', 'acme').executeTakeFirstOrThrow();
    expect(row.site_url).toBe('https://cw.example');
    const audit = await db.k
      .insertInto('audit_log')
      .values({ tenant_id: 'acme', action: 'test', member_id: null, subject: null, outcome: 'ok', message: null, at })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(Number(audit.id)).toBeGreaterThan(0);
  });

  it('the same query again with other values answers for those values (statements reused)', async () => {
    const db = await freshDb(engine);
    drop = db.drop;
    const at = nowIso();
    for (const id of ['t1', 't2', 't3']) {
      await db.k.insertInto('tenants').values({ id, site_url: `https://${id}.example`, cw_origin: `https://${id}.example`, client_id: id, api_keys_jwe: 'x', created_at: at, updated_at: at }).execute();
    }
    const siteOf = async (id: string) => (await db.k.selectFrom('tenants').select('site_url').where('id', '=', id).executeTakeFirst())?.site_url;
    for (let round = 0; round < 3; round++) {
      expect(await siteOf('t2')).toBe('https://t2.example');
      expect(await siteOf('t1')).toBe('https://t1.example');
      expect(await siteOf('nobody')).toBeUndefined();
    }
    // A row changed between two runs of the same statement is read as it is now.
    await db.k.updateTable('tenants').set({ site_url: 'https://moved.example' }).where('id', '=', 't1').execute();
    expect(await siteOf('t1')).toBe('https://moved.example');
  });
});
