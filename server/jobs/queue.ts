// The job engine behind bulk runs, as the bulk code sees it. A job is
// {runId, tenantId, xeroTenantId} — ids only, never accounting data. Jobs of
// one organisation never run at the same time (across all instances on
// PostgreSQL), which is what keeps an organisation within Xero's limits.
import type { OrgJob } from '../bulk/worker.js';

export interface BulkJobQueue {
  readonly engine: 'pg-boss' | 'embedded';
  /** Queue a step of a run for one organisation (now, or at `startAfter`). */
  enqueue(job: OrgJob, startAfter?: Date): Promise<void>;
  /** Whether it is running and can reach its store (readiness, server/lifecycle.ts). */
  check(): Promise<boolean>;
  /**
   * Takes no further job; a step in flight gets up to `graceMs` to finish (it starts no
   * further chunk while the instance drains), else its job is handed back to the queue
   * at once for another instance. Without `graceMs`, a step in flight is not waited for.
   */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

/** Jobs of one organisation share this key (pg-boss singletonKey, embedded chain). */
export function orgKey(job: Pick<OrgJob, 'tenantId' | 'xeroTenantId'>): string {
  return `${job.tenantId}:${job.xeroTenantId}`;
}

export const BULK_QUEUE = 'bulk-org-step';
