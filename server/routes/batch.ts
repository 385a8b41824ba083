// The accounting-batch pod's API (issue 6): the unposted list with readiness,
// runs (start, progress, retry failed, cancel). The tenant comes from the
// session token, never from the request. Starting the routes starts this
// instance's bulk job engine (server/jobs), which resumes unfinished runs.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { requireSession, type SessionEnv } from '../session.js';
import { parseJson, parseWith } from '../http/validate.js';
import { z } from 'zod';
import { batchLatestRunQuery, batchRunItemsQuery, batchRunKind, batchRunParam, batchRunRequest, batchSummaryQuery, batchTieOutRequest, batchUnpostedQuery } from '../../shared/api.js';
import { batchSummary } from '../bulk/batch-summary.js';
import { tieOutSelection } from '../bulk/tieout.js';
import { tieOutRun } from '../bulk/run-tieout.js';
import { batchExpenseRunRequest } from '../../shared/expense-api.js';
import { cancelRun, listUnposted, retryFailed, runView, startRun } from '../bulk/service.js';
import { listUnpostedExpenses, requireRunControl, startExpenseRun } from '../bulk/expense-runs.js';
import { batchProcurementRunRequest } from '../../shared/procurement-batch-api.js';
import { listUnpostedProcurement, requireProcurementRunControl, startProcurementRun } from '../bulk/procurement-runs.js';
import { bulkJobs } from '../jobs/index.js';
import { requirePusherNow } from '../permission.js';

export function batchRoutes(deps: AppDeps): Hono {
  const app = new Hono<SessionEnv>();
  void bulkJobs(deps).catch(() => undefined);
  app.use('/batch/*', requireSession(deps.keys.sessionKey));

  app.get('/batch/unposted', async (c) => {
    const q = parseWith(batchUnpostedQuery, c.req.query(), 'query');
    return c.json(await listUnposted(deps, c.get('session'), q));
  });

  // The pod's month-end state: per kind, ready / need attention / synced today over every unposted record (issue 12).
  app.get('/batch/summary', async (c) => {
    const q = parseWith(batchSummaryQuery, c.req.query(), 'query');
    return c.json(await batchSummary(deps, c.get('session'), q));
  });

  // The month-end tie-out of a selection, before its run: read-only, so anyone who sees the list may (issue 12).
  app.post('/batch/tieout', async (c) => {
    const body = await parseJson(c, batchTieOutRequest);
    return c.json(await tieOutSelection(deps, c.get('session'), body));
  });

  // The Expenses tab: unposted expense reports with readiness (issue 10).
  app.get('/batch/expenses', async (c) => {
    parseWith(z.object({}).strict(), c.req.query(), 'query');
    return c.json(await listUnpostedExpenses(deps, c.get('session')));
  });

  // The Purchase orders tab: unposted purchase orders (→ bills) and inventory transactions (→ journals) with readiness (issue 11).
  app.get('/batch/procurement', async (c) => {
    parseWith(z.object({}).strict(), c.req.query(), 'query');
    return c.json(await listUnpostedProcurement(deps, c.get('session')));
  });

  // A run of invoices (the default), of expense reports (kind 'expense') or of procurement (kind 'procurement').
  app.post('/batch/runs', async (c) => {
    const raw = await parseJson(c, z.object({ kind: batchRunKind.optional() }).loose());
    const s = c.get('session');
    // Starting, retrying and cancelling runs of any kind: members who may push (permission.ts).
    await requirePusherNow(deps, s);
    const run =
      raw.kind === 'expense'
        ? await startExpenseRun(deps, s, parseWith(batchExpenseRunRequest, raw, 'body'))
        : raw.kind === 'procurement'
          ? await startProcurementRun(deps, s, parseWith(batchProcurementRunRequest, raw, 'body'))
          : await startRun(deps, s.tenantId, s.memberIdentifier, parseWith(batchRunRequest, raw, 'body'));
    return c.json(await runView(deps, s.tenantId, run.id, 0, 200), 201);
  });

  app.get('/batch/runs/latest', async (c) => {
    const q = parseWith(batchLatestRunQuery, c.req.query(), 'query');
    return c.json({ run: await runView(deps, c.get('session').tenantId, { latest: q.kind }, q.offset, q.limit) });
  });

  app.get('/batch/runs/:id', async (c) => {
    const { id } = parseWith(batchRunParam, { id: c.req.param('id') }, 'id');
    const q = parseWith(batchRunItemsQuery, c.req.query(), 'query');
    return c.json(await runView(deps, c.get('session').tenantId, id, q.offset, q.limit));
  });

  // The tie-out after a run, read back from Xero: whoever may see the run may (issue 12). Computed on request, never stored.
  app.get('/batch/runs/:id/tieout', async (c) => {
    const { id } = parseWith(batchRunParam, { id: c.req.param('id') }, 'id');
    parseWith(z.object({}).strict(), c.req.query(), 'query');
    return c.json(await tieOutRun(deps, c.get('session'), id));
  });

  app.post('/batch/runs/:id/retry', async (c) => {
    const { id } = parseWith(batchRunParam, { id: c.req.param('id') }, 'id');
    const tenantId = c.get('session').tenantId;
    await requirePusherNow(deps, c.get('session'));
    await requireRunControl(deps, c.get('session'), id);
    await requireProcurementRunControl(deps, c.get('session'), id);
    await retryFailed(deps, tenantId, id);
    return c.json(await runView(deps, tenantId, id, 0, 200));
  });

  app.post('/batch/runs/:id/cancel', async (c) => {
    const { id } = parseWith(batchRunParam, { id: c.req.param('id') }, 'id');
    const tenantId = c.get('session').tenantId;
    await requirePusherNow(deps, c.get('session'));
    await requireRunControl(deps, c.get('session'), id);
    await requireProcurementRunControl(deps, c.get('session'), id);
    await cancelRun(deps, tenantId, id);
    return c.json(await runView(deps, tenantId, id, 0, 200));
  });

  return app as unknown as Hono;
}
