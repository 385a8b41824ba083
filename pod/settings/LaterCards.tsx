// The settings pod's cards after the first (Connections): loaded apart from
// the page's first JavaScript (SettingsScreen imports this file dynamically),
// as their forms check drafts with the shared zod schemas, which the first
// paint must not wait for (the pod's budget is 20 KB of JavaScript).
import '../lib/zod-config.js'; // first: before any schema is built
import { useEffect, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';
import type { CwLocationsResponse, SettingsResponse, XeroStatusResponse } from '../../shared/api.js';
import type { PodContext } from '../lib/boot.js';
import { LocationMapCard } from './LocationMapCard.js';
import { AdminsCard } from './AdminsCard.js';
import { PushersCard } from './PushersCard.js';
import { InvoiceMappingCard } from './InvoiceMappingCard.js';
import { PaymentScheduleCard } from './PaymentScheduleCard.js';
import { ExpenseSettingsCard } from './ExpenseSettingsCard.js';
import { ProcurementSettingsCard } from './ProcurementSettingsCard.js';
import { HostedSetupsCard } from './HostedSetupsCard.js';
import { AlertsCard } from './AlertsCard.js';
import { ConnectWiseConnectionCard } from './ConnectWiseConnectionCard.js';

export interface LaterCardsProps {
  ctx: PodContext;
  settings: SettingsResponse;
  status: XeroStatusResponse;
  locations: CwLocationsResponse | { error: string };
  reload: () => Promise<void>;
}

export function LaterCards({ ctx, settings, status, locations, reload }: LaterCardsProps) {
  const isAdmin = settings.isAdmin;
  return (
    <>
      <LocationMapCard ctx={ctx} status={status} locations={locations} isAdmin={isAdmin} onSaved={reload} />
      <InvoiceMappingCard ctx={ctx} />
      <ExpenseSettingsCard ctx={ctx} />
      <ProcurementSettingsCard ctx={ctx} />
      <PaymentScheduleCard ctx={ctx} settings={settings} onSaved={reload} />
      <PushersCard ctx={ctx} settings={settings} onSaved={reload} />
      <AdminsCard ctx={ctx} settings={settings} onSaved={reload} />
      {isAdmin ? <HostedSetupsCard ctx={ctx} /> : null}
      {isAdmin ? <AlertsCard ctx={ctx} /> : null}
      {isAdmin ? <LazyTrackingCard ctx={ctx} /> : null}
      {isAdmin ? <ConnectWiseConnectionCard ctx={ctx} /> : null}
    </>
  );
}

/** The Tracking card (admins only) in a chunk of its own, so it adds nothing to the other cards' load. */
function LazyTrackingCard({ ctx }: { ctx: PodContext }) {
  const [Card, setCard] = useState<FunctionComponent<{ ctx: PodContext }> | null>(null);
  useEffect(() => {
    let live = true;
    void import('./TrackingCard.js').then((m) => live && setCard(() => m.TrackingCard));
    return () => void (live = false);
  }, []);
  return Card ? <Card ctx={ctx} /> : null;
}
