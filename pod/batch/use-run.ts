// The run a tab shows: the tenant's latest of the tab's kind on open (a run
// goes on while ConnectWise is closed), polled every second while it is going.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { BatchRunKind, BatchRunView } from '../../shared/api.js';
import type { BatchClient } from './batch-client.js';

const GOING = new Set(['running', 'cancelling', 'waiting_day']);

/** Whether a run in this status is still going (polled). */
export const isGoing = (status: BatchRunView['status']): boolean => GOING.has(status);

export function useRun(client: BatchClient, kind: BatchRunKind = 'invoice') {
  const [run, setRun] = useState<BatchRunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const poll = useCallback(
    (id: string) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(async () => {
        try {
          const v = await client.run(id);
          setRun(v);
          setError(null);
          if (GOING.has(v.status)) poll(id);
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
          poll(id);
        }
      }, 1000);
    },
    [client],
  );

  const show = useCallback(
    (v: BatchRunView) => {
      setRun(v);
      if (GOING.has(v.status)) poll(v.id);
    },
    [poll],
  );

  useEffect(() => {
    client
      .latest(kind)
      .then((v) => v && show(v))
      .catch(() => undefined);
    return () => clearTimeout(timer.current);
  }, [client, show, kind]);

  return { run, error, show, going: !!run && GOING.has(run.status) };
}

/**
 * A tab's run and what steers it: the run (useRun), an action on it (start,
 * retry, cancel) with its busy flag and refusal, and `finished`, a count that
 * moves each time a run ends — the tab's list changes then (what was pushed
 * is posted in ConnectWise now), so the list reads again on it.
 */
export function useRunActions(client: BatchClient, kind: BatchRunKind = 'invoice') {
  const { run, error, show, going } = useRun(client, kind);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [finished, setFinished] = useState(0);

  const lastStatus = run?.status;
  useEffect(() => {
    if (lastStatus === 'done' || lastStatus === 'cancelled') setFinished((n) => n + 1);
  }, [lastStatus]);

  const act = async (fn: () => Promise<BatchRunView>) => {
    setBusy(true);
    setActionError(null);
    try {
      show(await fn());
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return { run, runError: error, going, busy, actionError, act, finished };
}
