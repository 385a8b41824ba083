// The invoice's cost of sale: the Xero manual journal its push also makes for
// its inventory parts (debit cost of goods sold, credit the warehouse's
// inventory account), its lines as debits and credits, whether it balances,
// and once in Xero its status and link. What holds it is in the dialog's
// problem list (it holds the invoice too).
import type { CostOfSaleJournalView } from '../../shared/api.js';
import { formatAmount } from '../lib/money.js';
import { xeroStatusWords } from '../../shared/xero-status.js';
import { formatDate } from '../lib/dates.js';

const STATE_WORDS: Record<CostOfSaleJournalView['state'], string> = {
  new: 'made with this push',
  pending: 'in Xero; the push finishes it',
  changed: 'in Xero; updated with this push',
  synced: 'in Xero',
};

export function CostOfSaleCard({ journal: j }: { journal: CostOfSaleJournalView }) {
  return (
    <section class="card preview cost-of-sale" data-testid="cost-of-sale" data-state={j.state} aria-label="Cost of sale journal">
      <div class="card-head">
        <h2 class="card-title">Cost of sale journal</h2>
        <span class="card-sub" data-testid="cost-of-sale-state">
          {STATE_WORDS[j.state]}
        </span>
        {j.xero ? (
          <a href={j.xero.url} target="_blank" rel="noopener noreferrer" data-testid="cost-of-sale-link">
            {xeroStatusWords(j.xero.status)} in Xero ↗
          </a>
        ) : null}
      </div>
      <p class="preview-words">
        A manual journal dated <strong>{formatDate(j.date)}</strong>, <strong>{xeroStatusWords(j.status).toLowerCase()}</strong> in Xero, narration <strong>{j.narration}</strong>. ConnectWise keeps the stock on hand; Xero follows its value.
      </p>
      <div class="lines-wrap">
        <table class="lines" data-testid="cost-of-sale-lines">
          <thead>
            <tr>
              <th>Account</th>
              <th class="col-desc">Description</th>
              <th class="num">Debit</th>
              <th class="num">Credit</th>
            </tr>
          </thead>
          <tbody>
            {j.lines.map((l) => (
              <tr key={l.lineNumber} data-testid="cost-of-sale-line">
                <td>{l.account || <span class="missing">none</span>}</td>
                <td class="col-desc">
                  <span class="desc" title={l.description}>
                    {l.description}
                  </span>
                </td>
                <td class="num">{l.debit ? formatAmount(l.debit) : ''}</td>
                <td class="num">{l.credit ? formatAmount(l.credit) : ''}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr class="grand">
              <td colSpan={2} class="num">
                Total
              </td>
              <td class="num" data-testid="cost-of-sale-debits">
                {formatAmount(j.debits)}
              </td>
              <td class="num" data-testid="cost-of-sale-credits">
                {formatAmount(j.credits)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p class={j.balanced ? 'agree agree-ok' : 'agree agree-diff'} data-testid="cost-of-sale-balanced" data-balanced={String(j.balanced)}>
        {j.balanced ? '✓ Debits equal credits.' : '≠ Debits and credits differ: Xero will refuse it.'}
      </p>
    </section>
  );
}
