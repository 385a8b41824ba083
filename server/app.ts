// The Hono application: thin routes over the services. Each area lives in its
// own module under routes/ and is mounted here.
import { Hono } from 'hono';
import { podOriginCors } from './http/cors.js';
import type { AppDeps } from './deps.js';
import { errorResponse, ApiError } from './http/errors.js';
import { sessionRoutes } from './routes/session.js';
import { invoiceRoutes } from './routes/invoices.js';
import { expenseRoutes } from './routes/expenses.js';
import { purchaseOrderRoutes } from './routes/purchaseorders.js';
import { podPageRoutes } from './routes/pod-pages.js';
import { xeroRoutes } from './routes/xero.js';
import { settingsRoutes } from './routes/settings.js';
import { paymentRoutes } from './routes/payments.js';
import { batchRoutes } from './routes/batch.js';
import { auditRoutes } from './routes/audit.js';
import { hostedSetupRoutes } from './routes/hosted-setups.js';
import { setupRoutes } from './routes/setup.js';
import { KiB, limitRequestBodies, requireJsonBodies, type BodyLimits } from './http/request-body.js';
import { resolveSessions } from './session.js';
import { healthRoutes } from './routes/health.js';
import { refuseWhileDraining } from './lifecycle.js';

/**
 * The largest body each route accepts, sized to its largest legitimate body
 * (tests/server/request-bodies.test.ts sends that body and one byte more);
 * every other request gets DEFAULT_BODY_LIMIT (the routes without a body).
 */
export const BODY_LIMITS: BodyLimits = {
  // companyid + memberid + a memberHash of at most 4,096 characters.
  'POST /api/session': 8 * KiB,
  // A 5,000-record selection: 5,000 GL entry ids of up to 10 digits (~55 KB), room for whitespace.
  'POST /api/batch/runs': 256 * KiB,
  // The whole settings document: 50 roles and 200 members of 100 characters, 2,000 account and
  // 500 tax mappings of 50 + 50 characters (~270 KB in ASCII, more in other scripts), two tracking tables.
  'PUT /api/settings': 1024 * KiB,
  // A settings export file as it is. Settings are saved a section at a time, each PUT up to 1 MB: the
  // invoice mapping, the expenses (the Wise-Pay matrix) and procurement can each fill one; the rest is small.
  'POST /api/settings/import': 4 * 1024 * KiB,
  // At most 500 rows of a location id and a Xero organisation id (~60 KB).
  'PUT /api/xero/location-map': 128 * KiB,
};
export const DEFAULT_BODY_LIMIT = 4 * KiB;

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', `No such route: ${c.req.method} ${c.req.path}`)));

  // No response of ours is to be sniffed into another type (an error JSON read as HTML).
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  });
  app.use('*', limitRequestBodies(BODY_LIMITS, DEFAULT_BODY_LIMIT));

  app.route('/', healthRoutes(deps));

  // The API answers only the pod's own origin (the pod is served from here).
  app.use('/api/*', podOriginCors(new URL(deps.config.publicUrl).origin, { allowHeaders: ['authorization', 'content-type'], allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] }));
  // An instance shutting down takes no new work (server/lifecycle.ts).
  app.use('/api/*', refuseWhileDraining(deps));
  app.use('/api/*', requireJsonBodies());
  app.use('/api/*', resolveSessions(deps));

  // A sign-in may carry the surface's first reads: answered through this whole application, as the pod's own GETs would be.
  app.route('/api', sessionRoutes(deps, (req) => app.fetch(req)));
  app.route('/api', invoiceRoutes(deps));
  app.route('/api', expenseRoutes(deps));
  app.route('/api', purchaseOrderRoutes(deps));
  app.route('/api', settingsRoutes(deps));
  app.route('/api', paymentRoutes(deps));
  app.route('/api', batchRoutes(deps));
  app.route('/api', auditRoutes(deps));
  app.route('/api', hostedSetupRoutes(deps));
  app.route('/', setupRoutes(deps));
  app.route('/', xeroRoutes(deps));
  app.route('/', podPageRoutes(deps));
  return app;
}
