// The Hono application: thin routes over the services. Each area lives in its
// own module under routes/ and is mounted here.
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppDeps } from './deps.js';
import { errorResponse, ApiError } from './http/errors.js';
import { sessionRoutes } from './routes/session.js';
import { invoiceRoutes } from './routes/invoices.js';
import { podPageRoutes } from './routes/pod-pages.js';
import { xeroRoutes } from './routes/xero.js';
import { settingsRoutes } from './routes/settings.js';
import { paymentRoutes } from './routes/payments.js';
import { batchRoutes } from './routes/batch.js';

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', `No such route: ${c.req.method} ${c.req.path}`)));

  app.get('/healthz', (c) => c.json({ ok: true, service: 'cw-xero-sync', engine: deps.db.engine }));

  // The API answers only the pod's own origin (the pod is served from here).
  const podOrigin = new URL(deps.config.publicUrl).origin;
  app.use('/api/*', cors({ origin: (origin) => (origin === podOrigin ? origin : null), allowHeaders: ['authorization', 'content-type'], allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] }));

  app.route('/api', sessionRoutes(deps));
  app.route('/api', invoiceRoutes(deps));
  app.route('/api', settingsRoutes(deps));
  app.route('/api', paymentRoutes(deps));
  app.route('/api', batchRoutes(deps));
  app.route('/', xeroRoutes(deps));
  app.route('/', podPageRoutes(deps));
  return app;
}
