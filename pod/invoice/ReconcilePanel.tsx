// The "Reconcile" tab of the invoice dialog (issue 5): ConnectWise on the
// left, Xero on the right, a row per field, each difference highlighted in
// colour and said in words; the one-click fixes the server offers (re-sync,
// sync payments), plain explanations where no click can fix it, what the last
// payment sync left for a person, and "Sync payments" for this invoice.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Api } from '../lib/api.js';
import { MessageBox } from '../lib/ui.js';
import { SkeletonLines } from '../lib/skeleton.js';
import type { PushResponse, PaymentRunResult, ReconcileRowView, ReconcileView } from '../../shared/api.js';
import { xeroStatusWords } from './chip.js';
import './ReconcilePanel.css';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; view: ReconcileView };
type Busy = null | 'resync' | 'payments';

const SECTIONS: { id: ReconcileRowView['section']; title: string }[] = [
  { id: 'header', title: 'Invoice' },
  { id: 'lines', title: 'Lines' },
  { id: 'totals', title: 'Totals' },
  { id: 'payments', title: 'Status and payments' },
];

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A payment run in words: the sentence, then what needs a person. */
export function paymentRunWords(r: PaymentRunResult): string {
  return r.message;
}

function Row({ row }: { row: ReconcileRowView }) {
  return (
    <>
      <tr class={row.same ? 'rc-row' : 'rc-row rc-diff'} data-testid="reconcile-row" data-key={row.key} data-same={String(row.same)}>
        <th scope="row">{row.field}</th>
        <td class="rc-cw">{row.cw ?? <span class="muted">—</span>}</td>
        <td class="rc-mark" aria-label={row.same ? 'same' : 'differs'}>
          {row.same ? '=' : '≠'}
        </td>
        <td class="rc-xero">{row.xero ?? <span class="muted">—</span>}</td>
      </tr>
      {row.note ? (
        <tr class={row.same ? 'rc-note rc-note-ok' : 'rc-note'}>
          <td colSpan={4} data-testid="reconcile-note">
            {row.note}
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** `readOnly`: who can push, for a member who may not (the fixes and "Sync payments" are then disabled). */
export function ReconcilePanel({ invoiceId, api, readOnly = null }: { invoiceId: number; api: Api; readOnly?: string | null }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [nonce, setNonce] = useState(0);
  const [busy, setBusy] = useState<Busy>(null);
  const [outcome, setOutcome] = useState<{ kind: 'info' | 'error' | 'warning'; text: string; details?: string[] } | null>(null);

  useEffect(() => {
    let live = true;
    setLoad((l) => (l.state === 'ok' ? l : { state: 'loading' }));
    api<ReconcileView>(`/api/invoices/${invoiceId}/reconcile`, { method: 'GET' })
      .then((view) => live && setLoad({ state: 'ok', view }))
      .catch((err: unknown) => live && setLoad({ state: 'error', message: errText(err) }));
    return () => {
      live = false;
    };
  }, [api, invoiceId, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);

  const syncPayments = async () => {
    setBusy('payments');
    setOutcome(null);
    try {
      const r = await api<PaymentRunResult>(`/api/invoices/${invoiceId}/payments/sync`, { method: 'POST', body: '{}' });
      const details = [...r.needsAttention.map((n) => n.message), ...r.errors.map((n) => n.message)];
      setOutcome({ kind: r.busy || r.errors.length ? 'warning' : r.needsAttention.length ? 'warning' : 'info', text: paymentRunWords(r), details });
    } catch (err) {
      setOutcome({ kind: 'error', text: errText(err) });
    } finally {
      setBusy(null);
      reload();
    }
  };

  const resync = async () => {
    setBusy('resync');
    setOutcome(null);
    try {
      const r = await api<PushResponse>(`/api/invoices/${invoiceId}/push`, { method: 'POST', body: '{}' });
      setOutcome({ kind: r.outcome === 'synced' || r.outcome === 'unchanged' ? 'info' : 'warning', text: r.message });
    } catch (err) {
      setOutcome({ kind: 'error', text: errText(err) });
    } finally {
      setBusy(null);
      reload();
    }
  };

  if (load.state === 'loading') {
    return (
      <section class="card" aria-busy="true">
        <SkeletonLines rows={4} label="Comparing ConnectWise with Xero" />
      </section>
    );
  }
  if (load.state === 'error') {
    return (
      <MessageBox title="Could not compare with Xero">
        {load.message}{' '}
        <button type="button" class="link-button" onClick={reload}>
          Try again
        </button>
      </MessageBox>
    );
  }
  const v = load.view;
  const agree = v.synced && v.differences === 0;
  return (
    <section class="card reconcile" aria-label="ConnectWise and Xero side by side" data-testid="reconcile-panel">
      <div class={`rc-summary ${!v.synced ? 'rc-summary-info' : agree ? 'rc-summary-ok' : 'rc-summary-diff'}`} data-testid="reconcile-summary" role="status">
        {v.summary}
      </div>

      {v.paymentNotes.length ? (
        <MessageBox kind="warning" title="Payments: needs a person">
          {v.paymentNotes.map((n) => (
            <p class="rc-p" data-testid="payment-note" key={n}>
              {n}
            </p>
          ))}
        </MessageBox>
      ) : null}

      {v.rows.length ? (
        <table class="rc-table">
          <thead>
            <tr>
              <th scope="col" class="rc-field">
                Field
              </th>
              <th scope="col">ConnectWise</th>
              <th scope="col" class="rc-mark" aria-label="comparison" />
              <th scope="col">
                Xero{v.xero ? <span class="muted"> · {v.xero.number} ({xeroStatusWords(v.xero.status)})</span> : null}
              </th>
            </tr>
          </thead>
          {SECTIONS.map((s) => {
            const rows = v.rows.filter((r) => r.section === s.id);
            if (!rows.length) return null;
            return (
              <tbody key={s.id}>
                <tr class="rc-section">
                  <th colSpan={4} scope="rowgroup">
                    {/* A credit memo's rows are a credit note's, never "Invoice". */}
                    {s.id === 'header' && v.xero?.kind === 'creditNote' ? 'Credit note' : s.title}
                  </th>
                </tr>
                {rows.map((r) => (
                  <Row row={r} key={r.key} />
                ))}
              </tbody>
            );
          })}
        </table>
      ) : null}

      {v.explanations.length ? (
        <MessageBox kind="info" title="No click can fix this">
          {v.explanations.map((e) => (
            <p class="rc-p" data-testid="explanation" key={e}>
              {e}
            </p>
          ))}
        </MessageBox>
      ) : null}

      {outcome ? (
        <MessageBox kind={outcome.kind} title={outcome.text}>
          {outcome.details?.length ? outcome.details.map((d) => <p class="rc-p" key={d}>{d}</p>) : null}
        </MessageBox>
      ) : null}

      {readOnly !== null ? (
        <p class="muted" data-testid="reconcile-who-can">
          {readOnly}
        </p>
      ) : null}
      <div class="rc-actions">
        <button type="button" class="link-button" onClick={reload} disabled={busy !== null}>
          Check again
        </button>
        <span class="push-space" />
        {v.fixes.map((f) => (
          <button
            type="button"
            key={f.action}
            class="primary"
            title={f.why}
            data-testid={`fix-${f.action}`}
            disabled={busy !== null || readOnly !== null}
            onClick={f.action === 'resync' ? resync : syncPayments}
          >
            {busy === (f.action === 'resync' ? 'resync' : 'payments') ? 'Working…' : f.label}
          </button>
        ))}
        {v.synced && v.xero?.kind === 'invoice' && !v.fixes.some((f) => f.action === 'pull_payments') ? (
          <button type="button" data-testid="sync-payments" disabled={busy !== null || readOnly !== null} onClick={syncPayments}>
            {busy === 'payments' ? 'Syncing payments…' : 'Sync payments'}
          </button>
        ) : null}
      </div>
    </section>
  );
}
