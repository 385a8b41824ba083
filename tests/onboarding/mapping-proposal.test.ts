// The mappings proposed at onboarding (shared/mapping-proposal.ts): locations
// → organisations by currency and country, accounts by code then name, tax by
// rate then name; ties and misses propose nothing and say why.
import { describe, expect, it } from 'vitest';
import { mapEntries, proposeAccountMap, proposeLocationMap, proposeTaxMap, type ProposalOrg } from '../../shared/mapping-proposal.js';

const AU: ProposalOrg = { xeroTenantId: 'au', name: 'Harbour AU', baseCurrency: 'AUD', country: 'AU' };
const NZ: ProposalOrg = { xeroTenantId: 'nz', name: 'Kiwi NZ', baseCurrency: 'NZD', country: 'NZ' };
const AU2: ProposalOrg = { xeroTenantId: 'au2', name: 'Second AU', baseCurrency: 'AUD', country: 'AU' };

describe('locations → organisations', () => {
  it('matches currency and country, currency alone, country alone', () => {
    const p = proposeLocationMap(
      [
        { id: 1, name: 'Sydney', country: 'AU', currencies: ['AUD', 'USD'] },
        { id: 2, name: 'Auckland', country: null, currencies: ['NZD'] },
        { id: 3, name: 'Wellington', country: 'NZ', currencies: [] },
      ],
      [AU, NZ],
    );
    expect(p).toEqual([
      { cwLocationId: 1, xeroTenantId: 'au', reason: 'same currency AUD and country AU' },
      { cwLocationId: 2, xeroTenantId: 'nz', reason: 'same currency NZD' },
      { cwLocationId: 3, xeroTenantId: 'nz', reason: 'same country NZ' },
    ]);
  });
  it('currency outweighs country; a tie or no fit proposes nothing and says why', () => {
    const p = proposeLocationMap(
      [
        { id: 1, name: 'Sydney NZ desk', country: 'AU', currencies: ['NZD'] },
        { id: 2, name: 'Melbourne', country: 'AU', currencies: ['AUD'] },
        { id: 3, name: 'London', country: 'GB', currencies: ['GBP'] },
        { id: 4, name: 'Nowhere', country: null, currencies: [] },
      ],
      [AU, NZ, AU2],
    );
    expect(p[0]).toMatchObject({ xeroTenantId: 'nz' });
    expect(p[1]).toEqual({ cwLocationId: 2, xeroTenantId: null, reason: 'Harbour AU and Second AU fit equally; choose one' });
    expect(p[2]).toEqual({ cwLocationId: 3, xeroTenantId: null, reason: 'no connected organisation has its currency GBP or country GB' });
    expect(p[3]!.xeroTenantId).toBeNull();
    expect(proposeLocationMap([{ id: 1, name: 'x', country: 'AU', currencies: ['AUD'] }], [])[0]!.xeroTenantId).toBeNull();
  });
});

describe('accounts by code, then name', () => {
  it('keeps a code every organisation has, maps by name where the code differs, names a miss', () => {
    const au = [{ code: '200', name: 'Sales' }, { code: '260', name: 'Other Revenue' }, { code: '4100', name: 'Hardware Sales' }];
    const nz = [{ code: '200', name: 'Sales' }, { code: '4100', name: 'Hardware sales' }];
    expect(
      proposeAccountMap(
        [
          { number: '200', name: 'Sales' },
          { number: '4000', name: 'hardware  sales' },
          { number: '260', name: 'Other Revenue' },
          { number: '9999', name: 'Suspense' },
        ],
        [au, nz],
      ),
    ).toEqual([
      { cwAccount: '200', xeroCode: '200', reason: 'same code in Xero' },
      { cwAccount: '4000', xeroCode: '4100', reason: 'same name ("hardware  sales")' },
      { cwAccount: '260', xeroCode: '260', reason: 'same name ("Other Revenue")' },
      { cwAccount: '9999', xeroCode: null, reason: 'no Xero account has this code or name' },
    ]);
  });
  it('different codes for one name in two organisations propose nothing', () => {
    const r = proposeAccountMap([{ number: '4000', name: 'Services' }], [[{ code: '210', name: 'Services' }], [{ code: '220', name: 'Services' }]]);
    expect(r[0]).toEqual({ cwAccount: '4000', xeroCode: null, reason: 'the organisations name it with different codes; choose one' });
  });
});

describe('tax by rate, then name', () => {
  const auRates = [
    { taxType: 'OUTPUT', name: 'GST on Income', ratePercent: '10', revenue: true },
    { taxType: 'INPUT', name: 'GST on Expenses', ratePercent: '10', revenue: false },
    { taxType: 'EXEMPTOUTPUT', name: 'GST Free Income', ratePercent: '0', revenue: true },
    { taxType: 'BASEXCLUDED', name: 'BAS Excluded', ratePercent: '0', revenue: true },
  ];
  const nzRates = [
    { taxType: 'OUTPUT2', name: 'GST on Income', ratePercent: '15', revenue: true },
    { taxType: 'ZERORATED', name: 'Zero Rated', ratePercent: '0', revenue: true },
  ];
  it('a rate some organisation lacks, or several of it, is left to each organisation; none of the rate is said', () => {
    const r = proposeTaxMap(
      [
        { code: 'GST', description: 'Goods and Services Tax (Australia) 10%', ratePercent: '10' },
        { code: 'NZGST', description: 'Goods and Services Tax (New Zealand) 15%', ratePercent: '15.000' },
        { code: 'EXEMPT', description: 'Tax exempt', ratePercent: '0' },
        { code: 'VAT', description: 'VAT 20%', ratePercent: '20' },
      ],
      [auRates, nzRates],
    );
    expect(r).toEqual([
      { cwTaxCode: 'GST', xeroTaxType: null, reason: 'resolved by its rate (10%) in the organisations that have it' },
      { cwTaxCode: 'NZGST', xeroTaxType: null, reason: 'resolved by its rate (15%) in the organisations that have it' },
      { cwTaxCode: 'EXEMPT', xeroTaxType: null, reason: 'resolved by its rate (0%) in each organisation' },
      { cwTaxCode: 'VAT', xeroTaxType: null, reason: 'no Xero revenue tax rate of 20%' },
    ]);
  });
  it('among several of the rate, the name decides', () => {
    const r = proposeTaxMap([{ code: 'EXEMPT', description: 'GST Free Income', ratePercent: '0' }], [auRates]);
    expect(r[0]).toEqual({ cwTaxCode: 'EXEMPT', xeroTaxType: 'EXEMPTOUTPUT', reason: 'same rate (0%)' });
  });
  it('the same tax type in every organisation is proposed; a code ConnectWise gives no percent rate is not', () => {
    const r = proposeTaxMap(
      [
        { code: 'GST', description: 'GST', ratePercent: '10' },
        { code: 'LEVY', description: 'A flat levy', ratePercent: null },
      ],
      [auRates, auRates],
    );
    expect(r).toEqual([
      { cwTaxCode: 'GST', xeroTaxType: 'OUTPUT', reason: 'same rate (10%)' },
      { cwTaxCode: 'LEVY', xeroTaxType: null, reason: 'ConnectWise gives it no percent rate to match by; choose one' },
    ]);
  });
});

describe('map entries', () => {
  it('only entries that change something', () => {
    expect(mapEntries([{ from: '200', to: '200' }, { from: '4000', to: '4100' }, { from: '9', to: null }, { from: '8', to: '' }])).toEqual({ '4000': '4100' });
  });
});

describe("a ConnectWise location's country", () => {
  it('is read as its ISO code, by English name or code; an unknown name is none', async () => {
    const { countryCodeOf } = await import('../../server/onboarding/proposal.js');
    expect(countryCodeOf('Australia')).toBe('AU');
    expect(countryCodeOf(' new zealand ')).toBe('NZ');
    expect(countryCodeOf('nz')).toBe('NZ');
    expect(countryCodeOf('Atlantis')).toBeNull();
    expect(countryCodeOf(undefined)).toBeNull();
  });
});
