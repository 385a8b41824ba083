// The invoice dialog's calls to our server: the sync view of one invoice, the
// push, and the Xero connection banner. Every answer is checked against the
// shared zod schemas (shared/api.ts) before the dialog sees it.
import type { Api } from '../lib/api.js';
import { invoicePaths } from './paths.js';
import type { XeroStatusResponse, InvoiceSyncView, PushResponse } from '../../shared/api.js';

/** The dialog's first reads, by path (main.tsx asks for them with the sign-in): paths.ts. */
export { invoicePaths };

export function fetchSyncView(api: Api, invoiceId: number): Promise<InvoiceSyncView> {
  return api<InvoiceSyncView>(invoicePaths.sync(invoiceId), { method: 'GET' });
}

export function postPush(api: Api, invoiceId: number): Promise<PushResponse> {
  return api<PushResponse>(`/api/invoices/${invoiceId}/push`, { method: 'POST' });
}

/** The "reconnect Xero" sentence, or null. A failure to read it is not the dialog's business: null. */
export async function fetchReconnectBanner(api: Api): Promise<string | null> {
  try {
    return (await api<XeroStatusResponse>(invoicePaths.status, { method: 'GET' })).banner;
  } catch {
    return null;
  }
}
