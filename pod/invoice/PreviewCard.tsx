// Exactly what Xero will receive, in plain words and a compact lines table,
// with the totals next to ConnectWise's. The card (PreviewFrame), the totals
// rows and the agreement line are shared with the expense tab's bills, whose
// lines have columns of their own.
import type { ComponentChildren } from 'preact';
import type { DocumentPreviewView } from '../../shared/api.js';
import { formatAmount, formatQuantity } from '../lib/money.js';
import { Money } from '../lib/ui.js';
import { formatDate } from '../lib/dates.js';

function Sentence({ p }: { p: DocumentPreviewView }) {
  return (
    <p class="preview-words" data-testid="preview-words">
      {p.documentKind} <strong>{p.number}</strong> to <strong data-testid="preview-contact">{p.contactName}</strong>, dated <strong>{formatDate(p.date)}</strong>
      {p.dueDate ? (
        <>
          , due <strong>{formatDate(p.dueDate)}</strong>
        </>
      ) : null}
      {p.reference ? (
        <>
          , reference <strong>{p.reference}</strong>
        </>
      ) : null}
      . In <strong>{p.currency}</strong>, amounts are <strong>{p.amountsAre.toLowerCase()}</strong>; it lands in Xero as <strong>{p.status}</strong>.
    </p>
  );
}

/** upcoming: before the first push; resync: ConnectWise changed since; sent: what Xero already has (folded away). */
export type PreviewMode = 'upcoming' | 'resync' | 'sent';

const TITLE: Record<PreviewMode, string> = {
  upcoming: 'What Xero will receive',
  resync: 'What Xero will receive on re-sync',
  sent: 'What was sent to Xero',
};

export function PreviewCard({ preview: p, mode = 'upcoming' }: { preview: DocumentPreviewView; mode?: PreviewMode }) {
  return (
    <PreviewFrame mode={mode} sub={`${p.documentKind} ${p.number}`} lineCount={p.lines.length}>
      <PreviewBody p={p} />
    </PreviewFrame>
  );
}

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

function PreviewBody({ p }: { p: DocumentPreviewView }) {
  // Lines a problem is about are marked, so the list above points at a row here.
  const troubled = new Set(p.problems.filter((x) => x.line !== null && x.severity === 'blocking').map((x) => x.line));
  return (
    <>
      <Sentence p={p} />
      <div class="lines-wrap">
        <table class="lines" data-testid="preview-lines">
          <thead>
            <tr>
              <th class="col-desc">Description</th>
              <th class="num">Qty</th>
              <th>Unit</th>
              <th class="num">Unit price</th>
              <th class="num">Amount</th>
              <th>Account</th>
              <th>Tax</th>
            </tr>
          </thead>
          <tbody>
            {p.lines.map((l) => (
              <tr key={l.lineNumber} data-testid="preview-line" class={[l.isRounding ? 'rounding' : '', troubled.has(l.lineNumber) ? 'line-problem' : ''].join(' ').trim() || undefined}>
                <td class="col-desc">
                  <span class="desc" title={l.description}>
                    {l.description}
                  </span>
                  {l.itemCode ? <span class="item-code">{l.itemCode}</span> : null}
                  {l.isRounding ? <span class="item-code">rounding</span> : null}
                </td>
                <td class="num" data-testid="line-qty">{formatQuantity(l.quantity)}</td>
                <td>{l.unit ?? ''}</td>
                <td class="num" data-testid="line-unit-price">{formatAmount(l.unitAmount)}</td>
                <td class="num" data-testid="line-amount">{formatAmount(l.amount)}</td>
                <td>{l.account || <span class="missing">none</span>}</td>
                <td class="tax">{l.tax}</td>
              </tr>
            ))}
          </tbody>
          <TotalsRows subtotal={p.subtotal} tax={p.tax} total={p.total} currency={p.currency} labelSpan={4} trailSpan={2} />
        </table>
      </div>
      <TotalsAgreement agree={p.totalsAgree} words={p.totalsInWords} connectwiseTotal={p.connectwiseTotal} total={p.total} currency={p.currency} />
      {p.itemsToCreate.length || p.allocations.length ? (
        <ul class="notes" data-testid="preview-notes">
          {p.itemsToCreate.map((t) => (
            <li key={t}>{t}</li>
          ))}
          {p.allocations.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
