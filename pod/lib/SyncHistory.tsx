// A record's sync history in its dialog (issue 13): the invoice dialog, the
// expense tab and the purchase-order pod show it under a "Sync history"
// disclosure. The disclosure and its list (sync-history-list.tsx) are fetched
// after the first paint, the rows only when it is opened, so the dialog's
// first JavaScript does not grow (issue 12: <= 20 KB an entry).
import type { Api } from './api.js';
import type { HistoryKind } from '../../shared/audit-api.js';
import { lazyComponent } from './lazy.js';

export interface SyncHistoryProps {
  api: Api;
  kind: HistoryKind;
  id: number | undefined;
}

export const SyncHistory = lazyComponent<SyncHistoryProps>(() => import('./sync-history-list.js').then((m) => m.SyncHistoryDisclosure));
