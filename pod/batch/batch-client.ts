// The batch pod's calls to our server, each checked with the shared schemas.
import type { Api } from '../lib/api.js';
import {
  batchRunView,
  batchSummaryResponse,
  batchTieOutResponse,
  batchUnpostedResponse,
  cwLocationsResponse,
  type BatchRunKind,
  type BatchRunView,
  type BatchSummaryResponse,
  type BatchTieOutRequest,
  type BatchTieOutResponse,
  type BatchUnpostedQuery,
  type BatchUnpostedResponse,
  type CwLocationsResponse,
} from '../../shared/api.js';
import { batchExpensesResponse, type BatchExpenseRunRequest, type BatchExpensesResponse } from '../../shared/expense-api.js';
import { batchProcurementResponse, type BatchProcurementResponse, type BatchProcurementRunRequest } from '../../shared/procurement-batch-api.js';
import { z } from 'zod';

export type Filter = Pick<BatchUnpostedQuery, 'locationId' | 'throughDate' | 'type'>;

function query(q: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  return p.toString();
}

export const batchClient = (api: Api) => ({
  unposted: (filter: Filter, page: number, pageSize: number): Promise<BatchUnpostedResponse> =>
    api(`/api/batch/unposted?${query({ ...filter, page, pageSize })}`, { method: 'GET' }, batchUnpostedResponse),
  /** The month-end state per kind, counted over every unposted record (the invoices' part follows `filter`). */
  summary: (filter: Filter = {}, kind?: BatchRunKind): Promise<BatchSummaryResponse> => api(`/api/batch/summary?${query({ ...filter, kind })}`, { method: 'GET' }, batchSummaryResponse),
  /** The month-end tie-out of a selection (totals by organisation and currency, account and tax rate). */
  tieOut: (body: BatchTieOutRequest): Promise<BatchTieOutResponse> =>
    api('/api/batch/tieout', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, batchTieOutResponse),
  locations: (): Promise<CwLocationsResponse> => api('/api/cw/locations', { method: 'GET' }, cwLocationsResponse),
  start: (body: { glEntryIds?: number[]; all?: true; filter?: Filter; batching: 'record' | 'run' }): Promise<BatchRunView> =>
    api('/api/batch/runs', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, batchRunView),
  /** The Expenses tab: unposted expense reports with readiness. */
  expenses: (): Promise<BatchExpensesResponse> => api('/api/batch/expenses', { method: 'GET' }, batchExpensesResponse),
  startExpenses: (body: BatchExpenseRunRequest): Promise<BatchRunView> =>
    api('/api/batch/runs', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, batchRunView),
  /** The Purchase orders tab: unposted purchase orders and inventory transactions with readiness. */
  procurement: (): Promise<BatchProcurementResponse> => api('/api/batch/procurement', { method: 'GET' }, batchProcurementResponse),
  startProcurement: (body: BatchProcurementRunRequest): Promise<BatchRunView> =>
    api('/api/batch/runs', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, batchRunView),
  run: (id: string): Promise<BatchRunView> => api(`/api/batch/runs/${id}?limit=1000`, { method: 'GET' }, batchRunView),
  /** The latest run of one kind (each tab shows its own). */
  latest: async (kind: BatchRunKind): Promise<BatchRunView | null> => (await api(`/api/batch/runs/latest?limit=1000&kind=${kind}`, { method: 'GET' }, z.object({ run: batchRunView.nullable() }))).run,
  retry: (id: string): Promise<BatchRunView> => api(`/api/batch/runs/${id}/retry`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }, batchRunView),
  cancel: (id: string): Promise<BatchRunView> => api(`/api/batch/runs/${id}/cancel`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }, batchRunView),
});
export type BatchClient = ReturnType<typeof batchClient>;
