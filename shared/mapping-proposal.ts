// Mappings proposed from both sides at onboarding (issue 13): which Xero
// organisation each ConnectWise billing location books into (by currency and
// country), which Xero account each ConnectWise GL account number is (by code,
// else by name) and which Xero tax type each ConnectWise tax code is (by rate,
// then by name). Pure: the server reads both sides (server/onboarding/
// proposal.ts), the setup window shows the proposal, the admin reviews and
// saves it through the ordinary settings routes. Nothing here is stored.

export interface ProposalLocation {
  id: number;
  name: string;
  /** ISO 3166 alpha-2 of the location's country (ConnectWise's overrideCountry), when it says. */
  country: string | null;
  /** The currencies its invoices are billed in, most used first. */
  currencies: string[];
}
export interface ProposalOrg {
  xeroTenantId: string;
  name: string;
  baseCurrency: string;
  /** ISO 3166 alpha-2 (Xero's CountryCode). */
  country: string | null;
}
export interface ProposalCwAccount {
  number: string;
  name: string;
}
export interface ProposalXeroAccount {
  code: string;
  name: string;
}
export interface ProposalCwTaxCode {
  code: string;
  description: string;
  /** Percent as a decimal string ("10", "12.5"); null when ConnectWise has none. */
  ratePercent: string | null;
}
export interface ProposalXeroTaxRate {
  taxType: string;
  name: string;
  ratePercent: string | null;
  /** May be used on revenue (sales) lines. */
  revenue: boolean;
}

export interface LocationProposal {
  cwLocationId: number;
  xeroTenantId: string | null;
  /** Why, in words ("same currency (AUD) and country (AU)"), or why none. */
  reason: string;
}
export interface AccountProposal {
  cwAccount: string;
  /** The Xero code it maps to; equal to cwAccount when the code is the same (no entry needed). */
  xeroCode: string | null;
  reason: string;
}
export interface TaxProposal {
  cwTaxCode: string;
  /** The one Xero tax type it maps to; null when each organisation resolves it by rate, or none fits. */
  xeroTaxType: string | null;
  reason: string;
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const sameRate = (a: string | null, b: string | null) => a !== null && b !== null && Number(a) === Number(b);

/**
 * Each location → the organisation sharing its main currency and its country;
 * else its currency alone; else its country alone. Ties (two organisations
 * equally good) propose nothing: the admin chooses.
 */
export function proposeLocationMap(locations: readonly ProposalLocation[], orgs: readonly ProposalOrg[]): LocationProposal[] {
  return locations.map((loc) => {
    const currency = loc.currencies[0] ?? null;
    const score = (o: ProposalOrg) => (currency !== null && o.baseCurrency === currency ? 2 : 0) + (loc.country !== null && o.country === loc.country ? 1 : 0);
    const best = Math.max(0, ...orgs.map(score));
    if (best === 0) {
      const said = [currency ? `currency ${currency}` : null, loc.country ? `country ${loc.country}` : null].filter(Boolean).join(' or ');
      return { cwLocationId: loc.id, xeroTenantId: null, reason: said ? `no connected organisation has its ${said}` : 'ConnectWise says neither its currency nor its country' };
    }
    const top = orgs.filter((o) => score(o) === best);
    if (top.length > 1) return { cwLocationId: loc.id, xeroTenantId: null, reason: `${top.map((o) => o.name).join(' and ')} fit equally; choose one` };
    const org = top[0]!;
    const parts = [best >= 2 ? `currency ${org.baseCurrency}` : null, best % 2 === 1 ? `country ${org.country}` : null].filter(Boolean);
    return { cwLocationId: loc.id, xeroTenantId: org.xeroTenantId, reason: `same ${parts.join(' and ')}` };
  });
}

/**
 * Each ConnectWise GL account number → the Xero account with the same code in
 * every organisation that has it; else the one account whose name is the same
 * (in every organisation where a name matches, the same code). Codes differ
 * between organisations → nothing proposed.
 */
export function proposeAccountMap(cwAccounts: readonly ProposalCwAccount[], xeroAccountsByOrg: readonly (readonly ProposalXeroAccount[])[]): AccountProposal[] {
  return cwAccounts.map((cw) => {
    if (xeroAccountsByOrg.length > 0 && xeroAccountsByOrg.every((accounts) => accounts.some((a) => a.code === cw.number))) {
      return { cwAccount: cw.number, xeroCode: cw.number, reason: 'same code in Xero' };
    }
    const byName = new Set(xeroAccountsByOrg.flatMap((accounts) => accounts.filter((a) => cw.name && norm(a.name) === norm(cw.name)).map((a) => a.code)));
    if (byName.size === 1) return { cwAccount: cw.number, xeroCode: [...byName][0]!, reason: `same name ("${cw.name}")` };
    if (byName.size > 1) return { cwAccount: cw.number, xeroCode: null, reason: 'the organisations name it with different codes; choose one' };
    return { cwAccount: cw.number, xeroCode: null, reason: 'no Xero account has this code or name' };
  });
}

/**
 * Each ConnectWise tax code → the revenue tax type of the same rate; among
 * several of that rate, the one whose name contains the code or its
 * description — when every organisation picks the same one (the map is one
 * for all of them). Otherwise (different tax types, or the rate missing in
 * an organisation: GST 10% in Australia, none in New Zealand) no entry: each
 * organisation resolves the code by its rate when it is pushed, as without one.
 */
export function proposeTaxMap(cwCodes: readonly ProposalCwTaxCode[], xeroRatesByOrg: readonly (readonly ProposalXeroTaxRate[])[]): TaxProposal[] {
  return cwCodes.map((cw) => {
    if (cw.ratePercent === null) return { cwTaxCode: cw.code, xeroTaxType: null, reason: 'ConnectWise gives it no percent rate to match by; choose one' };
    const chosen = new Set<string>();
    let someOrgHasNone = false;
    for (const rates of xeroRatesByOrg) {
      const candidates = rates.filter((r) => r.revenue && sameRate(r.ratePercent, cw.ratePercent));
      if (candidates.length === 0) {
        someOrgHasNone = true;
        continue;
      }
      const named = candidates.filter((r) => norm(r.name).includes(norm(cw.code)) || (cw.description && norm(cw.description).includes(norm(r.name))));
      const pick = named.length === 1 ? named[0]! : candidates.length === 1 ? candidates[0]! : undefined;
      if (pick) chosen.add(pick.taxType);
      else chosen.add(`?${candidates.length}`);
    }
    const rate = `${Number(cw.ratePercent)}%`;
    if (chosen.size === 0) return { cwTaxCode: cw.code, xeroTaxType: null, reason: `no Xero revenue tax rate of ${rate}` };
    const only = [...chosen][0]!;
    if (chosen.size === 1 && !only.startsWith('?') && !someOrgHasNone) return { cwTaxCode: cw.code, xeroTaxType: only, reason: `same rate (${rate})` };
    // The map is one for every organisation: an entry must hold in each. Without one, each resolves the rate itself.
    if (someOrgHasNone) return { cwTaxCode: cw.code, xeroTaxType: null, reason: `resolved by its rate (${rate}) in the organisations that have it` };
    return { cwTaxCode: cw.code, xeroTaxType: null, reason: `resolved by its rate (${rate}) in each organisation` };
  });
}

export interface MappingProposal {
  locations: (LocationProposal & { name: string })[];
  orgs: ProposalOrg[];
  accounts: AccountProposal[];
  taxes: TaxProposal[];
  /** Per side that could not be read, why (the rest is still proposed). */
  unread: string[];
}

/** Only the entries that change anything: a code mapped to itself needs no entry (unmapped codes are used as they are). */
export function mapEntries(rows: readonly { from: string; to: string | null }[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.to !== null && r.to !== '' && r.to !== r.from).map((r) => [r.from, r.to!]));
}
