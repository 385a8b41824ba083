// The Accounting API under /api.xro/2.0, behind the guard.
import { Hono } from 'hono';
import type { SimContext } from '../context.js';
import type { ApiEnv } from './env.js';
import { apiGuard } from './guard.js';
import { XeroError } from './errors.js';
import { settingsRoutes } from './settings-routes.js';
import { contactsRoutes } from './contacts-routes.js';
import { documentRoutes } from './document-routes.js';
import { paymentRoutes } from './payment-routes.js';
import { journalRoutes } from './journal-routes.js';

export function accountingApi(ctx: SimContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.onError((err, c) => {
    if (err instanceof XeroError) return c.json(err.body, err.status);
    console.error('[xero-sim] unexpected error on', c.req.method, c.req.path, err instanceof Error ? err.stack : err);
    return c.json({ ErrorNumber: 500, Type: 'UnknownErrorException', Message: 'An error occurred in the Xero simulator.' }, 500);
  });
  app.notFound((c) => c.json({ Title: 'Not Found', Status: 404, Detail: `No such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.use('*', apiGuard(ctx));
  app.route('/', settingsRoutes(ctx));
  app.route('/', contactsRoutes(ctx));
  app.route('/', documentRoutes(ctx, 'invoice'));
  app.route('/', documentRoutes(ctx, 'creditnote'));
  app.route('/', paymentRoutes(ctx));
  app.route('/', journalRoutes(ctx));
  return app;
}
