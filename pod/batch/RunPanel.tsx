// A run's live progress: a bar of done / failed / remaining, status chips,
// "waiting for Xero's limit" in words, Cancel, Retry failed, and each
// record's outcome with a link to its Xero document or the reason and where
// to fix it.
import type { BatchRunView } from '../../shared/api.js';
import { StatusChip } from '../lib/ui.js';
import { FixIn } from '../lib/fix-link.js';

export const STATUS_WORDS: Record<BatchRunView['status'], string> = {
  running: 'Syncing…',
  cancelling: 'Cancelling after the call in flight…',
  cancelled: 'Cancelled',
  waiting_day: "Paused: Xero's daily limit",
  done: 'Finished',
};

export interface RunPanelProps {
  run: BatchRunView;
  /** How each listed record is named (an invoice's number), by its ConnectWise id. */
  numbers: Map<number, string>;
  /** What a record is called where the list no longer names it ("Invoice 1001", "Expense report 2001"). */
  noun?: string;
  /** Cancel and Retry failed are offered (false: the member may not; the server refuses them too). */
  mayControl?: boolean;
  busy: boolean;
  onCancel: () => void;
  onRetry: () => void;
}

function pct(n: number, total: number): string {
  return total ? `${((n / total) * 100).toFixed(2)}%` : '0%';
}

export function RunPanel({ run, numbers, noun = 'Invoice', mayControl = true, busy, onCancel, onRetry }: RunPanelProps) {
  const c = run.counts;
  const going = run.status === 'running' || run.status === 'waiting_day' || run.status === 'cancelling';
  const failedItems = run.items.filter((i) => i.state === 'failed' || i.state === 'needs_attention');
  const shown = [...failedItems, ...run.items.filter((i) => i.state === 'synced')];
  return (
    <section class="card run" aria-label="Sync run" data-testid="run-panel" data-status={run.status}>
      <div class="card-head">
        <h2 class="card-title">{STATUS_WORDS[run.status]}</h2>
        <div class="run-actions">
          {mayControl && going && run.status !== 'cancelling' ? (
            <button type="button" class="secondary" data-testid="run-cancel" disabled={busy} onClick={onCancel}>
              Cancel
            </button>
          ) : null}
          {mayControl && !going && c.failed > 0 ? (
            <button type="button" data-testid="run-retry" disabled={busy} onClick={onRetry}>
              Retry failed ({c.failed})
            </button>
          ) : null}
        </div>
      </div>
      <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={c.total} aria-valuenow={c.done + c.failed} aria-label="Records processed" data-testid="run-progress">
        <span class="bar bar-done" style={{ width: pct(c.done, c.total) }} />
        <span class="bar bar-failed" style={{ width: pct(c.failed, c.total) }} />
      </div>
      <div class="run-counts">
        <span data-testid="run-done"><b>{c.done}</b> synced</span>
        <span data-testid="run-failed" class={c.failed ? 'warn' : ''}><b>{c.failed}</b> need attention</span>
        <span data-testid="run-remaining"><b>{c.remaining}</b> remaining</span>
        {c.cancelled ? <span data-testid="run-cancelled"><b>{c.cancelled}</b> cancelled</span> : null}
        <span class="muted">of {c.total}</span>
      </div>
      {run.waiting ? (
        <p class="run-waiting" role="status" data-testid="run-waiting">
          <span class="spinner" aria-hidden="true" /> {run.waiting.message}
        </p>
      ) : null}
      {shown.length ? (
        <ul class="outcomes" data-testid="run-outcomes">
          {shown.slice(0, 300).map((i) => (
            <li key={i.glEntryId} class="outcome" data-testid={`outcome-${i.cwInvoiceId}`} data-state={i.state}>
              <StatusChip status={i.state === 'synced' ? 'synced' : 'attention'} />
              <span class="outcome-number">{numbers.get(i.cwInvoiceId) ?? i.xero?.number ?? `${noun} ${i.cwInvoiceId}`}</span>
              {(i.documents ?? (i.xero ? [i.xero] : [])).map((d) => (
                <a key={d.documentId} href={d.url} target="_blank" rel="noopener noreferrer" data-testid="xero-link">
                  {documentWords(d.number)} in Xero ↗
                </a>
              ))}
              {i.problem ? (
                <span class="outcome-problem">
                  {i.problem.message}
                  {i.problem.where ? <FixIn where={i.problem.where} records={noun === 'Invoice' ? { invoice: i.cwInvoiceId } : noun.startsWith('Expense') ? { expensereport: i.cwInvoiceId } : {}} /> : null}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/**
 * A manual journal has no number in Xero: what the ledger keeps as its number
 * is our reference in its narration ("cwx:adj:7201"), which is no word for an
 * accountant; the link says what it is instead.
 */
function documentWords(number: string): string {
  return /^cwx:[a-z]+:/.test(number) ? 'Manual journal' : number;
}
