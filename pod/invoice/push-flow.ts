// One click on "Push to Xero", end to end, with ConnectWise kept informed:
// the screen is marked dirty while the push runs (so nobody navigates away
// mid-push thinking nothing is happening), the push is posted, a 'busy'
// answer (another tab or person is pushing this record) is followed by
// polling the view every second until that push is over, then the flag is
// cleared and ConnectWise reloads the screen (the invoice now sits in a
// closed accounting batch). The host may refuse a request; that never stops
// the push or hides its outcome. The same flow serves every record the pod
// pushes (an invoice, an expense report): only the view's chip and headline
// matter here.
import type { InvoiceSyncView, PushResponse, SyncChip } from '../../shared/api.js';

/** What the flow reads of a sync view: whether a push is under way, and the sentence saying where it stands. */
export interface PushableView {
  chip: SyncChip;
  headline: string;
}

export interface PushAnswer<V extends PushableView> {
  outcome: PushResponse['outcome'];
  message: string;
  view: V;
}

export interface PushFlowDeps<V extends PushableView = InvoiceSyncView> {
  push(): Promise<PushAnswer<V>>;
  fetchView(): Promise<V>;
  setDirty(dirty: boolean): Promise<void>;
  refreshScreen(): Promise<void>;
  /** Each view as it arrives (the busy answer's, every poll's), so the dialog stays current. */
  onView(view: V): void;
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
  /** Give up waiting for someone else's push after this many polls. */
  maxPolls?: number;
  /** What is being pushed, in the messages ("invoice", "expense report"). */
  noun?: string;
  /** Where the person closes and reopens it ("this dialog", "this tab"). */
  surface?: string;
}

export type PushFlowResult<V extends PushableView = InvoiceSyncView> =
  | { ok: true; outcome: PushResponse['outcome']; message: string; view: V }
  | { ok: false; message: string };

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function quietly(p: () => Promise<void>): Promise<void> {
  try {
    await p();
  } catch {
    // The host refused or is gone: the push itself is what matters.
  }
}

export async function runPushFlow<V extends PushableView = InvoiceSyncView>(deps: PushFlowDeps<V>): Promise<PushFlowResult<V>> {
  const sleep = deps.sleep ?? defaultSleep;
  const noun = deps.noun ?? 'invoice';
  const surface = deps.surface ?? 'this dialog';
  const interval = deps.pollIntervalMs ?? 1_000;
  const maxPolls = deps.maxPolls ?? 180;
  await quietly(() => deps.setDirty(true));
  let result: PushFlowResult<V>;
  try {
    const res = await deps.push();
    deps.onView(res.view);
    let view = res.view;
    if (res.outcome === 'busy') {
      for (let i = 0; i < maxPolls && view.chip === 'pushing'; i++) {
        await sleep(interval);
        view = await deps.fetchView();
        deps.onView(view);
      }
    }
    const stillBusy = view.chip === 'pushing';
    result = {
      ok: true,
      outcome: res.outcome,
      message: stillBusy
        ? `Another push of this ${noun} is still running. Close ${surface} and open it again in a minute to see how it ended.`
        : res.outcome === 'busy'
          ? `Someone else was pushing this ${noun}; that push has finished. ${view.headline}`
          : res.message,
      view,
    };
  } catch (err) {
    result = { ok: false, message: err instanceof Error ? err.message : String(err) };
  } finally {
    await quietly(() => deps.setDirty(false));
  }
  // Even a failed push may have changed ConnectWise (a batch made before a timeout): reload the screen either way.
  await quietly(() => deps.refreshScreen());
  return result;
}
