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
