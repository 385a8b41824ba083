import { describe, expect, it } from 'vitest';
import { contactEmail, mapContact, matchContact } from '../../server/domain/contact-mapping.js';
import type { XeroContactRecord } from '../../server/domain/xero-wire.js';
import {
  acmeCompany,
  acmeCustomer,
  bobBilling,
  carolInvoiceBilling,
  harbourCompany,
  harbourCustomer,
  janePrimary,
} from './fixtures/cw-customers.js';

const base = {
  company: acmeCompany,
  customer: acmeCustomer,
  billingContact: bobBilling,
  primaryContact: janePrimary,
  settings: { contactAccountNumber: false },
};

describe('mapContact', () => {
  it('maps account name, identifier, phone, postal address, billing email, primary contact and billing person', () => {
    const r = mapContact(base);
    expect(r.contact).toEqual({
      Name: 'Acme Pty Ltd',
      ContactNumber: 'AcmeAU',
      FirstName: 'Jane',
      LastName: 'Citizen',
      EmailAddress: 'accounts@acme.example',
      Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '02 9876 5432' }],
      Addresses: [
        {
          AddressType: 'POBOX',
          AddressLine1: 'Level 3, 100 George Street',
          City: 'Sydney',
          Region: 'NSW',
          PostalCode: '2000',
          Country: 'Australia',
        },
      ],
      ContactPersons: [{ FirstName: 'Bob', LastName: 'Ledger', EmailAddress: 'accounts@acme.example', IncludeInEmails: true }],
    });
    expect(r.changed).toBe(true);
    expect(r.changedFields).toEqual(['new']);
    expect(r.problems).toEqual([]);
  });

  it('sends the account number only when the setting says so', () => {
    expect(mapContact(base).contact.AccountNumber).toBeUndefined();
    expect(mapContact({ ...base, settings: { contactAccountNumber: true } }).contact.AccountNumber).toBe('ACME001');
  });

  it('the invoice’s billing contact gets the statements email and is added as a person; the invoice’s billing site is the postal address', () => {
    const r = mapContact({
      ...base,
      invoiceBillingContact: carolInvoiceBilling,
      invoice: {
        type: 'Standard',
        billingSiteAddressLine1: 'PO Box 42',
        billingSiteCity: 'Parramatta',
        billingSiteState: 'NSW',
        billingSiteZip: '2150',
        billingSiteCountry: 'Australia',
      },
    });
    expect(r.contact.EmailAddress).toBe('ap@acme.example');
    expect(r.contact.ContactPersons?.map((p) => p.EmailAddress)).toEqual(['accounts@acme.example', 'ap@acme.example']);
    expect(r.contact.Addresses).toEqual([
      { AddressType: 'POBOX', AddressLine1: 'PO Box 42', City: 'Parramatta', Region: 'NSW', PostalCode: '2150', Country: 'Australia' },
    ]);
  });

  it('warns when there is no billing email', () => {
    const r = mapContact({ company: harbourCompany, customer: harbourCustomer, settings: { contactAccountNumber: false } });
    expect(r.contact.EmailAddress).toBeUndefined();
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['billing-email-missing', 'warning']]);
  });

  it('a billing person without an email is listed but not sent invoices', () => {
    const r = mapContact({ ...base, billingContact: { id: 13, firstName: 'No', lastName: 'Email' } });
    expect(r.contact.ContactPersons).toEqual([{ FirstName: 'No', LastName: 'Email', IncludeInEmails: false }]);
  });

  it('picks the default email of a contact', () => {
    expect(contactEmail(bobBilling)).toBe('accounts@acme.example');
    expect(contactEmail(undefined)).toBeUndefined();
  });
});

describe('change detection', () => {
  // The contact as Xero returns it: phone split into parts, extra data Xero keeps.
  const inXero: XeroContactRecord = {
    ContactID: '3a1b2c3d-0000-4000-8000-000000000001',
    ContactStatus: 'ACTIVE',
    Name: 'Acme Pty Ltd',
    ContactNumber: 'AcmeAU',
    FirstName: 'Jane',
    LastName: 'Citizen',
    EmailAddress: 'Accounts@Acme.example',
    Phones: [
      { PhoneType: 'DEFAULT', PhoneAreaCode: '02', PhoneNumber: '9876 5432' },
      { PhoneType: 'MOBILE', PhoneNumber: '0400 000 000' },
    ],
    Addresses: [
      { AddressType: 'POBOX', AddressLine1: 'Level 3, 100 George Street', City: 'Sydney', Region: 'NSW', PostalCode: '2000', Country: 'Australia' },
      { AddressType: 'STREET' },
    ],
    ContactPersons: [
      { FirstName: 'Bob', LastName: 'Ledger', EmailAddress: 'accounts@acme.example', IncludeInEmails: true },
      { FirstName: 'Added', LastName: 'InXero', EmailAddress: 'other@acme.example', IncludeInEmails: false },
    ],
    IsCustomer: true,
    UpdatedDateUTC: '/Date(1700000000000+0000)/',
  };

  it('nothing changed in ConnectWise → no update', () => {
    const r = mapContact({ ...base, existing: inXero });
    expect(r.changedFields).toEqual([]);
    expect(r.changed).toBe(false);
  });

  it('each changed field is named (never its value)', () => {
    const moved = { ...acmeCompany, addressLine1: 'Level 9, 1 Martin Place', phoneNumber: '02 8000 1111', name: 'Acme Group Pty Ltd' };
    const r = mapContact({ ...base, company: moved, existing: inXero });
    expect(r.changed).toBe(true);
    expect(r.changedFields).toEqual(['Name', 'Phones', 'Addresses']);
    const newBilling = mapContact({ ...base, billingContact: carolInvoiceBilling, existing: inXero });
    expect(newBilling.changedFields).toEqual(['EmailAddress', 'ContactPersons']);
    const newPrimary = mapContact({ ...base, primaryContact: { ...janePrimary, lastName: 'Smith' }, existing: inXero });
    expect(newPrimary.changedFields).toEqual(['LastName']);
  });

  it('the account number counts only when we send it', () => {
    const r = mapContact({ ...base, settings: { contactAccountNumber: true }, existing: inXero });
    expect(r.changedFields).toEqual(['AccountNumber']);
    expect(mapContact({ ...base, settings: { contactAccountNumber: true }, existing: { ...inXero, AccountNumber: 'ACME001' } }).changed).toBe(false);
  });
});

describe('matchContact', () => {
  const linked: XeroContactRecord = { ContactID: 'c-linked', Name: 'Acme (renamed in Xero)', ContactNumber: 'AcmeAU', ContactStatus: 'ACTIVE' };
  const byNumber: XeroContactRecord = { ContactID: 'c-number', Name: 'ACME PTY LTD.', ContactNumber: 'AcmeAU', ContactStatus: 'ACTIVE' };
  const byAccount: XeroContactRecord = { ContactID: 'c-account', Name: 'Acme Accounts', AccountNumber: 'ACME001', ContactStatus: 'ACTIVE' };
  const byName: XeroContactRecord = { ContactID: 'c-name', Name: 'acme pty ltd', ContactStatus: 'ACTIVE' };
  const otherCompanysName: XeroContactRecord = { ContactID: 'c-other', Name: 'Acme Pty Ltd', ContactNumber: 'AcmeNZ', ContactStatus: 'ACTIVE' };

  it('stored link first', () => {
    const m = matchContact([byName, byNumber, linked], acmeCompany, 'c-linked');
    expect(m.kind).toBe('link');
    expect(m.kind === 'link' && m.contact.ContactID).toBe('c-linked');
  });

  it('then account number (our ContactNumber, or Xero’s AccountNumber)', () => {
    const m = matchContact([byName, byNumber], acmeCompany, 'c-gone');
    expect(m.kind === 'number' && m.contact.ContactID).toBe('c-number');
    const a = matchContact([byName, byAccount], acmeCompany);
    expect(a.kind === 'number' && a.contact.ContactID).toBe('c-account');
  });

  it('then exact name (ignoring case and spacing)', () => {
    const m = matchContact([byName], acmeCompany);
    expect(m.kind === 'name' && m.contact.ContactID).toBe('c-name');
  });

  it('none → create', () => {
    expect(matchContact([], acmeCompany)).toEqual({ kind: 'none', problems: [] });
    expect(matchContact([{ ...byName, ContactStatus: 'ARCHIVED' }], acmeCompany).kind).toBe('none');
  });

  it('never guesses: two candidates are ambiguous, a same-name contact of another CW company is a conflict', () => {
    const two = matchContact([byNumber, { ...byAccount, ContactNumber: 'AcmeAU' }], acmeCompany);
    expect(two.kind).toBe('ambiguous');
    expect(two.problems[0]).toMatchObject({ code: 'contact-ambiguous', severity: 'blocking' });
    const names = matchContact([byName, { ...byName, ContactID: 'c-name-2' }], acmeCompany);
    expect(names.kind).toBe('ambiguous');
    const conflict = matchContact([otherCompanysName], acmeCompany);
    expect(conflict.kind).toBe('conflict');
    expect(conflict.problems[0]?.code).toBe('contact-name-taken');
  });
});
