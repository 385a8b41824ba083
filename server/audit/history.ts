// What the product did, as stored (issue 13): a record's sync history for its
// dialog, and the tenant's activity list for the settings pod (and its CSV).
// Read from the push audit (audit_log, written by sync/audited-push.ts and the
// payment sync), bulk runs' records (bulk_run_items) and the ledger. Ids, codes
// and outcomes only: an audit row's message is shown only when it is a list of
// problem codes (an interrupted push's words are left out), never a name or amount.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ActivityItem, ActivityQuery, HistoryEntry, HistoryKind, RecordHistoryResponse } from '../../shared/audit-api.js';

/** An audit row's subject ("invoice:1001 xero:… cwbatch:7") as labelled ids. */
export function subjectRefs(subject: string | null): { label: string; id: string }[] {
  return (subject ?? '')
    .split(' ')
    .filter(Boolean)
    .map((t) => {
      const i = t.indexOf(':');
      return i > 0 ? { label: t.slice(0, i), id: t.slice(i + 1) } : { label: 'id', id: t };
    });
}

/** A labelled id as stored ("xero:…"); a bare word ("settings") as it is. */
export function refText(r: { label: string; id: string }): string {
  return r.label === 'id' ? r.id : `${r.label}:${r.id}`;
}

const CODES = /^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/;
/** A stored message as problem codes, or none when it is words. */
export function messageCodes(message: string | null): string[] {
  return message && CODES.test(message) ? message.split(',') : [];
}

/** The subject prefix and bulk-run record of each kind of record. */
const KIND: Record<HistoryKind, { subject: string; run: string; runRecord: (id: number) => string }> = {
  invoice: { subject: 'invoice', run: 'invoice', runRecord: (id) => String(id) },
  expensereport: { subject: 'expensereport', run: 'expense', runRecord: (id) => String(id) },
  purchaseorder: { subject: 'purchaseorder', run: 'procurement', runRecord: (id) => `po:${id}` },
};

const HISTORY_MAX = 200;

/** A record's history, newest first: its pushes (by a person or the schedule), payment syncs and bulk runs. */
export async function recordHistory(k: Kysely<Database>, tenantId: string, kind: HistoryKind, id: number): Promise<RecordHistoryResponse> {
  const spec = KIND[kind];
  const subject = `${spec.subject}:${id}`;
  const audit = await k
    .selectFrom('audit_log')
    .select(['at', 'action', 'member_id', 'outcome', 'subject', 'message'])
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('subject', '=', subject), eb('subject', 'like', `${subject} %`)]))
    .orderBy('id', 'desc')
    .limit(HISTORY_MAX)
    .execute();
  const runs = await k
    .selectFrom('bulk_run_items as i')
    .innerJoin('bulk_runs as r', 'r.id', 'i.run_id')
    .select(['i.updated_at', 'i.state', 'i.error_code', 'i.xero_document_id', 'r.id as run_id', 'r.created_by', 'r.record_kind'])
    .where('i.tenant_id', '=', tenantId)
    .where('r.tenant_id', '=', tenantId)
    .where('i.cw_record_id', '=', spec.runRecord(id))
    .where('r.record_kind', '=', spec.run)
    .orderBy('i.updated_at', 'desc')
    .limit(HISTORY_MAX)
    .execute();
  const entries: HistoryEntry[] = [
    ...audit.map((r) => ({ at: r.at, action: r.action, member: r.member_id, outcome: r.outcome, refs: subjectRefs(r.subject), codes: messageCodes(r.message) })),
    ...runs.map((r) => ({
      at: r.updated_at,
      action: `${r.record_kind}.run`,
      member: r.created_by,
      outcome: r.state,
      refs: [{ label: spec.subject, id: String(id) }, { label: 'run', id: r.run_id }, ...(r.xero_document_id ? [{ label: 'xero', id: r.xero_document_id }] : [])],
      codes: r.error_code ? [r.error_code] : [],
    })),
  ]
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, HISTORY_MAX);
  const xeroIds = [...new Set(entries.flatMap((e) => e.refs.filter((r) => r.label === 'xero' || r.label === 'journal').map((r) => r.id)))];
  const docs = xeroIds.length
    ? await k.selectFrom('sync_ledger').select(['xero_document_id', 'xero_number', 'document_kind', 'state']).where('tenant_id', '=', tenantId).where('xero_document_id', 'in', xeroIds).execute()
    : [];
  return { entries, documents: docs.map((d) => ({ xeroDocumentId: d.xero_document_id!, number: d.xero_number, documentKind: d.document_kind, state: d.state })) };
}

/** The first and last instant of a filter's days (UTC). */
function dayBounds(q: Pick<ActivityQuery, 'from' | 'to'>): { from?: string; until?: string } {
  const next = (d: string) => new Date(Date.parse(`${d}T00:00:00.000Z`) + 86_400_000).toISOString();
  return { ...(q.from ? { from: `${q.from}T00:00:00.000Z` } : {}), ...(q.to ? { until: next(q.to) } : {}) };
}

/** A page of the tenant's activity, newest first, with the filters of the settings pod. */
export async function activityPage(k: Kysely<Database>, tenantId: string, q: ActivityQuery, limit = q.limit ?? 50): Promise<{ items: ActivityItem[]; nextBefore: number | null }> {
  const { from, until } = dayBounds(q);
  let s = k.selectFrom('audit_log').select(['id', 'at', 'action', 'member_id', 'outcome', 'subject', 'message']).where('tenant_id', '=', tenantId);
  if (q.kind) s = s.where('action', 'like', `${q.kind}.%`);
  if (q.outcome) s = s.where('outcome', '=', q.outcome);
  if (q.member) s = s.where('member_id', '=', q.member);
  if (from) s = s.where('at', '>=', from);
  if (until) s = s.where('at', '<', until);
  if (q.before !== undefined) s = s.where('id', '<', q.before);
  const rows = await s.orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({ id: Number(r.id), at: r.at, action: r.action, member: r.member_id, outcome: r.outcome, refs: subjectRefs(r.subject), codes: messageCodes(r.message) })),
    nextBefore: rows.length > limit ? Number(page.at(-1)!.id) : null,
  };
}

/** At most this many rows in one CSV export (narrow the filters for more). */
export const CSV_MAX_ROWS = 100_000;

function csvCell(v: string): string {
  // A cell a spreadsheet would run as a formula is quoted as text.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The activity the filters select as CSV: when, action, member, outcome, record, Xero and other ids, codes. */
export async function activityCsv(k: Kysely<Database>, tenantId: string, q: ActivityQuery): Promise<string> {
  const lines = ['at,action,member,outcome,record,ids,codes'];
  let before = q.before;
  for (let n = 0; n < CSV_MAX_ROWS; ) {
    const page = await activityPage(k, tenantId, { ...q, before }, 1000);
    for (const it of page.items) {
      const [record, ...ids] = it.refs;
      lines.push([it.at, it.action, it.member ?? '', it.outcome, record ? refText(record) : '', ids.map(refText).join(' '), it.codes.join(' ')].map(csvCell).join(','));
    }
    n += page.items.length;
    if (page.nextBefore === null) break;
    before = page.nextBefore;
  }
  return `${lines.join('\r\n')}\r\n`;
}
