// Payment sync and reconcile (issue 5):
//   POST /api/invoices/:id/payments/sync   one invoice (the dialog's "Sync payments")
//   POST /api/payments/sync                every synced invoice of the tenant (the batch pod)
//   GET  /api/invoices/:id/reconcile       ConnectWise vs Xero, computed on request
// Syncing writes both sides: only members who may push (permission.ts); reconcile is for everyone.
// The tenant comes from the session token, never from the request.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { requireSession, type SessionEnv } from '../session.js';
import { parseWith } from '../http/validate.js';
import { invoiceIdParam, type PaymentRunResult, type ReconcileView } from '../../shared/api.js';
import { runPaymentSync } from '../payments/payment-sync.js';
import { buildReconcileView } from '../payments/reconcile-view.js';
import { requirePusherNow } from '../permission.js';

/** A click waits this long for a run already going (the schedule, another person) before answering "busy". */
const CLICK_WAIT_MS = 25_000;

export function paymentRoutes(deps: AppDeps): Hono {
  const app = new Hono<SessionEnv>();
  const auth = requireSession(deps.keys.sessionKey);
  app.use('/invoices/:id/payments/*', auth);
  app.use('/invoices/:id/reconcile', auth);
  app.use('/payments/*', auth);

  app.post('/invoices/:id/payments/sync', async (c) => {
    const { id } = parseWith(invoiceIdParam, { id: c.req.param('id') }, 'id');
    await requirePusherNow(deps, c.get('session'));
    const body: PaymentRunResult = await runPaymentSync(deps, c.get('session').tenantId, { cwInvoiceId: id, waitMs: CLICK_WAIT_MS, trigger: 'invoice' });
    return c.json(body);
  });

  app.post('/payments/sync', async (c) => {
    await requirePusherNow(deps, c.get('session'));
    const body: PaymentRunResult = await runPaymentSync(deps, c.get('session').tenantId, { waitMs: CLICK_WAIT_MS, trigger: 'tenant' });
    return c.json(body);
  });

  app.get('/invoices/:id/reconcile', async (c) => {
    const { id } = parseWith(invoiceIdParam, { id: c.req.param('id') }, 'id');
    const body: ReconcileView = await buildReconcileView(deps, c.get('session').tenantId, id);
    return c.json(body);
  });

  return app as unknown as Hono;
}
