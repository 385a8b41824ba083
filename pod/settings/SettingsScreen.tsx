// The settings pod: Xero connections, which organisation each ConnectWise
// billing location books into, and who administers CW–Xero Sync. Read-only for
// members who are not admins, with a sentence saying who can change it.
import { useCallback, useEffect, useLayoutEffect, useState } from 'preact/hooks';
import type { CwLocationsResponse, SettingsResponse, XeroStatusResponse } from '../../shared/api.js';
import { SETTINGS_FIRST_READS } from './first-reads.js';
import type { PodContext } from '../lib/boot.js';
import { Loading, MessageBox } from '../lib/ui.js';
import { ConnectionsCard } from './ConnectionsCard.js';
import { AuditCard } from './AuditCard.js';
import type { LaterCardsProps } from './LaterCards.js';
import type { FunctionComponent } from 'preact';

// The cards after the first come in their own chunk (they carry the form
// checks), fetched once the first card is on screen: its data comes with the
// sign-in, and the chunk's 40 KB would hold the first paint back — this pod's
// and the batch pod's beside it, which share the page's main thread (issue 12).
type LaterCardsComponent = FunctionComponent<LaterCardsProps>;
function useLaterCards(firstCardShown: boolean): { Cards: LaterCardsComponent } | { error: string } | null {
  const [loaded, setLoaded] = useState<{ Cards: LaterCardsComponent } | { error: string } | null>(null);
  useEffect(() => {
    if (!firstCardShown) return;
    let live = true;
    import('./LaterCards.js').then(
      (m) => live && setLoaded({ Cards: m.LaterCards }),
      (e: unknown) => live && setLoaded({ error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [firstCardShown]);
  return loaded;
}

type Loaded = { settings: SettingsResponse; status: XeroStatusResponse; locations: CwLocationsResponse | { error: string } };

export function SettingsScreen({ ctx }: { ctx: PodContext }) {
  const [data, setData] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const later = useLaterCards(data !== null);

  const reload = useCallback(async () => {
    try {
      const [settings, status, locations] = await Promise.all([
        ctx.api<SettingsResponse>(SETTINGS_FIRST_READS[0], { method: 'GET' }),
        ctx.api<XeroStatusResponse>(SETTINGS_FIRST_READS[1], { method: 'GET' }),
        ctx.api<CwLocationsResponse>(SETTINGS_FIRST_READS[2], { method: 'GET' }).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) })),
      ]);
      setData({ settings, status, locations });
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    }
  }, [ctx]);

  // A layout effect: the reads that came with the sign-in are on screen in the same frame as the pod (issue 12).
  useLayoutEffect(() => {
    void reload();
  }, [reload]);

  if (loadError) return <MessageBox title="Could not load the settings">{loadError}</MessageBox>;
  if (!data) return <Loading text="Loading settings…" />;
  const isAdmin = data.settings.isAdmin;

  return (
    <>
      {data.status.banner ? (
        <div data-testid="reconnect-banner">
          <MessageBox kind="warning" title="Action needed">
            {data.status.banner}
          </MessageBox>
        </div>
      ) : null}
      {!isAdmin ? (
        <p class="readonly-note" data-testid="readonly-note">
          You can see these settings but not change them. {data.settings.whoCanChange}
        </p>
      ) : null}
      <ConnectionsCard ctx={ctx} status={data.status} locations={data.locations} isAdmin={isAdmin} onChanged={reload} />
      {later === null ? (
        <Loading text="Loading the other settings…" />
      ) : 'error' in later ? (
        <MessageBox title="Could not load the other settings">{`${later.error} Reload this screen.`}</MessageBox>
      ) : (
        <later.Cards ctx={ctx} settings={data.settings} status={data.status} locations={data.locations} reload={reload} />
      )}
      <AuditCard ctx={ctx} isAdmin={isAdmin} onImported={() => void reload()} />
    </>
  );
}
