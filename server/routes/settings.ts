// The tenant's settings: anyone of the tenant reads them (with whether they may
// change them, and who may); only an admin changes them (403 with words).
import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { parseJson } from '../http/validate.js';
import { ApiError } from '../http/errors.js';
import { requireAdmin, requireSession, type SessionEnv } from '../session.js';
import { loadTenantSettings, saveTenantSettings, tenantSettingsPatchSchema, type TenantSettings, type TenantSettingsPatch } from '../settings.js';
import type { SettingsResponse } from '../../shared/api.js';
import { expenseSettingsChoices, requireWisePayAccounts } from '../expenses/expense-settings-choices.js';
import { procurementSettingsChoices } from '../procurement/procurement-settings-choices.js';
import { alertStatus, requireAlertBoard } from '../alerts/exception-alerts.js';
import { createTrackingOption, trackingChoices } from '../xero/tracking-choices.js';
import { createTrackingOptionRequest } from '../../shared/tracking-choices.js';

export function whoCanChange(s: TenantSettings): string {
  const roles = s.adminSecurityRoles.length ? `members with the ConnectWise security role ${s.adminSecurityRoles.map((r) => `"${r}"`).join(' or ')}` : '';
  const members = s.adminMemberIdentifiers.length ? `the members ${s.adminMemberIdentifiers.join(', ')}` : '';
  const who = [roles, members].filter(Boolean).join(', and ');
  return who ? `Only ${who} can change these settings.` : 'No one is set up to change these settings; ask your ConnectWise administrator.';
}

/** What a PUT (and an import) must pass beyond the schema: 400 naming the field, before anything is written. */
export async function checkSettingsPatch(deps: AppDeps, tenantId: string, patch: TenantSettingsPatch): Promise<void> {
  const current = await loadTenantSettings(deps.db, tenantId);
  const roles = patch.adminSecurityRoles ?? current.adminSecurityRoles;
  const members = patch.adminMemberIdentifiers ?? current.adminMemberIdentifiers;
  if (roles.length === 0 && members.length === 0) {
    // Nobody could change settings any more, including the person saving.
    throw new ApiError(400, 'invalid_input', 'adminSecurityRoles: keep at least one admin security role or admin member, or no one could change settings', 'adminSecurityRoles');
  }
  if (patch.expenses?.wisePayAccounts) await requireWisePayAccounts(deps, tenantId, patch.expenses.wisePayAccounts);
  // A board chosen now (not one saved before) must exist and be active in ConnectWise.
  const boardId = patch.alerts?.boardId;
  if (typeof boardId === 'number' && boardId !== current.alerts.boardId) await requireAlertBoard(deps, tenantId, boardId);
}

export function settingsRoutes(deps: AppDeps): Hono<SessionEnv> {
  const app = new Hono<SessionEnv>();
  app.use('/settings', requireSession(deps.keys.sessionKey));
  app.use('/settings/expense-choices', requireSession(deps.keys.sessionKey));

  // What the Expenses card's Wise-Pay rows offer (everyone of the tenant reads it, as the settings).
  app.get('/settings/expense-choices', async (c) => c.json(await expenseSettingsChoices(deps, c.get('session').tenantId)));
  app.use('/settings/procurement-choices', requireSession(deps.keys.sessionKey));
  // What the Purchase orders card's warehouse table shows (everyone of the tenant reads it).
  app.get('/settings/procurement-choices', async (c) => c.json(await procurementSettingsChoices(deps, c.get('session').tenantId)));
  app.use('/settings/alerts', requireSession(deps.keys.sessionKey));
  // The Alerts card (admins): ConnectWise's service boards to choose from and the alert ticket's state (server/alerts/).
  app.get('/settings/alerts', async (c) => {
    requireAdmin(c.get('session'));
    return c.json(await alertStatus(deps, c.get('session').tenantId));
  });

  // The Tracking card: each organisation's categories and options, ConnectWise's locations; admins create missing options.
  app.use('/settings/tracking-choices', requireSession(deps.keys.sessionKey));
  app.get('/settings/tracking-choices', async (c) => c.json(await trackingChoices(deps, c.get('session').tenantId)));
  app.use('/settings/tracking-options', requireSession(deps.keys.sessionKey));
  app.post('/settings/tracking-options', async (c) => {
    requireAdmin(c.get('session'));
    const option = await createTrackingOption(deps, c.get('session').tenantId, await parseJson(c, createTrackingOptionRequest));
    return c.json({ option }, 201);
  });

  app.get('/settings', async (c) => {
    const s = c.get('session');
    const settings = await loadTenantSettings(deps.db, s.tenantId);
    const body: SettingsResponse = { settings, isAdmin: s.isAdmin, whoCanChange: whoCanChange(settings) };
    return c.json(body);
  });

  app.put('/settings', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    const patch = await parseJson(c, tenantSettingsPatchSchema);
    await checkSettingsPatch(deps, s.tenantId, patch);
    const settings = await saveTenantSettings(deps.db, s.tenantId, patch, { memberId: s.memberIdentifier, source: 'save' });
    const body: SettingsResponse = { settings, isAdmin: s.isAdmin, whoCanChange: whoCanChange(settings) };
    return c.json(body);
  });

  return app;
}
