// The Invoices tab: ConnectWise's unposted invoices (paged through our
// server), filters, readiness per invoice, selection, the batching setting,
// "Sync", and the run's progress.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BatchKindSummary, BatchRunView, BatchUnpostedResponse, CwLocationsResponse } from '../../shared/api.js';
import { Loading, MessageBox, Money } from '../lib/ui.js';
import type { BatchClient, Filter } from './batch-client.js';
import { RunPanel } from './RunPanel.js';
import { RunTieOut, TieOutSection } from './TieOutSection.js';
import { useRunActions } from './use-run.js';
import { ReadinessCell } from './UnpostedTab.js';
import { formatDate } from '../lib/dates.js';

const PAGE_SIZE = 50;
const TYPES = ['Standard', 'Agreement', 'CreditMemo', 'Miscellaneous'] as const;

/** Who may run syncs, as the list said (the payments button follows it too). */
export type RunPermission = { mayRun: boolean; whoCanRun: string | null };

export function InvoicesTab({ client, onPermission }: { client: BatchClient; onPermission?: (p: RunPermission) => void }) {
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const [list, setList] = useState<BatchUnpostedResponse | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [batching, setBatching] = useState<'record' | 'run'>('record');
  const [locations, setLocations] = useState<CwLocationsResponse['locations']>([]);
  // Its list and counts read again each time a run ends (synced invoices are posted now).
  const { run, runError, going, busy, actionError, act, finished: reload } = useRunActions(client);

  useEffect(() => {
    client.locations().then((l) => setLocations(l.locations)).catch(() => undefined);
  }, [client]);

  useEffect(() => {
    setLoading(true);
    client
      .unposted(filter, page, PAGE_SIZE)
      .then((r) => {
        setList(r);
        setListError(null);
        onPermission?.({ mayRun: r.mayRun ?? false, whoCanRun: r.whoCanRun ?? null });
      })
      .catch((err: unknown) => setListError(err instanceof Error ? err.message : String(err)))
      .finally(() => setLoading(false));
  }, [client, filter, page, reload]);

  // Counts over every page of the filtered list (issue 12: a page's own counts misled at month-end).
  const [counts, setCounts] = useState<BatchKindSummary | null>(null);
  useEffect(() => {
    client
      .summary(filter, 'invoice')
      .then((s) => setCounts(s.kinds[0] ?? null))
      .catch(() => setCounts(null));
  }, [client, filter, reload]);

  // Invoice numbers seen in any listed page: synced invoices leave the list, their run results keep their numbers.
  const numbers = useRef(new Map<number, string>()).current;
  for (const r of list?.items ?? []) numbers.set(r.cwInvoiceId, r.invoiceNumber);
  const ready = (list?.items ?? []).filter((r) => r.readiness === 'ready');
  const attention = (list?.items ?? []).filter((r) => r.readiness === 'needs_attention').length;
  const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;
  const count = allMatching ? (list?.total ?? 0) : selected.size;
  // Read-only, saying who can, for a member the server would refuse (server/permission.ts).
  const mayRun = list?.mayRun ?? false;

  const toggle = (gl: number) => {
    setAllMatching(false);
    const next = new Set(selected);
    if (next.has(gl)) next.delete(gl);
    else next.add(gl);
    setSelected(next);
  };
  const toggleReady = () => {
    setAllMatching(false);
    const allOn = ready.length > 0 && ready.every((r) => selected.has(r.glEntryId));
    const next = new Set(selected);
    for (const r of ready) {
      if (allOn) next.delete(r.glEntryId);
      else next.add(r.glEntryId);
    }
    setSelected(next);
  };
  const changeFilter = (f: Filter) => {
    setFilter(f);
    setPage(1);
    setSelected(new Set());
    setAllMatching(false);
  };

  const sync = () =>
    act(async () => {
      const v = await client.start(allMatching ? { all: true, filter, batching } : { glEntryIds: [...selected], batching });
      setSelected(new Set());
      setAllMatching(false);
      return v;
    });

  return (
    <div class="batch-invoices">
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Billing location
          <select
            data-testid="filter-location"
            value={filter.locationId ?? ''}
            onChange={(e) => {
              const v = (e.currentTarget as HTMLSelectElement).value;
              changeFilter({ ...filter, locationId: v ? Number(v) : undefined });
            }}
          >
            <option value="">All</option>
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Through
          <input
            type="date"
            data-testid="filter-through"
            value={filter.throughDate ?? ''}
            onChange={(e) => changeFilter({ ...filter, throughDate: (e.currentTarget as HTMLInputElement).value || undefined })}
          />
        </label>
        <label>
          Type
          <select
            data-testid="filter-type"
            value={filter.type ?? ''}
            onChange={(e) => {
              const v = (e.currentTarget as HTMLSelectElement).value;
              changeFilter({ ...filter, type: (v || undefined) as Filter['type'] });
            }}
          >
            <option value="">All</option>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t === 'CreditMemo' ? 'Credit memo' : t}
              </option>
            ))}
          </select>
        </label>
      </form>

      {run ? <RunPanel run={run} numbers={numbers} mayControl={mayRun} busy={busy} onCancel={() => act(() => client.cancel(run.id))} onRetry={() => act(() => client.retry(run.id))} /> : null}
      {run ? <RunTieOut client={client} run={run} /> : null}
      {listError ? <MessageBox title="Could not read ConnectWise's unposted invoices">{listError}</MessageBox> : null}
      {loading && !list ? <Loading text="Reading unposted invoices from ConnectWise…" /> : null}

      {list ? (
        <section class="card" aria-label="Unposted invoices">
          <div class="card-head">
            <h2 class="card-title">
              Unposted invoices <span class="card-sub">{list.total}</span>
            </h2>
            <span class="summary" data-testid="page-summary">
              {counts && !counts.error ? (
                <span data-testid="all-pages-summary" class="summary">
                  <span class="chip chip-ready">{counts.ready} ready</span>
                  {counts.attention ? <span class="chip chip-attention">{counts.attention} need attention</span> : null}
                  {pages > 1 ? <span class="muted">on all {pages} pages</span> : null}
                </span>
              ) : (
                <>
                  <span class="chip chip-ready">{ready.length} ready</span>
                  {attention ? <span class="chip chip-attention">{attention} need attention</span> : null}
                  <span class="muted">on this page</span>
                </>
              )}
            </span>
            {loading ? <span class="spinner" aria-hidden="true" /> : null}
          </div>
          {list.items.length === 0 ? (
            <p class="muted">Nothing unposted matches these filters.</p>
          ) : (
            <table class="records" data-testid="unposted-table">
              <thead>
                <tr>
                  <th class="sel">
                    <input type="checkbox" aria-label="Select every ready invoice on this page" data-testid="select-ready" disabled={!mayRun || ready.length === 0} checked={ready.length > 0 && ready.every((r) => selected.has(r.glEntryId))} onChange={toggleReady} />
                  </th>
                  <th>Invoice · customer</th>
                  <th class="col-date">Date</th>
                  <th class="num">Total</th>
                  <th>Readiness</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((r) => (
                  <tr key={r.glEntryId} data-testid={`row-${r.cwInvoiceId}`} data-readiness={r.readiness}>
                    <td class="sel">
                      <input type="checkbox" aria-label={`Select ${r.invoiceNumber}`} checked={allMatching || selected.has(r.glEntryId)} disabled={!mayRun || r.readiness !== 'ready'} onChange={() => toggle(r.glEntryId)} />
                    </td>
                    <td class="who">
                      <span class="number" data-testid="row-number">{r.invoiceNumber}</span>
                      <span class="customer" title={r.customer}>
                        {r.customer}
                      </span>
                    </td>
                    <td class="col-date">{r.date ? formatDate(r.date) : ''}</td>
                    <td class="num">
                      <Money amount={r.total} currency={r.currency} />
                    </td>
                    <ReadinessCell row={r} records={{ invoice: r.cwInvoiceId }} />
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div class="list-foot">
            <div class="pager">
              <button type="button" class="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                ‹ Prev
              </button>
              <span class="muted">
                Page {page} of {pages}
              </span>
              <button type="button" class="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                Next ›
              </button>
            </div>
            {list.total > list.items.length ? (
              <label class="all-matching">
                <input type="checkbox" data-testid="select-all-matching" disabled={!mayRun} checked={allMatching} onChange={() => setAllMatching(!allMatching)} /> All {list.total} matching (those needing attention are reported, not pushed)
              </label>
            ) : null}
          </div>
        </section>
      ) : null}

      <TieOutSection client={client} selection={allMatching ? { all: true, filter } : selected.size ? { glEntryIds: [...selected] } : null} count={count} />

      <section class="card sync-bar" aria-label="Sync">
        {list && !mayRun ? (
          <p class="muted" data-testid="who-can-run">
            {list.whoCanRun}
          </p>
        ) : null}
        <fieldset class="batching" disabled={!mayRun}>
          <legend>ConnectWise batches</legend>
          <label>
            <input type="radio" name="batching" data-testid="batching-record" checked={batching === 'record'} onChange={() => setBatching('record')} /> One per invoice (a mistake is fixed and re-synced alone)
          </label>
          <label>
            <input type="radio" name="batching" data-testid="batching-run" checked={batching === 'run'} onChange={() => setBatching('run')} /> One for the whole run
          </label>
        </fieldset>
        <button type="button" class="primary" data-testid="batch-sync" disabled={!mayRun || busy || going || count === 0} onClick={sync}>
          {going ? 'A run is going…' : `Sync ${count} to Xero`}
        </button>
      </section>
      {actionError ? <MessageBox title="Could not do that">{actionError}</MessageBox> : null}
      {runError ? <MessageBox kind="warning" title="Progress is not updating">{runError}</MessageBox> : null}
    </div>
  );
}
