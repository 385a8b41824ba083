// The batch pod's calls to our server, each answer typed by the shared schemas (the server checks them).
import type { Api } from '../lib/api.js';
import type { BatchRunKind, BatchRunTieOutResponse, BatchRunView, BatchSummaryResponse, BatchTieOutRequest, BatchTieOutResponse, BatchUnpostedQuery, BatchUnpostedResponse, CwLocationsResponse } from '../../shared/api.js';
import type { BatchExpenseRunRequest, BatchExpensesResponse } from '../../shared/expense-api.js';
import type { BatchProcurementResponse, BatchProcurementRunRequest } from '../../shared/procurement-batch-api.js';

export type Filter = Pick<BatchUnpostedQuery, 'locationId' | 'throughDate' | 'type'>;

function query(q: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  return p.toString();
}

/** The paths of the pod's first reads (main.tsx asks for them with the sign-in), as the client names them. */
export const batchPaths = {
  summary: (filter: Filter = {}, kind?: BatchRunKind) => `/api/batch/summary?${query({ ...filter, kind })}`,
  latest: (kind: BatchRunKind) => `/api/batch/runs/latest?limit=1000&kind=${kind}`,
};

export const batchClient = (api: Api) => ({
  unposted: (filter: Filter, page: number, pageSize: number): Promise<BatchUnpostedResponse> =>
    api<BatchUnpostedResponse>(`/api/batch/unposted?${query({ ...filter, page, pageSize })}`, { method: 'GET' }),
  /** The month-end state per kind, counted over every unposted record (the invoices' part follows `filter`). */
  summary: (filter: Filter = {}, kind?: BatchRunKind): Promise<BatchSummaryResponse> => api<BatchSummaryResponse>(batchPaths.summary(filter, kind), { method: 'GET' }),
  /** The month-end tie-out of a selection (totals by organisation and currency, account and tax rate). */
  tieOut: (body: BatchTieOutRequest): Promise<BatchTieOutResponse> =>
    api<BatchTieOutResponse>('/api/batch/tieout', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  /** The tie-out after a run: what it made, read back from Xero, against ConnectWise's batches. */
  runTieOut: (id: string): Promise<BatchRunTieOutResponse> => api<BatchRunTieOutResponse>(`/api/batch/runs/${id}/tieout`, { method: 'GET' }),
  locations: (): Promise<CwLocationsResponse> => api<CwLocationsResponse>('/api/cw/locations', { method: 'GET' }),
  start: (body: { glEntryIds?: number[]; all?: true; filter?: Filter; batching: 'record' | 'run' }): Promise<BatchRunView> =>
    api<BatchRunView>('/api/batch/runs', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  /** The Expenses tab: unposted expense reports with readiness. */
  expenses: (): Promise<BatchExpensesResponse> => api<BatchExpensesResponse>('/api/batch/expenses', { method: 'GET' }),
  startExpenses: (body: BatchExpenseRunRequest): Promise<BatchRunView> =>
    api<BatchRunView>('/api/batch/runs', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  /** The Purchase orders tab: unposted purchase orders and inventory transactions with readiness. */
  procurement: (): Promise<BatchProcurementResponse> => api<BatchProcurementResponse>('/api/batch/procurement', { method: 'GET' }),
  startProcurement: (body: BatchProcurementRunRequest): Promise<BatchRunView> =>
    api<BatchRunView>('/api/batch/runs', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  run: (id: string): Promise<BatchRunView> => api<BatchRunView>(`/api/batch/runs/${id}?limit=1000`, { method: 'GET' }),
  /** The latest run of one kind (each tab shows its own). */
  latest: async (kind: BatchRunKind): Promise<BatchRunView | null> => (await api<{ run: BatchRunView | null }>(batchPaths.latest(kind), { method: 'GET' })).run,
  retry: (id: string): Promise<BatchRunView> => api<BatchRunView>(`/api/batch/runs/${id}/retry`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
  cancel: (id: string): Promise<BatchRunView> => api<BatchRunView>(`/api/batch/runs/${id}/cancel`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
});
export type BatchClient = ReturnType<typeof batchClient>;
