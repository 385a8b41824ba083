// Connects the demo tenant of a test stack to Xero through the real consent
// flow (our connect API, the Xero simulator's sign-in and consent pages, our
// callback), to both simulated organisations, and maps ConnectWise location
// 1 (Sydney) → the AU organisation and 2 (Auckland) → the NZ organisation.
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID } from '../../sim/xero/index.js';
import { connectXero } from '../xero-connect/flow.js';
import { http, type TestStack } from './stack.js';

export const AU_ORG = HARBOUR_TENANT_ID;
export const NZ_ORG = KIWI_TENANT_ID;

/** A session token of a ConnectWise member of the demo tenant, through POST /api/session. */
export async function signIn(stack: TestStack, member: string, companyid = 'democo', sim = stack.cwSim): Promise<string> {
  const r = await http(`${stack.server.url}/api/session`, { json: { companyid, memberid: member, memberHash: sim.issueMemberHash(member) } });
  if (r.status !== 200) throw new Error(`sign-in of ${member}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

/** Connects both organisations and maps 1 → AU, 2 → NZ. Returns the admin's token. */
export async function connectDemoTenantToXero(stack: TestStack): Promise<string> {
  const admin = await signIn(stack, 'admin');
  const result = await connectXero(stack.server.url, admin);
  if (!result.ok) throw new Error(`connect to Xero failed: ${JSON.stringify(result)}`);
  const map = await http(`${stack.server.url}/api/xero/location-map`, {
    method: 'PUT',
    token: admin,
    json: { mappings: [{ cwLocationId: 1, xeroTenantId: AU_ORG }, { cwLocationId: 2, xeroTenantId: NZ_ORG }] },
  });
  if (map.status !== 200) throw new Error(`location map: ${map.status} ${JSON.stringify(map.body)}`);
  return admin;
}
