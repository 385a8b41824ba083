// The "Sync to Xero" dialog on a ConnectWise invoice. It finds the invoice it
// is on, reads it through our server, and shows it. The Xero preview / push
// panel plugs in below the summary through `syncPanel` (issue 4).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PodContext } from '../lib/boot.js';
import { useScreenRecord } from '../lib/use-screen-record.js';
import { invoiceSummary, type InvoiceSummary } from '../../shared/api.js';
import { Loading, MessageBox } from '../lib/ui.js';
import { InvoiceSummaryCard } from './InvoiceSummaryCard.js';

export type SyncPanel = (props: { ctx: PodContext; invoice: InvoiceSummary; reload: () => void }) => ComponentChildren;

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; invoice: InvoiceSummary };

export function InvoiceDialog({ ctx, syncPanel }: { ctx: PodContext; syncPanel?: SyncPanel }) {
  const rec = useScreenRecord(ctx.bridge);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    if (rec.id === undefined) {
      setLoad({ state: 'error', message: 'ConnectWise did not say which invoice this is. Close the dialog and open it again from the invoice.' });
      return;
    }
    let live = true;
    setLoad({ state: 'loading' });
    ctx
      .api(`/api/invoices/${rec.id}`, { method: 'GET' }, invoiceSummary)
      .then((invoice) => live && setLoad({ state: 'ok', invoice }))
      .catch((err: unknown) => live && setLoad({ state: 'error', message: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, [rec.id, rec.loads, nonce]);

  if (load.state === 'loading') return <Loading text="Reading the invoice from ConnectWise…" />;
  if (load.state === 'error') return <MessageBox title="Could not read this invoice">{load.message}</MessageBox>;
  return (
    <>
      <InvoiceSummaryCard invoice={load.invoice} />
      {syncPanel ? syncPanel({ ctx, invoice: load.invoice, reload: () => setNonce((n) => n + 1) }) : null}
    </>
  );
}
