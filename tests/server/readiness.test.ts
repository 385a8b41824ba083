// /readyz says what is not ready (issue 13): a migration this code knows but
// the database lacks, and a draining instance — which also refuses new work
// with a 503 in words while reads still answer. No session needed, no data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../server/main.js';
import { startDraining } from '../../server/lifecycle.js';

let s: Awaited<ReturnType<typeof startServer>>;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cwx-ready-'));
  s = await startServer({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, PAYMENT_SCHEDULE_TICK_SECONDS: '0' });
});
afterAll(async () => {
  await s?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const res = await fetch(`${s.url}${path}`);
  return { status: res.status, body: (await res.json()) as any };
};

describe('/readyz', () => {
  it('is 200 when the database, its migrations and the job engine are ready', async () => {
    expect(await get('/readyz')).toEqual({ status: 200, body: { ready: true, checks: { process: 'ok', database: 'ok', migrations: 'ok', jobs: 'ok' } } });
  });

  it('is 503 naming a migration the database has not applied, and 200 again once it has', async () => {
    const [last] = await s.deps.db.k.selectFrom('kysely_migration' as any).select('name').orderBy('name', 'desc').limit(1).execute() as { name: string }[];
    const row = await s.deps.db.k.selectFrom('kysely_migration' as any).selectAll().where('name', '=', last!.name).executeTakeFirstOrThrow();
    await s.deps.db.k.deleteFrom('kysely_migration' as any).where('name', '=', last!.name).execute();
    try {
      const r = await get('/readyz');
      expect(r).toEqual({ status: 503, body: { ready: false, checks: { process: 'ok', database: 'ok', migrations: 'pending', jobs: 'ok' }, pendingMigrations: 1 } });
    } finally {
      await s.deps.db.k.insertInto('kysely_migration' as any).values(row).execute();
    }
    expect((await get('/readyz')).status).toBe(200);
  });

  it('while draining: 503, new work refused in words with Retry-After, reads and /healthz still answer', async () => {
    startDraining(s.deps);
    expect(await get('/readyz')).toEqual({ status: 503, body: { ready: false, checks: { process: 'draining', database: 'ok', migrations: 'ok', jobs: 'ok' } } });
    expect(await get('/healthz')).toMatchObject({ status: 200, body: { ok: true } });
    for (const [method, path] of [['POST', '/api/batch/runs'], ['POST', '/api/invoices/12/push'], ['PUT', '/api/settings']] as const) {
      const res = await fetch(`${s.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(((await res.json()) as any).error).toMatchObject({ code: 'shutting_down', message: expect.stringMatching(/shutting down.*nothing was done/) });
    }
    // A read is not refused for draining (here: no session, so 401 as always).
    expect((await fetch(`${s.url}/api/batch/unposted`)).status).toBe(401);
  });
});
