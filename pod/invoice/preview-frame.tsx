// The card a preview of a Xero document sits in (PreviewFrame), its totals rows
// and the line that compares them with ConnectWise's: shared by the invoice's
// preview (PreviewCard.tsx), the expense tab's bills and the purchase-order
// pod's bill, whose lines have columns of their own. Its own module so those
// pods do not load the invoice's preview (issue 12: <= 20 KB an entry).
import type { ComponentChildren } from 'preact';
import { formatAmount } from '../lib/money.js';
import { Money } from '../lib/ui.js';

/** upcoming: before the first push; resync: ConnectWise changed since; sent: what Xero already has (folded away). */
export type PreviewMode = 'upcoming' | 'resync' | 'sent';

const TITLE: Record<PreviewMode, string> = {
  upcoming: 'What Xero will receive',
  resync: 'What Xero will receive on re-sync',
  sent: 'What was sent to Xero',
};

/**
 * The preview's card: open before a push (or a re-sync), folded away once it is
 * what Xero has. `folded` folds it before a push too (a 380 px pod shows each
 * bill's summary and opens its preview on request).
 */
export function PreviewFrame({ mode, sub, lineCount, folded = false, children }: { mode: PreviewMode; sub: string; lineCount: number; folded?: boolean; children: ComponentChildren }) {
  if (mode === 'sent' || folded) {
    return (
      <details class="card preview preview-folded" data-testid="preview" data-mode={mode}>
        <summary class="card-title">
          {TITLE[mode]} <span class="card-sub">{lineCount === 1 ? '1 line' : `${lineCount} lines`}</span>
        </summary>
        {children}
      </details>
    );
  }
  return (
    <section class="card preview" data-testid="preview" aria-label="Preview of the Xero document">
      <div class="card-head">
        <h2 class="card-title">{TITLE[mode]}</h2>
        <span class="card-sub">{sub}</span>
      </div>
      {children}
    </section>
  );
}

/** Subtotal, tax and total as the last rows of a lines table: `labelSpan` columns of label, the amount, `trailSpan` empty. */
export function TotalsRows({ subtotal, tax, total, currency, labelSpan, trailSpan }: { subtotal: string; tax: string; total: string; currency: string; labelSpan: number; trailSpan: number }) {
  const trail = trailSpan > 0 ? <td colSpan={trailSpan} /> : null;
  return (
    <tfoot>
      <tr>
        <td colSpan={labelSpan} class="num">Subtotal</td>
        <td class="num" data-testid="preview-subtotal">{formatAmount(subtotal)}</td>
        {trail}
      </tr>
      <tr>
        <td colSpan={labelSpan} class="num">Tax</td>
        <td class="num" data-testid="preview-tax">{formatAmount(tax)}</td>
        {trail}
      </tr>
      <tr class="grand">
        <td colSpan={labelSpan} class="num">Total {currency}</td>
        <td class="num" data-testid="preview-total">{formatAmount(total)}</td>
        {trail}
      </tr>
    </tfoot>
  );
}

/** ✓ or ≠ against ConnectWise's total, in words; on a difference both amounts. */
export function TotalsAgreement({ agree, words, connectwiseTotal, total, currency, xeroLabel = 'Xero' }: { agree: boolean; words: ComponentChildren; connectwiseTotal: string; total: string; currency: string; xeroLabel?: string }) {
  return (
    <p class={agree ? 'agree agree-ok' : 'agree agree-diff'} data-testid="totals-words" data-agree={String(agree)}>
      {agree ? '✓ ' : '≠ '}
      {words}
      {agree ? null : (
        <span class="agree-detail">
          {' '}
          ConnectWise: <Money amount={connectwiseTotal} currency={currency} />, {xeroLabel}: <Money amount={total} currency={currency} />.
        </span>
      )}
    </p>
  );
}
