// The pod on ConnectWise's purchase order screen (a Pod: 380 px wide, a few
// hundred tall, scrolling): where the PO stands with Xero (chip, headline, the
// organisation it books into), each packing slip's receipts and whether they
// are ready to bill, what blocks it, one compact card per Xero bill it makes
// (its preview folded until opened), and the push. It reads the view again on
// every onLoad, so goods received elsewhere show here when ConnectWise reloads.
import type { PurchaseOrderView } from '../../shared/purchase-api.js';
import type { PodContext } from '../lib/boot.js';
import { useScreenRecord } from '../lib/use-screen-record.js';
import { SyncHistory } from '../lib/SyncHistory.js';
import { MessageBox, StatusChip } from '../lib/ui.js';
import { SkeletonLines } from '../lib/skeleton.js';
import { useRecordSync } from '../invoice/use-invoice-sync.js';
import { chipStatus } from '../invoice/chip.js';
import { mergeProblems, ProblemList } from '../invoice/ProblemList.js';
import { PushBar } from '../invoice/PushBar.js';
import { Outcome } from '../invoice/lazy-outcome.js';
import { PURCHASE_ORDER_CLIENT } from './purchaseorder-client.js';
import { PurchaseBillCard } from './PurchaseBillCard.js';
import { dayWords, lineNumbersWords, readinessChip, readinessWords } from './words.js';
import '../invoice/invoice.css';
import './purchaseorder.css';
import { FixRecordsProvider } from '../lib/fix-link.js';

function Receipts({ view }: { view: PurchaseOrderView }) {
  if (view.receipts.length === 0) return null;
  return (
    <section class="card po-receipts" aria-label="Receipts by packing slip">
      <h2 class="po-sub">Receipts</h2>
      <ul>
        {view.receipts.map((r) => (
          <li key={r.packingSlip} data-testid="receipt" data-packing-slip={r.packingSlip} data-readiness={r.readiness}>
            <div class="po-receipt-top">
              <span class="po-slip">{r.packingSlip || '(no packing slip)'}</span>
              <span class="muted">
                {r.dateReceived ? dayWords(r.dateReceived) : ''} · {lineNumbersWords(r.lineNumbers)}
              </span>
              <span class={`chip ${readinessChip(r.readiness)}`} data-testid="receipt-readiness">
                {readinessWords(r.readiness)}
              </span>
            </div>
            {r.message ? <div class="po-receipt-why">{r.message}</div> : null}
          </li>
        ))}
      </ul>
      {view.waitingLines.length ? (
        <p class="muted po-waiting" data-testid="waiting-lines">
          Still to arrive: {lineNumbersWords(view.waitingLines)}.
        </p>
      ) : null}
    </section>
  );
}

/** Why there is no button, when it is not the view's chip that says so. */
function idleWords(view: PurchaseOrderView): string | null {
  if (!view.mayPush) return view.whoCanPush || 'You can see this purchase order’s bills but not push them.';
  return null;
}

export function PurchaseOrderPod({ ctx }: { ctx: PodContext }) {
  const rec = useScreenRecord(ctx.bridge);
  // As in the invoice dialog: the first onLoad is the load already under way from our URL's id.
  const reloads = Math.max(0, rec.loads - 1);
  const sync = useRecordSync(ctx, rec.id, reloads, PURCHASE_ORDER_CLIENT);
  const { view, loadError, banner, outcome, pushing, loading } = sync;

  if (rec.id === undefined) {
    return <MessageBox title="Could not read this purchase order">ConnectWise did not say which purchase order this is. Open it again from ConnectWise.</MessageBox>;
  }
  const po = view?.purchaseOrder;
  return (
    <FixRecordsProvider value={{ purchaseorder: rec.id }}>
    <div class="sync po-pod" data-testid="sync-panel" data-loading={String(loading)} data-loads={rec.loads}>
      {banner ? (
        <div data-testid="reconnect-banner">
          <MessageBox kind="warning" title="Xero needs reconnecting">
            {banner}
          </MessageBox>
        </div>
      ) : null}
      <div class="po-head">
        <h1 class="po-title">
          PO <span data-testid="record-id">{po?.poNumber ?? rec.id}</span>
          {po ? <span class="po-vendor" data-testid="po-vendor">{po.vendor.name}</span> : null}
        </h1>
        {view ? <StatusChip status={chipStatus(view.chip)} /> : null}
      </div>
      {view ? (
        <p class="po-headline" data-testid="sync-headline">
          {view.headline}
          {view.organisation ? (
            <span class="org" data-testid="sync-organisation" title="The Xero organisation this purchase order's location books into">
              {' '}
              → {view.organisation.name}
            </span>
          ) : null}
        </p>
      ) : null}
      {outcome ? <Outcome outcome={outcome} headline={view?.headline} /> : null}
      {loadError ? (
        <div data-testid="sync-error">
          <MessageBox title="Could not check this purchase order against Xero">{loadError}</MessageBox>
        </div>
      ) : null}
      {view ? (
        <>
          <ProblemList problems={mergeProblems(view.problems, [])} subject="this purchase order" />
          <Receipts view={view} />
          {view.bills.map((b) => (
            <PurchaseBillCard key={b.key} bill={b} />
          ))}
          <PushBar view={view} pushing={pushing} loading={loading} onPush={sync.push} onReload={sync.reload} noun="purchase order" idle={idleWords(view)} />
          <p class="muted po-mode" data-testid="part-shipments">
            {view.partShipments ? 'One bill per packing slip as goods arrive.' : 'One bill per purchase order, once every line is received or cancelled.'}
          </p>
          <SyncHistory api={ctx.api} kind="purchaseorder" id={rec.id} />
        </>
      ) : loadError ? null : (
        <section class="card" aria-busy="true">
          <span class="muted">Reading the purchase order from ConnectWise and Xero…</span>
          <SkeletonLines rows={3} label="Loading the bills" />
        </section>
      )}
    </div>
    </FixRecordsProvider>
  );
}
