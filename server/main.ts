// Runs one server instance from the environment.
import { serve } from '@hono/node-server';
import { join } from 'node:path';
import { loadConfig } from './config.js';
import { openDb } from './db/index.js';
import { deriveKeys, loadOrCreateRootKey } from './crypto/keys.js';
import { createApp } from './app.js';

export async function startServer(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(env);
  const db = await openDb({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'cw-xero-sync.sqlite') });
  const keys = deriveKeys(loadOrCreateRootKey(config.secretsKey, config.dataDir));
  const deps = { config, db, keys, now: () => new Date() };
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    deps,
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startServer();
  console.log(`[server] listening on ${s.deps.config.publicUrl} (${s.deps.db.engine})`);
}
