// A record's sync history in its dialog (issue 13): the invoice dialog, the
// expense tab and the purchase-order pod show it under a "Sync history"
// disclosure. The list itself (and its schema) is fetched only when opened,
// so the dialog's first JavaScript does not grow.
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { HistoryKind } from '../../shared/audit-api.js';

export interface SyncHistoryListProps {
  api: Api;
  kind: HistoryKind;
  id: number;
}

let loading: Promise<FunctionComponent<SyncHistoryListProps>> | undefined;

export function SyncHistory({ api, kind, id }: { api: Api; kind: HistoryKind; id: number | undefined }) {
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<{ C: FunctionComponent<SyncHistoryListProps> } | { error: string } | null>(null);
  useEffect(() => {
    if (!open || (list && 'C' in list)) return;
    let live = true;
    loading ??= import('./sync-history-list.js').then((m) => m.SyncHistoryList);
    loading.then(
      (C) => live && setList({ C }),
      (e: unknown) => {
        loading = undefined;
        if (live) setList({ error: `${e instanceof Error ? e.message : String(e)} Close and open the history again.` });
      },
    );
    return () => {
      live = false;
    };
  }, [open]);
  if (id === undefined) return null;
  return (
    <details class="card sync-history" data-testid="sync-history" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary class="card-title">Sync history</summary>
      {!open ? null : list === null ? <p class="muted">Loading…</p> : 'error' in list ? <p role="alert">{list.error}</p> : <list.C api={api} kind={kind} id={id} />}
    </details>
  );
}
