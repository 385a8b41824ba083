// A push of one ConnectWise record's Xero documents by a person (or the
// schedule), through the one engine, with its audit rows — the invoice dialog,
// the expense tab and the purchase-order pod all push through here. The audit
// keeps ids, outcomes and problem codes only (never amounts or names; a
// library's message can quote the value it choked on, so only our own words).
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import type { CwClient } from '../cw/client.js';
import { LeaseLost, XeroDayLimit, XeroUnavailable } from '../engine/errors.js';
import type { RecordOutcome } from '../engine/executor.js';
import type { PreparedRecord } from '../engine/ports.js';
import { pushRecords } from '../engine/push.js';
import { ApiError, unavailable } from '../http/errors.js';

export type AuditAction = 'invoice.push' | 'expense.push' | 'purchase.push';

export async function auditPush(deps: AppDeps, d: { tenantId: string; action: AuditAction; memberId: string; subject: string; outcome: string; message?: string | null }): Promise<void> {
  await deps.db.k
    .insertInto('audit_log')
    .values({ tenant_id: d.tenantId, action: d.action, member_id: d.memberId, subject: d.subject, outcome: d.outcome, message: d.message ?? null, at: deps.now().toISOString() })
    .execute();
}

/** The ids of an outcome for its audit row: the record, its Xero document, its ConnectWise batch. */
export function outcomeIds(subject: string, o: RecordOutcome, label = 'doc'): string {
  return [subject, `${label}:${o.cwRecordId}`, o.xero?.id ? `xero:${o.xero.id}` : null, o.cwBatchId != null ? `cwbatch:${o.cwBatchId}` : null].filter(Boolean).join(' ');
}

/** An interrupted push in words: nothing is duplicated by pushing again (the ledger keeps the last step done). */
export function pushInterrupted(err: unknown, what: string): never {
  if (err instanceof ApiError) throw err;
  if (err instanceof XeroUnavailable || err instanceof XeroDayLimit) unavailable(err);
  if (err instanceof LeaseLost) throw new ApiError(409, 'push_taken_over', `Another push of this ${what} took over and finishes it; this view updates in a moment.`);
  throw new ApiError(503, 'push_interrupted', 'The push to Xero was interrupted before it finished. Nothing is duplicated by trying again: push again to finish it.');
}

/**
 * Pushes the records (a person's push goes ahead of queued run work; the
 * schedule's waits with runs) and writes an audit row per outcome, or one
 * 'interrupted' row when the push stopped between steps (then rethrows).
 */
export async function auditedPush(
  deps: AppDeps,
  a: { tenantId: string; action: AuditAction; memberId: string; subject: string; xeroTenantId: string; cw: CwClient; records: PreparedRecord[]; label?: string },
): Promise<RecordOutcome[]> {
  let outcomes: RecordOutcome[];
  try {
    outcomes = await pushRecords(deps, a.tenantId, a.xeroTenantId, a.cw, a.records, { priority: a.memberId === 'schedule' ? 'run' : 'person', leaseOwner: randomUUID() });
  } catch (err) {
    const message = err instanceof ApiError ? err.message : `push interrupted (${err instanceof Error ? err.name : 'unknown failure'})`;
    await auditPush(deps, { tenantId: a.tenantId, action: a.action, memberId: a.memberId, subject: a.subject, outcome: 'interrupted', message });
    throw err;
  }
  for (const o of outcomes) {
    await auditPush(deps, { tenantId: a.tenantId, action: a.action, memberId: a.memberId, subject: outcomeIds(a.subject, o, a.label), outcome: o.state, message: o.problems.map((x) => x.code).join(',') || null });
  }
  return outcomes;
}

/** Many documents' outcomes as one answer to the person who pushed. */
export function summarisePush(outcomes: readonly RecordOutcome[], busyWords: string): { outcome: 'synced' | 'unchanged' | 'needs_attention' | 'busy'; message: string } {
  const attention = outcomes.filter((o) => o.state === 'needs_attention');
  if (attention.length) return { outcome: 'needs_attention', message: attention[0]!.message };
  if (outcomes.some((o) => o.state === 'busy')) return { outcome: 'busy', message: busyWords };
  if (outcomes.every((o) => o.state === 'unchanged')) return { outcome: 'unchanged', message: 'Already in Xero and unchanged since the last push.' };
  return { outcome: 'synced', message: outcomes.map((o) => o.message).join(' ') };
}
