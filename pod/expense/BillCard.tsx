// One Xero bill (or bill credit note) the expense report becomes, in the
// invoice dialog's style: its chip, what blocks it and where to fix it, the
// bill in Xero once pushed, then exactly what Xero receives — the sentence,
// one line per expense with its classification, the totals against
// ConnectWise's, and the Wise-Pay card payments with what stays owed.
import type { ExpenseBillView } from '../../shared/expense-api.js';
import { formatAmount } from '../lib/money.js';
import { MessageBox, Money, StatusChip } from '../lib/ui.js';
import { chipStatus, xeroStatusWords } from '../invoice/chip.js';
import { mergeProblems, ProblemList } from '../invoice/ProblemList.js';
import { PreviewFrame, TotalsAgreement, TotalsRows, type PreviewMode } from '../invoice/preview-frame.js';
import { XeroCounterpart } from '../invoice/XeroCounterpart.js';
import { agreementWords, calendarDate, classificationWords, documentKindWords, owedLabel, paymentStateWords } from './words.js';

function previewMode(bill: ExpenseBillView): PreviewMode {
  if (bill.chip === 'changed') return 'resync';
  return bill.xero ? 'sent' : 'upcoming';
}

function Sentence({ bill }: { bill: ExpenseBillView }) {
  return (
    <p class="preview-words" data-testid="preview-words">
      {documentKindWords(bill.documentKind)} <strong>{bill.number}</strong> from <strong data-testid="preview-contact">{bill.contactName}</strong>, dated{' '}
      <strong>{calendarDate(bill.date)}</strong>
      {bill.dueDate ? (
        <>
          , due <strong>{calendarDate(bill.dueDate)}</strong>
        </>
      ) : null}
      {bill.week ? (
        <>
          , for the week <strong data-testid="bill-week">{bill.week}</strong>
        </>
      ) : null}
      . In <strong>{bill.currency}</strong>; it lands in Xero as{' '}
      <strong data-testid="bill-push-status" data-status={bill.status}>
        {xeroStatusWords(bill.status)}
      </strong>
      .
    </p>
  );
}

function Lines({ bill }: { bill: ExpenseBillView }) {
  // Lines a blocking problem is about are marked, so the list above points at a row here.
  const troubled = new Set(bill.problems.filter((x) => x.line !== null && x.severity === 'blocking').map((x) => x.line));
  return (
    <div class="lines-wrap">
      <table class="lines expense-lines" data-testid="preview-lines">
        <thead>
          <tr>
            <th>Date</th>
            <th>Paid as</th>
            <th class="col-desc">Description</th>
            <th>Account</th>
            <th>Tax</th>
            <th class="num">Tax {bill.currency}</th>
            <th class="num">Amount {bill.currency}</th>
          </tr>
        </thead>
        <tbody>
          {bill.lines.map((l) => (
            <tr key={l.lineNumber} data-testid="preview-line" data-classification={l.classification} class={troubled.has(l.lineNumber) ? 'line-problem' : undefined}>
              <td class="date">{calendarDate(l.date)}</td>
              <td>
                <span class={`class-tag class-${l.classification}`}>{classificationWords(l.classification)}</span>
              </td>
              <td class="col-desc">
                <span class="desc">{l.description}</span>
              </td>
              <td>{l.account || <span class="missing">none</span>}</td>
              <td class="tax">{l.tax}</td>
              <td class="num" data-testid="line-tax-amount">{formatAmount(l.taxAmount)}</td>
              <td class="num" data-testid="line-amount">{formatAmount(l.amount)}</td>
            </tr>
          ))}
        </tbody>
        <TotalsRows subtotal={bill.subtotal} tax={bill.tax} total={bill.total} currency={bill.currency} labelSpan={6} trailSpan={0} />
      </table>
    </div>
  );
}

function Payments({ bill }: { bill: ExpenseBillView }) {
  return (
    <div class="wise-pay" data-testid="bill-payments">
      <h3 class="sub-title">Paid from company accounts (Wise-Pay)</h3>
      <div class="lines-wrap">
        <table class="lines">
          <thead>
            <tr>
              <th>From account</th>
              <th>Payment type</th>
              <th>Date</th>
              <th>State</th>
              <th class="num">Amount {bill.currency}</th>
            </tr>
          </thead>
          <tbody>
            {bill.payments.map((p) => (
              <tr key={p.glEntryId} data-testid="bill-payment" data-state={p.state}>
                <td>{p.account}</td>
                <td>{p.paymentType}</td>
                <td class="date">{calendarDate(p.date)}</td>
                <td>{paymentStateWords(p.state)}</td>
                <td class="num">{formatAmount(p.amount)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr class="grand">
              <td colSpan={4} class="owed" data-testid="bill-owed">
                {owedLabel(bill)} {bill.currency}
              </td>
              <td class="num" data-testid="bill-amount-due">{formatAmount(bill.amountDue)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}

function BillBody({ bill }: { bill: ExpenseBillView }) {
  return (
    <>
      <Sentence bill={bill} />
      <Lines bill={bill} />
      {bill.payments.length ? <Payments bill={bill} /> : null}
      <TotalsAgreement
        agree={bill.totalsAgree}
        words={agreementWords(bill)}
        connectwiseTotal={bill.connectwiseTotal}
        total={bill.amountDue}
        currency={bill.currency}
        xeroLabel={bill.payments.length ? 'owed in Xero after the payments' : 'Xero'}
      />
    </>
  );
}

export function BillCard({ bill }: { bill: ExpenseBillView }) {
  const kind = documentKindWords(bill.documentKind);
  return (
    <section class="bill" data-testid="bill" data-key={bill.key} data-number={bill.number} aria-label={`${kind} ${bill.number}`}>
      <div class="sync-head bill-head">
        <h2 class="bill-title">
          {kind} <span data-testid="bill-number">{bill.number}</span>
        </h2>
        <StatusChip status={chipStatus(bill.chip)} />
        <span class="bill-meta">
          Total{' '}
          <span data-testid="bill-total">
            <Money amount={bill.total} currency={bill.currency} />
          </span>
          {bill.week ? ` · week of ${bill.week}` : ''}
        </span>
      </div>
      <ProblemList problems={mergeProblems([], bill.problems)} subject={`this ${kind.toLowerCase()}`} warningTitle={bill.xero ? 'Worth knowing' : undefined} />
      {bill.lastProblem ? (
        <div data-testid="bill-last-problem">
          <MessageBox kind="warning" title="The last push of this bill did not finish">
            {bill.lastProblem}
          </MessageBox>
        </div>
      ) : null}
      {bill.xero ? <XeroCounterpart xero={bill.xero} currency={bill.currency} title={`${kind} in Xero`} /> : null}
      {/* A bill with no lines to show (already in Xero, its entries no longer listed by ConnectWise) is its Xero card alone. */}
      {bill.lines.length || !bill.xero ? (
        <PreviewFrame mode={previewMode(bill)} sub={bill.lines.length === 1 ? '1 line' : `${bill.lines.length} lines`} lineCount={bill.lines.length}>
          <BillBody bill={bill} />
        </PreviewFrame>
      ) : null}
    </section>
  );
}
