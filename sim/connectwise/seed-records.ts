// Builders the seeds share: a record's _info link and a company contact with
// its email and phone communication items, as ConnectWise returns them.
import type { CwContact } from '../../shared/cw-types.js';

export const API_BASE = '/v4_6_release/apis/3.0';

export const info = (kind: string, id: number) => ({ [`${kind}_href`]: `${API_BASE}/${kind}/${id}` });

export const COUNTRY_IDS: Record<string, number> = { Australia: 14, 'New Zealand': 157, 'United States': 1 };

export interface SeedAddress {
  line1: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

/** A contact of a company: person = [first name, last name, email, direct phone]. */
export function seedContact(id: number, company: { id: number; identifier: string; name: string }, address: SeedAddress, person: [string, string, string, string], title: string, billing: boolean): CwContact {
  return {
    id,
    firstName: person[0],
    lastName: person[1],
    company: { id: company.id, identifier: company.identifier, name: company.name },
    site: { id: company.id * 10, name: 'Main' },
    addressLine1: address.line1,
    city: address.city,
    state: address.state,
    zip: address.zip,
    country: { id: COUNTRY_IDS[address.country]!, name: address.country },
    title,
    inactiveFlag: false,
    defaultFlag: !billing,
    defaultBillingFlag: billing,
    defaultPhoneType: 'Direct',
    defaultPhoneNbr: person[3],
    communicationItems: [
      { id: id * 10 + 1, type: { id: 1, name: 'Email' }, value: person[2], defaultFlag: true, communicationType: 'Email' },
      { id: id * 10 + 2, type: { id: 2, name: 'Direct' }, value: person[3], defaultFlag: true, communicationType: 'Phone' },
    ],
    _info: info('company/contacts', id),
  };
}
