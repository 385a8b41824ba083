// The expense tab (issue 10): GET /api/expenses/reports/:id/sync — where the
// report stands and the Xero bills it becomes — and POST …/push. The tenant
// comes from the session, never the request; pushing needs an admin.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { requireSession, type SessionEnv } from '../session.js';
import { parseWith } from '../http/validate.js';
import { expenseReportIdParam } from '../../shared/expense-api.js';
import { expenseReportView, pushExpenseReportNow } from '../expenses/expense-service.js';

export function expenseRoutes(deps: AppDeps): Hono {
  const app = new Hono<SessionEnv>();
  app.use('/expenses/*', requireSession(deps.keys.sessionKey));

  app.get('/expenses/reports/:id/sync', async (c) => {
    const { id } = parseWith(expenseReportIdParam, { id: c.req.param('id') }, 'id');
    return c.json(await expenseReportView(deps, c.get('session'), id));
  });

  app.post('/expenses/reports/:id/push', async (c) => {
    const { id } = parseWith(expenseReportIdParam, { id: c.req.param('id') }, 'id');
    return c.json(await pushExpenseReportNow(deps, c.get('session'), id));
  });

  return app as unknown as Hono;
}
