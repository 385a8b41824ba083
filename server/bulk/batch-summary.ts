// The batch pod's month-end state (issue 12): per document kind, how many
// unposted records are ready, need attention, are held or already in Xero —
// counted over every record ConnectWise lists, not one page — and how many
// were synced today. Readiness comes from the lists the full list shows
// (listUnposted, listUnpostedExpenses, listUnpostedProcurement), so the pod's
// counts and the list's rows follow one rule.
import type { AppDeps } from '../deps.js';
import type { Session } from '../session.js';
import { ApiError } from '../http/errors.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { readServerTimeZone } from '../expenses/cw-expense-source.js';
import { localDate } from '../domain/expense-weeks.js';
import { loadTenantSettings } from '../settings.js';
import { mayPush, whoCanPush } from '../permission.js';
import type { RecordKind } from '../engine/ledger.js';
import type { BatchKindSummary, BatchRunKind, BatchSummaryQuery, BatchSummaryResponse } from '../../shared/api.js';
import { listUnposted } from './service.js';
import { listUnpostedExpenses } from './expense-runs.js';
import { listUnpostedProcurement } from './procurement-runs.js';
import { parseJournalRecordId } from '../procurement/inventory-records.js';

type Who = Pick<Session, 'tenantId' | 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>;
type Readiness = 'ready' | 'needs_attention' | 'held' | 'synced';

/**
 * The ledger's records behind each run kind: a procurement run makes bills and the adjustments' and transfers'
 * journals. A cost-of-sale journal is also an 'inventory' record, but it rides in its invoice's push: it is the
 * invoice's, and counting it under procurement would say purchases were synced when only invoices were.
 */
const LEDGER_RECORDS: Record<BatchRunKind, { kinds: RecordKind[]; counts: (kind: RecordKind, cwRecordId: string) => boolean }> = {
  invoice: { kinds: ['invoice'], counts: () => true },
  expense: { kinds: ['expense'], counts: () => true },
  procurement: { kinds: ['purchase', 'inventory'], counts: (kind, id) => kind !== 'inventory' || parseJournalRecordId(id)?.kind !== 'costOfSale' },
};

/** The largest page the unposted list serves (shared/api.ts batchUnpostedQuery). */
const PAGE = 200;

/** Counts of a kind's rows by readiness. */
export function countReadiness(kind: BatchRunKind, rows: readonly { readiness: Readiness }[], syncedToday: number): BatchKindSummary {
  const n = (r: Readiness) => rows.filter((x) => x.readiness === r).length;
  return { kind, total: rows.length, ready: n('ready'), attention: n('needs_attention'), held: n('held'), inXero: n('synced'), syncedToday, error: null };
}

async function invoiceRows(deps: AppDeps, who: Who, filter: Omit<BatchSummaryQuery, 'kind'>): Promise<{ readiness: Readiness }[]> {
  const rows: { readiness: Readiness }[] = [];
  for (let page = 1; ; page++) {
    const r = await listUnposted(deps, who, { ...filter, page, pageSize: PAGE });
    rows.push(...r.items);
    if (r.items.length < PAGE || rows.length >= r.total) return rows;
  }
}

/** A run kind's ledger records synced on `today` in `timeZone` (a day is at most 14 h off UTC either way). */
async function syncedOn(deps: AppDeps, tenantId: string, runKind: BatchRunKind, today: string, timeZone: string): Promise<number> {
  const since = new Date(deps.now().getTime() - 50 * 3600_000).toISOString();
  const { kinds, counts } = LEDGER_RECORDS[runKind];
  const rows = await deps.db.k
    .selectFrom('sync_ledger')
    .select(['synced_at', 'record_kind', 'cw_record_id'])
    .where('tenant_id', '=', tenantId)
    .where('record_kind', 'in', kinds)
    .where('state', '=', 'synced')
    .where('synced_at', '>=', since)
    .execute();
  return rows.filter((r) => counts(r.record_kind as RecordKind, r.cw_record_id) && localDate(r.synced_at, timeZone) === today).length;
}

function words(err: unknown): string {
  return err instanceof ApiError ? err.message : 'ConnectWise or Xero did not answer; the counts show again in a minute.';
}

export async function batchSummary(deps: AppDeps, who: Who, filter: BatchSummaryQuery): Promise<BatchSummaryResponse> {
  const { kind: only, ...invoiceFilter } = filter;
  const rows: Record<BatchRunKind, () => Promise<readonly { readiness: Readiness }[]>> = {
    invoice: () => invoiceRows(deps, who, invoiceFilter),
    expense: async () => (await listUnpostedExpenses(deps, who)).items,
    procurement: async () => (await listUnpostedProcurement(deps, who)).items,
  };
  const kinds = only ? [only] : (['invoice', 'expense', 'procurement'] as const);
  // The lists (the slow part) are read at once, beside the settings and ConnectWise's time zone that "today" needs (issue 12, first paint).
  const listed = kinds.map((k) => rows[k]().then((r) => ({ rows: r }), (err: unknown) => ({ err })));
  const [settings, timeZone] = await Promise.all([
    loadTenantSettings(deps.db, who.tenantId),
    cwClientForTenant(deps, who.tenantId).then((cw) => readServerTimeZone(cw).catch(() => 'UTC')),
  ]);
  const today = localDate(deps.now().toISOString(), timeZone) ?? deps.now().toISOString().slice(0, 10);
  const counted = await Promise.all(
    kinds.map(async (k, i): Promise<BatchKindSummary> => {
      const [synced, l] = await Promise.all([syncedOn(deps, who.tenantId, k, today, timeZone), listed[i]!]);
      return 'rows' in l ? countReadiness(k, l.rows, synced) : { ...countReadiness(k, [], synced), error: words(l.err) };
    }),
  );
  const may = mayPush(settings, who);
  return { kinds: counted, today, mayRun: may, whoCanRun: may ? null : whoCanPush(settings) };
}
