// Xero connections: health, organisations, last refresh; Connect / Reconnect / Disconnect for admins.
import { useState } from 'preact/hooks';
import { xeroDisconnectResponse, type XeroStatusResponse } from '../../shared/api.js';
import type { PodContext } from '../lib/boot.js';
import { MessageBox } from '../lib/ui.js';
import { openBlankPopup, runConnectFlow, type ConnectOutcome } from './connect-popup.js';
import { formatWhen } from './format.js';

type Note = { kind: 'info' | 'error' | 'warning'; title: string; text: string };

function noteFor(o: ConnectOutcome): Note {
  switch (o.kind) {
    case 'result':
      return o.result.ok ? { kind: 'info', title: 'Connected', text: o.result.message } : { kind: 'error', title: 'Not connected', text: o.result.message };
    case 'closed':
      return { kind: 'warning', title: 'Not connected', text: 'The Xero window was closed before the sign-in finished, so nothing was connected.' };
    case 'blocked':
      return { kind: 'error', title: 'The Xero window was blocked', text: 'Your browser blocked the Xero sign-in window. Allow pop-ups for this page and click "Connect to Xero" again.' };
    case 'failed':
      return { kind: 'error', title: 'Could not connect', text: o.message };
  }
}

export function HealthChip({ status }: { status: 'ok' | 'needs_reconnect' | 'none' }) {
  if (status === 'ok') return <span class="chip chip-synced">Connected</span>;
  if (status === 'needs_reconnect') return <span class="chip chip-attention">Needs reconnect</span>;
  return <span class="chip chip-none">Not mapped</span>;
}

export function ConnectionsCard({ ctx, status, isAdmin, onChanged }: { ctx: PodContext; status: XeroStatusResponse; isAdmin: boolean; onChanged: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note | null>(null);

  const connect = (label: string) => {
    const popup = openBlankPopup(); // synchronously in the click, or the browser blocks it
    setBusy(true);
    setNote({ kind: 'info', title: label, text: 'Sign in to Xero in the window that opened and choose the organisations to connect.' });
    void runConnectFlow(popup, ctx.api, ctx.config.apiBase, ctx.session.tenant)
      .then(async (o) => {
        setNote(noteFor(o));
        await onChanged();
      })
      .finally(() => setBusy(false));
  };

  const disconnect = async (id: string, names: string) => {
    if (!window.confirm(`Disconnect ${names} from CW–Xero Sync? Nothing more can be sent to ${names} until it is connected again.`)) return;
    setBusy(true);
    try {
      const out = await ctx.api(`/api/xero/connections/${encodeURIComponent(id)}`, { method: 'DELETE' }, xeroDisconnectResponse);
      setNote({ kind: out.warnings.length ? 'warning' : 'info', title: 'Disconnected', text: [`${names} disconnected.`, ...out.warnings].join(' ') });
      await onChanged();
    } catch (e) {
      setNote({ kind: 'error', title: 'Could not disconnect', text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card">
      <div class="card-head">
        <h2 class="card-title">Xero connections</h2>
        {isAdmin ? (
          <button class="primary" data-testid="connect-xero" disabled={busy} onClick={() => connect('Connecting to Xero')}>
            Connect to Xero
          </button>
        ) : null}
      </div>
      {status.connections.length === 0 ? <p class="muted">No Xero organisation is connected yet.</p> : null}
      {status.connections.map((c) => {
        const names = c.orgs.map((o) => o.name).join(', ') || 'No organisations';
        return (
          <div class="conn" key={c.id} data-testid="connection">
            <div class="conn-top">
              <div class="conn-orgs">{names}</div>
              <HealthChip status={c.status} />
            </div>
            <div class="conn-meta">
              {c.health} · connected {formatWhen(c.connectedAt)}
              {c.connectedBy ? ` by ${c.connectedBy}` : ''} · last refresh {c.lastRefreshAt ? formatWhen(c.lastRefreshAt) : 'not needed yet'}
            </div>
            {isAdmin ? (
              <div class="actions">
                <button disabled={busy} onClick={() => connect('Reconnecting to Xero')}>
                  Reconnect
                </button>
                <button disabled={busy} onClick={() => void disconnect(c.id, names)}>
                  Disconnect
                </button>
              </div>
            ) : null}
          </div>
        );
      })}
      {note ? (
        <div data-testid="connect-message">
          <MessageBox kind={note.kind} title={note.title}>
            {note.text}
          </MessageBox>
        </div>
      ) : null}
    </section>
  );
}
