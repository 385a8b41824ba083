// The sync panel's state: the invoice's sync view (read on every ConnectWise
// onLoad, kept on screen while a fresh copy loads so nothing flickers), the
// reconnect banner, and the push with its outcome. While someone else's push
// of this record runs (chip 'pushing') the view is read again every second.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { InvoiceSyncView } from '../../shared/api.js';
import type { PodContext } from '../lib/boot.js';
import { fetchReconnectBanner, fetchSyncView, postPush } from './sync-client.js';
import { runPushFlow, type PushFlowResult } from './push-flow.js';

export interface InvoiceSync {
  view: InvoiceSyncView | null;
  /** A (re)load is under way. */
  loading: boolean;
  /** Why the view could not be read, in words. */
  loadError: string | null;
  banner: string | null;
  pushing: boolean;
  /** The last push's outcome, kept across the reload the push triggers. */
  outcome: PushFlowResult | null;
  push(): void;
  reload(): void;
}

const POLL_MS = 1_000;

export function useInvoiceSync(ctx: PodContext, invoiceId: number | undefined, loads: number): InvoiceSync {
  const [view, setView] = useState<InvoiceSyncView | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const [pushing, setPushing] = useState(false);
  const [outcome, setOutcome] = useState<PushFlowResult | null>(null);
  const [nonce, setNonce] = useState(0);
  // Answers for an invoice the dialog has since left are dropped.
  const current = useRef(invoiceId);
  current.current = invoiceId;
  // Set synchronously, so a double click cannot start two pushes before the button re-renders.
  const inFlight = useRef(false);

  useEffect(() => {
    if (invoiceId === undefined) {
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    void fetchReconnectBanner(ctx.api).then((b) => live && setBanner(b));
    fetchSyncView(ctx.api, invoiceId)
      .then((v) => {
        if (!live) return;
        setView(v);
        setLoadError(null);
      })
      .catch((err: unknown) => live && setLoadError(err instanceof Error ? err.message : String(err)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [ctx, invoiceId, loads, nonce]);

  // Another tab or person is pushing this invoice: watch until it is done.
  useEffect(() => {
    if (view?.chip !== 'pushing' || pushing || loading) return;
    const t = setTimeout(() => setNonce((n) => n + 1), POLL_MS);
    return () => clearTimeout(t);
  }, [view, pushing, loading]);

  // A different invoice (a new onLoad for another record) starts clean.
  useEffect(() => {
    setView(null);
    setOutcome(null);
  }, [invoiceId]);

  const push = useCallback(() => {
    if (invoiceId === undefined || inFlight.current) return;
    inFlight.current = true;
    setPushing(true);
    setOutcome(null);
    void runPushFlow({
      push: () => postPush(ctx.api, invoiceId),
      fetchView: () => fetchSyncView(ctx.api, invoiceId),
      setDirty: (d) => ctx.bridge.setDirty(d),
      refreshScreen: () => ctx.bridge.refreshScreen(),
      onView: (v) => current.current === invoiceId && setView(v),
      pollIntervalMs: POLL_MS,
    })
      .then((r) => current.current === invoiceId && setOutcome(r))
      .finally(() => {
        inFlight.current = false;
        setPushing(false);
      });
  }, [ctx, invoiceId]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);

  return { view, loading, loadError, banner, pushing, outcome, push, reload };
}
