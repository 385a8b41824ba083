// The accounting-batch pod's API (issue 6): the unposted list with readiness,
// runs (start, progress, retry failed, cancel). The tenant comes from the
// session token, never from the request. Starting the routes starts this
// instance's bulk job engine (server/jobs), which resumes unfinished runs.
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { requireSession, type SessionEnv } from '../session.js';
import { parseJson, parseWith } from '../http/validate.js';
import { batchRunItemsQuery, batchRunParam, batchRunRequest, batchUnpostedQuery } from '../../shared/api.js';
import { cancelRun, listUnposted, retryFailed, runView, startRun } from '../bulk/service.js';
import { bulkJobs } from '../jobs/index.js';

export function batchRoutes(deps: AppDeps): Hono {
  const app = new Hono<SessionEnv>();
  void bulkJobs(deps).catch(() => undefined);
  app.use('/batch/*', requireSession(deps.keys.sessionKey));

  app.get('/batch/unposted', async (c) => {
    const q = parseWith(batchUnpostedQuery, c.req.query(), 'query');
    return c.json(await listUnposted(deps, c.get('session').tenantId, q));
  });

  app.post('/batch/runs', async (c) => {
    const body = await parseJson(c, batchRunRequest);
    const s = c.get('session');
    const run = await startRun(deps, s.tenantId, s.memberIdentifier, body);
    return c.json(await runView(deps, s.tenantId, run.id, 0, 200), 201);
  });

  app.get('/batch/runs/latest', async (c) => {
    const q = parseWith(batchRunItemsQuery, c.req.query(), 'query');
    return c.json({ run: await runView(deps, c.get('session').tenantId, 'latest', q.offset, q.limit) });
  });

  app.get('/batch/runs/:id', async (c) => {
    const { id } = parseWith(batchRunParam, { id: c.req.param('id') }, 'id');
    const q = parseWith(batchRunItemsQuery, c.req.query(), 'query');
    return c.json(await runView(deps, c.get('session').tenantId, id, q.offset, q.limit));
  });

  app.post('/batch/runs/:id/retry', async (c) => {
    const { id } = parseWith(batchRunParam, { id: c.req.param('id') }, 'id');
    const tenantId = c.get('session').tenantId;
    await retryFailed(deps, tenantId, id);
    return c.json(await runView(deps, tenantId, id, 0, 200));
  });

  app.post('/batch/runs/:id/cancel', async (c) => {
    const { id } = parseWith(batchRunParam, { id: c.req.param('id') }, 'id');
    const tenantId = c.get('session').tenantId;
    await cancelRun(deps, tenantId, id);
    return c.json(await runView(deps, tenantId, id, 0, 200));
  });

  return app as unknown as Hono;
}
