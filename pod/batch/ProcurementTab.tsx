// The Purchase orders tab (issue 11): ConnectWise's unposted procurement —
// purchase orders, whose receipts become Xero bills (one per packing slip
// with part shipments), and inventory adjustments and transfers, which become
// Xero manual journals — in the batch pod's one unposted-records tab
// (UnpostedTab: readiness, selection, runs). A PO held while its lines wait
// says why; starting runs is for the members who may push purchase orders.
import type { BatchProcurementRow } from '../../shared/procurement-batch-api.js';
import { Money } from '../lib/ui.js';
import { formatDate } from '../lib/dates.js';
import type { BatchClient } from './batch-client.js';
import { UnpostedTab, type UnpostedKind } from './UnpostedTab.js';

const KIND_WORDS: Record<BatchProcurementRow['kind'], string> = { purchaseOrder: 'Purchase order', adjustment: 'Adjustment', transfer: 'Transfer' };

const procurement: UnpostedKind<BatchProcurementRow, string> = {
  runKind: 'procurement',
  id: 'procurement',
  className: 'batch-procurement',
  selectReadyTestId: 'select-ready-procurement',
  load: (client) => client.procurement(),
  start: (client, which) => client.startProcurement('all' in which ? { kind: 'procurement', all: true } : { kind: 'procurement', keys: which.keys }),
  key: (r) => r.key,
  // A run's items are known by their first GL entry.
  runItem: (r) => ({ id: r.glEntryId, name: r.title }),
  noun: 'GL entry',
  words: {
    title: 'Unposted purchase orders and inventory',
    loading: 'Reading unposted purchase orders and inventory from ConnectWise…',
    readError: "Could not read ConnectWise's unposted procurement",
    empty: 'No purchase receipts, adjustments or transfers are waiting to be posted in ConnectWise.',
    sync: 'Sync purchase orders and inventory',
    explain: 'Each purchase order becomes its Xero bills (one per packing slip with part shipments); each adjustment or transfer a balanced manual journal. ConnectWise keeps the stock on hand.',
    selectReady: 'Select every ready row',
    columns: ['Record · what it makes', 'Date', 'Total'],
  },
  selectLabel: (r) => `Select ${r.title}`,
  cells: (r) => (
    <>
      <td class="who">
        <span class="number" data-testid="row-number">
          {r.title}
        </span>
        <span class="customer" title={`${KIND_WORDS[r.kind]} · ${r.party} · ${r.detail}`}>
          {r.party ? `${r.party} · ` : ''}
          {r.detail}
        </span>
      </td>
      <td class="col-date">{r.date ? formatDate(r.date) : ''}</td>
      <td class="num" data-testid="row-total">
        <Money amount={r.total} currency={r.currency} />
      </td>
    </>
  ),
  fixRecords: (r) => ({ purchaseorder: r.key.startsWith('po:') ? Number(r.key.slice(3)) : undefined }),
};

export function ProcurementTab({ client }: { client: BatchClient }) {
  return <UnpostedTab client={client} kind={procurement} />;
}
