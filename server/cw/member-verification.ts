// Confirms with ConnectWise that a member really is signed in, from the
// memberHash the Hosted API handed the pod. This is the ONE place that knows
// the credential form: HTTP Basic base64("{companyid}+{memberid}:{memberHash}")
// plus the clientId header, sent only to the site REGISTERED for the company.
import { z } from 'zod';
import { ApiError } from '../http/errors.js';
import type { Tenant } from '../tenants.js';
import { CwClient, CwError, type CwRetryOptions } from './client.js';

export function memberHashAuthorization(companyId: string, memberId: string, memberHash: string): string {
  return `Basic ${Buffer.from(`${companyId}+${memberId}:${memberHash}`, 'utf8').toString('base64')}`;
}

const verifiedMember = z
  .object({
    id: z.number().int(),
    identifier: z.string(),
    firstName: z.string().nullish(),
    lastName: z.string().nullish(),
  })
  .loose();

export interface VerifiedMember {
  recId: number;
  identifier: string;
  name: string;
}

export function memberDisplayName(m: { identifier: string; firstName?: string | null | undefined; lastName?: string | null | undefined }): string {
  const name = [m.firstName, m.lastName].filter((p) => p && p.trim()).join(' ').trim();
  return name || m.identifier;
}

/**
 * `memberId` must already be validated as a plain identifier (shared/api.ts
 * cwMemberIdentifier): it goes into a conditions string.
 */
export async function verifyMemberHash(
  tenant: Tenant,
  memberId: string,
  memberHash: string,
  opts: { retry?: Partial<CwRetryOptions> } = {},
): Promise<VerifiedMember> {
  const client = new CwClient({
    siteUrl: tenant.siteUrl,
    clientId: tenant.clientId,
    authorization: memberHashAuthorization(tenant.id, memberId, memberHash),
    ...(opts.retry ? { retry: opts.retry } : {}),
  });
  let members: z.infer<typeof verifiedMember>[];
  try {
    members = await client.get('system/members', z.array(verifiedMember), {
      query: { conditions: `identifier="${memberId}"` },
      what: `member ${memberId}`,
    });
  } catch (err) {
    if (err instanceof CwError && (err.cwStatus === 401 || err.cwStatus === 403)) {
      throw new ApiError(401, 'member_not_verified', 'The sign-in ConnectWise gave this page is invalid or has expired. Close and reopen this screen.');
    }
    throw err;
  }
  const match = members.filter((m) => m.identifier.toLowerCase() === memberId.toLowerCase());
  if (match.length !== 1 || !match[0]) {
    throw new ApiError(401, 'member_not_verified', `ConnectWise did not confirm member "${memberId}". Close and reopen this screen.`);
  }
  return { recId: match[0].id, identifier: match[0].identifier, name: memberDisplayName(match[0]) };
}
