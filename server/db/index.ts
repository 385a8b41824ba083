// One data-access entry point over two engines: an embedded SQLite file (the
// default, no server needed) or PostgreSQL (DATABASE_URL, many instances).
// Both run the same Kysely queries and the same migrations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider, type SqliteDatabase } from 'kysely';
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
    const k = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
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

/** How many prepared SQLite statements are kept for reuse (the same query text, other parameters). */
export const SQLITE_STATEMENTS_KEPT = 500;

/**
 * Kysely's SQLite driver prepares every query afresh; preparing was the
 * largest part of a small read (issue 12, session-only routes). The same SQL
 * text reuses its prepared statement (parameters are bound per run; SQLite
 * prepares again by itself after a schema change), at most
 * SQLITE_STATEMENTS_KEPT, the least recently used forgotten first. A statement
 * still iterating (a streamed query) is never handed out twice: a fresh one is.
 */
function reusingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const kept = new LRUCache<string, SQLite.Statement>({ max: SQLITE_STATEMENTS_KEPT });
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const hit = kept.get(sql);
      if (hit && !hit.busy) return hit;
      const stmt = sqlite.prepare(sql);
      if (hit) return stmt;
      kept.set(sql, stmt);
      return stmt;
    },
  };
}

/** Names of the migrations this code knows that the database has not applied (readiness, server/lifecycle.ts). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await new Migrator({ db: db.k, provider, allowUnorderedMigrations: true }).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

export function nowIso(): string {
  return new Date().toISOString();
}
