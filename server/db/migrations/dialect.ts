import { PostgresAdapter, type Kysely } from 'kysely';

/** True on PostgreSQL, false on SQLite: for the few DDL details that differ. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
