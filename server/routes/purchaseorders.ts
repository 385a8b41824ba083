// The purchase-order pod (issue 11): GET /api/purchaseorders/:id/sync — the PO,
// its receipts and the Xero bills it makes — and POST …/push. The tenant comes
// from the session, never the request; pushing needs an admin.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { requireSession, type SessionEnv } from '../session.js';
import { parseWith } from '../http/validate.js';
import { purchaseOrderIdParam } from '../../shared/purchase-api.js';
import { purchaseOrderView, pushPurchaseOrderNow } from '../procurement/purchase-service.js';

export function purchaseOrderRoutes(deps: AppDeps): Hono {
  const app = new Hono<SessionEnv>();
  app.use('/purchaseorders/*', requireSession(deps.keys.sessionKey));

  app.get('/purchaseorders/:id/sync', async (c) => {
    const { id } = parseWith(purchaseOrderIdParam, { id: c.req.param('id') }, 'id');
    return c.json(await purchaseOrderView(deps, c.get('session'), id));
  });

  app.post('/purchaseorders/:id/push', async (c) => {
    const { id } = parseWith(purchaseOrderIdParam, { id: c.req.param('id') }, 'id');
    return c.json(await pushPurchaseOrderNow(deps, c.get('session'), id));
  });

  return app as unknown as Hono;
}
