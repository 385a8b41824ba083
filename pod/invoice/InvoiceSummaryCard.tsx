// The invoice as ConnectWise has it: number, customer, dates, total.
import type { InvoiceSummary } from '../../shared/api.js';
import { Facts, Money } from '../lib/ui.js';
import { formatDate } from '../lib/dates.js';

const TYPE_TEXT: Record<string, string> = { CreditMemo: 'Credit memo', DownPayment: 'Down payment' };

export function InvoiceSummaryCard({ invoice }: { invoice: InvoiceSummary }) {
  return (
    <section class="card" aria-label="ConnectWise invoice">
      <div class="card-head">
        <h1 class="card-title">
          {/* A credit memo is never "Invoice CM-…". */}
          {invoice.type === 'CreditMemo' ? 'Credit memo' : 'Invoice'} <span data-testid="invoice-number">{invoice.invoiceNumber}</span>
        </h1>
        <span class="card-sub">{[invoice.type === 'CreditMemo' ? null : (TYPE_TEXT[invoice.type] ?? invoice.type), invoice.status].filter(Boolean).join(' · ')}</span>
      </div>
      <Facts
        rows={[
          ['Customer', <span data-testid="invoice-customer">{invoice.customer.name}</span>],
          ['Date', invoice.date ? formatDate(invoice.date) : '—'],
          ['Due', invoice.dueDate ? formatDate(invoice.dueDate) : '—'],
          [
            'Total',
            <span class="total" data-testid="invoice-total">
              <Money amount={invoice.total} currency={invoice.currency} />
            </span>,
          ],
        ]}
      />
    </section>
  );
}
