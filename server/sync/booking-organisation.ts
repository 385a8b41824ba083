// Which Xero organisation a ConnectWise record books into (its location,
// through the location map) and that organisation's facts — or the problem a
// person must fix first (no mapping, Xero to reconnect). Xero not answering
// is not such a problem: it is thrown, and answered as a 503 in words.
import type { AppDeps } from '../deps.js';
import { XeroUnavailable } from '../engine/errors.js';
import { orgFacts, type OrgFacts } from '../engine/org-facts.js';
import type { Problem } from '../engine/problems.js';
import { WHERE } from '../engine/where.js';
import { ApiError } from '../http/errors.js';
import { locationResolver } from '../xero/location-map.js';

export interface BookingOrganisation {
  organisation: { xeroTenantId: string; name: string } | null;
  facts?: OrgFacts;
  problems: Problem[];
}

export async function bookingOrganisation(deps: AppDeps, tenantId: string, locationId: number | null | undefined): Promise<BookingOrganisation> {
  const org = (await locationResolver(deps, tenantId))(locationId);
  if (!org.ok) return { organisation: null, problems: [org.problem] };
  try {
    const facts = await orgFacts(deps, tenantId, org.xeroTenantId);
    return { organisation: { xeroTenantId: org.xeroTenantId, name: facts.name }, facts, problems: [] };
  } catch (err) {
    // A Xero connection that needs a person is a problem to show, not a failure.
    if (err instanceof XeroUnavailable || !(err instanceof ApiError) || err.status >= 500) throw err;
    return { organisation: null, problems: [{ code: err.code, message: err.message, where: WHERE.settingsXero }] };
  }
}
