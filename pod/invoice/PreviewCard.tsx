// Exactly what Xero will receive, in plain words and a compact lines table,
// with the totals next to ConnectWise's. The card (PreviewFrame), the totals
// rows and the agreement line are in preview-frame.tsx, shared with the
// expense tab's bills and the purchase-order pod, whose lines have columns of
// their own.
import type { DocumentPreviewView } from '../../shared/api.js';
import { formatAmount, formatQuantity } from '../lib/money.js';
import { PreviewFrame, TotalsAgreement, TotalsRows, type PreviewMode } from './preview-frame.js';
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

export function PreviewCard({ preview: p, mode = 'upcoming' }: { preview: DocumentPreviewView; mode?: PreviewMode }) {
  return (
    <PreviewFrame mode={mode} sub={`${p.documentKind} ${p.number}`} lineCount={p.lines.length}>
      <PreviewBody p={p} />
    </PreviewFrame>
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
                  {l.tracking.length ? (
                    <span class="line-tracking" data-testid="line-tracking" title="Xero tracking">
                      {l.tracking.map((t) => `${t.category}: ${t.option}`).join(' · ')}
                    </span>
                  ) : null}
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
