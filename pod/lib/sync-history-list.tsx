// The rows of a record's "Sync history" disclosure (SyncHistory.tsx fetches
// this module when the disclosure is first opened), read then: when, who,
// what, which Xero document, the outcome and problem codes — ids and outcomes
// as the server stored them (GET /api/history/:kind/:id; the
// answer is typed by shared/audit-api.ts, which the server checks).
import './audit.css';
import { useEffect, useState } from 'preact/hooks';
import type { HistoryEntry, HistoryKind, RecordHistoryResponse } from '../../shared/audit-api.js';
import type { Api } from './api.js';
import { auditActionWords, auditWhen, outcomeWords } from './audit-words.js';

export interface SyncHistoryListProps {
  api: Api;
  kind: HistoryKind;
  id: number;
}

function documentOf(e: HistoryEntry, docs: RecordHistoryResponse['documents']): string {
  const ids = e.refs.filter((r) => r.label === 'xero' || r.label === 'journal');
  if (!ids.length) return '—';
  return ids.map((r) => docs.find((d) => d.xeroDocumentId === r.id)?.number ?? `${r.id.slice(0, 8)}…`).join(', ');
}

export function SyncHistoryList({ api, kind, id }: SyncHistoryListProps) {
  const [state, setState] = useState<{ ok: RecordHistoryResponse } | { error: string } | null>(null);
  useEffect(() => {
    let live = true;
    api<RecordHistoryResponse>(`/api/history/${kind}/${id}`, { method: 'GET' }).then(
      (ok) => live && setState({ ok }),
      (e: unknown) => live && setState({ error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [api, kind, id]);
  if (state === null) return <p class="muted">Loading…</p>;
  if ('error' in state) return <p role="alert">{state.error}</p>;
  const { entries, documents } = state.ok;
  if (!entries.length) return <p class="muted" data-testid="sync-history-empty">Nothing has been pushed for this record yet.</p>;
  return (
    <table class="audit-table" data-testid="sync-history-table">
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>What</th>
          <th>Xero document</th>
          <th>Outcome</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e, i) => (
          <tr key={i}>
            <td>{auditWhen(e.at)}</td>
            <td>{e.member ?? '—'}</td>
            <td>{auditActionWords(e.action)}</td>
            <td>{documentOf(e, documents)}</td>
            <td>
              {outcomeWords(e.outcome)}
              {e.codes.length ? <span class="muted"> ({e.codes.join(', ')})</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
