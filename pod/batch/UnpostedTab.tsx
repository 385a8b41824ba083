// One tab of ConnectWise's unposted records of a kind the batch pod runs
// beside invoices (expense reports, procurement): the list with readiness as
// the server decides it (ready; held, saying why; needs attention, saying
// what and where to fix it; already in Xero), selection, "Sync selected" /
// "Sync all ready", and the run's progress with Retry failed and Cancel.
// Starting and steering runs is for the members the server lets push that
// kind; everyone else reads the sentence saying who can. The tabs differ only
// in their words and their row's cells (UnpostedKind).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BatchRunKind, BatchRunView } from '../../shared/api.js';
import { Loading, MessageBox, StatusChip } from '../lib/ui.js';
import type { FixRecords } from '../../shared/fix-target.js';
import { FixIn } from '../lib/fix-link.js';
import type { BatchClient } from './batch-client.js';
import { RunPanel } from './RunPanel.js';
import { useRunActions } from './use-run.js';

/** What the tab needs of a row; the kinds' rows carry more (their cells read it). */
export interface UnpostedRow {
  readiness: 'ready' | 'held' | 'needs_attention' | 'synced';
  problem?: { message: string; where?: string | null } | null;
}

export interface UnpostedList<R> {
  items: R[];
  total: number;
  mayRun: boolean;
  whoCanRun: string | null;
}

/** A kind's words, its list and run calls, and its row's cells. */
export interface UnpostedKind<R extends UnpostedRow, K extends string | number> {
  runKind: BatchRunKind;
  /** Test ids derive from it: `${id}-table`, `${id}-row-…`, `${id}-summary`, `${id}-sync-all`. */
  id: string;
  /** The tab's CSS class. */
  className: string;
  selectReadyTestId: string;
  load(client: BatchClient): Promise<UnpostedList<R>>;
  start(client: BatchClient, which: { all: true } | { keys: K[] }): Promise<BatchRunView>;
  key(row: R): K;
  /** The run's results name items by this number; the list's rows keep their names after they leave it. */
  runItem(row: R): { id: number; name: string };
  noun: string;
  words: { title: string; loading: string; readError: string; empty: string; sync: string; explain: string; selectReady: string; columns: [string, string, string] };
  selectLabel(row: R): string;
  /** The three cells between the checkbox and readiness: what, date, total. */
  cells(row: R): ComponentChildren;
  fixRecords(row: R): FixRecords;
}

function Readiness({ row }: { row: UnpostedRow }) {
  if (row.readiness === 'held') {
    return (
      <span class="chip chip-held" data-testid="status-chip" data-status="held">
        Held
      </span>
    );
  }
  return <StatusChip status={row.readiness === 'needs_attention' ? 'attention' : row.readiness} />;
}

/** A list row's readiness as the server decided it, with the problem and where to fix it (every batch-pod list). */
export function ReadinessCell({ row, records }: { row: UnpostedRow; records: FixRecords }) {
  return (
    <td>
      <Readiness row={row} />
      {row.problem ? (
        <div class={row.readiness === 'held' ? 'why why-held' : 'why'} data-testid="row-problem">
          {row.problem.message}
          {row.problem.where ? <FixIn where={row.problem.where} records={records} /> : null}
        </div>
      ) : null}
    </td>
  );
}

export function UnpostedTab<R extends UnpostedRow, K extends string | number>({ client, kind }: { client: BatchClient; kind: UnpostedKind<R, K> }) {
  const [list, setList] = useState<UnpostedList<R> | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<Set<K>>(new Set());
  const { run, runError, going, busy, actionError, act, finished } = useRunActions(client, kind.runKind);

  useEffect(() => {
    setLoading(true);
    kind
      .load(client)
      .then((r) => {
        setList(r);
        setListError(null);
        // A row that left the list (posted meanwhile) is no longer selected.
        setSelected((s) => new Set([...s].filter((key) => r.items.some((x) => kind.key(x) === key && x.readiness === 'ready'))));
      })
      .catch((err: unknown) => setListError(err instanceof Error ? err.message : String(err)))
      .finally(() => setLoading(false));
  }, [client, kind, finished]);

  const names = useRef(new Map<number, string>()).current;
  for (const r of list?.items ?? []) {
    const item = kind.runItem(r);
    names.set(item.id, item.name);
  }
  const items = list?.items ?? [];
  const ready = items.filter((r) => r.readiness === 'ready');
  const held = items.filter((r) => r.readiness === 'held').length;
  const attention = items.filter((r) => r.readiness === 'needs_attention').length;
  const mayRun = list?.mayRun ?? false;
  const allReadyOn = ready.length > 0 && ready.every((r) => selected.has(kind.key(r)));

  const toggle = (key: K) => {
    const next = new Set(selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setSelected(next);
  };
  const sync = (which: 'selected' | 'all') =>
    act(async () => {
      const v = await kind.start(client, which === 'all' ? { all: true } : { keys: [...selected] });
      setSelected(new Set());
      return v;
    });
  const { words } = kind;

  return (
    <div class={kind.className}>
      {run ? <RunPanel run={run} numbers={names} noun={kind.noun} mayControl={mayRun} busy={busy} onCancel={() => act(() => client.cancel(run.id))} onRetry={() => act(() => client.retry(run.id))} /> : null}
      {listError ? <MessageBox title={words.readError}>{listError}</MessageBox> : null}
      {loading && !list ? <Loading text={words.loading} /> : null}

      {list ? (
        <section class="card" aria-label={words.title}>
          <div class="card-head">
            <h2 class="card-title">
              {words.title} <span class="card-sub">{list.total}</span>
            </h2>
            <span class="summary" data-testid={`${kind.id}-summary`}>
              <span class="chip chip-ready">{ready.length} ready</span>
              {held ? <span class="chip chip-held">{held} held</span> : null}
              {attention ? <span class="chip chip-attention">{attention} need attention</span> : null}
            </span>
            {loading ? <span class="spinner" aria-hidden="true" /> : null}
          </div>
          {items.length === 0 ? (
            <p class="muted">{words.empty}</p>
          ) : (
            <table class="records" data-testid={`${kind.id}-table`}>
              <thead>
                <tr>
                  <th class="sel">
                    <input type="checkbox" aria-label={words.selectReady} data-testid={kind.selectReadyTestId} disabled={!mayRun || ready.length === 0} checked={allReadyOn} onChange={() => setSelected(allReadyOn ? new Set() : new Set(ready.map(kind.key)))} />
                  </th>
                  <th>{words.columns[0]}</th>
                  <th class="col-date">{words.columns[1]}</th>
                  <th class="num">{words.columns[2]}</th>
                  <th>Readiness</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => {
                  const key = kind.key(r);
                  return (
                    <tr key={key} data-testid={`${kind.id}-row-${key}`} data-readiness={r.readiness} {...rowData(r)}>
                      <td class="sel">
                        <input type="checkbox" aria-label={kind.selectLabel(r)} checked={selected.has(key)} disabled={!mayRun || r.readiness !== 'ready'} onChange={() => toggle(key)} />
                      </td>
                      {kind.cells(r)}
                      <ReadinessCell row={r} records={kind.fixRecords(r)} />
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      ) : null}

      {list ? (
        <section class="card sync-bar" aria-label={words.sync}>
          {mayRun ? (
            <p class="muted">{words.explain}</p>
          ) : (
            <p class="muted" data-testid="who-can-run">
              {list.whoCanRun}
            </p>
          )}
          <div class="run-actions">
            <button type="button" class="secondary" data-testid={`${kind.id}-sync-selected`} disabled={!mayRun || busy || going || selected.size === 0} onClick={() => sync('selected')}>
              Sync selected ({selected.size})
            </button>
            <button type="button" class="primary" data-testid={`${kind.id}-sync-all`} disabled={!mayRun || busy || going || ready.length === 0} onClick={() => sync('all')}>
              {going ? 'A run is going…' : `Sync all ready (${ready.length})`}
            </button>
          </div>
        </section>
      ) : null}
      {actionError ? <MessageBox title="Could not do that">{actionError}</MessageBox> : null}
      {runError ? <MessageBox kind="warning" title="Progress is not updating">{runError}</MessageBox> : null}
    </div>
  );
}

/** A row's kind (procurement rows have one) as a data attribute tests and styles read. */
function rowData(row: UnpostedRow): Record<string, string> {
  const k = (row as { kind?: unknown }).kind;
  return typeof k === 'string' ? { 'data-kind': k } : {};
}
