// One Xero bill the purchase order makes, sized for ConnectWise's 380 px pod
// column: a summary (number, packing slips, chip, supplier and dates, total
// against ConnectWise's), what blocks it and where to fix it, the bill in Xero
// once pushed, and — folded until opened — exactly what Xero receives: one
// line per received product (code, description, unit, quantity × unit cost,
// account, tax), the freight, the totals.
import type { PurchaseBillView } from '../../shared/purchase-api.js';
import { formatAmount, formatQuantity } from '../lib/money.js';
import { MessageBox, Money, StatusChip } from '../lib/ui.js';
import { chipStatus, xeroStatusWords } from '../invoice/chip.js';
import { mergeProblems, ProblemList } from '../invoice/ProblemList.js';
import { PreviewFrame, TotalsAgreement, TotalsRows, type PreviewMode } from '../invoice/preview-frame.js';
import { XeroCounterpart } from '../invoice/XeroCounterpart.js';
import { agreementWords, dayWords } from './words.js';

function previewMode(bill: PurchaseBillView): PreviewMode {
  if (bill.chip === 'changed') return 'resync';
  return bill.xero ? 'sent' : 'upcoming';
}

function Lines({ bill }: { bill: PurchaseBillView }) {
  // Lines a blocking problem is about are marked, so the list above points at a row here.
  const troubled = new Set(bill.problems.filter((x) => x.line !== null && x.severity === 'blocking').map((x) => x.line));
  return (
    <ol class="po-lines" data-testid="preview-lines">
      {bill.lines.map((l) => {
        // The mapping's description starts "CODE: text (unit)" and may add the product's detailed description below.
        const [head, ...detail] = l.description.split('\n');
        return (
          <li key={l.lineNumber} data-testid="preview-line" data-kind={l.kind} class={troubled.has(l.lineNumber) ? 'line-problem' : undefined}>
            <div class="po-line-top">
              <span class="po-line-desc">
                {l.productCode ? <span class="po-code">{l.productCode}</span> : null}
                {l.productCode && head?.startsWith(`${l.productCode}: `) ? head.slice(l.productCode.length + 2) : head}
              </span>
              <span class="num po-line-amount" data-testid="line-amount">
                {formatAmount(l.amount)}
              </span>
            </div>
            {detail.length ? <div class="po-line-detail">{detail.join(' ')}</div> : null}
            <div class="po-line-meta">
              <span data-testid="line-quantity">
                {formatQuantity(l.quantity)}
                {l.unit ? ` ${l.unit}` : ''} × {formatAmount(l.unitPrice)}
              </span>
              <span title="Xero account">
                acct <b data-testid="line-account">{l.account || <span class="missing">none</span>}</b>
                {l.warehouse ? ` · ${l.warehouse}` : l.kind === 'freight' ? ' · freight' : ''}
              </span>
              <span title="Xero tax type and amount">
                {l.tax || 'no tax'} {formatAmount(l.taxAmount)}
              </span>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function Preview({ bill }: { bill: PurchaseBillView }) {
  return (
    <>
      <p class="preview-words" data-testid="preview-words">
        Bill <strong>{bill.number}</strong> from <strong data-testid="preview-contact">{bill.supplier}</strong>, dated <strong>{dayWords(bill.date)}</strong>
        {bill.dueDate ? (
          <>
            , due <strong>{dayWords(bill.dueDate)}</strong>
          </>
        ) : null}
        {bill.reference ? (
          <>
            , reference <strong>{bill.reference}</strong>
          </>
        ) : null}
        . In <strong>{bill.currency}</strong>, amounts exclude tax; it lands in Xero as <strong data-testid="bill-push-status">{xeroStatusWords(bill.status)}</strong>.
      </p>
      <Lines bill={bill} />
      <table class="lines po-totals">
        <TotalsRows subtotal={bill.subtotal} tax={bill.tax} total={bill.total} currency={bill.currency} labelSpan={1} trailSpan={0} />
      </table>
    </>
  );
}

export function PurchaseBillCard({ bill }: { bill: PurchaseBillView }) {
  const slips = bill.packingSlips.join(', ');
  return (
    <section class="card po-bill" data-testid="bill" data-key={bill.key} data-number={bill.number} aria-label={`Bill ${bill.number}`}>
      <div class="po-bill-head">
        <h2 class="po-bill-title">
          Bill <span data-testid="bill-number">{bill.number || '—'}</span>
        </h2>
        <StatusChip status={chipStatus(bill.chip)} />
      </div>
      <div class="po-bill-meta muted">
        {slips ? <span data-testid="bill-packing-slips">{bill.packingSlips.length > 1 ? 'Packing slips' : 'Packing slip'} {slips}</span> : null}
        {bill.date ? <span>{dayWords(bill.date)}{bill.dueDate ? `, due ${dayWords(bill.dueDate)}` : ''}</span> : null}
      </div>
      <div class="po-bill-total">
        <span data-testid="bill-total">
          <Money amount={bill.total} currency={bill.currency} />
        </span>
        <TotalsAgreement agree={bill.totalsAgree} words={agreementWords(bill)} connectwiseTotal={bill.connectwiseTotal} total={bill.total} currency={bill.currency} />
      </div>
      <ProblemList problems={mergeProblems([], bill.problems)} subject="this bill" warningTitle={bill.xero ? 'Worth knowing' : undefined} />
      {bill.lastProblem ? (
        <div data-testid="bill-last-problem">
          <MessageBox kind="warning" title="The last push of this bill did not finish">
            {bill.lastProblem}
          </MessageBox>
        </div>
      ) : null}
      {bill.xero ? <XeroCounterpart xero={{ ...bill.xero, amountPaid: null }} currency={bill.currency} title="Bill in Xero" /> : null}
      {bill.lines.length ? (
        <PreviewFrame mode={previewMode(bill)} sub={bill.lines.length === 1 ? '1 line' : `${bill.lines.length} lines`} lineCount={bill.lines.length} folded>
          <Preview bill={bill} />
        </PreviewFrame>
      ) : null}
    </section>
  );
}
