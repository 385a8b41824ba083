// The "Sync" tab: where this invoice stands with Xero (chip, headline, the
// organisation it books into), what blocks it, the Xero counterpart once
// synced, the preview of what Xero will receive, and the push.
import type { InvoiceSyncView } from '../../shared/api.js';
import { MessageBox, StatusChip } from '../lib/ui.js';
import { SkeletonLines } from '../lib/skeleton.js';
import type { InvoiceSync } from './use-invoice-sync.js';
import { Outcome } from './lazy-outcome.js';
import { chipStatus } from './chip.js';
import { collectProblems, ProblemList } from './ProblemList.js';
import { FixRecordsProvider } from '../lib/fix-link.js';
import { PreviewCard } from './PreviewCard.js';
import type { PreviewMode } from './preview-frame.js';
import { XeroCounterpart } from './XeroCounterpart.js';
import { notEditableReason } from './not-editable.js';
import { PushBar } from './PushBar.js';
import { lazyComponent } from '../lib/lazy.js';
import type { PodContext } from '../lib/boot.js';

// Shown only for some invoices (a number Xero already has; a cost-of-sale
// journal): fetched when one is, not with the dialog's first JavaScript.
const TakenCard = lazyComponent(() => import('./TakenCard.js').then((m) => m.TakenCard));
const CostOfSaleCard = lazyComponent(() => import('./CostOfSaleCard.js').then((m) => m.CostOfSaleCard));

// The last push's result in words lives in ./Outcome.tsx (the expense and
// purchase-order pods show it too, without loading this tab), fetched when a
// push has one (./lazy-outcome.ts).

/** For a member the server would refuse (server/permission.ts): who can push, said instead of the button. */
export function readOnlyWords(view: Pick<InvoiceSyncView, 'mayPush' | 'whoCanPush'>): string | null {
  return view.mayPush === false ? view.whoCanPush || 'You can see this invoice’s preview but not push it.' : null;
}

function previewMode(view: InvoiceSyncView): PreviewMode {
  if (view.chip === 'changed') return 'resync';
  return view.xero ? 'sent' : 'upcoming';
}

function Head({ view }: { view: InvoiceSyncView }) {
  return (
    <div class="sync-head">
      <StatusChip status={chipStatus(view.chip)} />
      <span class="headline" data-testid="sync-headline">
        {view.headline}
      </span>
      {/* No organisation: the problems below say why (location not mapped, connection lost…). */}
      {view.organisation ? (
        <span class="org" data-testid="sync-organisation" title="The Xero organisation this invoice's billing location books into">
          → {view.organisation.name}
        </span>
      ) : null}
    </div>
  );
}

export function SyncPanel({ sync, ctx, invoiceId }: { sync: InvoiceSync; ctx: PodContext; invoiceId: number | undefined }) {
  const { view, loadError, banner, outcome, pushing, loading } = sync;
  return (
    <div class="sync" data-testid="sync-panel" data-loading={String(loading)}>
      {banner ? (
        <div data-testid="reconnect-banner">
          <MessageBox kind="warning" title="Xero needs reconnecting">
            {banner}
          </MessageBox>
        </div>
      ) : null}
      {outcome ? <Outcome outcome={outcome} headline={view?.headline} /> : null}
      {loadError ? (
        <div data-testid="sync-error">
          <MessageBox title="Could not check this invoice against Xero">{loadError}</MessageBox>
        </div>
      ) : null}
      {view ? (
        <>
          <Head view={view} />
          <FixRecordsProvider value={{ invoice: view.invoice.id, company: view.invoice.customer.id }}>
            <ProblemList problems={collectProblems(view)} />
          </FixRecordsProvider>
          {view.taken && invoiceId !== undefined ? <TakenCard taken={view.taken} invoiceId={invoiceId} invoice={view.invoice} isAdmin={ctx.session.isAdmin} api={ctx.api} onLinked={sync.reload} /> : null}
          {view.xero ? <XeroCounterpart xero={view.xero} ledger={view.ledger} currency={view.invoice.currency} reason={view.xero.kind ? notEditableReason(view.xero.status, view.xero.kind, view.xero.amountPaid) : null} /> : null}
          {view.ledger?.error && !view.xero ? (
            <MessageBox kind="warning" title="The last push did not finish">
              {view.ledger.error}
            </MessageBox>
          ) : null}
          {view.preview ? <PreviewCard preview={view.preview} mode={previewMode(view)} /> : null}
          {view.costOfSale ? <CostOfSaleCard journal={view.costOfSale} /> : null}
          <PushBar view={view} pushing={pushing} loading={loading} onPush={sync.push} onReload={sync.reload} idle={readOnlyWords(view)} />
        </>
      ) : loadError ? null : (
        <section class="card" aria-busy="true">
          <div class="sync-head">
            <span class="chip chip-none">Checking…</span>
            <span class="muted">Reading the invoice's accounting entries and Xero…</span>
          </div>
          <SkeletonLines rows={5} label="Loading the preview" />
        </section>
      )}
    </div>
  );
}
