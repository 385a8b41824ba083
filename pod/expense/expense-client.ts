// The expense tab's calls to our server: the report's sync view and the push,
// each answer checked against shared/expense-api.ts before the tab sees it.
import type { Api } from '../lib/api.js';
import type { SyncClient } from '../invoice/use-invoice-sync.js';
import type { ExpensePushResponse, ExpenseReportView } from '../../shared/expense-api.js';

export function fetchExpenseView(api: Api, reportId: number): Promise<ExpenseReportView> {
  return api<ExpenseReportView>(`/api/expenses/reports/${reportId}/sync`, { method: 'GET' });
}

export function postExpensePush(api: Api, reportId: number): Promise<ExpensePushResponse> {
  return api<ExpensePushResponse>(`/api/expenses/reports/${reportId}/push`, { method: 'POST' });
}

export const EXPENSE_CLIENT: SyncClient<ExpenseReportView> = {
  fetchView: fetchExpenseView,
  postPush: postExpensePush,
  noun: 'expense report',
  surface: 'this tab',
};
