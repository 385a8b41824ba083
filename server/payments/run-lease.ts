// One payment-sync run per tenant at a time, across every server instance:
// a lease row per tenant, taken by a single conditional UPDATE (atomic on
// SQLite and PostgreSQL alike), renewed while a run goes on, released after.
// The same row holds the schedule slot (`next_run_at`), claimed the same way
// so a tenant's scheduled run happens once per interval however many
// instances tick.
import type { Db } from '../db/index.js';

async function ensureRow(db: Db, tenantId: string, at: string): Promise<void> {
  await db.k
    .insertInto('payment_sync_tenants')
    .values({ tenant_id: tenantId, updated_at: at })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
}

/** Takes the tenant's run lease for `owner`; false when another run holds it. */
export async function acquireRunLease(db: Db, tenantId: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
  const at = now.toISOString();
  await ensureRow(db, tenantId, at);
  const r = await db.k
    .updateTable('payment_sync_tenants')
    .set({ lease_owner: owner, lease_until: new Date(now.getTime() + ttlMs).toISOString(), updated_at: at })
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at), eb('lease_owner', '=', owner)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Waits up to `waitMs` for the lease (a click while the schedule runs waits for it rather than failing). */
export async function waitForRunLease(db: Db, tenantId: string, owner: string, now: () => Date, ttlMs: number, waitMs: number): Promise<boolean> {
  const until = Date.now() + waitMs;
  for (;;) {
    if (await acquireRunLease(db, tenantId, owner, now(), ttlMs)) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function releaseRunLease(db: Db, tenantId: string, owner: string, outcome: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await db.k
    .updateTable('payment_sync_tenants')
    .set({ lease_owner: null, lease_until: null, last_run_at: at, last_outcome: outcome.slice(0, 200), updated_at: at })
    .where('tenant_id', '=', tenantId)
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * Claims this interval's scheduled run of a tenant: true for exactly one
 * caller per interval. A tenant seen for the first time is due one interval
 * from now (a server start does not fire a burst of runs).
 */
export async function claimScheduledRun(db: Db, tenantId: string, now: Date, intervalMs: number): Promise<boolean> {
  const at = now.toISOString();
  const next = new Date(now.getTime() + intervalMs).toISOString();
  await db.k
    .insertInto('payment_sync_tenants')
    .values({ tenant_id: tenantId, next_run_at: next, updated_at: at })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
  const r = await db.k
    .updateTable('payment_sync_tenants')
    .set({ next_run_at: next, updated_at: at })
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('next_run_at', 'is', null), eb('next_run_at', '<=', at)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
