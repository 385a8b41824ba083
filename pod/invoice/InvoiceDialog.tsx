// The "Sync to Xero" dialog on a ConnectWise invoice. It finds the invoice it
// is on and, at once and in parallel, reads the invoice summary (fast) and its
// sync view (slower: ConnectWise's accounting entries and Xero). The summary
// shows as soon as it arrives, the sync tab fills in after; every onLoad
// (ConnectWise's refresh after a push, too) reads both again.
import { useLayoutEffect, useState } from 'preact/hooks';
import type { PodContext } from '../lib/boot.js';
import { useScreenRecord } from '../lib/use-screen-record.js';
import { SyncHistory } from '../lib/SyncHistory.js';
import type { InvoiceSummary } from '../../shared/api.js';
import { MessageBox } from '../lib/ui.js';
import { SkeletonLines } from '../lib/skeleton.js';
import { Tabs } from '../lib/tabs.js';
import { InvoiceSummaryCard } from './InvoiceSummaryCard.js';
import { useInvoiceSync } from './use-invoice-sync.js';
import { invoicePaths } from './sync-client.js';
import { readOnlyWords, SyncPanel } from './SyncPanel.js';
import { lazyComponent } from '../lib/lazy.js';

// The Reconcile tab is fetched when first opened: the Sync tab is the first paint.
const ReconcilePanel = lazyComponent(
  () => import('./ReconcilePanel.js').then((m) => m.ReconcilePanel),
  <section class="card" aria-busy="true">
    <SkeletonLines rows={4} label="Loading the reconciliation" />
  </section>,
);
import './invoice.css';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; invoice: InvoiceSummary };
type Tab = 'sync' | 'reconcile';

const NO_ID = 'ConnectWise did not say which invoice this is. Close the dialog and open it again from the invoice.';

function useInvoiceSummary(ctx: PodContext, id: number | undefined, loads: number): Load {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  // A layout effect: the read that came with the sign-in is on screen in the same frame as the dialog (issue 12).
  useLayoutEffect(() => {
    if (id === undefined) {
      setLoad({ state: 'error', message: NO_ID });
      return;
    }
    let live = true;
    // A reload of the same invoice keeps the old summary on screen until the new one arrives.
    setLoad((l) => (l.state === 'ok' && l.invoice.id === id ? l : { state: 'loading' }));
    ctx
      .api<InvoiceSummary>(invoicePaths.summary(id), { method: 'GET' })
      .then((invoice) => live && setLoad({ state: 'ok', invoice }))
      .catch((err: unknown) => live && setLoad({ state: 'error', message: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, [ctx, id, loads]);
  return load;
}

export function InvoiceDialog({ ctx }: { ctx: PodContext }) {
  const rec = useScreenRecord(ctx.bridge);
  // Reading starts at once from the id in our URL; ConnectWise's first onLoad for
  // that same invoice is the load already under way, so only later ones (a
  // refresh) read again. A different id in an onLoad reads at once regardless.
  const reloads = Math.max(0, rec.loads - 1);
  const summary = useInvoiceSummary(ctx, rec.id, reloads);
  const sync = useInvoiceSync(ctx, rec.id, reloads);
  const [tab, setTab] = useState<Tab>('sync');

  if (summary.state === 'error' && rec.id === undefined) return <MessageBox title="Could not read this invoice">{summary.message}</MessageBox>;
  return (
    <>
      {summary.state === 'ok' ? (
        <InvoiceSummaryCard invoice={summary.invoice} />
      ) : summary.state === 'error' ? (
        <MessageBox title="Could not read this invoice">{summary.message}</MessageBox>
      ) : (
        <section class="card" aria-busy="true">
          <SkeletonLines rows={2} label="Reading the invoice from ConnectWise" />
        </section>
      )}
      <Tabs
        label="Invoice sync"
        tabs={[
          { id: 'sync', label: 'Sync' },
          { id: 'reconcile', label: 'Reconcile' },
        ]}
        active={tab}
        onSelect={setTab}
      />
      <div role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'sync' ? (
          <SyncPanel sync={sync} ctx={ctx} invoiceId={rec.id} />
        ) : rec.id !== undefined ? (
          <ReconcilePanel invoiceId={rec.id} api={ctx.api} readOnly={sync.view ? readOnlyWords(sync.view) : null} />
        ) : null}
      </div>
      <SyncHistory api={ctx.api} kind="invoice" id={rec.id} />
    </>
  );
}
