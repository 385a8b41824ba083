// The sync panel's state: the record's sync view (read on every ConnectWise
// onLoad, kept on screen while a fresh copy loads so nothing flickers), the
// reconnect banner, and the push with its outcome. While someone else's push
// of this record runs (chip 'pushing') the view is read again every second.
// One hook for every record the pod pushes: the invoice dialog's
// (useInvoiceSync) and the expense report tab's.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { InvoiceSyncView } from '../../shared/api.js';
import type { Api } from '../lib/api.js';
import type { PodContext } from '../lib/boot.js';
import { fetchReconnectBanner, fetchSyncView, postPush } from './sync-client.js';
import type { PushableView, PushAnswer, PushFlowResult } from './push-flow.js';

export interface RecordSync<V extends PushableView> {
  view: V | null;
  /** A (re)load is under way. */
  loading: boolean;
  /** Why the view could not be read, in words. */
  loadError: string | null;
  banner: string | null;
  pushing: boolean;
  /** The last push's outcome, kept across the reload the push triggers. */
  outcome: PushFlowResult<V> | null;
  push(): void;
  reload(): void;
}

export type InvoiceSync = RecordSync<InvoiceSyncView>;

/** How one kind of record is read and pushed (module-level functions: the hook's effects depend on them). */
export interface SyncClient<V extends PushableView> {
  fetchView(api: Api, id: number): Promise<V>;
  postPush(api: Api, id: number): Promise<PushAnswer<V>>;
  /** What is pushed and where, in the push's messages ("expense report", "this tab"). */
  noun: string;
  surface: string;
}

const INVOICE_CLIENT: SyncClient<InvoiceSyncView> = { fetchView: fetchSyncView, postPush, noun: 'invoice', surface: 'this dialog' };

export function useInvoiceSync(ctx: PodContext, recordId: number | undefined, loads: number): InvoiceSync {
  return useRecordSync(ctx, recordId, loads, INVOICE_CLIENT);
}

const POLL_MS = 1_000;

export function useRecordSync<V extends PushableView>(ctx: PodContext, recordId: number | undefined, loads: number, client: SyncClient<V>): RecordSync<V> {
  const [view, setView] = useState<V | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const [pushing, setPushing] = useState(false);
  const [outcome, setOutcome] = useState<PushFlowResult<V> | null>(null);
  const [nonce, setNonce] = useState(0);
  // Answers for a record the surface has since left are dropped.
  const current = useRef(recordId);
  current.current = recordId;
  // Set synchronously, so a double click cannot start two pushes before the button re-renders.
  const inFlight = useRef(false);

  // Layout effects, this one and the clean start below (in this order): the read that came with the
  // sign-in is on screen in the same frame as the panel (issue 12), not a frame later.
  useLayoutEffect(() => {
    if (recordId === undefined) {
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    void fetchReconnectBanner(ctx.api).then((b) => live && setBanner(b));
    client.fetchView(ctx.api, recordId)
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
  }, [ctx, client, recordId, loads, nonce]);

  // Another tab or person is pushing this record: watch until it is done.
  useEffect(() => {
    if (view?.chip !== 'pushing' || pushing || loading) return;
    const t = setTimeout(() => setNonce((n) => n + 1), POLL_MS);
    return () => clearTimeout(t);
  }, [view, pushing, loading]);

  // A different record (a new onLoad for another one) starts clean.
  useLayoutEffect(() => {
    setView(null);
    setOutcome(null);
  }, [recordId]);

  const push = useCallback(() => {
    if (recordId === undefined || inFlight.current) return;
    inFlight.current = true;
    setPushing(true);
    setOutcome(null);
    // The flow is fetched on the first click (issue 12: the first paint does not need it); a failed fetch is the push's outcome.
    void import('./push-flow.js')
      .then(({ runPushFlow }) =>
        runPushFlow({
          push: () => client.postPush(ctx.api, recordId),
          fetchView: () => client.fetchView(ctx.api, recordId),
          setDirty: (d) => ctx.bridge.setDirty(d),
          refreshScreen: () => ctx.bridge.refreshScreen(),
          onView: (v) => current.current === recordId && setView(v),
          pollIntervalMs: POLL_MS,
          noun: client.noun,
          surface: client.surface,
        }),
      )
      .catch((err: unknown): PushFlowResult<V> => ({ ok: false, message: `${err instanceof Error ? err.message : String(err)} Check your connection and push again.` }))
      .then((r) => current.current === recordId && setOutcome(r))
      .finally(() => {
        inFlight.current = false;
        setPushing(false);
      });
  }, [ctx, client, recordId]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);

  return { view, loading, loadError, banner, pushing, outcome, push, reload };
}
