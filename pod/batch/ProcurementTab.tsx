// The Purchase orders tab (issue 11): ConnectWise's unposted procurement —
// purchase orders, whose receipts become Xero bills (one per packing slip
// with part shipments), and inventory adjustments and transfers, which become
// Xero manual journals — with readiness as the server decides it (ready; held
// while a PO's lines wait, saying why; needs attention, saying what and where
// to fix it; already in Xero), selection, "Sync selected" / "Sync all ready",
// and the run's progress with Retry failed and Cancel. Starting and steering
// runs is for the members who may push purchase orders (the server refuses
// anyone else).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BatchRunView } from '../../shared/api.js';
import type { BatchProcurementResponse, BatchProcurementRow } from '../../shared/procurement-batch-api.js';
import { Loading, MessageBox, Money, StatusChip } from '../lib/ui.js';
import type { BatchClient } from './batch-client.js';
import { RunPanel } from './RunPanel.js';
import { useRun } from './use-run.js';
import { formatDate } from '../lib/dates.js';
import { FixIn } from '../lib/fix-link.js';

const KIND_WORDS: Record<BatchProcurementRow['kind'], string> = { purchaseOrder: 'Purchase order', adjustment: 'Adjustment', transfer: 'Transfer' };

function Readiness({ row }: { row: BatchProcurementRow }) {
  if (row.readiness === 'held') {
    return (
      <span class="chip chip-held" data-testid="status-chip" data-status="held">
        Held
      </span>
    );
  }
  return <StatusChip status={row.readiness === 'needs_attention' ? 'attention' : row.readiness} />;
}

export function ProcurementTab({ client }: { client: BatchClient }) {
  const [list, setList] = useState<BatchProcurementResponse | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const { run, error: runError, show, going } = useRun(client, 'procurement');

  useEffect(() => {
    setLoading(true);
    client
      .procurement()
      .then((r) => {
        setList(r);
        setListError(null);
        // A row that left the list (posted meanwhile) is no longer selected.
        setSelected((s) => new Set([...s].filter((key) => r.items.some((x) => x.key === key && x.readiness === 'ready'))));
      })
      .catch((err: unknown) => setListError(err instanceof Error ? err.message : String(err)))
      .finally(() => setLoading(false));
  }, [client, reload]);

  // When a run stops, the list changes (what was pushed is posted in ConnectWise now).
  const lastStatus = run?.status;
  useEffect(() => {
    if (lastStatus === 'done' || lastStatus === 'cancelled') setReload((n) => n + 1);
  }, [lastStatus]);

  // A run's items are known by their first GL entry; rows seen in the list keep their names after they leave it.
  const names = useRef(new Map<number, string>()).current;
  for (const r of list?.items ?? []) names.set(r.glEntryId, r.title);
  const items = list?.items ?? [];
  const ready = items.filter((r) => r.readiness === 'ready');
  const held = items.filter((r) => r.readiness === 'held').length;
  const attention = items.filter((r) => r.readiness === 'needs_attention').length;
  const mayRun = list?.mayRun ?? false;

  const toggle = (key: string) => {
    const next = new Set(selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setSelected(next);
  };
  const toggleReady = () => {
    const allOn = ready.length > 0 && ready.every((r) => selected.has(r.key));
    setSelected(allOn ? new Set() : new Set(ready.map((r) => r.key)));
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
      const v = await client.startProcurement(which === 'all' ? { kind: 'procurement', all: true } : { kind: 'procurement', keys: [...selected] });
      setSelected(new Set());
      return v;
    });

  return (
    <div class="batch-procurement">
      {run ? <RunPanel run={run} numbers={names} noun="GL entry" mayControl={mayRun} busy={busy} onCancel={() => act(() => client.cancel(run.id))} onRetry={() => act(() => client.retry(run.id))} /> : null}
      {listError ? <MessageBox title="Could not read ConnectWise's unposted procurement">{listError}</MessageBox> : null}
      {loading && !list ? <Loading text="Reading unposted purchase orders and inventory from ConnectWise…" /> : null}

      {list ? (
        <section class="card" aria-label="Unposted purchase orders and inventory">
          <div class="card-head">
            <h2 class="card-title">
              Unposted purchase orders and inventory <span class="card-sub">{list.total}</span>
            </h2>
            <span class="summary" data-testid="procurement-summary">
              <span class="chip chip-ready">{ready.length} ready</span>
              {held ? <span class="chip chip-held">{held} held</span> : null}
              {attention ? <span class="chip chip-attention">{attention} need attention</span> : null}
            </span>
            {loading ? <span class="spinner" aria-hidden="true" /> : null}
          </div>
          {items.length === 0 ? (
            <p class="muted">No purchase receipts, adjustments or transfers are waiting to be posted in ConnectWise.</p>
          ) : (
            <table class="records" data-testid="procurement-table">
              <thead>
                <tr>
                  <th class="sel">
                    <input type="checkbox" aria-label="Select every ready row" data-testid="select-ready-procurement" disabled={!mayRun || ready.length === 0} checked={ready.length > 0 && ready.every((r) => selected.has(r.key))} onChange={toggleReady} />
                  </th>
                  <th>Record · what it makes</th>
                  <th class="col-date">Date</th>
                  <th class="num">Total</th>
                  <th>Readiness</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.key} data-testid={`procurement-row-${r.key}`} data-readiness={r.readiness} data-kind={r.kind}>
                    <td class="sel">
                      <input type="checkbox" aria-label={`Select ${r.title}`} checked={selected.has(r.key)} disabled={!mayRun || r.readiness !== 'ready'} onChange={() => toggle(r.key)} />
                    </td>
                    <td class="who">
                      <span class="number" data-testid="row-number">
                        {r.title}
                      </span>
                      <span class="customer" title={`${KIND_WORDS[r.kind]} · ${r.party} · ${r.detail}`}>
                        {r.party ? `${r.party} · ` : ''}
                        {r.detail}
                      </span>
                    </td>
                    <td class="col-date">{r.date ? formatDate(r.date) : ''}</td>
                    <td class="num" data-testid="row-total">
                      <Money amount={r.total} currency={r.currency} />
                    </td>
                    <td>
                      <Readiness row={r} />
                      {r.problem ? (
                        <div class={r.readiness === 'held' ? 'why why-held' : 'why'} data-testid="row-problem">
                          {r.problem.message}
                          {r.problem.where ? <FixIn where={r.problem.where} records={{ purchaseorder: r.key.startsWith('po:') ? Number(r.key.slice(3)) : undefined }} /> : null}
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
        <section class="card sync-bar" aria-label="Sync purchase orders and inventory">
          {mayRun ? (
            <p class="muted">Each purchase order becomes its Xero bills (one per packing slip with part shipments); each adjustment or transfer a balanced manual journal. ConnectWise keeps the stock on hand.</p>
          ) : (
            <p class="muted" data-testid="who-can-run">
              {list.whoCanRun}
            </p>
          )}
          <div class="run-actions">
            <button type="button" class="secondary" data-testid="procurement-sync-selected" disabled={!mayRun || busy || going || selected.size === 0} onClick={() => sync('selected')}>
              Sync selected ({selected.size})
            </button>
            <button type="button" class="primary" data-testid="procurement-sync-all" disabled={!mayRun || busy || going || ready.length === 0} onClick={() => sync('all')}>
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
