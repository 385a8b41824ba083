// GET /api/invoices/:id: the invoice the dialog is open on, read live from the
// session's tenant's ConnectWise (the tenant comes from the token, never the request).
// GET /api/invoices/:id/sync and POST /api/invoices/:id/push: the "Sync to Xero"
// dialog (server/sync/invoice-sync-service.ts).
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { requireSession, type Session, type SessionEnv } from '../session.js';
import { parseJson, parseWith } from '../http/validate.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { readInvoiceSummary } from '../cw/invoices.js';
import { invoiceIdParam, linkInvoiceRequest, type InvoiceSummary, type InvoiceSyncView } from '../../shared/api.js';
import { invoiceSyncView, linkInvoiceToXero, pushInvoiceNow } from '../sync/invoice-sync-service.js';
import { pushPermission, requirePusherNow } from '../permission.js';

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

  /** The view as this member may act on it: read-only, with who can push, for one who may not. */
  const asMember = async (session: Session, view: InvoiceSyncView): Promise<InvoiceSyncView> => {
    const p = await pushPermission(deps, session);
    return { ...view, canPush: view.canPush && p.mayPush, mayPush: p.mayPush, whoCanPush: p.whoCanPush };
  };

  app.get('/invoices/:id/sync', async (c) => {
    const { id } = parseWith(invoiceIdParam, { id: c.req.param('id') }, 'id');
    return c.json(await asMember(c.get('session'), await invoiceSyncView(deps, c.get('session').tenantId, id)));
  });

  app.post('/invoices/:id/push', async (c) => {
    const { id } = parseWith(invoiceIdParam, { id: c.req.param('id') }, 'id');
    await requirePusherNow(deps, c.get('session'));
    const pushed = await pushInvoiceNow(deps, c.get('session'), id);
    return c.json({ ...pushed, view: await asMember(c.get('session'), pushed.view) });
  });

  // An admin links the record to a Xero document under its number after checking contact and total.
  app.post('/invoices/:id/link', async (c) => {
    const { id } = parseWith(invoiceIdParam, { id: c.req.param('id') }, 'id');
    const body = await parseJson(c, linkInvoiceRequest);
    return c.json(await linkInvoiceToXero(deps, c.get('session'), id, body.xeroDocumentId));
  });

  return app as unknown as Hono;
}
