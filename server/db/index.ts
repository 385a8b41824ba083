// One data-access entry point over two engines: an embedded SQLite file (the
// default, no server needed) or PostgreSQL (DATABASE_URL, many instances).
// Both run the same Kysely queries and the same migrations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider } from 'kysely';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';

export type Engine = 'sqlite' | 'postgres';

export interface Db {
  engine: Engine;
  k: Kysely<Database>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://… ; unset for SQLite. */
  databaseUrl?: string | undefined;
  /** SQLite file path, or ":memory:". */
  sqlitePath?: string;
  /** PostgreSQL schema to use (tests give each run its own). */
  pgSchema?: string;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function openDb(opts: DbOptions): Promise<Db> {
  let db: Db;
  if (opts.databaseUrl) {
    const schema = opts.pgSchema;
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    if (schema) {
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
      await pool.query(`create schema if not exists ${schema}`);
    }
    const k = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    db = { engine: 'postgres', k, close: () => k.destroy() };
  } else {
    const path = opts.sqlitePath ?? ':memory:';
    // The data folder is the server user's only (0700): the database, and in the demo the generated key.
    if (path !== ':memory:') mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    const sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const k = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    db = { engine: 'sqlite', k, close: () => k.destroy() };
  }
  const migrator = new Migrator({ db: db.k, provider, allowUnorderedMigrations: true, ...(opts.pgSchema ? { migrationTableSchema: opts.pgSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.close();
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return db;
}

/** Names of the migrations this code knows that the database has not applied (readiness, server/lifecycle.ts). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await new Migrator({ db: db.k, provider, allowUnorderedMigrations: true }).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

export function nowIso(): string {
  return new Date().toISOString();
}
