// "Sync payments" on the accounting batch pod (issue 5): brings every synced
// invoice's ConnectWise payment to what Xero says was paid, then says what
// happened in words, listing the invoices that need a person and why.
import { useState } from 'preact/hooks';
import type { Api } from '../lib/api.js';
import { MessageBox } from '../lib/ui.js';
import type { PaymentInvoiceNote, PaymentRunResult } from '../../shared/api.js';

type State = { phase: 'idle' } | { phase: 'running' } | { phase: 'done'; result: PaymentRunResult } | { phase: 'error'; message: string };

/** `whoCanRun`: said instead of the button's use for a member who may not sync (null: they may). */
export function PaymentsButton({ api, whoCanRun = null }: { api: Api; whoCanRun?: string | null }) {
  const [state, setState] = useState<State>({ phase: 'idle' });

  const run = async () => {
    setState({ phase: 'running' });
    try {
      setState({ phase: 'done', result: await api<PaymentRunResult>('/api/payments/sync', { method: 'POST', body: '{}' }) });
    } catch (err) {
      setState({ phase: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <section class="card payments-button" aria-label="Payments from Xero" data-testid="payments-button">
      <div class="card-head">
        <h2 class="card-title">Payments from Xero</h2>
        <button type="button" data-testid="sync-payments-all" disabled={whoCanRun !== null || state.phase === 'running'} aria-busy={state.phase === 'running'} onClick={run}>
          {state.phase === 'running' ? 'Syncing payments…' : 'Sync payments'}
        </button>
      </div>
      {whoCanRun !== null ? (
        <p class="muted" data-testid="payments-who-can">
          {whoCanRun}
        </p>
      ) : state.phase === 'idle' ? <p class="muted">Brings what customers paid in Xero onto the ConnectWise invoices (it also runs on its own on a schedule, every 15 minutes unless settings say otherwise).</p> : null}
      {state.phase === 'error' ? <MessageBox title="Payments were not synced">{state.message}</MessageBox> : null}
      {state.phase === 'done' ? <PaymentRunSummary result={state.result} /> : null}
    </section>
  );
}

/** The document a payment note is about, as Xero calls it: "Invoice INV-0042", "Credit note CN-0007". */
export function noteSubject(n: Pick<PaymentInvoiceNote, 'document' | 'invoiceNumber'>): string {
  return `${n.document === 'creditNote' ? 'Credit note' : 'Invoice'} ${n.invoiceNumber}`;
}

export function PaymentRunSummary({ result }: { result: PaymentRunResult }) {
  const kind = result.busy || result.errors.length || result.needsAttention.length ? 'warning' : 'info';
  return (
    <div data-testid="payments-result">
      <MessageBox kind={kind} title={result.message}>
        {result.needsAttention.length || result.errors.length ? (
          <ul class="rc-list">
            {[...result.needsAttention, ...result.errors].map((n) => (
              <li key={`${n.cwInvoiceId}-${n.message}`}>
                <strong>{noteSubject(n)}:</strong> {n.message}
              </li>
            ))}
          </ul>
        ) : null}
      </MessageBox>
    </div>
  );
}
