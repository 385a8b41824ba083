// One Xero organisation per ConnectWise billing location. A mapping whose
// organisation was disconnected is kept and shown "not connected" (connecting
// again restores it); one whose organisation another ConnectWise company has
// connected since says so.
import { useEffect, useState } from 'preact/hooks';
import { z } from 'zod';
import { locationMapView, type CwLocationsResponse, type LocationMapRequest, type XeroStatusResponse } from '../../shared/api.js';
import { SETTINGS_CARD } from '../../shared/settings-sections.js';
import type { PodContext } from '../lib/boot.js';
import { MessageBox } from '../lib/ui.js';
import { PodApiError } from '../lib/http.js';
import { HealthChip } from './ConnectionsCard.js';
import { formatWhen } from './format.js';

const mapResponse = z.object({ mappings: z.array(locationMapView) });

function draftFrom(status: XeroStatusResponse): Record<number, string> {
  return Object.fromEntries(status.locationMap.map((m) => [m.cwLocationId, m.xeroTenantId]));
}

export function LocationMapCard({
  ctx,
  status,
  locations,
  isAdmin,
  onSaved,
}: {
  ctx: PodContext;
  status: XeroStatusResponse;
  locations: CwLocationsResponse | { error: string };
  isAdmin: boolean;
  onSaved: () => Promise<void>;
}) {
  const [draft, setDraft] = useState<Record<number, string>>(() => draftFrom(status));
  const [note, setNote] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftFrom(status)), [status]);

  if ('error' in locations) {
    return (
      <section class="card">
        <h2 class="card-title" data-section="locations">{SETTINGS_CARD.locations}</h2>
        <MessageBox title="Could not read the billing locations from ConnectWise">{locations.error}</MessageBox>
      </section>
    );
  }

  const orgById = new Map(status.orgs.map((o) => [o.xeroTenantId, o]));
  const connById = new Map(status.connections.map((c) => [c.id, c]));
  const savedByLocation = new Map(status.locationMap.map((m) => [m.cwLocationId, m]));

  const save = async () => {
    setBusy(true);
    const body: LocationMapRequest = {
      mappings: Object.entries(draft)
        .filter(([, org]) => org)
        .map(([loc, org]) => ({ cwLocationId: Number(loc), xeroTenantId: org })),
    };
    try {
      await ctx.api('/api/xero/location-map', { method: 'PUT', body: JSON.stringify(body) }, mapResponse);
      setNote({ kind: 'info', text: 'Saved. Each location now books into the organisation shown.' });
      await onSaved();
    } catch (e) {
      setNote({ kind: 'error', text: e instanceof PodApiError || e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card">
      <div class="card-head">
        <h2 class="card-title" data-section="locations">{SETTINGS_CARD.locations}</h2>
        <span class="card-sub">Each ConnectWise billing location books into one Xero organisation.</span>
      </div>
      {locations.locations.length === 0 ? <p class="muted">ConnectWise has no billing locations.</p> : null}
      <div class="loc-list">
        {locations.locations.map((loc) => {
          const chosen = draft[loc.id] ?? '';
          const org = orgById.get(chosen);
          const conn = org ? connById.get(org.connectionId) : undefined;
          // The saved mapping, when it names an organisation not connected to this company (kept after a disconnect).
          const saved = savedByLocation.get(loc.id);
          const kept = saved && !orgById.has(saved.xeroTenantId) ? saved : undefined;
          const keptLabel = kept ? `${kept.organisationName ?? 'An organisation'} (${kept.organisation === 'taken' ? 'connected to another ConnectWise company' : 'not connected'})` : '';
          const showKept = kept && chosen === kept.xeroTenantId;
          const chip = conn ? conn.status : showKept ? (kept.organisation === 'taken' ? 'taken' : 'not_connected') : 'none';
          return (
            <div class="loc" key={loc.id} data-testid={`location-row-${loc.id}`}>
              <div class="loc-head">
                <span class="loc-name">{loc.name}</span>
                <HealthChip status={chip} />
              </div>
              <select
                data-testid={`location-select-${loc.id}`}
                aria-label={`Xero organisation for ${loc.name}`}
                disabled={!isAdmin || busy}
                value={chosen}
                onChange={(e) => setDraft({ ...draft, [loc.id]: (e.currentTarget as HTMLSelectElement).value })}
              >
                <option value="">— not mapped —</option>
                {kept ? <option value={kept.xeroTenantId}>{keptLabel}</option> : null}
                {status.orgs.map((o) => (
                  <option key={o.xeroTenantId} value={o.xeroTenantId}>
                    {o.name}
                  </option>
                ))}
              </select>
              {showKept ? (
                <div class="loc-meta" data-testid={`location-state-${loc.id}`}>
                  {kept.words}
                </div>
              ) : null}
              {conn ? <div class="loc-meta">Xero sign-in last refreshed {conn.lastRefreshAt ? formatWhen(conn.lastRefreshAt) : `never (connected ${formatWhen(conn.connectedAt)})`}</div> : null}
            </div>
          );
        })}
      </div>
      {isAdmin ? (
        <div class="actions">
          <button class="primary" data-testid="save-location-map" disabled={busy || (status.orgs.length === 0 && status.locationMap.length === 0)} onClick={() => void save()}>
            Save mapping
          </button>
          {status.orgs.length === 0 ? <span class="muted">Connect to Xero first to choose organisations.</span> : null}
        </div>
      ) : null}
      {note ? (
        <div data-testid="location-map-message">
          <MessageBox kind={note.kind} title={note.kind === 'info' ? 'Mapping saved' : 'Mapping not saved'}>
            {note.text}
          </MessageBox>
        </div>
      ) : null}
    </section>
  );
}
