// The bulk job engine of a server instance: pg-boss with DATABASE_URL
// (PostgreSQL, many instances), the embedded queue otherwise. Started once per
// AppDeps (the batch routes start it when the app is built) and stopped when
// the instance's database closes — server/main.ts's close() closes the
// database, so the jobs stop with the server without another hook there.
import type { AppDeps } from '../deps.js';
import { startEmbeddedQueue } from './embedded-queue.js';
import { startPgBossQueue } from './pg-boss-queue.js';
import type { BulkJobQueue } from './queue.js';

const started = new WeakMap<object, Promise<BulkJobQueue>>();

export function bulkJobs(deps: AppDeps): Promise<BulkJobQueue> {
  let q = started.get(deps.db);
  if (!q) {
    q = deps.db.engine === 'postgres' && deps.config.databaseUrl ? startPgBossQueue(deps) : startEmbeddedQueue(deps);
    started.set(deps.db, q);
    const close = deps.db.close.bind(deps.db);
    deps.db.close = async () => {
      await (await q!.catch(() => undefined))?.stop();
      await close();
    };
    q.catch((err) => console.error(`[bulk-jobs] could not start: ${err instanceof Error ? err.message : String(err)}`));
  }
  return q;
}
