// The pod on ConnectWise's accounting batch screen: one tab per record kind
// (invoices; purchase orders with inventory adjustments and transfers;
// expense reports), each run by the same engine, and payments from Xero
// (issue 5's PaymentsButton).
import { useMemo, useState } from 'preact/hooks';
import type { PodContext } from '../lib/boot.js';
import { Tabs } from '../lib/tabs.js';
import { batchClient } from './batch-client.js';
import { ExpensesTab } from './ExpensesTab.js';
import { InvoicesTab, type RunPermission } from './InvoicesTab.js';
import { ProcurementTab } from './ProcurementTab.js';
import { PaymentsButton } from './PaymentsButton.js';
import './batch.css';

type Tab = 'invoices' | 'purchaseOrders' | 'expenses';

export function BatchScreen({ ctx }: { ctx: Pick<PodContext, 'api'> }) {
  const [tab, setTab] = useState<Tab>('invoices');
  const client = useMemo(() => batchClient(ctx.api), [ctx.api]);
  // The invoice list says who may sync; until it has, the button stays live (the server refuses a member who may not).
  const [permission, setPermission] = useState<RunPermission | null>(null);
  return (
    <div class="batch">
      <Tabs<Tab>
        label="Record kinds"
        tabs={[
          { id: 'invoices', label: 'Invoices' },
          { id: 'purchaseOrders', label: 'Purchase orders' },
          { id: 'expenses', label: 'Expenses' },
        ]}
        active={tab}
        onSelect={setTab}
      />
      <div role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'invoices' ? <InvoicesTab client={client} onPermission={setPermission} /> : null}
        {tab === 'purchaseOrders' ? <ProcurementTab client={client} /> : null}
        {tab === 'expenses' ? <ExpensesTab client={client} /> : null}
      </div>
      <PaymentsButton api={ctx.api} whoCanRun={permission?.mayRun === false ? (permission.whoCanRun ?? 'You can see payments here but not sync them.') : null} />
    </div>
  );
}
