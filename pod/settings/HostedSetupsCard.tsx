// Our screens in ConnectWise (issue 13), admins only: what of ours is
// installed and where (GET /api/hosted-setups), install / re-install (POST)
// and uninstall (DELETE, ours only: the customer's other setups stay). Answers
// are typed by shared/hosted-setups-api.ts (the server checks them; no zod in the pod).
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { HostedSetupsChange, HostedSetupsStatus } from '../../shared/hosted-setups-api.js';
import type { PodContext } from '../lib/boot.js';
import { MessageBox } from '../lib/ui.js';
import { openWindowWithSession } from '../batch/window-session.js';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function HostedSetupsCard({ ctx }: { ctx: PodContext }) {
  const [status, setStatus] = useState<HostedSetupsStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await ctx.api<HostedSetupsStatus>('/api/hosted-setups', { method: 'GET' }));
      setError(null);
    } catch (e) {
      setError(message(e));
    }
  }, [ctx]);
  useEffect(() => {
    void load();
  }, [load]);

  const change = async (method: 'POST' | 'DELETE') => {
    if (method === 'DELETE' && !confirm('Remove CW–Xero Sync’s buttons, pods and tabs from ConnectWise? Other setups stay.')) return;
    setBusy(true);
    setDone(null);
    try {
      const r = await ctx.api<HostedSetupsChange>('/api/hosted-setups', method === 'POST' ? { method, body: '{}' } : { method });
      setStatus(r);
      setError(null);
      const count = (a: string) => r.changes.filter((c) => c.action === a).length;
      setDone(
        method === 'POST'
          ? `Installed: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} already up to date${count('removed') ? `, ${count('removed')} duplicate removed` : ''}.`
          : `Uninstalled: ${count('removed')} removed.`,
      );
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const installed = status?.setups.filter((s) => s.installed).length ?? 0;
  return (
    <section class="card" aria-label="ConnectWise screens" data-testid="hosted-setups-card">
      <div class="card-head">
        <h2 class="card-title">ConnectWise screens</h2>
      </div>
      <p class="muted">The button, pods and tabs CW–Xero Sync adds to ConnectWise. Re-install after this server moves; uninstall removes ours only.</p>
      {status ? (
        <table class="setups" data-testid="hosted-setups-table">
          <thead>
            <tr>
              <th>What</th>
              <th>Where</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {status.setups.map((s) => (
              <tr key={s.key} data-testid={`setup-${s.key}`}>
                <td>
                  {s.what} <span class="muted">({s.type})</span>
                </td>
                <td>{s.screenName ?? s.screen}</td>
                <td data-testid={`setup-${s.key}-state`}>
                  {!s.installed ? 'Not installed' : s.outdated ? `Installed (#${s.id}), out of date: re-install` : `Installed (#${s.id})${s.disabled ? ', disabled in ConnectWise' : ''}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : error ? null : (
        <p class="muted">Reading ConnectWise…</p>
      )}
      {status ? (
        <p class="muted" data-testid="hosted-setups-summary">
          {installed} of {status.setups.length} installed. {status.others ? `${status.others} other hosted setup${status.others === 1 ? '' : 's'} in ConnectWise (not ours, left alone).` : ''}
        </p>
      ) : null}
      <div class="actions">
        <button class="primary" data-testid="install-setups" disabled={busy} onClick={() => void change('POST')}>
          {installed ? 'Re-install' : 'Install'}
        </button>
        <button data-testid="uninstall-setups" disabled={busy || installed === 0} onClick={() => void change('DELETE')}>
          Uninstall
        </button>
        {done ? (
          <span class="muted" data-testid="hosted-setups-done">
            {done}
          </span>
        ) : null}
      </div>
      {error ? <MessageBox title="ConnectWise screens">{error}</MessageBox> : null}
      <p class="muted">
        Another ConnectWise company on this server (a new company id; this one is never changed there):{' '}
        <button
          data-testid="add-company"
          onClick={() => {
            // The first-run page, signed in with this pod's session (lent while the pod lives).
            if (!openWindowWithSession(`${ctx.config.apiBase.replace(/\/+$/, '')}/setup`, 'cwxs-add-company', ctx.session)) setError('Your browser blocked the window: allow pop-ups for ConnectWise and try again.');
          }}
        >
          Add another ConnectWise company
        </button>
      </p>
    </section>
  );
}
