// A record's sync history in its dialog (issue 13): the invoice dialog, the
// expense tab and the purchase-order pod show it under a "Sync history"
// disclosure, closed at first. The disclosure is here; its list
// (sync-history-list.tsx, with its words and styles) is fetched only when it
// is first opened, so nothing of it is loaded, parsed or laid out during the
// surface's first paint (issue 12: <= 20 KB an entry, <= 300 ms to the paint).
import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { HistoryKind } from '../../shared/audit-api.js';
import { lazyComponent } from './lazy.js';
import type { SyncHistoryListProps } from './sync-history-list.js';

export interface SyncHistoryProps {
  api: Api;
  kind: HistoryKind;
  id: number | undefined;
}

const SyncHistoryList = lazyComponent<SyncHistoryListProps>(
  () => import('./sync-history-list.js').then((m) => m.SyncHistoryList),
  <p class="muted">Loading…</p>,
);

export function SyncHistory({ api, kind, id }: SyncHistoryProps) {
  const [open, setOpen] = useState(false);
  if (id === undefined) return null;
  return (
    <details class="card sync-history" data-testid="sync-history" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary class="card-title">Sync history</summary>
      {open ? <SyncHistoryList api={api} kind={kind} id={id} /> : null}
    </details>
  );
}
