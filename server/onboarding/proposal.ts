// Onboarding's proposed mappings, server side (issue 13): reads both sides —
// ConnectWise's billing locations (their country) and the currencies their
// unposted invoices are billed in, its GL account mappings and tax codes;
// each connected Xero organisation's base currency and country, chart of
// accounts and tax rates — and hands them to the pure rules in
// shared/mapping-proposal.ts. Read on request and answered; nothing stored.
// A side that cannot be read is named in `unread` and the rest is proposed.
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { listConnections } from '../xero/connection-store.js';
import { orgFacts } from '../engine/org-facts.js';
import { xeroTransport } from '../engine/transport.js';
import { taxRatePercent } from '../domain/xero-refs.js';
import {
  proposeAccountMap,
  proposeLocationMap,
  proposeTaxMap,
  type MappingProposal,
  type ProposalCwAccount,
  type ProposalCwTaxCode,
  type ProposalLocation,
  type ProposalOrg,
  type ProposalXeroAccount,
  type ProposalXeroTaxRate,
} from '../../shared/mapping-proposal.js';

const cwLocation = z.object({ id: z.number().int(), name: z.string(), overrideCountry: z.object({ name: z.string().optional() }).nullish() });
const unpostedRow = z.object({ locationId: z.number().int().nullish(), currency: z.object({ currencyCode: z.string().optional() }).nullish() });
const glAccountRow = z.object({ segment1: z.string().nullish(), glType: z.string().nullish(), mappedRecord: z.object({ name: z.string().optional() }).nullish() });
const taxCodeRow = z.object({ identifier: z.string(), description: z.string().nullish(), levelOneRate: z.number().nullish(), levelOneRateType: z.string().nullish() });

/**
 * Revenue GL types: the accounts an invoice line books into. Not ST (sales
 * tax): ConnectWise exports tax as its own lines, but Xero works a document's
 * tax out from each line's tax rate, so the account map never needs it.
 */
const REVENUE_GL_TYPES = new Set(['R', 'RA', 'RD', 'RE', 'RP', 'IT', 'SD']);

let countryCodes: Map<string, string> | undefined;
/** "Australia" → "AU", through the runtime's region names (English). */
export function countryCodeOf(name: string | undefined | null): string | null {
  if (!name) return null;
  if (!countryCodes) {
    countryCodes = new Map();
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (let a = 65; a <= 90; a++)
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        const n = names.of(code);
        if (n && n !== code) countryCodes.set(n.toLowerCase(), code);
      }
  }
  const t = name.trim();
  if (/^[A-Za-z]{2}$/.test(t)) return t.toUpperCase();
  return countryCodes.get(t.toLowerCase()) ?? null;
}

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function mappingProposal(deps: AppDeps, tenantId: string): Promise<MappingProposal> {
  const unread: string[] = [];
  const cw = await cwClientForTenant(deps, tenantId);
  const orgsConnected = (await listConnections(deps, tenantId)).filter((c) => c.status === 'ok').flatMap((c) => c.orgs);

  const [locationRows, unposted, glAccounts, taxCodes, orgs] = await Promise.all([
    cw.list('/system/locations', cwLocation, { query: { fields: 'id,name,overrideCountry', orderBy: 'name asc' } }).catch((e) => {
      unread.push(`ConnectWise's billing locations: ${why(e)}`);
      return [];
    }),
    cw.get('finance/accounting/unpostedinvoices', z.array(unpostedRow), { query: { fields: 'locationId,currency', pageSize: 1000 } }).catch((e) => {
      unread.push(`the currencies of ConnectWise's unposted invoices: ${why(e)}`);
      return [];
    }),
    cw.list('finance/glAccounts', glAccountRow, { query: { fields: 'segment1,glType,mappedRecord' }, maxPages: 5 }).catch((e) => {
      unread.push(`ConnectWise's GL accounts (accounts keep their numbers, as before): ${why(e)}`);
      return [];
    }),
    cw.list('finance/taxCodes', taxCodeRow, { query: { fields: 'identifier,description,levelOneRate,levelOneRateType' }, maxPages: 5 }).catch((e) => {
      unread.push(`ConnectWise's tax codes (each is resolved by its rate at each push, as before): ${why(e)}`);
      return [];
    }),
    Promise.all(
      orgsConnected.map(async (o) => {
        try {
          const [org, facts] = await Promise.all([
            xeroTransport(deps, tenantId, o.xeroTenantId).call('organisation', (a, x) => a.getOrganisations(x), { priority: 'person' }) as Promise<{ body: { organisations?: { baseCurrency?: unknown; countryCode?: unknown }[] } }>,
            orgFacts(deps, tenantId, o.xeroTenantId),
          ]);
          const first = org.body.organisations?.[0];
          const view: ProposalOrg = { xeroTenantId: o.xeroTenantId, name: o.name, baseCurrency: String(first?.baseCurrency ?? facts.refs.baseCurrency), country: first?.countryCode ? String(first.countryCode) : null };
          const accounts: ProposalXeroAccount[] = facts.refs.accounts.filter((a) => a.Code && a.Status === 'ACTIVE').map((a) => ({ code: a.Code!, name: a.Name ?? '' }));
          const rates: ProposalXeroTaxRate[] = facts.refs.taxRates
            .filter((t) => t.Status === 'ACTIVE')
            .map((t) => ({ taxType: t.TaxType, name: t.Name ?? t.TaxType, ratePercent: taxRatePercent(t)?.toString() ?? null, revenue: t.CanApplyToRevenue !== false }));
          return { view, accounts, rates };
        } catch (e) {
          unread.push(`Xero organisation ${o.name}: ${why(e)}`);
          return undefined;
        }
      }),
    ),
  ]);

  // The currencies each location bills in, most used first (codes and counts only).
  const counts = new Map<number, Map<string, number>>();
  for (const r of unposted) {
    const code = r.currency?.currencyCode;
    if (r.locationId == null || !code) continue;
    const m = counts.get(r.locationId) ?? new Map<string, number>();
    m.set(code, (m.get(code) ?? 0) + 1);
    counts.set(r.locationId, m);
  }
  const locations: ProposalLocation[] = locationRows.map((l) => ({
    id: l.id,
    name: l.name,
    country: countryCodeOf(l.overrideCountry?.name),
    currencies: [...(counts.get(l.id) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c),
  }));

  const readOrgs = orgs.filter((o) => o !== undefined);
  const cwAccounts: ProposalCwAccount[] = [];
  for (const g of glAccounts) {
    const number = g.segment1?.trim();
    if (!number || (g.glType && !REVENUE_GL_TYPES.has(g.glType)) || cwAccounts.some((a) => a.number === number)) continue;
    cwAccounts.push({ number, name: g.mappedRecord?.name ?? '' });
  }
  const cwTaxCodes: ProposalCwTaxCode[] = taxCodes.map((t) => ({
    code: t.identifier,
    description: t.description ?? '',
    ratePercent: t.levelOneRate != null && (t.levelOneRateType ?? 'Percent') === 'Percent' ? String(t.levelOneRate) : null,
  }));

  const byId = new Map(locations.map((l) => [l.id, l.name]));
  return {
    locations: proposeLocationMap(locations, readOrgs.map((o) => o.view)).map((p) => ({ ...p, name: byId.get(p.cwLocationId) ?? '' })),
    orgs: readOrgs.map((o) => o.view),
    accounts: proposeAccountMap(cwAccounts, readOrgs.map((o) => o.accounts)),
    taxes: proposeTaxMap(cwTaxCodes, readOrgs.map((o) => o.rates)),
    unread,
  };
}
