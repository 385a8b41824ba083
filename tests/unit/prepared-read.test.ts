// A read compiled once (server/db/prepared-read.ts) gives each call's own rows on both engines: the
// arguments take their markers' places, constants written in the query stay, and an argument that
// could not stand as one parameter is refused when the read is first compiled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDb } from '../support/db.js';
import type { Db } from '../../server/db/index.js';
import { preparedRead } from '../../server/db/prepared-read.js';
import { registerTestTenant } from '../xero-connect/harness.js';

const at = '2026-11-30T00:00:00.000Z';
const settingsOf = preparedRead((k, a: { tenantId: string }) => k.selectFrom('tenant_settings').select(['tenant_id', 'settings_json']).where('tenant_id', '=', a.tenantId));
// Two arguments in the other order from the query's, and a constant.
const runsOf = preparedRead((k, a: { kind: string; tenantId: string }) =>
  k.selectFrom('bulk_runs').select('id').where('tenant_id', '=', a.tenantId).where('status', '=', 'done').where('record_kind', '=', a.kind).orderBy('id'),
);

describe.each(['sqlite', 'postgres'] as const)('prepared read (%s)', (engine) => {
  let db: Db & { drop(): Promise<void> };
  beforeAll(async () => {
    db = await freshDb(engine);
    await registerTestTenant(db, 'one');
    await registerTestTenant(db, 'two');
    await db.k.insertInto('tenant_settings').values([{ tenant_id: 'one', settings_json: '{"a":1}', updated_at: at }, { tenant_id: 'two', settings_json: '{"a":2}', updated_at: at }]).execute();
    const run = (id: string, tenant_id: string, record_kind: string, status: string) => ({ id, tenant_id, record_kind, status, batching: 'record', created_at: at, updated_at: at });
    await db.k
      .insertInto('bulk_runs')
      .values([run('r1', 'one', 'invoice', 'done'), run('r2', 'one', 'invoice', 'running'), run('r3', 'one', 'expense', 'done'), run('r4', 'two', 'invoice', 'done')])
      .execute();
  });
  afterAll(async () => db?.drop());

  it("each call reads with its own arguments, as the query built afresh does", async () => {
    expect(await settingsOf(db, { tenantId: 'one' })).toEqual([{ tenant_id: 'one', settings_json: '{"a":1}' }]);
    expect(await settingsOf(db, { tenantId: 'two' })).toEqual([{ tenant_id: 'two', settings_json: '{"a":2}' }]);
    expect(await settingsOf(db, { tenantId: 'three' })).toEqual([]);
    for (const [tenantId, kind, ids] of [['one', 'invoice', ['r1']], ['one', 'expense', ['r3']], ['two', 'invoice', ['r4']], ['two', 'expense', []]] as const) {
      const built = await db.k.selectFrom('bulk_runs').select('id').where('tenant_id', '=', tenantId).where('status', '=', 'done').where('record_kind', '=', kind).orderBy('id').execute();
      expect(built.map((r) => r.id)).toEqual(ids);
      expect(await runsOf(db, { kind, tenantId })).toEqual(built);
    }
  });

  it('refuses an argument that would be inlined or spread, naming it', async () => {
    const inlined = preparedRead((k, a: { tenantId: string }) => k.selectFrom('tenants').select('id').where('id', '=', sql.lit(a.tenantId)));
    await expect(inlined(db, { tenantId: 'one' })).rejects.toThrow(/tenantId did not compile to one parameter/);
  });
});
