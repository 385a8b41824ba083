// The durable state of bulk runs: a run (tenant, kind, options, status) and
// its records (ConnectWise ids, the organisation each books into, outcome).
// Ids, states, error codes and messages only. The job engine carries only
// {runId, tenantId, xeroTenantId}; everything else is read from here.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { preparedRead } from '../db/prepared-read.js';
import type { BulkRunItemsTable, BulkRunsTable } from '../db/schema.js';
import type { Selectable } from 'kysely';

export type RunRow = Selectable<BulkRunsTable>;
export type ItemRow = Selectable<BulkRunItemsTable>;
export type Batching = 'record' | 'run';
/**
 * What a run pushes (bulk_runs.record_kind): invoices, expense reports (one
 * item per report, cw_record_id = report id), or procurement (one item per
 * purchase order, `po:{id}`, or inventory transaction, `adj-{GL entry}` /
 * `xfer-{GL entry}`).
 */
export type RunKind = 'invoice' | 'expense' | 'procurement';
export type ItemState = 'pending' | 'xero_created' | 'synced' | 'needs_attention' | 'failed' | 'cancelled';

export interface NewRunItem {
  cwRecordId: string;
  glEntryId: string;
  xeroTenantId: string;
}

// LIMIT as a literal: SQLite runs a statement whose LIMIT is a bound parameter 2–3× slower, and every pod asks this.
const latestRun = preparedRead((k, a: { tenantId: string; recordKind: string }) =>
  k.selectFrom('bulk_runs').selectAll().where('tenant_id', '=', a.tenantId).where('record_kind', '=', a.recordKind).orderBy('created_at', 'desc').limit(sql.lit(1)),
);

export class RunStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private at(): string {
    return this.now().toISOString();
  }

  async create(tenantId: string, createdBy: string | null, batching: Batching, items: NewRunItem[], recordKind: RunKind = 'invoice'): Promise<RunRow> {
    const id = randomUUID();
    const at = this.at();
    await this.db.k.transaction().execute(async (tx) => {
      await tx
        .insertInto('bulk_runs')
        .values({ id, tenant_id: tenantId, record_kind: recordKind, status: 'running', batching, created_by: createdBy, waiting_until: null, waiting_reason: null, created_at: at, updated_at: at, finished_at: null })
        .execute();
      for (let i = 0; i < items.length; i += 200) {
        const part = items.slice(i, i + 200);
        await tx
          .insertInto('bulk_run_items')
          .values(part.map((it, j) => ({ run_id: id, seq: i + j, tenant_id: tenantId, cw_record_id: it.cwRecordId, gl_entry_id: it.glEntryId, xero_tenant_id: it.xeroTenantId, state: 'pending', error_code: null, error_message: null, where_to_fix: null, xero_document_id: null, xero_number: null, updated_at: at })))
          .execute();
      }
    });
    return (await this.get(tenantId, id))!;
  }

  /** A run of this tenant (never another's). */
  async get(tenantId: string, runId: string): Promise<RunRow | undefined> {
    return this.db.k.selectFrom('bulk_runs').selectAll().where('id', '=', runId).where('tenant_id', '=', tenantId).executeTakeFirst();
  }

  /** The tenant's latest run of one kind (a run row without a kind predates expense runs: an invoice run). */
  async latest(tenantId: string, recordKind: RunKind = 'invoice'): Promise<RunRow | undefined> {
    return (await latestRun(this.db, { tenantId, recordKind }))[0];
  }

  async setStatus(runId: string, status: RunRow['status'], extra: Partial<Pick<RunRow, 'waiting_until' | 'waiting_reason' | 'finished_at'>> = {}): Promise<void> {
    await this.db.k.updateTable('bulk_runs').set({ status, ...extra, updated_at: this.at() }).where('id', '=', runId).execute();
  }

  /** Only moves a run that is still in one of `from` (so a cancel is never overwritten by a late worker). */
  async transition(runId: string, from: string[], to: string, extra: Partial<Pick<RunRow, 'waiting_until' | 'waiting_reason' | 'finished_at'>> = {}): Promise<boolean> {
    const r = await this.db.k.updateTable('bulk_runs').set({ status: to, ...extra, updated_at: this.at() }).where('id', '=', runId).where('status', 'in', from).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async setWaiting(runId: string, until: Date | null, reason: string | null): Promise<void> {
    await this.db.k
      .updateTable('bulk_runs')
      .set({ waiting_until: until ? until.toISOString() : null, waiting_reason: reason, updated_at: this.at() })
      .where('id', '=', runId)
      .execute();
  }

  async status(runId: string): Promise<string | undefined> {
    return (await this.db.k.selectFrom('bulk_runs').select('status').where('id', '=', runId).executeTakeFirst())?.status;
  }

  /** The next records of one organisation still to push (in run order). */
  async nextPending(runId: string, xeroTenantId: string, limit: number): Promise<ItemRow[]> {
    return this.db.k
      .selectFrom('bulk_run_items')
      .selectAll()
      .where('run_id', '=', runId)
      .where('xero_tenant_id', '=', xeroTenantId)
      .where('state', '=', 'pending')
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async itemsInState(runId: string, xeroTenantId: string, state: ItemState): Promise<ItemRow[]> {
    return this.db.k.selectFrom('bulk_run_items').selectAll().where('run_id', '=', runId).where('xero_tenant_id', '=', xeroTenantId).where('state', '=', state).orderBy('seq').execute();
  }

  async updateItem(runId: string, seq: number, patch: Partial<Pick<ItemRow, 'state' | 'error_code' | 'error_message' | 'where_to_fix' | 'xero_document_id' | 'xero_number'>>, countAttempt = false): Promise<void> {
    let q = this.db.k.updateTable('bulk_run_items').set({ ...patch, updated_at: this.at() });
    if (countAttempt) q = q.set({ attempts: sql`attempts + 1` });
    await q.where('run_id', '=', runId).where('seq', '=', seq).execute();
  }

  /** These records are closed in ConnectWise: synced, all in one statement (a crash leaves all of them waiting, or none). */
  async markSynced(runId: string, seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return;
    await this.db.k.updateTable('bulk_run_items').set({ state: 'synced', updated_at: this.at() }).where('run_id', '=', runId).where('seq', 'in', [...seqs]).execute();
  }

  /** The organisation a record books into, once its location is mapped. */
  async setItemOrg(runId: string, seq: number, xeroTenantId: string): Promise<void> {
    await this.db.k.updateTable('bulk_run_items').set({ xero_tenant_id: xeroTenantId, updated_at: this.at() }).where('run_id', '=', runId).where('seq', '=', seq).execute();
  }

  /** Every pending record of one organisation → failed, with the reason (retryable). */
  async failPending(runId: string, xeroTenantId: string, code: string, message: string, where: string): Promise<void> {
    await this.db.k
      .updateTable('bulk_run_items')
      .set({ state: 'failed', error_code: code, error_message: message.slice(0, 500), where_to_fix: where, updated_at: this.at() })
      .where('run_id', '=', runId)
      .where('xero_tenant_id', '=', xeroTenantId)
      .where('state', '=', 'pending')
      .execute();
  }

  /** pending → cancelled for every record not yet started. */
  async cancelPending(runId: string): Promise<void> {
    await this.db.k.updateTable('bulk_run_items').set({ state: 'cancelled', updated_at: this.at() }).where('run_id', '=', runId).where('state', '=', 'pending').execute();
  }

  /** failed / needs_attention (and cancelled) → pending again; returns the organisations to resume. */
  async resetForRetry(runId: string, states: ItemState[]): Promise<string[]> {
    await this.db.k
      .updateTable('bulk_run_items')
      .set({ state: 'pending', error_code: null, error_message: null, where_to_fix: null, updated_at: this.at() })
      .where('run_id', '=', runId)
      .where('state', 'in', states)
      .execute();
    return this.orgsWithPending(runId);
  }

  async orgsWithPending(runId: string): Promise<string[]> {
    const rows = await this.db.k.selectFrom('bulk_run_items').select('xero_tenant_id').distinct().where('run_id', '=', runId).where('state', 'in', ['pending', 'xero_created']).execute();
    return rows.map((r) => r.xero_tenant_id);
  }

  async counts(runId: string): Promise<Record<string, number>> {
    const rows = await this.db.k
      .selectFrom('bulk_run_items')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .groupBy('state')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  async items(runId: string, offset: number, limit: number, states?: ItemState[]): Promise<ItemRow[]> {
    let q = this.db.k.selectFrom('bulk_run_items').selectAll().where('run_id', '=', runId);
    if (states?.length) q = q.where('state', 'in', states);
    return q.orderBy('seq').offset(offset).limit(limit).execute();
  }

  /** A run with nothing left to do is done (or cancelled, when a person cancelled it). */
  async settle(runId: string): Promise<void> {
    const counts = await this.counts(runId);
    if ((counts.pending ?? 0) > 0 || (counts.xero_created ?? 0) > 0) return;
    const at = this.at();
    if (!(await this.transition(runId, ['cancelling'], 'cancelled', { finished_at: at, waiting_until: null, waiting_reason: null }))) {
      await this.transition(runId, ['running', 'waiting_day'], 'done', { finished_at: at, waiting_until: null, waiting_reason: null });
    }
  }

  /** Runs that were going when a process stopped: the embedded queue resumes them on start. */
  async unfinished(): Promise<RunRow[]> {
    return this.db.k.selectFrom('bulk_runs').selectAll().where('status', 'in', ['running', 'cancelling', 'waiting_day']).execute();
  }
}
