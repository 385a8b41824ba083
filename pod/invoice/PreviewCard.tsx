// Exactly what Xero will receive, in plain words and a compact lines table,
// with the totals next to ConnectWise's.
import type { DocumentPreviewView } from '../../shared/api.js';
import { formatAmount, formatQuantity } from '../lib/money.js';
import { Money } from '../lib/ui.js';

function Sentence({ p }: { p: DocumentPreviewView }) {
  return (
    <p class="preview-words" data-testid="preview-words">
      {p.documentKind} <strong>{p.number}</strong> to <strong data-testid="preview-contact">{p.contactName}</strong>, dated <strong>{p.date}</strong>
      {p.dueDate ? (
        <>
          , due <strong>{p.dueDate}</strong>
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
  if (mode === 'sent') {
    return (
      <details class="card preview preview-folded" data-testid="preview">
        <summary class="card-title">
          {TITLE.sent} <span class="card-sub">{p.lines.length === 1 ? '1 line' : `${p.lines.length} lines`}</span>
        </summary>
        <PreviewBody p={p} />
      </details>
    );
  }
  return (
    <section class="card preview" data-testid="preview" aria-label="Preview of the Xero document">
      <div class="card-head">
        <h2 class="card-title">{TITLE[mode]}</h2>
        <span class="card-sub">
          {p.documentKind} {p.number}
        </span>
      </div>
      <PreviewBody p={p} />
    </section>
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
          <tfoot>
            <tr>
              <td colSpan={4} class="num">Subtotal</td>
              <td class="num" data-testid="preview-subtotal">{formatAmount(p.subtotal)}</td>
              <td colSpan={2} />
            </tr>
            <tr>
              <td colSpan={4} class="num">Tax</td>
              <td class="num" data-testid="preview-tax">{formatAmount(p.tax)}</td>
              <td colSpan={2} />
            </tr>
            <tr class="grand">
              <td colSpan={4} class="num">Total {p.currency}</td>
              <td class="num" data-testid="preview-total">{formatAmount(p.total)}</td>
              <td colSpan={2} />
            </tr>
          </tfoot>
        </table>
      </div>
      <p class={p.totalsAgree ? 'agree agree-ok' : 'agree agree-diff'} data-testid="totals-words" data-agree={String(p.totalsAgree)}>
        {p.totalsAgree ? '✓ ' : '≠ '}
        {p.totalsInWords}
        {p.totalsAgree ? null : (
          <span class="agree-detail">
            {' '}
            ConnectWise: <Money amount={p.connectwiseTotal} currency={p.currency} />, Xero: <Money amount={p.total} currency={p.currency} />.
          </span>
        )}
      </p>
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
