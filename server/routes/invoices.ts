// GET /api/invoices/:id: the invoice the dialog is open on, read live from the
// session's tenant's ConnectWise (the tenant comes from the token, never the request).
// GET /api/invoices/:id/sync and POST /api/invoices/:id/push: the "Sync to Xero"
// dialog (server/sync/invoice-sync-service.ts).
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { requireSession, type SessionEnv } from '../session.js';
import { parseJson, parseWith } from '../http/validate.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { readInvoiceSummary } from '../cw/invoices.js';
import { invoiceIdParam, linkInvoiceRequest, type InvoiceSummary } from '../../shared/api.js';
import { invoiceSyncView, linkInvoiceToXero, pushInvoiceNow } from '../sync/invoice-sync-service.js';

export function invoiceRoutes(deps: AppDeps): Hono {
  const app = new Hono<SessionEnv>();
  app.use('/invoices/*', requireSession(deps.keys.sessionKey));

  app.get('/invoices/:id', async (c) => {
    const { id } = parseWith(invoiceIdParam, { id: c.req.param('id') }, 'id');
    const session = c.get('session');
    const cw = await cwClientForTenant(deps, session.tenantId);
    const body: InvoiceSummary = await readInvoiceSummary(cw, id);
    return c.json(body);
  });

  app.get('/invoices/:id/sync', async (c) => {
    const { id } = parseWith(invoiceIdParam, { id: c.req.param('id') }, 'id');
    return c.json(await invoiceSyncView(deps, c.get('session').tenantId, id));
  });

  app.post('/invoices/:id/push', async (c) => {
    const { id } = parseWith(invoiceIdParam, { id: c.req.param('id') }, 'id');
    return c.json(await pushInvoiceNow(deps, c.get('session'), id));
  });

  // An admin links the record to a Xero document under its number after checking contact and total.
  app.post('/invoices/:id/link', async (c) => {
    const { id } = parseWith(invoiceIdParam, { id: c.req.param('id') }, 'id');
    const body = await parseJson(c, linkInvoiceRequest);
    return c.json(await linkInvoiceToXero(deps, c.get('session'), id, body.xeroDocumentId));
  });

  return app as unknown as Hono;
}
