// A Xero document under this record's number that CW–Xero Sync did not
// create: shown beside ConnectWise's, never written to. The ways out are in
// the problem above it; "Link to this Xero invoice" is an admin's, for the
// rare case it truly is this record (migrated), and the server checks
// contact and total before it agrees.
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { InvoiceSyncView } from '../../shared/api.js';
import type { Api } from '../lib/api.js';
import { PodApiError } from '../lib/http.js';
import { MessageBox, Money } from '../lib/ui.js';
import { xeroStatusWords } from './chip.js';

type Taken = NonNullable<InvoiceSyncView['taken']>;

export function TakenCard({ taken, invoiceId, invoice, isAdmin, api, onLinked }: { taken: Taken; invoiceId: number; invoice: InvoiceSyncView['invoice']; isAdmin: boolean; api: Api; onLinked: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const word = invoice.type === 'CreditMemo' ? 'credit note' : 'invoice';
  const link = async () => {
    setBusy(true);
    setError(null);
    try {
      await api<InvoiceSyncView>(`/api/invoices/${invoiceId}/link`, { method: 'POST', body: JSON.stringify({ xeroDocumentId: taken.documentId }), headers: { 'content-type': 'application/json' } });
      onLinked();
    } catch (err) {
      setError(err instanceof PodApiError ? err.message : 'The link did not go through; try again.');
    } finally {
      setBusy(false);
    }
  };
  const row = (label: string, xero: ComponentChildren, cw: ComponentChildren) => (
    <tr>
      <th scope="row">{label}</th>
      <td>{xero}</td>
      <td>{cw}</td>
    </tr>
  );
  return (
    <section class="card" data-testid="xero-taken" aria-label={`Xero ${word} with the same number`}>
      <div class="card-head">
        <h2 class="card-title">Same number in Xero, not ours</h2>
        <a class="open-xero" href={taken.url} target="_blank" rel="noopener noreferrer">
          Open in Xero ↗
        </a>
      </div>
      <table class="rc-table">
        <thead>
          <tr>
            <th />
            <th scope="col">In Xero</th>
            <th scope="col">In ConnectWise</th>
          </tr>
        </thead>
        <tbody>
          {row('Number', taken.number, invoice.invoiceNumber)}
          {row('Customer', taken.contactName ?? '—', invoice.customer.name)}
          {row('Total', <Money amount={taken.total} currency={taken.currency ?? taken.cwCurrency} />, <Money amount={taken.cwTotal} currency={taken.cwCurrency} />)}
          {row('Status', xeroStatusWords(taken.status), '—')}
        </tbody>
      </table>
      {isAdmin ? (
        <p>
          <button type="button" data-testid="link-taken" disabled={busy} onClick={link}>
            {busy ? 'Checking…' : `Link to this Xero ${word}`}
          </button>{' '}
          <span class="muted">Only if it truly is this {word}: customer and total must match.</span>
        </p>
      ) : (
        <p class="muted">A CW–Xero Sync admin can link it, if it truly is this {word}.</p>
      )}
      {error ? <MessageBox title="Not linked">{error}</MessageBox> : null}
    </section>
  );
}
