// The Xero document this invoice became: number, status, what is paid and
// due, a link to it in Xero, and — when Xero no longer takes changes — why.
import type { ComponentChildren } from 'preact';
import type { InvoiceSyncView } from '../../shared/api.js';
import { Facts, Money, MessageBox } from '../lib/ui.js';
import { formatWhen } from '../settings/format.js';
import { notEditableReason, xeroStatusWords } from './chip.js';

type Xero = NonNullable<InvoiceSyncView['xero']>;

export function XeroCounterpart({ xero, ledger, currency }: { xero: Xero; ledger: InvoiceSyncView['ledger']; currency: string }) {
  const reason = notEditableReason(xero.status, xero.kind, xero.amountPaid);
  const rows: [string, ComponentChildren][] = [
    ['Xero number', <span data-testid="xero-number">{xero.number}</span>],
    [
      'Status in Xero',
      <span data-testid="xero-status" data-status={xero.status}>
        {xeroStatusWords(xero.status)}
      </span>,
    ],
  ];
  if (xero.amountPaid !== null) rows.push(['Paid', <Money amount={xero.amountPaid} currency={currency} />]);
  if (xero.amountDue !== null) rows.push(['Due', <Money amount={xero.amountDue} currency={currency} />]);
  if (ledger?.syncedAt) rows.push(['Last synced', formatWhen(ledger.syncedAt)]);
  return (
    <section class="card xero-doc" data-testid="xero-counterpart" aria-label="In Xero">
      <div class="card-head">
        <h2 class="card-title">In Xero</h2>
        <a class="open-xero" data-testid="open-in-xero" href={xero.url} target="_blank" rel="noopener noreferrer">
          Open in Xero ↗
        </a>
      </div>
      <Facts rows={rows} />
      {reason ? (
        <div class="xero-reason" data-testid="not-editable">
          <MessageBox kind="info" title="No longer editable in Xero">
            {reason}
          </MessageBox>
        </div>
      ) : null}
    </section>
  );
}
