// The Expenses tab (issue 10): ConnectWise's unposted expenses by expense
// report — member, dates, entries, totals per currency — in the batch pod's
// one unposted-records tab (UnpostedTab: readiness, selection, runs). Held
// reports wait for approval, saying why; starting runs is for the members who
// may push expense reports.
import type { BatchExpenseRow } from '../../shared/expense-api.js';
import { Money } from '../lib/ui.js';
import { formatDate } from '../lib/dates.js';
import type { BatchClient } from './batch-client.js';
import { UnpostedTab, type UnpostedKind } from './UnpostedTab.js';

function dates(row: BatchExpenseRow): string {
  if (row.dateStart && row.dateEnd && row.dateStart !== row.dateEnd) return `${formatDate(row.dateStart)} – ${formatDate(row.dateEnd)}`;
  const one = row.dateStart ?? row.dateEnd;
  return one ? formatDate(one) : '';
}

const expenseReports: UnpostedKind<BatchExpenseRow, number> = {
  runKind: 'expense',
  id: 'expense',
  className: 'batch-expenses',
  selectReadyTestId: 'select-ready-expenses',
  load: (client) => client.expenses(),
  start: (client, which) => client.startExpenses('all' in which ? { kind: 'expense', all: true } : { kind: 'expense', reportIds: which.keys }),
  key: (r) => r.reportId,
  runItem: (r) => ({ id: r.reportId, name: `Report ${r.reportId} · ${r.member.name}` }),
  noun: 'Expense report',
  words: {
    title: 'Unposted expense reports',
    loading: 'Reading unposted expenses from ConnectWise…',
    readError: "Could not read ConnectWise's unposted expenses",
    empty: 'No expenses are waiting to be posted in ConnectWise.',
    sync: 'Sync expenses',
    explain: "Each report becomes its Xero bills (one per currency), paid from the card's account where Wise-Pay says so. Held reports go once they are approved.",
    selectReady: 'Select every ready expense report',
    columns: ['Report · member', 'Dates', 'Total'],
  },
  selectLabel: (r) => `Select expense report ${r.reportId}`,
  cells: (r) => (
    <>
      <td class="who">
        <span class="number" data-testid="row-number">
          Report {r.reportId}
        </span>
        <span class="customer" title={r.member.name}>
          {r.member.name} · {r.entryCount === 1 ? '1 entry' : `${r.entryCount} entries`}
        </span>
      </td>
      <td class="col-date">{dates(r)}</td>
      <td class="num" data-testid="row-totals">
        {r.totals.map((t) => (
          <span class="total-line" key={t.currency}>
            <Money amount={t.total} currency={t.currency} />
          </span>
        ))}
      </td>
    </>
  ),
  fixRecords: (r) => ({ expensereport: r.reportId }),
};

export function ExpensesTab({ client }: { client: BatchClient }) {
  return <UnpostedTab client={client} kind={expenseReports} />;
}
