// The audit card's body (fetched when the card opens): the tenant's activity
// (GET /api/activity, filters and paging; the same as CSV from
// /api/activity.csv), the settings' changes (GET /api/settings/versions: who
// changed which fields, when) and settings export / import with a dry run
// that lists the fields an import would change before it is applied.
import '../lib/audit.css';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ActivityItem, ActivityResponse, SettingsImportResponse, SettingsVersionsResponse } from '../../shared/audit-api.js';
import type { PodContext } from '../lib/boot.js';
import { auditActionWords, auditWhen, outcomeWords } from '../lib/audit-words.js';
import type { AuditCardBodyProps } from './AuditCard.js';

const KINDS = [
  ['', 'Everything'],
  ['invoice', 'Invoices'],
  ['expense', 'Expense reports'],
  ['purchase', 'Purchase orders'],
  ['payment', 'Payments'],
  ['settings', 'Settings'],
  ['session', 'Sign-ins'],
] as const;
const OUTCOMES = ['', 'synced', 'unchanged', 'needs_attention', 'interrupted', 'busy', 'linked', 'failed', 'changed', 'success', 'failure'] as const;

type Filters = { kind: string; outcome: string; member: string; from: string; to: string };
const NO_FILTERS: Filters = { kind: '', outcome: '', member: '', from: '', to: '' };

function query(f: Filters, before?: number): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim()) p.set(k, v.trim());
  if (before !== undefined) p.set('before', String(before));
  const s = p.toString();
  return s ? `?${s}` : '';
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A file from our API saved through the browser (the token goes in a header, so not a plain link). */
async function download(ctx: PodContext, path: string, filename: string): Promise<void> {
  const res = await fetch(`${ctx.config.apiBase}${path}`, { headers: { Authorization: `Bearer ${await ctx.session.token()}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function refsText(it: ActivityItem): string {
  return it.refs.map((r) => (r.label === 'id' ? r.id : `${r.label}:${r.id.length > 12 ? `${r.id.slice(0, 8)}…` : r.id}`)).join(' ');
}

function Activity({ ctx }: { ctx: PodContext }) {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<ActivityItem[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    async (f: Filters, before?: number) => {
      try {
        const page = await ctx.api<ActivityResponse>(`/api/activity${query(f, before)}`, { method: 'GET' });
        setItems((old) => (before === undefined ? page.items : [...(old ?? []), ...page.items]));
        setNext(page.nextBefore);
        setError(null);
      } catch (e) {
        setError(message(e));
      }
    },
    [ctx],
  );
  useEffect(() => void load(filters), [load, filters]);
  const field = (k: keyof Filters) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <section class="audit-section" data-testid="activity">
      <h3>Activity</h3>
      <form
        class="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <label>
          Kind
          <select value={draft.kind} onChange={field('kind')} data-testid="activity-kind">
            {KINDS.map(([v, w]) => (
              <option value={v}>{w}</option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={draft.outcome} onChange={field('outcome')} data-testid="activity-outcome">
            {OUTCOMES.map((v) => (
              <option value={v}>{v ? outcomeWords(v) : 'Any'}</option>
            ))}
          </select>
        </label>
        <label>
          Member
          <input value={draft.member} onInput={field('member')} placeholder="identifier" data-testid="activity-member" />
        </label>
        <label>
          From
          <input type="date" value={draft.from} onInput={field('from')} data-testid="activity-from" />
        </label>
        <label>
          To
          <input type="date" value={draft.to} onInput={field('to')} data-testid="activity-to" />
        </label>
        <button type="submit">
          Show
        </button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
      {items === null ? (
        <p class="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p class="muted">Nothing matches these filters.</p>
      ) : (
        <table class="audit-table" data-testid="activity-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Ids</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {items.map((it) => (
              <tr key={it.id}>
                <td>{auditWhen(it.at)}</td>
                <td>{it.member ?? '—'}</td>
                <td>{auditActionWords(it.action)}</td>
                <td>{refsText(it)}</td>
                <td>
                  {outcomeWords(it.outcome)}
                  {it.codes.length ? <span class="muted"> ({it.codes.join(', ')})</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="audit-actions">
        {next !== null ? (
          <button type="button" onClick={() => void load(filters, next)}>
            Show more
          </button>
        ) : null}
        <button type="button" data-testid="activity-csv" onClick={() => download(ctx, `/api/activity.csv${query(filters)}`, `cw-xero-sync-activity-${ctx.session.tenant}.csv`).catch((e: unknown) => setError(message(e)))}>
          Download CSV
        </button>
      </div>
    </section>
  );
}

function Changes({ ctx, version }: { ctx: PodContext; version: number }) {
  const [items, setItems] = useState<SettingsVersionsResponse['items'] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    async (before?: number) => {
      try {
        const page = await ctx.api<SettingsVersionsResponse>(`/api/settings/versions${before !== undefined ? `?before=${before}` : ''}`, { method: 'GET' });
        setItems((old) => (before === undefined ? page.items : [...(old ?? []), ...page.items]));
        setNext(page.nextBefore);
      } catch (e) {
        setError(message(e));
      }
    },
    [ctx],
  );
  useEffect(() => void load(), [load, version]);
  return (
    <section class="audit-section" data-testid="settings-changes">
      <h3>Changes</h3>
      {error ? <p role="alert">{error}</p> : null}
      {items === null ? (
        <p class="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p class="muted">No changes saved yet.</p>
      ) : (
        <table class="audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>How</th>
              <th>Fields changed</th>
            </tr>
          </thead>
          <tbody>
            {items.map((v) => (
              <tr key={v.id}>
                <td>{auditWhen(v.at)}</td>
                <td>{v.memberId ?? '—'}</td>
                <td>{v.source === 'import' ? 'Imported' : 'Saved'}</td>
                <td>{v.changedPaths.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== null ? (
        <div class="audit-actions">
          <button type="button" onClick={() => void load(next)}>
            Show more
          </button>
        </div>
      ) : null}
    </section>
  );
}

function Transfer({ ctx, onImported }: { ctx: PodContext; onImported: () => void }) {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [dry, setDry] = useState<SettingsImportResponse | null>(null);
  const [done, setDone] = useState<SettingsImportResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await ctx.api<SettingsImportResponse>(`/api/settings/import${dryRun ? '?dryRun=1' : ''}`, { method: 'POST', body: file.text });
      if (dryRun) setDry(r);
      else {
        setDone(r);
        setDry(null);
        setFile(null);
        onImported();
      }
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="audit-section" data-testid="settings-transfer">
      <h3>Export and import</h3>
      <p class="muted">Move these settings to another environment: export them here, then import the file there. An import first shows which fields it would change.</p>
      <div class="audit-actions">
        <button type="button" data-testid="settings-export" onClick={() => download(ctx, '/api/settings/export', `cw-xero-sync-settings-${ctx.session.tenant}.json`).catch((e: unknown) => setError(message(e)))}>
          Export settings
        </button>
        <label>
          Import a file{' '}
          <input
            type="file"
            accept="application/json,.json"
            data-testid="settings-import-file"
            onChange={async (e) => {
              const f = (e.currentTarget as HTMLInputElement).files?.[0];
              setDry(null);
              setDone(null);
              setError(null);
              setFile(f ? { name: f.name, text: await f.text() } : null);
            }}
          />
        </label>
        <button type="button" disabled={!file || busy} data-testid="settings-import-check" onClick={() => void send(true)}>
          Check what it changes
        </button>
      </div>
      {error ? <p role="alert" data-testid="settings-import-error">{error}</p> : null}
      {dry ? (
        <div data-testid="settings-import-dry-run">
          {dry.changedPaths.length === 0 ? (
            <p>Importing {file?.name} would change nothing.</p>
          ) : (
            <>
              <p>Importing {file?.name} would change these fields:</p>
              <ul class="audit-paths">
                {dry.changedPaths.map((p) => (
                  <li>{p}</li>
                ))}
              </ul>
              <div class="audit-actions">
                <button type="button" class="primary" disabled={busy} data-testid="settings-import-apply" onClick={() => void send(false)}>
                  Apply these changes
                </button>
              </div>
            </>
          )}
        </div>
      ) : null}
      {done ? (
        <p data-testid="settings-import-done">
          Imported: {done.changedPaths.length} field{done.changedPaths.length === 1 ? '' : 's'} changed.
        </p>
      ) : null}
    </section>
  );
}

export function AuditCardBody({ ctx, onImported }: AuditCardBodyProps) {
  const [version, setVersion] = useState(0);
  return (
    <>
      <Activity ctx={ctx} />
      <Changes ctx={ctx} version={version} />
      <Transfer
        ctx={ctx}
        onImported={() => {
          setVersion((v) => v + 1);
          onImported();
        }}
      />
    </>
  );
}
