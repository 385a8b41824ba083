// Audit and settings transfer (issue 13). A record's sync history for its
// dialog (any member of the tenant: ids and outcomes only); for admins, the
// tenant's activity list and its CSV, the settings versions, and settings
// export / import (with a dry run). The tenant always comes from the session.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { parseWith } from '../http/validate.js';
import { requireAdmin, requireSession, type SessionEnv } from '../session.js';
import { applySettingsPatch, loadTenantSettings, saveTenantSettings, tenantSettingsPatchSchema, tenantSettingsSchema } from '../settings.js';
import { activityCsv, activityPage, recordHistory } from '../audit/history.js';
import { listSettingsVersions, settingsChangedPaths } from '../audit/settings-versions.js';
import { checkSettingsPatch } from './settings.js';
import { activityQuery, historyParams, SETTINGS_EXPORT_FORMAT, type SettingsImportResponse } from '../../shared/audit-api.js';

const versionsQuery = z
  .object({
    before: z.string().regex(/^\d{1,15}$/, 'expected the id the previous page ended at').transform(Number).optional(),
  })
  .strict();

/** The export file: the whole settings document in an envelope an import recognises. */
const importEnvelope = z
  .object({
    format: z.literal(SETTINGS_EXPORT_FORMAT, `expected "${SETTINGS_EXPORT_FORMAT}" (a file from Export settings)`),
    exportedAt: z.string().max(40).optional(),
    tenant: z.string().max(64).optional(),
    settings: z.record(z.string(), z.unknown(), 'expected the settings object of an export file'),
  })
  .strict();

const importQuery = z.object({ dryRun: z.enum(['0', '1', 'true', 'false'], 'expected 1 or 0').optional() }).strict();

export function auditRoutes(deps: AppDeps): Hono {
  const app = new Hono<SessionEnv>();
  for (const path of ['/history/*', '/activity', '/activity.csv', '/settings/versions', '/settings/export', '/settings/import']) app.use(path, requireSession(deps.keys.sessionKey));

  app.get('/history/:kind/:id', async (c) => {
    const { kind, id } = parseWith(historyParams, { kind: c.req.param('kind'), id: c.req.param('id') }, 'id');
    return c.json(await recordHistory(deps.db.k, c.get('session').tenantId, kind, id));
  });

  app.get('/activity', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    const q = parseWith(activityQuery, c.req.query(), 'query');
    return c.json(await activityPage(deps.db.k, s.tenantId, q));
  });

  app.get('/activity.csv', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    const q = parseWith(activityQuery, c.req.query(), 'query');
    const csv = await activityCsv(deps.db.k, s.tenantId, q);
    c.header('Content-Disposition', `attachment; filename="cw-xero-sync-activity-${s.tenantId}.csv"`);
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  app.get('/settings/versions', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    const q = parseWith(versionsQuery, c.req.query(), 'query');
    return c.json(await listSettingsVersions(deps.db.k, s.tenantId, { limit: 50, before: q.before }));
  });

  app.get('/settings/export', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    const settings = await loadTenantSettings(deps.db, s.tenantId);
    c.header('Content-Disposition', `attachment; filename="cw-xero-sync-settings-${s.tenantId}.json"`);
    return c.json({ format: SETTINGS_EXPORT_FORMAT, exportedAt: deps.now().toISOString(), tenant: s.tenantId, settings });
  });

  // The export file as it is. Validated whole by PUT's own schema and checks before anything is written;
  // with ?dryRun=1 only the paths that would change are answered.
  app.post('/settings/import', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    const { dryRun } = parseWith(importQuery, c.req.query(), 'query');
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError(400, 'invalid_json', 'body: expected the JSON of a settings export', 'body');
    }
    const envelope = parseWith(importEnvelope, body, 'body');
    const patch = parseWith(tenantSettingsPatchSchema, envelope.settings, 'settings');
    await checkSettingsPatch(deps, s.tenantId, patch);
    const current = await loadTenantSettings(deps.db, s.tenantId);
    const isDry = dryRun === '1' || dryRun === 'true';
    const changedPaths = settingsChangedPaths(tenantSettingsSchema, current, applySettingsPatch(current, patch));
    if (!isDry && changedPaths.length) await saveTenantSettings(deps.db, s.tenantId, patch, { memberId: s.memberIdentifier, source: 'import' });
    const answer: SettingsImportResponse = { dryRun: isDry, changedPaths };
    return c.json(answer);
  });

  return app as unknown as Hono;
}
