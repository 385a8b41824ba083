// Rotating SECRETS_KEY (README, "Deployment"): every secret sealed at rest — a
// column named *_jwe in any table (ConnectWise API member keys, Xero token sets,
// OAuth verifiers) — is opened with the current key and sealed again with the
// new one, in ONE transaction: all or nothing. Run it with every instance
// stopped, then start them with the new key; sessions signed with the old key
// end (the pod signs in again by itself). Run again, it finds everything under
// the new key already and changes nothing.
//
//   SECRETS_KEY=<current> NEW_SECRETS_KEY=<new> DATABASE_URL=… node dist-server/server/rotate-secrets-key.js
//
// In the embedded mode without SECRETS_KEY the current key is DATA_DIR/secrets.key,
// which is replaced by the new key once the transaction committed.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from './config.js';
import { openDb, type Db } from './db/index.js';
import { deriveKeys, loadOrCreateRootKey } from './crypto/keys.js';
import { opensWith, resealSecret } from './crypto/secrets.js';

export interface RotatedColumn {
  table: string;
  column: string;
  /** Sealed again under the new key. */
  resealed: number;
  /** Already under the new key (a run after a finished rotation). */
  already: number;
}

/** Re-seals every *_jwe column from the `from` root key to the `to` root key in one transaction; throws (changing nothing) when a secret opens with neither. */
export async function rotateSecretsKey(db: Db, from: Uint8Array, to: Uint8Array): Promise<RotatedColumn[]> {
  const oldKey = deriveKeys(from).secretsKey;
  const newKey = deriveKeys(to).secretsKey;
  // PostgreSQL lists every schema's tables: only ours (the search_path's first) are this database's.
  const schema = db.engine === 'postgres' ? ((await sql<{ s: string }>`select current_schema() as s`.execute(db.k)).rows[0]?.s ?? 'public') : undefined;
  const tables = (await db.k.introspection.getTables()).filter((t) => schema === undefined || t.schema === schema);
  const sealed = tables.flatMap((t) => t.columns.filter((c) => c.name.endsWith('_jwe')).map((c) => ({ table: t.name, column: c.name })));
  return db.k.transaction().execute(async (trx) => {
    const k = trx as unknown as Kysely<Record<string, Record<string, string | null>>>;
    const out: RotatedColumn[] = [];
    for (const { table, column } of sealed) {
      const rows = await k.selectFrom(table).select(column).where(column, 'is not', null).execute();
      const r: RotatedColumn = { table, column, resealed: 0, already: 0 };
      for (const row of rows) {
        const jwe = row[column] as string;
        const next = await resealSecret(oldKey, newKey, jwe);
        if (next) {
          await k.updateTable(table).set({ [column]: next }).where(column, '=', jwe).execute();
          r.resealed++;
        } else if (await opensWith(newKey, jwe)) r.already++;
        else throw new Error(`${table}.${column}: a secret opens with neither the current nor the new key; nothing was changed`);
      }
      out.push(r);
    }
    return out;
  });
}

async function main(): Promise<void> {
  const env = process.env;
  if (!env.NEW_SECRETS_KEY) throw new Error('NEW_SECRETS_KEY: the new key is required (32 bytes, base64url: openssl rand -base64 32 | tr "+/" "-_" | tr -d "=")');
  const config = loadConfig(env);
  const keyFile = join(config.dataDir, 'secrets.key');
  if (!config.secretsKey && !existsSync(keyFile)) throw new Error('SECRETS_KEY: the current key is required (or DATA_DIR holding secrets.key in the embedded mode)');
  const from = loadOrCreateRootKey(config.secretsKey, config.dataDir);
  const to = loadOrCreateRootKey(env.NEW_SECRETS_KEY, config.dataDir);
  const db = await openDb({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'cw-xero-sync.sqlite') });
  try {
    const result = await rotateSecretsKey(db, from, to);
    for (const r of result) console.log(`${r.table}.${r.column}: ${r.resealed} sealed again under the new key, ${r.already} already under it`);
  } finally {
    await db.close();
  }
  if (!config.secretsKey) {
    writeFileSync(`${keyFile}.new`, `${env.NEW_SECRETS_KEY.trim()}\n`, { mode: 0o600 });
    renameSync(`${keyFile}.new`, keyFile);
    console.log(`${keyFile} now holds the new key`);
  } else {
    console.log('Done: start every instance with SECRETS_KEY set to the new key.');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(`rotate-secrets-key: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
