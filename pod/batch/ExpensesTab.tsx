// The Expenses tab (issue 10): ConnectWise's unposted expenses by expense
// report — member, dates, entries, totals per currency — with readiness as
// the server decides it (ready; held until approved, saying why; needs
// attention, saying what and where to fix it; already in Xero), selection,
// "Sync selected" / "Sync all ready", and the run's progress with Retry
// failed and Cancel. Starting and steering runs is for the members who may
// push expense reports (the server refuses anyone else).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BatchRunView } from '../../shared/api.js';
import type { BatchExpenseRow, BatchExpensesResponse } from '../../shared/expense-api.js';
import { Loading, MessageBox, Money, StatusChip } from '../lib/ui.js';
import type { BatchClient } from './batch-client.js';
import { RunPanel } from './RunPanel.js';
import { useRun } from './use-run.js';
import { formatDate } from '../lib/dates.js';
import { FixIn } from '../lib/fix-link.js';

function Readiness({ row }: { row: BatchExpenseRow }) {
  if (row.readiness === 'held') {
    return (
      <span class="chip chip-held" data-testid="status-chip" data-status="held">
        Held
      </span>
    );
  }
  return <StatusChip status={row.readiness === 'needs_attention' ? 'attention' : row.readiness} />;
}

function dates(row: BatchExpenseRow): string {
  if (row.dateStart && row.dateEnd && row.dateStart !== row.dateEnd) return `${formatDate(row.dateStart)} – ${formatDate(row.dateEnd)}`;
  const one = row.dateStart ?? row.dateEnd;
  return one ? formatDate(one) : '';
}

export function ExpensesTab({ client }: { client: BatchClient }) {
  const [list, setList] = useState<BatchExpensesResponse | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const { run, error: runError, show, going } = useRun(client, 'expense');

  useEffect(() => {
    setLoading(true);
    client
      .expenses()
      .then((r) => {
        setList(r);
        setListError(null);
        // A report that left the list (posted meanwhile) is no longer selected.
        setSelected((s) => new Set([...s].filter((id) => r.items.some((x) => x.reportId === id && x.readiness === 'ready'))));
      })
      .catch((err: unknown) => setListError(err instanceof Error ? err.message : String(err)))
      .finally(() => setLoading(false));
  }, [client, reload]);

  // When a run stops, the list changes (pushed reports are posted in ConnectWise now).
  const lastStatus = run?.status;
  useEffect(() => {
    if (lastStatus === 'done' || lastStatus === 'cancelled') setReload((n) => n + 1);
  }, [lastStatus]);

  // Reports seen in the list keep their names in the run's results after they leave it.
  const names = useRef(new Map<number, string>()).current;
  for (const r of list?.items ?? []) names.set(r.reportId, `Report ${r.reportId} · ${r.member.name}`);
  const items = list?.items ?? [];
  const ready = items.filter((r) => r.readiness === 'ready');
  const held = items.filter((r) => r.readiness === 'held').length;
  const attention = items.filter((r) => r.readiness === 'needs_attention').length;
  const mayRun = list?.mayRun ?? false;

  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const toggleReady = () => {
    const allOn = ready.length > 0 && ready.every((r) => selected.has(r.reportId));
    setSelected(allOn ? new Set() : new Set(ready.map((r) => r.reportId)));
  };
  const act = async (fn: () => Promise<BatchRunView>) => {
    setBusy(true);
    setActionError(null);
    try {
      show(await fn());
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const sync = (which: 'selected' | 'all') =>
    act(async () => {
      const v = await client.startExpenses(which === 'all' ? { kind: 'expense', all: true } : { kind: 'expense', reportIds: [...selected] });
      setSelected(new Set());
      return v;
    });

  return (
    <div class="batch-expenses">
      {run ? <RunPanel run={run} numbers={names} noun="Expense report" mayControl={mayRun} busy={busy} onCancel={() => act(() => client.cancel(run.id))} onRetry={() => act(() => client.retry(run.id))} /> : null}
      {listError ? <MessageBox title="Could not read ConnectWise's unposted expenses">{listError}</MessageBox> : null}
      {loading && !list ? <Loading text="Reading unposted expenses from ConnectWise…" /> : null}

      {list ? (
        <section class="card" aria-label="Unposted expense reports">
          <div class="card-head">
            <h2 class="card-title">
              Unposted expense reports <span class="card-sub">{list.total}</span>
            </h2>
            <span class="summary" data-testid="expense-summary">
              <span class="chip chip-ready">{ready.length} ready</span>
              {held ? <span class="chip chip-held">{held} held</span> : null}
              {attention ? <span class="chip chip-attention">{attention} need attention</span> : null}
            </span>
            {loading ? <span class="spinner" aria-hidden="true" /> : null}
          </div>
          {items.length === 0 ? (
            <p class="muted">No expenses are waiting to be posted in ConnectWise.</p>
          ) : (
            <table class="records" data-testid="expense-table">
              <thead>
                <tr>
                  <th class="sel">
                    <input type="checkbox" aria-label="Select every ready expense report" data-testid="select-ready-expenses" disabled={!mayRun || ready.length === 0} checked={ready.length > 0 && ready.every((r) => selected.has(r.reportId))} onChange={toggleReady} />
                  </th>
                  <th>Report · member</th>
                  <th class="col-date">Dates</th>
                  <th class="num">Total</th>
                  <th>Readiness</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.reportId} data-testid={`expense-row-${r.reportId}`} data-readiness={r.readiness}>
                    <td class="sel">
                      <input type="checkbox" aria-label={`Select expense report ${r.reportId}`} checked={selected.has(r.reportId)} disabled={!mayRun || r.readiness !== 'ready'} onChange={() => toggle(r.reportId)} />
                    </td>
                    <td class="who">
                      <span class="number" data-testid="row-number">
                        Report {r.reportId}
                      </span>
                      <span class="customer" title={r.member.name}>
                        {r.member.name} · {r.entryCount === 1 ? '1 entry' : `${r.entryCount} entries`}
                      </span>
                    </td>
                    <td class="col-date">{dates(r)}</td>
                    <td class="num" data-testid="row-totals">
                      {r.totals.map((t) => (
                        <span class="total-line" key={t.currency}>
                          <Money amount={t.total} currency={t.currency} />
                        </span>
                      ))}
                    </td>
                    <td>
                      <Readiness row={r} />
                      {r.problem ? (
                        <div class={r.readiness === 'held' ? 'why why-held' : 'why'} data-testid="row-problem">
                          {r.problem.message}
                          {r.problem.where ? <FixIn where={r.problem.where} records={{ expensereport: r.reportId }} /> : null}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}

      {list ? (
        <section class="card sync-bar" aria-label="Sync expenses">
          {mayRun ? (
            <p class="muted">Each report becomes its Xero bills (one per currency), paid from the card's account where Wise-Pay says so. Held reports go once they are approved.</p>
          ) : (
            <p class="muted" data-testid="who-can-run">
              {list.whoCanRun}
            </p>
          )}
          <div class="run-actions">
            <button type="button" class="secondary" data-testid="expense-sync-selected" disabled={!mayRun || busy || going || selected.size === 0} onClick={() => sync('selected')}>
              Sync selected ({selected.size})
            </button>
            <button type="button" class="primary" data-testid="expense-sync-all" disabled={!mayRun || busy || going || ready.length === 0} onClick={() => sync('all')}>
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
