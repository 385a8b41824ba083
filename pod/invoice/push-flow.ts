// One click on "Push to Xero", end to end, with ConnectWise kept informed:
// the screen is marked dirty while the push runs (so nobody navigates away
// mid-push thinking nothing is happening), the push is posted, a 'busy'
// answer (another tab or person is pushing this record) is followed by
// polling the view every second until that push is over, then the flag is
// cleared and ConnectWise reloads the screen (the invoice now sits in a
// closed accounting batch). The host may refuse a request; that never stops
// the push or hides its outcome.
import type { InvoiceSyncView, PushResponse } from '../../shared/api.js';

export interface PushFlowDeps {
  push(): Promise<PushResponse>;
  fetchView(): Promise<InvoiceSyncView>;
  setDirty(dirty: boolean): Promise<void>;
  refreshScreen(): Promise<void>;
  /** Each view as it arrives (the busy answer's, every poll's), so the dialog stays current. */
  onView(view: InvoiceSyncView): void;
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
  /** Give up waiting for someone else's push after this many polls. */
  maxPolls?: number;
}

export type PushFlowResult =
  | { ok: true; outcome: PushResponse['outcome']; message: string; view: InvoiceSyncView }
  | { ok: false; message: string };

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function quietly(p: () => Promise<void>): Promise<void> {
  try {
    await p();
  } catch {
    // The host refused or is gone: the push itself is what matters.
  }
}

export async function runPushFlow(deps: PushFlowDeps): Promise<PushFlowResult> {
  const sleep = deps.sleep ?? defaultSleep;
  const interval = deps.pollIntervalMs ?? 1_000;
  const maxPolls = deps.maxPolls ?? 180;
  await quietly(() => deps.setDirty(true));
  let result: PushFlowResult;
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
        ? 'Another push of this invoice is still running. Close this dialog and open it again in a minute to see how it ended.'
        : res.outcome === 'busy'
          ? `Someone else was pushing this invoice; that push has finished. ${view.headline}`
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
