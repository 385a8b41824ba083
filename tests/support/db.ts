// Opens a fresh database on either engine for a test. PostgreSQL runs on
// 127.0.0.1:5432 (database "test") here and in CI; each call gets its own schema.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db, type Engine } from '../../server/db/index.js';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const engines: Engine[] = ['sqlite', 'postgres'];

export async function freshDb(engine: Engine): Promise<Db & { schema?: string; drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const db = await openDb({ sqlitePath: ':memory:' });
    return { ...db, drop: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const db = await openDb({ databaseUrl: PG_URL, pgSchema: schema });
  return {
    ...db,
    schema,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
