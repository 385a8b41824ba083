// What the batch routes do: the unposted list with readiness, starting a run,
// its progress, "Retry failed" and "Cancel". The tenant always comes from the
// session; a run of another tenant is "not found".
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { loadTenantSettings } from '../settings.js';
import { XeroUnavailable } from '../engine/errors.js';
import { invoiceKind, kindEntry } from '../engine/kinds.js';
import { Ledger } from '../engine/ledger.js';
import { orgFacts, type OrgFacts } from '../engine/org-facts.js';
import type { Problem } from '../engine/problems.js';
import { WHERE } from '../engine/where.js';
import type { XeroRefs } from '../domain/xero-refs.js';
import { locationResolver } from '../xero/location-map.js';
import type { CwUnpostedInvoice } from '../../shared/cw-types.js';
import type { BatchRunItem, BatchRunView, BatchUnpostedQuery, BatchUnpostedResponse, BatchUnpostedRow } from '../../shared/api.js';
import { CwBulkReader, type UnpostedFilter } from './cw-bulk-reader.js';
import { prepareMany } from './prepare-many.js';
import { RunStore, type ItemRow, type NewRunItem, type RunKind, type RunRow } from './run-store.js';
import { expenseRunDocuments, remapExpenseItems, type BatchRunDocument } from './expense-runs.js';
import { procurementRunDocuments, remapProcurementItems } from './procurement-runs.js';
import { bulkJobs } from '../jobs/index.js';
import { decimalText } from '../cw/invoices.js';
import { wordsFor } from './live-words.js';
import { costOfSaleSource } from '../procurement/cost-of-sale.js';
import { mayPush, whoCanPush } from '../permission.js';
import type { Session } from '../session.js';

/** One page of unposted invoices with readiness, computed in bulk (one export for the page, Xero facts cached per organisation). */
export async function listUnposted(deps: AppDeps, session: Pick<Session, 'tenantId' | 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>, q: BatchUnpostedQuery): Promise<BatchUnpostedResponse> {
  const { tenantId } = session;
  const cwClient = await cwClientForTenant(deps, tenantId);
  const cw = new CwBulkReader(cwClient, tenantId);
  const filter: UnpostedFilter = { locationId: q.locationId, throughDate: q.throughDate, invoiceType: q.type };
  // Nothing waits for what it does not need (issue 12, the batch pod's counts): the page, the location map and
  // the settings side by side; then the organisations' Xero facts, ConnectWise's reads and the ledger at once.
  const [{ items, total }, resolve, settings] = await Promise.all([cw.unpostedPage(filter, q.page, q.pageSize), locationResolver(deps, tenantId), loadTenantSettings(deps.db, tenantId)]);
  const orgOfRow = (u: CwUnpostedInvoice) => resolve(u.locationId, (u as { locationName?: string }).locationName);
  const orgs = new Set(items.map(orgOfRow).flatMap((r) => (r.ok ? [r.xeroTenantId] : [])));
  let factsOf = new Map<string, OrgFactsOrProblem>();
  const orgsRead = factsByOrg(deps, tenantId, orgs).then((m) => void (factsOf = m));
  const ledger = new Ledger(deps.db, deps.now);
  const ledgerRead = ledger.list(tenantId, invoiceKind.recordKind, items.map((u) => String(u.billingLogId)));
  ledgerRead.catch(() => undefined); // thrown below where awaited, never left unhandled
  const byGl = new Map(items.map((u) => [u.id!, u] as const));
  const companyOfRow = (u: CwUnpostedInvoice) => u.billToCompany?.id ?? u.company?.id ?? undefined;
  const prepared = await prepareMany(cw, {
    refs: items.map((u) => ({ cwInvoiceId: u.billingLogId!, glEntryId: u.id! })),
    expected: {
      companyIds: items.flatMap((u) => companyOfRow(u) ?? []),
      memoCompanyIds: items.flatMap((u) => (u.invoiceType === 'CreditMemo' ? (companyOfRow(u) ?? []) : [])),
    },
    orgsRead,
    orgOf: (ref) => {
      const r = orgOfRow(byGl.get(ref.glEntryId)!);
      if (!r.ok) return r.problem;
      return orgForMapping(factsOf, r.xeroTenantId);
    },
    settings: settings.invoiceMapping,
    costOfSale: costOfSaleSource(cwClient, settings),
  });
  const synced = new Map((await ledgerRead).map((r) => [r.cw_record_id, r] as const));
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
    // The tab follows the server's rule (permission.ts): read-only, saying who can, for the others.
    mayRun: mayPush(settings, session),
    whoCanRun: mayPush(settings, session) ? null : whoCanPush(settings),
  };
}

export type OrgFactsOrProblem = { name: string; refs: XeroRefs } | Problem;

/** Each organisation's facts (or why they cannot be read), read side by side: a second organisation never waits for the first's. */
export async function factsByOrg(deps: AppDeps, tenantId: string, orgs: Iterable<string>): Promise<Map<string, OrgFactsOrProblem>> {
  const unique = [...new Set(orgs)];
  const read = await Promise.all(unique.map((org) => factsOrProblem(deps, tenantId, org)));
  return new Map(unique.map((org, i): [string, OrgFactsOrProblem] => {
    const f = read[i]!;
    return [org, 'code' in f ? f : { name: f.name, refs: f.refs }];
  }));
}

/** What prepareMany's `orgOf` answers for an organisation factsByOrg read: its references, or why they cannot be read. */
export function orgForMapping(facts: ReadonlyMap<string, OrgFactsOrProblem>, xeroTenantId: string): { xeroTenantId: string; refs: XeroRefs } | Problem {
  const f = facts.get(xeroTenantId)!;
  return 'code' in f ? f : { xeroTenantId, refs: f.refs };
}

/** An organisation's facts for a list's readiness, or why they cannot be read (shown on each of its records). */
export async function factsOrProblem(deps: AppDeps, tenantId: string, xeroTenantId: string): Promise<OrgFacts | Problem> {
  try {
    return await orgFacts(deps, tenantId, xeroTenantId);
  } catch (err) {
    const message = err instanceof ApiError ? err.message : err instanceof XeroUnavailable ? 'Xero is not answering for this organisation; readiness shows again in a minute.' : 'Xero did not answer for this organisation; try again in a minute.';
    return { code: err instanceof ApiError ? err.code : 'xero_unavailable', message, where: WHERE.settingsXero };
  }
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
  const resolve = await locationResolver(deps, tenantId);
  const items: NewRunItem[] = [];
  const unmapped: NewRunItem[] = [];
  const whyNot = new Map<string, Problem & { where: string }>();
  // Invoices before credit memos: a memo's allocation finds the invoice it was applied to already in Xero.
  const ordered = [...unposted].sort((a, b) => Number(a.invoiceType === 'CreditMemo') - Number(b.invoiceType === 'CreditMemo'));
  for (const u of ordered) {
    const r = resolve(u.locationId);
    const item = { cwRecordId: String(u.billingLogId), glEntryId: String(u.id), xeroTenantId: r.ok ? r.xeroTenantId : '' };
    (r.ok ? items : unmapped).push(item);
    if (!r.ok) whyNot.set(item.glEntryId, r.problem);
  }
  const store = new RunStore(deps.db, deps.now);
  const run = await store.create(tenantId, memberIdentifier, input.batching, [...items, ...unmapped]);
  if (unmapped.length) {
    const rows = await store.itemsInState(run.id, '', 'pending');
    for (const r of rows) await notBookable(store, run.id, r, whyNot.get(r.gl_entry_id)!);
  }
  await enqueueRun(deps, run.id, tenantId);
  // Each organisation's six reads (its facts, cached a few minutes) start now, while the first step is
  // taken: they are the first calls of the organisation's Xero minute, so every later window opens that
  // much sooner. Not before the run's items are stored: that insert holds the event loop, and a call
  // counted as started but sent late makes Xero's minute look shorter than ours (a 429). A failed read
  // is not cached; the step reads again and says why.
  for (const xeroTenantId of new Set(items.map((i) => i.xeroTenantId))) orgFacts(deps, tenantId, xeroTenantId, 'run').catch(() => undefined);
  return run;
}

export async function enqueueRun(deps: AppDeps, runId: string, tenantId: string): Promise<void> {
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

export async function requireRun(deps: AppDeps, tenantId: string, runId: string): Promise<RunRow> {
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
  if (unmapped.length && run.record_kind === 'expense') {
    await remapExpenseItems(deps, tenantId, runId, unmapped);
    orgs = await store.orgsWithPending(runId);
  } else if (unmapped.length && run.record_kind === 'procurement') {
    await remapProcurementItems(deps, tenantId, runId, unmapped);
    orgs = await store.orgsWithPending(runId);
  } else if (unmapped.length) {
    const cw = new CwBulkReader(await cwClientForTenant(deps, tenantId), tenantId);
    const resolve = await locationResolver(deps, tenantId);
    const locationOf = new Map((await cw.unpostedByGlEntry(unmapped.map((u) => Number(u.gl_entry_id)))).map((u) => [String(u.id), u.locationId] as const));
    for (const r of unmapped) {
      const org = resolve(locationOf.get(r.gl_entry_id));
      if (org.ok) await store.setItemOrg(runId, r.seq, org.xeroTenantId);
      else await notBookable(store, runId, r, org.problem);
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
  xero_unavailable: 'Xero is not answering — retrying',
} as const;

/** The panel's sentence; an outage says when the next try is. */
function waitWords(reason: keyof typeof WAIT_WORDS, until: string): string {
  if (reason !== 'xero_unavailable') return WAIT_WORDS[reason];
  const s = Math.max(1, Math.ceil((Date.parse(until) - Date.now()) / 1000));
  return `${WAIT_WORDS.xero_unavailable}, next try in ${s} s. The run goes on by itself; nothing is sent twice.`;
}

/** A record whose location books into no organisation we can reach: its reason, as the resolver says it. */
export async function notBookable(store: RunStore, runId: string, item: ItemRow, problem: Problem & { where: string }): Promise<void> {
  await store.updateItem(runId, item.seq, { state: 'needs_attention', error_code: problem.code, error_message: problem.message, where_to_fix: problem.where });
}

export async function runView(deps: AppDeps, tenantId: string, runId: string | { latest: RunKind }, offset: number, limit: number): Promise<BatchRunView | null> {
  const store = new RunStore(deps.db, deps.now);
  const run = typeof runId === 'object' ? await store.latest(tenantId, runId.latest) : await requireRun(deps, tenantId, runId);
  if (!run) return null;
  const c = await store.counts(run.id);
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  const items = await store.items(run.id, offset, limit);
  const expense = run.record_kind === 'expense';
  const procurement = run.record_kind === 'procurement';
  const kinds = expense || procurement ? new Map<string, string>() : new Map((await new Ledger(deps.db, deps.now).list(tenantId, invoiceKind.recordKind, items.map((i) => i.cw_record_id))).map((r) => [r.cw_record_id, r.document_kind ?? 'invoice'] as const));
  const documents = expense ? await expenseRunDocuments(deps, tenantId, items) : procurement ? await procurementRunDocuments(deps, tenantId, items) : undefined;
  const reason = run.waiting_reason as keyof typeof WAIT_WORDS | null;
  const waiting =
    reason && run.waiting_until && (reason === 'xero_day' || Date.parse(run.waiting_until) > Date.now()) && WAIT_WORDS[reason]
      ? { reason, until: run.waiting_until, message: waitWords(reason, run.waiting_until) }
      : null;
  return {
    id: run.id,
    kind: expense ? 'expense' : procurement ? 'procurement' : 'invoice',
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
    items: items.map((i) => toItem(deps, i, kinds, documents?.get(i.seq))),
    itemsOffset: offset,
  };
}

function toItem(deps: AppDeps, i: ItemRow, kinds: Map<string, string>, documents?: BatchRunDocument[]): BatchRunItem {
  // A procurement run's record is a PO or an inventory transaction, named by its key; its first GL entry stands for it as a number.
  const procurement = !/^[0-9]+$/.test(i.cw_record_id);
  if (documents) {
    const record = procurement ? { cwInvoiceId: Number(i.gl_entry_id), cwRecordId: i.cw_record_id } : { cwInvoiceId: Number(i.cw_record_id) };
    return { ...record, glEntryId: Number(i.gl_entry_id), state: i.state as BatchRunItem['state'], problem: itemProblem(deps, i), xero: documents[0] ?? null, documents };
  }
  return {
    cwInvoiceId: Number(i.cw_record_id),
    glEntryId: Number(i.gl_entry_id),
    state: i.state as BatchRunItem['state'],
    problem: itemProblem(deps, i),
    xero:
      i.xero_document_id && i.xero_number
        ? { documentId: i.xero_document_id, number: i.xero_number, url: kindEntry(kinds.get(i.cw_record_id) ?? 'invoice').xero.url(deps.config.xero.appUrl, i.xero_document_id) }
        : null,
  };
}

/** Xero's (or the mapping's) own words while this server has them; else the stored sentence. */
function itemProblem(deps: AppDeps, i: ItemRow): BatchRunItem['problem'] {
  return i.error_code ? { code: i.error_code, message: wordsFor(deps, i.run_id, i.cw_record_id) ?? i.error_message ?? i.error_code, ...(i.where_to_fix ? { where: i.where_to_fix } : {}) } : null;
}
