// WHO MAY PUSH TO XERO AND RUN SYNCS (issue 12). A ConnectWise member may push
// a record (an invoice, an expense report, a purchase order), start, retry or
// cancel a batch run and sync payments when
//   - they administer CW–Xero Sync (settings.ts: isTenantAdmin), or
//   - their ConnectWise security role is in `pushers.securityRoles`
//     (default ["Finance"], compared case-insensitively), or
//   - their member identifier is in `pushers.memberIdentifiers`.
// Everyone else of the tenant sees previews, readiness and reconcile
// read-only, with a sentence saying who can push. The server decides on every
// request (the pods only follow): the role is the one read at sign-in, so a
// changed ConnectWise role applies at the next session; the lists are read
// from the settings on each request.
import type { AppDeps } from './deps.js';
import { ApiError } from './http/errors.js';
import type { Session } from './session.js';
import { isTenantAdmin, loadTenantSettings, type TenantSettings } from './settings.js';

import { pushersSchema, type Pushers } from '../shared/permission-settings.js';

export { pushersSchema, type Pushers };

type Who = Pick<Session, 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>;

/** The rule at the top of this file. */
export function mayPush(settings: Pick<TenantSettings, 'adminSecurityRoles' | 'adminMemberIdentifiers' | 'pushers'>, who: Who): boolean {
  if (who.isAdmin || isTenantAdmin(settings, { identifier: who.memberIdentifier, securityRoleName: who.securityRoleName ?? null })) return true;
  const id = who.memberIdentifier.toLowerCase();
  if (settings.pushers.memberIdentifiers.some((m) => m.toLowerCase() === id)) return true;
  const role = who.securityRoleName?.trim().toLowerCase();
  return !!role && settings.pushers.securityRoles.some((r) => r.toLowerCase() === role);
}

const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** Who may push, in one sentence for the members who may not. */
export function whoCanPush(settings: Pick<TenantSettings, 'adminSecurityRoles' | 'adminMemberIdentifiers' | 'pushers'>): string {
  const roles = [...new Set([...settings.adminSecurityRoles, ...settings.pushers.securityRoles])];
  const members = [...new Set([...settings.adminMemberIdentifiers, ...settings.pushers.memberIdentifiers])];
  const who = [roles.length ? `members with the ConnectWise security role ${list(roles)}` : '', members.length ? `${list(members)}` : ''].filter(Boolean).join(', and ');
  return who ? `Only ${who} can push to Xero and run syncs; you can see everything here read-only.` : 'No one is set up to push to Xero yet; ask a CW–Xero Sync admin to choose who may (Settings › Who can push).';
}

/** A 403 in words unless this member may push. */
export function requirePusher(settings: Pick<TenantSettings, 'adminSecurityRoles' | 'adminMemberIdentifiers' | 'pushers'>, who: Who): void {
  if (!mayPush(settings, who)) throw new ApiError(403, 'not_allowed_to_push', whoCanPush(settings));
}

/** May the session's member push, and if not, who can (settings read now). */
export async function pushPermission(deps: AppDeps, session: Who & Pick<Session, 'tenantId'>): Promise<{ mayPush: boolean; whoCanPush: string | null }> {
  const settings = await loadTenantSettings(deps.db, session.tenantId);
  const may = mayPush(settings, session);
  return { mayPush: may, whoCanPush: may ? null : whoCanPush(settings) };
}

/** Route guard: reads the settings and refuses a member who may not push. */
export async function requirePusherNow(deps: AppDeps, session: Who & Pick<Session, 'tenantId'>): Promise<void> {
  requirePusher(await loadTenantSettings(deps.db, session.tenantId), session);
}
