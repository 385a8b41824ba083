// Xero connections: health, organisations, last refresh; Connect / Reconnect / Disconnect for admins.
import { useState } from 'preact/hooks';
import type { XeroDisconnectResponse, CwLocationsResponse, LocationMapView, XeroConnectionView, XeroStatusResponse } from '../../shared/api.js';
import { SETTINGS_CARD } from '../../shared/settings-sections.js';
import type { PodContext } from '../lib/boot.js';
import { MessageBox } from '../lib/ui.js';
import { openBlankPopup, runConnectFlow, type ConnectOutcome } from './connect-popup.js';
import { formatWhen } from './format.js';

type Note = { kind: 'info' | 'error' | 'warning'; title: string; text: string };

function noteFor(o: ConnectOutcome): Note {
  switch (o.kind) {
    case 'result':
      if (!o.result.ok) return { kind: 'error', title: 'Not connected', text: o.result.message };
      // Some organisations were refused (another ConnectWise company holds them): connected, with a warning.
      return { kind: o.result.code === 'connected_partly' ? 'warning' : 'info', title: 'Connected', text: o.result.message };
    case 'closed':
      return { kind: 'warning', title: 'Not connected', text: 'The Xero window was closed before the sign-in finished, so nothing was connected.' };
    case 'blocked':
      return { kind: 'error', title: 'The Xero window was blocked', text: 'Your browser blocked the Xero sign-in window. Allow pop-ups for this page and click "Connect to Xero" again.' };
    case 'failed':
      return { kind: 'error', title: 'Could not connect', text: o.message };
  }
}

export function HealthChip({ status }: { status: 'ok' | 'needs_reconnect' | 'none' | 'not_connected' | 'taken' }) {
  if (status === 'ok') return <span class="chip chip-synced">Connected</span>;
  if (status === 'needs_reconnect') return <span class="chip chip-attention">Needs reconnect</span>;
  if (status === 'not_connected') return <span class="chip chip-attention">Not connected</span>;
  if (status === 'taken') return <span class="chip chip-attention">Another company's</span>;
  return <span class="chip chip-none">Not mapped</span>;
}

/** What "Disconnect" does, said before it is done: which locations stop, what is kept, that Xero is untouched. */
export function disconnectWords(conn: XeroConnectionView, map: LocationMapView[], locations: CwLocationsResponse | { error: string } | undefined): string {
  const names = conn.orgs.map((o) => o.name).join(', ') || 'this connection';
  const orgIds = new Set(conn.orgs.map((o) => o.xeroTenantId));
  const mapped = map.filter((m) => orgIds.has(m.xeroTenantId));
  const nameOf = new Map(locations && !('error' in locations) ? locations.locations.map((l) => [l.id, l.name] as const) : []);
  const locWords = mapped.map((m) => nameOf.get(m.cwLocationId) ?? `location ${m.cwLocationId}`).join(', ');
  return [
    `Disconnect ${names} from CW–Xero Sync?`,
    mapped.length
      ? `Syncing stops for the billing location${mapped.length > 1 ? 's' : ''} that book${mapped.length > 1 ? '' : 's'} into ${conn.orgs.length > 1 ? 'them' : 'it'} (${locWords}): nothing more is sent to Xero, and payments are no longer brought back, until ${conn.orgs.length > 1 ? 'they are' : 'it is'} connected again.`
      : `Nothing more is sent to ${names} until ${conn.orgs.length > 1 ? 'they are' : 'it is'} connected again.`,
    'The location mapping is kept (shown as "not connected"), so connecting again restores it.',
    'Nothing in Xero is changed: invoices, credit notes, contacts and payments already there stay as they are.',
  ].join('\n\n');
}
export function ConnectionsCard({
  ctx,
  status,
  locations,
  isAdmin,
  onChanged,
}: {
  ctx: PodContext;
  status: XeroStatusResponse;
  /** ConnectWise's billing locations, to name them in the disconnect confirmation. */
  locations?: CwLocationsResponse | { error: string };
  isAdmin: boolean;
  onChanged: () => Promise<void>;
}) {
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

  const disconnect = async (conn: XeroConnectionView, names: string) => {
    if (!window.confirm(disconnectWords(conn, status.locationMap, locations))) return;
    setBusy(true);
    try {
      const out = await ctx.api<XeroDisconnectResponse>(`/api/xero/connections/${encodeURIComponent(conn.id)}`, { method: 'DELETE' });
      setNote({
        kind: out.warnings.length ? 'warning' : 'info',
        title: 'Disconnected',
        text: [`${names} disconnected. The location mapping is kept; connect again to restore syncing.`, ...out.warnings].join(' '),
      });
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
        <h2 class="card-title" data-section="connections">{SETTINGS_CARD.connections}</h2>
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
                <button data-testid="disconnect-xero" disabled={busy} onClick={() => void disconnect(c, names)}>
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
