// The invoice dialog's calls to our server: the sync view of one invoice, the
// push, and the Xero connection banner. Every answer is checked against the
// shared zod schemas (shared/api.ts) before the dialog sees it.
import type { Api } from '../lib/api.js';
import { invoiceSyncView, pushResponse, xeroStatusResponse, type InvoiceSyncView, type PushResponse } from '../../shared/api.js';

export function fetchSyncView(api: Api, invoiceId: number): Promise<InvoiceSyncView> {
  return api(`/api/invoices/${invoiceId}/sync`, { method: 'GET' }, invoiceSyncView);
}

export function postPush(api: Api, invoiceId: number): Promise<PushResponse> {
  return api(`/api/invoices/${invoiceId}/push`, { method: 'POST' }, pushResponse);
}

/** The "reconnect Xero" sentence, or null. A failure to read it is not the dialog's business: null. */
export async function fetchReconnectBanner(api: Api): Promise<string | null> {
  try {
    return (await api('/api/xero/status', { method: 'GET' }, xeroStatusResponse)).banner;
  } catch {
    return null;
  }
}
