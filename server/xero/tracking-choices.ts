// The settings pod's Tracking card, server side: each connected organisation's
// tracking categories and options (read fresh from Xero, through the engine's
// transport), ConnectWise's billing locations and its departments, GL classes
// and product sub-categories (cw/tracking-values.ts), all read in parallel, and
// creating an option Xero is
// missing (xero-node's createTrackingOptions). The mapping rule itself is
// server/domain/tracking-mapping.ts; the rules live in the invoice settings.
// Category and option names are read for the pod and never stored here.
import type { AppDeps } from '../deps.js';
import { rememberTrackingOption } from '../engine/org-facts.js';
import { XeroRefused } from '../engine/errors.js';
import { xeroValidationWords } from '../engine/problems.js';
import { xeroTransport } from '../engine/transport.js';
import { ApiError } from '../http/errors.js';
import { cwLocationNames } from './location-map.js';
import { cwTrackingSourceValues } from '../cw/tracking-values.js';
import { listConnections } from './connection-store.js';
import type { CreateTrackingOptionRequest, TrackingChoicesResponse } from '../../shared/tracking-choices.js';

interface WireCategory {
  trackingCategoryID?: string;
  name?: string;
  status?: unknown;
  options?: { name?: string; status?: unknown }[];
}

async function readCategories(deps: AppDeps, tenantId: string, xeroTenantId: string): Promise<WireCategory[]> {
  const r = (await xeroTransport(deps, tenantId, xeroTenantId).call('tracking categories', (a, x) => a.getTrackingCategories(x), { priority: 'person' })) as { body: { trackingCategories?: WireCategory[] } };
  return r.body.trackingCategories ?? [];
}

export async function trackingChoices(deps: AppDeps, tenantId: string): Promise<TrackingChoicesResponse> {
  const orgs = (await listConnections(deps, tenantId)).flatMap((c) => c.orgs);
  const [organisations, names, sources] = await Promise.all([
    Promise.all(
      orgs.map(async (org): Promise<TrackingChoicesResponse['organisations'][number]> => {
        try {
          const categories = (await readCategories(deps, tenantId, org.xeroTenantId)).map((c) => ({
            id: c.trackingCategoryID ?? '',
            name: c.name ?? '',
            status: String(c.status ?? 'ACTIVE'),
            options: (c.options ?? []).map((o) => ({ name: o.name ?? '', status: String(o.status ?? 'ACTIVE') })),
          }));
          return { xeroTenantId: org.xeroTenantId, name: org.name, categories, error: null };
        } catch (e) {
          return { xeroTenantId: org.xeroTenantId, name: org.name, categories: [], error: e instanceof Error && !(e instanceof XeroRefused) ? e.message : 'Xero did not answer as expected' };
        }
      }),
    ),
    cwLocationNames(deps, tenantId),
    cwTrackingSourceValues(deps, tenantId),
  ]);
  return { organisations, locations: [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.id - b.id), sources };
}

/** Creates an option in one of the organisation's categories: 400 naming `name` when Xero refuses it (a duplicate, say). */
export async function createTrackingOption(deps: AppDeps, tenantId: string, req: CreateTrackingOptionRequest): Promise<{ name: string; status: string }> {
  const connected = (await listConnections(deps, tenantId)).flatMap((c) => c.orgs).some((o) => o.xeroTenantId === req.xeroTenantId);
  if (!connected) throw new ApiError(400, 'invalid_input', 'xeroTenantId: not a Xero organisation connected to this ConnectWise company', 'xeroTenantId');
  const category = (await readCategories(deps, tenantId, req.xeroTenantId)).find((c) => c.trackingCategoryID?.toLowerCase() === req.categoryId.toLowerCase());
  if (!category?.name) throw new ApiError(400, 'invalid_input', 'categoryId: the organisation has no such tracking category', 'categoryId');
  if (String(category.status ?? 'ACTIVE') !== 'ACTIVE') throw new ApiError(400, 'invalid_input', `categoryId: tracking category "${category.name}" is archived in Xero`, 'categoryId');
  if ((category.options ?? []).some((o) => o.name?.toLowerCase() === req.name.toLowerCase())) {
    throw new ApiError(400, 'invalid_input', `name: tracking category "${category.name}" already has an option "${req.name}"`, 'name');
  }
  let created: { name?: string; status?: unknown } | undefined;
  try {
    const r = (await xeroTransport(deps, tenantId, req.xeroTenantId).call('new tracking option', (a, x) => a.createTrackingOptions(x, req.categoryId, { name: req.name }), { priority: 'person' })) as { body: { options?: { name?: string; status?: unknown }[] } };
    created = r.body.options?.[0];
  } catch (e) {
    if (e instanceof XeroRefused && e.statusCode === 400) throw new ApiError(400, 'invalid_input', `name: Xero refused the option: ${xeroValidationWords(e.body).join('; ')}`, 'name');
    throw e;
  }
  const name = created?.name ?? req.name;
  await rememberTrackingOption(deps, tenantId, req.xeroTenantId, category.name, name);
  return { name, status: String(created?.status ?? 'ACTIVE') };
}
