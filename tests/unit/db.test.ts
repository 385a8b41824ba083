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
});
