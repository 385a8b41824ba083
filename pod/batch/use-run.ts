// The run a tab shows: the tenant's latest of the tab's kind on open (a run
// goes on while ConnectWise is closed), polled every second while it is going.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { BatchRunKind, BatchRunView } from '../../shared/api.js';
import type { BatchClient } from './batch-client.js';

const GOING = new Set(['running', 'cancelling', 'waiting_day']);

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
