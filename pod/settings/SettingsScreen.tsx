// The settings pod: Xero connections, which organisation each ConnectWise
// billing location books into, and who administers CW–Xero Sync. Read-only for
// members who are not admins, with a sentence saying who can change it.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { cwLocationsResponse, settingsResponse, xeroStatusResponse, type CwLocationsResponse, type SettingsResponse, type XeroStatusResponse } from '../../shared/api.js';
import type { PodContext } from '../lib/boot.js';
import { Loading, MessageBox } from '../lib/ui.js';
import { ConnectionsCard } from './ConnectionsCard.js';
import { AuditCard } from './AuditCard.js';
import { LocationMapCard } from './LocationMapCard.js';
import { AdminsCard } from './AdminsCard.js';
import { PushersCard } from './PushersCard.js';
import { InvoiceMappingCard } from './InvoiceMappingCard.js';
import { PaymentScheduleCard } from './PaymentScheduleCard.js';
import { ExpenseSettingsCard } from './ExpenseSettingsCard.js';
import { ProcurementSettingsCard } from './ProcurementSettingsCard.js';
import { HostedSetupsCard } from './HostedSetupsCard.js';

type Loaded = { settings: SettingsResponse; status: XeroStatusResponse; locations: CwLocationsResponse | { error: string } };

export function SettingsScreen({ ctx }: { ctx: PodContext }) {
  const [data, setData] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const [settings, status, locations] = await Promise.all([
        ctx.api('/api/settings', { method: 'GET' }, settingsResponse),
        ctx.api('/api/xero/status', { method: 'GET' }, xeroStatusResponse),
        ctx.api('/api/cw/locations', { method: 'GET' }, cwLocationsResponse).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) })),
      ]);
      setData({ settings, status, locations });
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    }
  }, [ctx]);

  useEffect(() => {
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
      <LocationMapCard ctx={ctx} status={data.status} locations={data.locations} isAdmin={isAdmin} onSaved={reload} />
      <InvoiceMappingCard ctx={ctx} />
      <ExpenseSettingsCard ctx={ctx} />
      <ProcurementSettingsCard ctx={ctx} />
      <PaymentScheduleCard ctx={ctx} settings={data.settings} onSaved={reload} />
      <PushersCard ctx={ctx} settings={data.settings} onSaved={reload} />
      <AdminsCard ctx={ctx} settings={data.settings} onSaved={reload} />
      {isAdmin ? <HostedSetupsCard ctx={ctx} /> : null}
      <AuditCard ctx={ctx} isAdmin={isAdmin} onImported={() => void reload()} />
    </>
  );
}
