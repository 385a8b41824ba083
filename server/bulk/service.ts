// What the batch routes do: the unposted list with readiness, starting a run,
// its progress, "Retry failed" and "Cancel". The tenant always comes from the
// session; a run of another tenant is "not found".
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { accountingApiFor } from '../xero/accounting.js';
import { loadTenantSettings } from '../settings.js';
import { Ledger } from '../sync/ledger.js';
import { xeroDocumentUrl } from '../sync/invoice-sync-view.js';
import type { Problem } from '../sync/invoice-push.js';
import type { XeroRefs } from '../domain/xero-refs.js';
import type { CwUnpostedInvoice } from '../../shared/cw-types.js';
import type { BatchRunItem, BatchRunView, BatchUnpostedQuery, BatchUnpostedResponse, BatchUnpostedRow } from '../../shared/api.js';
import { CwBulkReader, type UnpostedFilter } from './cw-bulk-reader.js';
import { prepareMany } from './prepare-many.js';
import { cachedOrgFacts } from '../sync/xero-org-refs.js';
import { RunStore, type ItemRow, type NewRunItem, type RunRow } from './run-store.js';
import { XeroBulk } from './xero-bulk.js';
import { pacerFor } from './xero-pacer.js';
import { bulkJobs } from '../jobs/index.js';
import { decimalText } from '../cw/invoices.js';

async function locationMap(deps: AppDeps, tenantId: string): Promise<Map<number, string>> {
  const rows = await deps.db.k.selectFrom('location_org_map').select(['cw_location_id', 'xero_tenant_id']).where('tenant_id', '=', tenantId).execute();
  return new Map(rows.map((r) => [Number(r.cw_location_id), r.xero_tenant_id]));
}

const NOT_MAPPED = (loc: number | null | undefined): Problem => ({
  code: 'location_not_mapped',
  message: loc == null ? 'This invoice has no billing location, so it is not known which Xero organisation it books into.' : `Billing location ${loc} is not mapped to a Xero organisation yet.`,
  where: 'CW–Xero Sync settings › Locations and organisations',
});

/** One page of unposted invoices with readiness, computed in bulk (one export for the page, Xero facts cached per organisation). */
export async function listUnposted(deps: AppDeps, tenantId: string, q: BatchUnpostedQuery): Promise<BatchUnpostedResponse> {
  const cw = new CwBulkReader(await cwClientForTenant(deps, tenantId), tenantId);
  const filter: UnpostedFilter = { locationId: q.locationId, throughDate: q.throughDate, invoiceType: q.type };
  const { items, total } = await cw.unpostedPage(filter, q.page, q.pageSize);
  const map = await locationMap(deps, tenantId);
  const orgs = new Set(items.map((u) => (u.locationId != null ? map.get(u.locationId) : undefined)).filter((x): x is string => !!x));
  const refsByOrg = new Map<string, XeroRefs | Problem>();
  for (const org of orgs) {
    try {
      refsByOrg.set(
        org,
        (await cachedOrgFacts(deps, tenantId, org, async () => new XeroBulk((await accountingApiFor(deps, tenantId, org)).api, org, pacerFor(org)).loadFacts())).refs,
      );
    } catch (err) {
      const message = err instanceof ApiError ? err.message : 'Xero did not answer for this organisation; try again in a minute.';
      refsByOrg.set(org, { code: err instanceof ApiError ? err.code : 'xero_unavailable', message, where: 'CW–Xero Sync settings › Xero' });
    }
  }
  const byGl = new Map(items.map((u) => [u.id!, u] as const));
  const prepared = await prepareMany(cw, {
    refs: items.map((u) => ({ cwInvoiceId: u.billingLogId!, glEntryId: u.id! })),
    orgOf: (ref) => {
      const u = byGl.get(ref.glEntryId);
      const org = u?.locationId != null ? map.get(u.locationId) : undefined;
      if (!org) return NOT_MAPPED(u?.locationId);
      const refs = refsByOrg.get(org);
      return !refs || 'code' in refs ? (refs as Problem) : { xeroTenantId: org, refs };
    },
    settings: (await loadTenantSettings(deps.db, tenantId)).invoiceMapping,
  });
  const ledger = new Ledger(deps.db, deps.now);
  const synced = new Map((await ledger.list(tenantId, 'invoice', items.map((u) => String(u.billingLogId)))).map((r) => [r.cw_record_id, r] as const));
  return {
    items: items.map((u, i): BatchUnpostedRow => {
      const p = prepared[i]!;
      const row = synced.get(String(u.billingLogId));
      const readiness = p.ok ? (row?.state === 'synced' && row.content_hash === p.prepared.contentHash ? 'synced' : 'ready') : 'needs_attention';
      const first = p.ok ? undefined : p.problems[0];
      return toRow(u, readiness, first);
    }),
    page: q.page,
    pageSize: q.pageSize,
    total,
  };
}

function toRow(u: CwUnpostedInvoice, readiness: BatchUnpostedRow['readiness'], problem: Problem | undefined): BatchUnpostedRow {
  return {
    cwInvoiceId: u.billingLogId!,
    glEntryId: u.id!,
    invoiceNumber: u.invoiceNumber ?? String(u.billingLogId),
    date: u.invoiceDate ? u.invoiceDate.slice(0, 10) : null,
    type: u.invoiceType ?? 'Standard',
    customer: u.billToCompany?.name ?? u.company?.name ?? '',
    locationId: u.locationId ?? null,
    total: decimalText(u.total ?? 0, 2),
    currency: u.currency?.currencyCode ?? '',
    readiness,
    problem: problem ? { code: problem.code, message: problem.message, ...(problem.where ? { where: problem.where } : {}) } : null,
  };
}

export interface StartRunInput {
  glEntryIds?: number[] | undefined;
  all?: boolean | undefined;
  filter?: UnpostedFilter | undefined;
  batching: 'record' | 'run';
}

/** Starts a run over the selected unposted invoices (read again from ConnectWise: only this tenant's unposted ones count). */
export async function startRun(deps: AppDeps, tenantId: string, memberIdentifier: string, input: StartRunInput): Promise<RunRow> {
  const cw = new CwBulkReader(await cwClientForTenant(deps, tenantId), tenantId);
  let unposted: CwUnpostedInvoice[];
  if (input.all) {
    unposted = [];
    for (let page = 1; ; page++) {
      const { items } = await cw.unpostedPage(input.filter ?? {}, page, 1000);
      unposted.push(...items);
      if (items.length < 1000) break;
    }
  } else {
    unposted = await cw.unpostedByGlEntry(input.glEntryIds ?? []);
    const found = new Set(unposted.map((u) => u.id));
    const missing = (input.glEntryIds ?? []).filter((id) => !found.has(id));
    if (missing.length) throw new ApiError(409, 'not_unposted', `glEntryIds: ${missing.length} of the selected invoices are no longer unposted in ConnectWise (e.g. GL entry ${missing[0]}); refresh the list.`, 'glEntryIds');
  }
  if (unposted.length === 0) throw new ApiError(400, 'nothing_selected', 'glEntryIds: no unposted invoices match the selection.', 'glEntryIds');
  const map = await locationMap(deps, tenantId);
  const items: NewRunItem[] = [];
  const unmapped: NewRunItem[] = [];
  for (const u of unposted) {
    const org = u.locationId != null ? map.get(u.locationId) : undefined;
    const item = { cwRecordId: String(u.billingLogId), glEntryId: String(u.id), xeroTenantId: org ?? '' };
    (org ? items : unmapped).push(item);
  }
  const store = new RunStore(deps.db, deps.now);
  const run = await store.create(tenantId, memberIdentifier, input.batching, [...items, ...unmapped]);
  if (unmapped.length) {
    const rows = await store.itemsInState(run.id, '', 'pending');
    const p = NOT_MAPPED(null);
    for (const r of rows) await store.updateItem(run.id, r.seq, { state: 'needs_attention', error_code: p.code, error_message: `Billing location of this invoice is not mapped to a Xero organisation yet.`, where_to_fix: p.where ?? null });
  }
  await enqueueRun(deps, run.id, tenantId);
  return run;
}

async function enqueueRun(deps: AppDeps, runId: string, tenantId: string): Promise<void> {
  const store = new RunStore(deps.db, deps.now);
  const orgs = await store.orgsWithPending(runId);
  const q = await bulkJobs(deps);
  if (orgs.length === 0) {
    // Nothing to push (all need attention): settle the run right away through one step.
    const all = await store.items(runId, 0, 1);
    if (all[0]) await store.transition(runId, ['running'], 'done', { finished_at: new Date().toISOString() });
    return;
  }
  for (const xeroTenantId of orgs) await q.enqueue({ runId, tenantId, xeroTenantId });
}

async function requireRun(deps: AppDeps, tenantId: string, runId: string): Promise<RunRow> {
  const run = await new RunStore(deps.db, deps.now).get(tenantId, runId);
  if (!run) throw new ApiError(404, 'run_not_found', 'id: no such sync run for your ConnectWise company.', 'id');
  return run;
}

export async function retryFailed(deps: AppDeps, tenantId: string, runId: string): Promise<void> {
  const run = await requireRun(deps, tenantId, runId);
  if (run.status === 'cancelling') throw new ApiError(409, 'run_cancelling', 'The run is being cancelled; retry when it has stopped.');
  const store = new RunStore(deps.db, deps.now);
  let orgs = await store.resetForRetry(runId, ['failed', 'needs_attention']);
  // Records whose location was not mapped when the run started: map them now
  // (the location may have been mapped since), else they stay where they are.
  const unmapped = await store.itemsInState(runId, '', 'pending');
  if (unmapped.length) {
    const cw = new CwBulkReader(await cwClientForTenant(deps, tenantId), tenantId);
    const map = await locationMap(deps, tenantId);
    const locationOf = new Map((await cw.unpostedByGlEntry(unmapped.map((u) => Number(u.gl_entry_id)))).map((u) => [String(u.id), u.locationId] as const));
    for (const r of unmapped) {
      const loc = locationOf.get(r.gl_entry_id);
      const org = loc != null ? map.get(loc) : undefined;
      if (org) await store.setItemOrg(runId, r.seq, org);
      else await store.updateItem(runId, r.seq, { state: 'needs_attention', error_code: 'location_not_mapped', error_message: 'Billing location of this invoice is not mapped to a Xero organisation yet.', where_to_fix: NOT_MAPPED(null).where ?? null });
    }
    orgs = await store.orgsWithPending(runId);
  }
  if (orgs.filter(Boolean).length === 0) return;
  await store.transition(runId, ['done', 'cancelled', 'waiting_day', 'running'], 'running', { finished_at: null });
  await enqueueRun(deps, runId, tenantId);
}

export async function cancelRun(deps: AppDeps, tenantId: string, runId: string): Promise<void> {
  const run = await requireRun(deps, tenantId, runId);
  const store = new RunStore(deps.db, deps.now);
  if (!(await store.transition(run.id, ['running', 'waiting_day'], 'cancelling'))) return; // already stopped
  // A step settles the cancel: the in-flight one when it returns, or this one.
  const q = await bulkJobs(deps);
  const orgs = await store.orgsWithPending(run.id);
  for (const xeroTenantId of orgs) await q.enqueue({ runId: run.id, tenantId, xeroTenantId });
  if (orgs.length === 0) await store.transition(run.id, ['cancelling'], 'cancelled', { finished_at: new Date().toISOString() });
}

const WAIT_WORDS = {
  xero_minute: "Waiting for Xero's per-minute limit; the run goes on by itself.",
  xero_concurrent: "Waiting for Xero's limit on calls at once; the run goes on by itself.",
  xero_day: "Xero's daily limit for this organisation is reached; the run resumes tomorrow by itself.",
} as const;

export async function runView(deps: AppDeps, tenantId: string, runId: string | 'latest', offset: number, limit: number): Promise<BatchRunView | null> {
  const store = new RunStore(deps.db, deps.now);
  const run = runId === 'latest' ? await store.latest(tenantId) : await requireRun(deps, tenantId, runId);
  if (!run) return null;
  const c = await store.counts(run.id);
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  const items = await store.items(run.id, offset, limit);
  const reason = run.waiting_reason as keyof typeof WAIT_WORDS | null;
  const waiting =
    reason && run.waiting_until && (reason === 'xero_day' || Date.parse(run.waiting_until) > Date.now()) && WAIT_WORDS[reason]
      ? { reason, until: run.waiting_until, message: WAIT_WORDS[reason] }
      : null;
  return {
    id: run.id,
    status: run.status as BatchRunView['status'],
    batching: run.batching === 'run' ? 'run' : 'record',
    createdAt: run.created_at,
    finishedAt: run.finished_at,
    counts: {
      total,
      done: c.synced ?? 0,
      failed: (c.failed ?? 0) + (c.needs_attention ?? 0),
      remaining: (c.pending ?? 0) + (c.xero_created ?? 0),
      cancelled: c.cancelled ?? 0,
    },
    waiting,
    items: items.map((i) => toItem(deps, i)),
    itemsOffset: offset,
  };
}

function toItem(deps: AppDeps, i: ItemRow): BatchRunItem {
  return {
    cwInvoiceId: Number(i.cw_record_id),
    glEntryId: Number(i.gl_entry_id),
    state: i.state as BatchRunItem['state'],
    problem: i.error_code ? { code: i.error_code, message: i.error_message ?? i.error_code, ...(i.where_to_fix ? { where: i.where_to_fix } : {}) } : null,
    xero:
      i.xero_document_id && i.xero_number
        ? { documentId: i.xero_document_id, number: i.xero_number, url: xeroDocumentUrl(deps.config.xero.appUrl, i.xero_number.startsWith('CM') ? 'creditNote' : 'invoice', i.xero_document_id) }
        : null,
  };
}
