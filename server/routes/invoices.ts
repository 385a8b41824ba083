// GET /api/invoices/:id: the invoice the dialog is open on, read live from the
// session's tenant's ConnectWise (the tenant comes from the token, never the request).
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { requireSession, type SessionEnv } from '../session.js';
import { parseWith } from '../http/validate.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { readInvoiceSummary } from '../cw/invoices.js';
import { invoiceIdParam, type InvoiceSummary } from '../../shared/api.js';

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

  return app as unknown as Hono;
}
