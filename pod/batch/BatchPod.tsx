// The pod on ConnectWise's accounting batch screen (issue 12): ConnectWise
// gives it a narrow panel (about 380 × 420 px), so it holds only what month-end
// needs at a glance — per document kind, how many unposted records are ready,
// need attention and were synced today (over every record, not one page); the
// running run's progress; and the primary actions: sync all ready, sync
// payments, open the full list. The full list (the tabs of BatchScreen) opens
// at full width in a window of ours.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PodContext } from '../lib/boot.js';
import { MessageBox } from '../lib/ui.js';
import type { BatchKindSummary, BatchRunKind, BatchRunView, BatchSummaryResponse, PaymentRunResult } from '../../shared/api.js';
import { batchClient } from './batch-client.js';
import { isGoing, useRun } from './use-run.js';
import { STATUS_WORDS } from './RunPanel.js';
import { PaymentRunSummary } from './PaymentsButton.js';
import { openWindowWithSession } from './window-session.js';
import './batch.css';

const KIND_WORDS: Record<BatchRunKind, { label: string; one: string; plural: string }> = {
  invoice: { label: 'Invoices', one: 'invoice', plural: 'invoices' },
  expense: { label: 'Expenses', one: 'expense report', plural: 'expense reports' },
  procurement: { label: 'Procurement', one: 'purchase order or inventory record', plural: 'purchase orders and inventory records' },
};

const KINDS = ['invoice', 'expense', 'procurement'] as const;

const some = (n: number, k: BatchRunKind) => `${n} ${n === 1 ? KIND_WORDS[k].one : KIND_WORDS[k].plural}`;

/** The full list's address: this page, in list view, for the same tenant and screen. */
export function fullListUrl(loc: Location = location): string {
  const params = new URLSearchParams(loc.search);
  params.set('view', 'list');
  return `${loc.pathname}?${params.toString()}`;
}

function pct(n: number, total: number): string {
  return total ? `${((n / total) * 100).toFixed(2)}%` : '0%';
}

/** A run's progress in two lines: what it is doing, and a bar of synced / need attention. */
function RunLine({ run }: { run: BatchRunView }) {
  const c = run.counts;
  return (
    <section class="pod-run" aria-label="Sync run" data-testid="pod-run" data-status={run.status} data-kind={run.kind}>
      <div class="pod-run-head">
        <b>{STATUS_WORDS[run.status]}</b> <span class="muted">{KIND_WORDS[run.kind].plural}</span>
        <span class="pod-run-counts" data-testid="pod-run-counts">
          {c.done} of {c.total} synced{c.failed ? <span class="warn"> · {c.failed} need attention</span> : null}
          {c.remaining && run.status !== 'done' ? ` · ${c.remaining} to go` : ''}
        </span>
      </div>
      <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={c.total} aria-valuenow={c.done + c.failed} aria-label="Records processed" data-testid="pod-run-progress">
        <span class="bar bar-done" style={{ width: pct(c.done, c.total) }} />
        <span class="bar bar-failed" style={{ width: pct(c.failed, c.total) }} />
      </div>
      {run.waiting ? <p class="pod-run-waiting" role="status">{run.waiting.message}</p> : null}
    </section>
  );
}

type Payments = { phase: 'idle' } | { phase: 'running' } | { phase: 'done'; result: PaymentRunResult } | { phase: 'error'; message: string };

export function BatchPod({ ctx }: { ctx: PodContext }) {
  const client = useMemo(() => batchClient(ctx.api), [ctx.api]);
  // Each kind is counted by its own read: the invoices' come with the sign-in (the month end's first
  // paint, main.tsx), the others at once after it, so the sign-in does not wait for every kind's lists.
  const [counts, setCounts] = useState<Partial<Record<BatchRunKind, BatchKindSummary>>>({});
  const [summary, setSummary] = useState<Omit<BatchSummaryResponse, 'kinds'> | null>(null);
  const [summaryError, setSummaryError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [payments, setPayments] = useState<Payments>({ phase: 'idle' });
  const runs: Record<BatchRunKind, ReturnType<typeof useRun>> = {
    invoice: useRun(client, 'invoice'),
    expense: useRun(client, 'expense'),
    procurement: useRun(client, 'procurement'),
  };

  // A layout effect: the counts that came with the sign-in are on screen in the same frame as the pod (issue 12).
  useLayoutEffect(() => {
    let live = true;
    for (const kind of KINDS) {
      client
        .summary({}, kind)
        .then((s) => {
          if (!live) return;
          setCounts((c) => ({ ...c, ...Object.fromEntries(s.kinds.map((k) => [k.kind, k])) }));
          setSummary(s);
          setSummaryError(null);
        })
        .catch((err: unknown) => live && setSummaryError(err instanceof Error ? err.message : String(err)));
    }
    return () => {
      live = false;
    };
  }, [client, reload]);

  // The counts move when a run ends (one that was going is not any more, or one ended as it started:
  // syncAll), and when the accountant comes back from the full list — not when the pod opens and learns
  // each kind's latest run (the counts were just read: a recount then would read every list again).
  const goingKinds = KINDS.filter((k) => runs[k].going).join(',');
  const wasGoing = useRef(goingKinds);
  useEffect(() => {
    const ended = wasGoing.current.split(',').some((k) => k !== '' && !goingKinds.split(',').includes(k));
    wasGoing.current = goingKinds;
    if (ended) setReload((n) => n + 1);
  }, [goingKinds]);
  // Counting reads every unposted record: a click back into the pod recounts at most every 30 seconds.
  const countedAt = useRef(0);
  useEffect(() => {
    countedAt.current = Date.now();
  }, [reload]);
  useEffect(() => {
    const again = () => {
      if (Date.now() - countedAt.current > 30_000) setReload((n) => n + 1);
    };
    window.addEventListener('focus', again);
    return () => window.removeEventListener('focus', again);
  }, []);

  // The run shown: one going, else the latest that ran.
  const all = KINDS.flatMap((k) => (runs[k].run ? [runs[k].run] : []));
  const shown = all.find((r) => runs[r.kind].going) ?? [...all].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const mayRun = summary?.mayRun ?? false;

  const syncAll = async (k: BatchRunKind) => {
    setBusy(true);
    setActionError(null);
    try {
      const v =
        k === 'invoice'
          ? await client.start({ all: true, batching: 'record' })
          : k === 'expense'
            ? await client.startExpenses({ kind: 'expense', all: true })
            : await client.startProcurement({ kind: 'procurement', all: true });
      runs[k].show(v);
      if (!isGoing(v.status)) setReload((n) => n + 1);
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const syncPayments = async () => {
    setPayments({ phase: 'running' });
    try {
      setPayments({ phase: 'done', result: await ctx.api<PaymentRunResult>('/api/payments/sync', { method: 'POST', body: '{}' }) });
    } catch (err) {
      setPayments({ phase: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };
  const openList = () => {
    if (!openWindowWithSession(fullListUrl(), '_blank', ctx.session)) setActionError('The browser blocked the window; allow pop-ups for this site and try again.');
  };

  const row = (s: BatchKindSummary) => {
    const going = runs[s.kind].going;
    return (
      <tr key={s.kind} data-testid={`month-${s.kind}`}>
        <th scope="row">{KIND_WORDS[s.kind].label}</th>
        {s.error ? (
          <td colSpan={4} class="why" data-testid="month-error">
            {s.error}
          </td>
        ) : (
          <>
            <td class="num" data-testid="count-ready">{s.ready}</td>
            <td class={`num${s.attention ? ' warn' : ''}`} data-testid="count-attention">{s.attention}</td>
            <td class="num" data-testid="count-synced-today">{s.syncedToday}</td>
            <td class="act">
              <button type="button" class="primary small" data-testid={`sync-ready-${s.kind}`} disabled={!mayRun || busy || going || s.ready === 0} title={mayRun ? `Sync every ready one of the ${s.total} unposted ${KIND_WORDS[s.kind].plural}` : (summary?.whoCanRun ?? '')} onClick={() => void syncAll(s.kind)}>
                {going ? 'Running…' : `Sync ${s.ready}`}
              </button>
            </td>
          </>
        )}
      </tr>
    );
  };
  const counted = KINDS.flatMap((k) => (counts[k] ? [counts[k]] : []));
  const held = counted.filter((k) => k.held || k.inXero);

  return (
    <div class="batch-pod">
      <section class="month" aria-label="Month-end" data-testid="month-end">
        {summaryError ? <MessageBox title="Could not count the unposted records">{summaryError}</MessageBox> : null}
        <table class="month-table">
          <thead>
            <tr>
              <th scope="col">Unposted</th>
              <th scope="col" class="num">Ready</th>
              <th scope="col" class="num">Need attention</th>
              <th scope="col" class="num">Synced today</th>
              <th scope="col" class="act"><span class="sr-only">Sync</span></th>
            </tr>
          </thead>
          <tbody>
            {counted.length ? (
              KINDS.map((k) =>
                counts[k] ? (
                  row(counts[k])
                ) : (
                  <tr key={k} data-testid={`month-${k}`}>
                    <th scope="row">{KIND_WORDS[k].label}</th>
                    <td colSpan={4} class="muted" data-testid="month-loading">
                      <span class="spinner" aria-hidden="true" /> Counting…
                    </td>
                  </tr>
                ),
              )
            ) : (
              <tr>
                <td colSpan={5} class="muted" data-testid="month-loading">
                  <span class="spinner" aria-hidden="true" /> Counting every unposted record…
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {held.length ? (
          <p class="month-note muted" data-testid="month-note">
            Also {held.map((k) => [k.held ? `${some(k.held, k.kind)} held (see why in the full list)` : '', k.inXero ? `${some(k.inXero, k.kind)} already in Xero` : ''].filter(Boolean).join(', ')).join('; ')}.
          </p>
        ) : null}
      </section>

      {shown ? <RunLine run={shown} /> : null}

      <div class="pod-actions">
        <button type="button" data-testid="sync-payments-all" disabled={!mayRun || payments.phase === 'running'} aria-busy={payments.phase === 'running'} title={mayRun ? 'Bring what customers paid in Xero onto the ConnectWise invoices' : (summary?.whoCanRun ?? '')} onClick={() => void syncPayments()}>
          {payments.phase === 'running' ? 'Syncing payments…' : 'Sync payments'}
        </button>
        <button type="button" class="secondary" data-testid="open-full-list" onClick={openList}>
          Open the full list ↗
        </button>
      </div>
      {summary && !summary.mayRun && summary.whoCanRun ? <p class="muted small-print" data-testid="who-can-run">{summary.whoCanRun}</p> : null}
      {actionError ? <MessageBox title="Could not do that">{actionError}</MessageBox> : null}
      {payments.phase === 'error' ? <MessageBox title="Payments were not synced">{payments.message}</MessageBox> : null}
      {payments.phase === 'done' ? <PaymentRunSummary result={payments.result} /> : null}
    </div>
  );
}
