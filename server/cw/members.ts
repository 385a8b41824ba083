// Reads a member's security role with the tenant's API member keys, to decide
// whether the member administers the sync for that tenant.
import { z } from 'zod';
import type { CwClient } from './client.js';

const memberWithRole = z
  .object({
    id: z.number().int(),
    identifier: z.string(),
    securityRole: z.object({ id: z.number().int().nullish(), name: z.string().nullish() }).loose().nullish(),
  })
  .loose();

export async function memberSecurityRole(cw: CwClient, memberRecId: number): Promise<string | null> {
  const m = await cw.get(`system/members/${memberRecId}`, memberWithRole, { what: `member ${memberRecId}` });
  return m.securityRole?.name ?? null;
}

/**
 * The security role of the member with this identifier, read by identifier (so it can be asked while
 * ConnectWise still checks the member's hash), with the record id it belongs to; undefined when
 * ConnectWise does not list exactly one such member. The caller uses it only for the verified member's id.
 * `identifier` must already be validated as a plain identifier (shared/api.ts cwMemberIdentifier).
 */
export async function securityRoleByIdentifier(cw: CwClient, identifier: string): Promise<{ recId: number; role: string | null } | undefined> {
  const rows = await cw.get('system/members', z.array(memberWithRole), { query: { conditions: `identifier="${identifier}"` }, what: `member ${identifier}` });
  const match = rows.filter((m) => m.identifier.toLowerCase() === identifier.toLowerCase());
  return match.length === 1 && match[0] ? { recId: match[0].id, role: match[0].securityRole?.name ?? null } : undefined;
}
