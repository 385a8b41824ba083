// GET /api/invoices/:id/reconcile: reads ConnectWise (through the invoice
// preparation the dialog uses, so the CW side is mapped exactly as a push
// would map it) and the Xero document back, and diffs them purely. Nothing of
// it is stored.
import type { AppDeps } from '../deps.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { readInvoiceSummary } from '../cw/invoices.js';
import { reconcile } from '../domain/reconcile.js';
import { prepareInvoice } from '../sync/prepare-invoice.js';
import { Ledger } from '../engine/ledger.js';
import { XeroNotFound } from '../engine/errors.js';
import { xeroTransport } from '../engine/transport.js';
import type { ReconcileView } from '../../shared/api.js';
import { paidInCw, readCwInvoicePayments } from './cw-invoice-payment.js';
import { PaymentLedger } from './payment-ledger.js';
import { xeroSideFromModel } from './reconcile-xero-side.js';

function empty(id: number, invoiceNumber: string, summary: string, xero: ReconcileView['xero'] = null, paymentNotes: string[] = []): ReconcileView {
  return { invoice: { id, invoiceNumber }, synced: xero !== null, xero, rows: [], differences: 0, fixes: [], explanations: [], paymentNotes, summary };
}

export async function buildReconcileView(deps: AppDeps, tenantId: string, cwInvoiceId: number): Promise<ReconcileView> {
  // Whatever the ledger's state: after a re-push Xero refused, the document it synced to is still there to compare with.
  const [row] = await new Ledger(deps.db, deps.now).withXeroDocuments(tenantId, 'invoice', [String(cwInvoiceId)]);
  if (!row?.xero_document_id || !row.xero_tenant_id) {
    const summary = await readInvoiceSummary(await cwClientForTenant(deps, tenantId), cwInvoiceId);
    return empty(cwInvoiceId, summary.invoiceNumber, 'This invoice is not in Xero yet: push it from the Sync tab, then the two can be compared here.');
  }
  const payRow = await new PaymentLedger(deps.db, deps.now).get(tenantId, String(cwInvoiceId));
  const paymentNotes = payRow?.state === 'needs_attention' && payRow.message ? [payRow.message] : [];

  const prep = await prepareInvoice(deps, tenantId, cwInvoiceId);
  const kind = prep.mapping?.kind ?? 'invoice';
  const xeroRef = { kind, documentId: row.xero_document_id, number: row.xero_number ?? '', status: row.xero_status ?? '' } as const;
  if (!prep.mapping || !prep.contact) {
    const why = prep.problems.map((p) => p.message).join(' ') || 'ConnectWise\'s invoice could not be mapped.';
    return empty(cwInvoiceId, prep.invoice.invoiceNumber, `Cannot compare with Xero right now: ${why}`, xeroRef, paymentNotes);
  }
  const docId = row.xero_document_id;
  // Read from the organisation the document is in (the ledger's), not the one the location maps to today.
  const x = xeroTransport(deps, tenantId, row.xero_tenant_id);
  let model: unknown;
  try {
    model =
      kind === 'invoice'
        ? (await x.call('invoice read', (api, t) => api.getInvoice(t, docId, 4))).body.invoices?.[0]
        : (await x.call('credit note read', (api, t) => api.getCreditNote(t, docId, 4))).body.creditNotes?.[0];
  } catch (err) {
    if (!(err instanceof XeroNotFound)) throw err;
  }
  if (!model) {
    return empty(cwInvoiceId, prep.invoice.invoiceNumber, `Xero no longer has the ${kind === 'invoice' ? 'invoice' : 'credit note'} this was synced to (it was deleted there). Push it again from the Sync tab.`, xeroRef, paymentNotes);
  }
  const xero = xeroSideFromModel(kind, docId, model);
  const cwPay = kind === 'invoice' ? await readCwInvoicePayments(prep.cw, cwInvoiceId) : undefined;
  const result = reconcile(
    {
      invoiceNumber: prep.invoice.invoiceNumber,
      mapping: prep.mapping,
      contactName: prep.contact.contact.Name ?? prep.invoice.customer.name,
      status: prep.invoice.status,
      paid: cwPay ? paidInCw(cwPay).toFixed(2) : '0.00',
      credits: cwPay ? cwPay.credits.toFixed(2) : '0.00',
      balance: prep.invoice.balance,
      taxRates: prep.taxRates ?? [],
    },
    xero,
  );
  return {
    invoice: { id: cwInvoiceId, invoiceNumber: prep.invoice.invoiceNumber },
    synced: true,
    xero: { kind, documentId: docId, number: xero.number, status: xero.status },
    ...result,
    paymentNotes,
  };
}
