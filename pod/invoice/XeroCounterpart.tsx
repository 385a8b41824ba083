// The Xero document this invoice became: number, status, what is paid and
// due, a link to it in Xero, and — when Xero no longer takes changes — why.
// The expense tab shows each bill's with it (no `reason`: the invoice's
// "no longer editable" words, not-editable.ts, are about invoices and credit memos).
import type { ComponentChildren } from 'preact';
import type { InvoiceSyncView } from '../../shared/api.js';
import { Facts, Money, MessageBox } from '../lib/ui.js';
import { formatWhen } from '../settings/format.js';
import { xeroStatusWords } from './chip.js';

type InvoiceXero = NonNullable<InvoiceSyncView['xero']>;
/** What the card shows of a Xero document. */
export type XeroDocFacts = Pick<InvoiceXero, 'number' | 'status' | 'url' | 'amountPaid' | 'amountDue'>;

export function XeroCounterpart({
  xero,
  ledger = null,
  currency,
  title = 'In Xero',
  reason = null,
}: {
  xero: XeroDocFacts;
  /** Why Xero no longer takes changes to it (the invoice dialog's notEditableReason), or null. */
  reason?: string | null;
  ledger?: InvoiceSyncView['ledger'];
  currency: string;
  title?: string;
}) {
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
    <section class="card xero-doc" data-testid="xero-counterpart" aria-label={title}>
      <div class="card-head">
        <h2 class="card-title">{title}</h2>
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
