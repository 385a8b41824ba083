// ConnectWise customer → Xero contact. The contact is created with the
// customer's first synced invoice and updated whenever ConnectWise changed:
// account name and phone, postal address, billing contact email (so Xero's
// statements reach the right person), primary contact, the invoice's billing
// contact, optional account number. `changed` compares with the contact as Xero
// holds it, so we write only when there is something to write.
import type { CwCompany, CwContact, CwGLExportCustomer, CwInvoice } from '../../shared/cw-types.js';
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { type MappingProblem, ProblemList, WHERE } from './problems.js';
import type { XeroAddress, XeroContactPayload, XeroContactPerson, XeroContactRecord } from './xero-wire.js';

export interface ContactMappingInput {
  company: CwCompany;
  customer?: CwGLExportCustomer;
  /** The company's billing contact (company.billingContact). */
  billingContact?: CwContact;
  /** The company's primary contact (company.defaultContact). */
  primaryContact?: CwContact;
  /** The billing contact named on this invoice, when it differs. */
  invoiceBillingContact?: CwContact;
  /** The invoice, for its billing-site address. */
  invoice?: CwInvoice;
  settings: Pick<InvoiceMappingSettings, 'contactAccountNumber'>;
  /** The linked Xero contact as Xero holds it (wire shape), when there is one. */
  existing?: XeroContactRecord;
}

export interface ContactMappingResult {
  contact: XeroContactPayload;
  /** True when there is no existing contact or a mapped field differs from it. */
  changed: boolean;
  /** Names of the fields that differ (never their values). */
  changedFields: string[];
  problems: MappingProblem[];
}

const NAME_MAX = 255;
const NUMBER_MAX = 50;

/** A contact's default email, else its first email. */
export function contactEmail(contact: CwContact | undefined): string | undefined {
  const emails = (contact?.communicationItems ?? []).filter(
    (c) => (c.communicationType === 'Email' || c.type?.name?.toLowerCase() === 'email') && c.value?.trim(),
  );
  return (emails.find((e) => e.defaultFlag) ?? emails[0])?.value?.trim();
}

function personOf(contact: CwContact, includeInEmails: boolean): XeroContactPerson | null {
  const email = contactEmail(contact);
  const first = contact.firstName?.trim();
  const last = contact.lastName?.trim();
  if (!email && !first && !last) return null;
  return {
    ...(first ? { FirstName: first } : {}),
    ...(last ? { LastName: last } : {}),
    ...(email ? { EmailAddress: email } : {}),
    // Only a person with an address can be sent invoices and statements.
    IncludeInEmails: includeInEmails && email !== undefined,
  };
}

function postalAddress(company: CwCompany, invoice?: CwInvoice): XeroAddress | null {
  // The invoice's billing site is where CW sends this customer's invoices; the company address is the fallback.
  const fromInvoice = invoice?.billingSiteAddressLine1?.trim();
  const a = fromInvoice
    ? {
        AddressLine1: invoice?.billingSiteAddressLine1,
        AddressLine2: invoice?.billingSiteAddressLine2,
        City: invoice?.billingSiteCity,
        Region: invoice?.billingSiteState,
        PostalCode: invoice?.billingSiteZip,
        Country: invoice?.billingSiteCountry,
      }
    : {
        AddressLine1: company.addressLine1,
        AddressLine2: company.addressLine2,
        City: company.city,
        Region: company.state,
        PostalCode: company.zip,
        Country: company.country?.name,
      };
  const out: XeroAddress = { AddressType: 'POBOX' };
  for (const [k, v] of Object.entries(a) as [keyof typeof a, string | undefined][]) {
    if (v?.trim()) out[k] = v.trim();
  }
  return Object.keys(out).length > 1 ? out : null;
}

export function mapContact(input: ContactMappingInput): ContactMappingResult {
  const { company, customer, settings } = input;
  const problems = new ProblemList();
  const name = company.name?.trim().slice(0, NAME_MAX) ?? '';
  if (!name) {
    problems.blocking({
      code: 'contact-name-missing',
      message: 'The ConnectWise company has no name.',
      where: WHERE.cwCompany,
      area: 'connectwise',
      field: 'company.name',
    });
  }
  const billing = input.invoiceBillingContact ?? input.billingContact;
  const email = contactEmail(billing) ?? company.invoiceToEmailAddress?.trim() ?? undefined;
  if (!email) {
    problems.warning({
      code: 'billing-email-missing',
      message: "The customer has no billing contact email; Xero's statements cannot be emailed.",
      where: WHERE.cwCompany,
      area: 'connectwise',
      field: 'company.billingContact',
    });
  }
  const accountNumber = (customer?.accountNumber ?? company.accountNumber)?.trim();
  const primary = input.primaryContact;

  // Billing contacts receive invoices and statements; the company's and the invoice's, once each.
  const persons: XeroContactPerson[] = [];
  for (const c of [input.billingContact, input.invoiceBillingContact]) {
    if (!c) continue;
    const p = personOf(c, true);
    if (p && !persons.some((q) => sameText(q.EmailAddress, p.EmailAddress) && sameText(q.LastName, p.LastName))) {
      persons.push(p);
    }
  }

  const address = postalAddress(company, input.invoice);
  const phone = company.phoneNumber?.trim();
  const contact: XeroContactPayload = {
    Name: name,
    ContactNumber: company.identifier.slice(0, NUMBER_MAX),
    ...(settings.contactAccountNumber && accountNumber ? { AccountNumber: accountNumber.slice(0, NUMBER_MAX) } : {}),
    ...(primary?.firstName?.trim() ? { FirstName: primary.firstName.trim() } : {}),
    ...(primary?.lastName?.trim() ? { LastName: primary.lastName.trim() } : {}),
    ...(email ? { EmailAddress: email } : {}),
    ...(phone ? { Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: phone }] } : {}),
    ...(address ? { Addresses: [address] } : {}),
    ...(persons.length ? { ContactPersons: persons } : {}),
    // IsCustomer is not sent: Xero sets it itself once the contact has a sales invoice.
  };

  const changedFields = input.existing ? contactDifferences(contact, input.existing) : ['new'];
  return { contact, changed: changedFields.length > 0, changedFields, problems: problems.items };
}

function norm(v: string | undefined | null): string {
  return (v ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A text as matchContact compares it (trimmed, spaces collapsed, any case): equal keys, same match. */
export const matchText = norm;

function sameText(a: string | undefined, b: string | undefined): boolean {
  return norm(a) === norm(b);
}

function digits(v: string | undefined): string {
  return (v ?? '').replace(/\D/g, '');
}

/** Which of the fields we own differ between what we would send and what Xero holds. */
export function contactDifferences(mapped: XeroContactPayload, existing: XeroContactRecord): string[] {
  const diff: string[] = [];
  for (const f of ['Name', 'ContactNumber', 'AccountNumber', 'FirstName', 'LastName', 'EmailAddress'] as const) {
    if (f === 'AccountNumber' && mapped.AccountNumber === undefined) continue; // not ours unless the setting says so
    if (!sameText(mapped[f], existing[f])) diff.push(f);
  }
  const mappedPhone = mapped.Phones?.find((p) => p.PhoneType === 'DEFAULT');
  const existingPhone = existing.Phones?.find((p) => p.PhoneType === 'DEFAULT');
  // Xero splits a number into country, area and number; compare the digits.
  const existingDigits = digits(
    `${existingPhone?.PhoneCountryCode ?? ''}${existingPhone?.PhoneAreaCode ?? ''}${existingPhone?.PhoneNumber ?? ''}`,
  );
  if (digits(mappedPhone?.PhoneNumber) !== existingDigits) diff.push('Phones');

  const mappedAddress = mapped.Addresses?.find((a) => a.AddressType === 'POBOX');
  const existingAddress = existing.Addresses?.find((a) => a.AddressType === 'POBOX');
  const addressFields = ['AddressLine1', 'AddressLine2', 'City', 'Region', 'PostalCode', 'Country'] as const;
  if (addressFields.some((f) => !sameText(mappedAddress?.[f], existingAddress?.[f]))) diff.push('Addresses');

  const key = (p: XeroContactPerson) =>
    [norm(p.FirstName), norm(p.LastName), norm(p.EmailAddress), p.IncludeInEmails ? '1' : '0'].join('|');
  const mine = (mapped.ContactPersons ?? []).map(key).sort();
  const theirs = new Set((existing.ContactPersons ?? []).map(key));
  // People added in Xero by hand stay; we only need ours to be there.
  if (mine.some((k) => !theirs.has(k))) diff.push('ContactPersons');
  return diff;
}

// ---- matching ----------------------------------------------------------------

export type ContactMatch =
  | { kind: 'link' | 'number' | 'name'; contact: XeroContactRecord; problems: MappingProblem[] }
  | { kind: 'none'; problems: MappingProblem[] }
  | { kind: 'ambiguous' | 'conflict'; problems: MappingProblem[] };

/**
 * Finds the Xero contact for a CW company without ever duplicating one:
 * 1. the stored CW company → Xero ContactID link;
 * 2. the account number (Xero ContactNumber = CW company identifier, or
 *    Xero AccountNumber = CW account number);
 * 3. the exact name (Xero refuses a second active contact with the same name).
 * Two candidates at one step is ambiguous, and a same-name contact that
 * belongs to another CW company is a conflict: both need a person.
 */
export function matchContact(
  candidates: readonly XeroContactRecord[],
  company: Pick<CwCompany, 'identifier' | 'name' | 'accountNumber'>,
  linkedContactId?: string,
): ContactMatch {
  const active = candidates.filter((c) => c.ContactStatus !== 'ARCHIVED');
  if (linkedContactId) {
    const linked = candidates.find((c) => c.ContactID === linkedContactId);
    if (linked) return { kind: 'link', contact: linked, problems: [] };
  }
  const byNumber = active.filter(
    (c) =>
      (c.ContactNumber && sameText(c.ContactNumber, company.identifier)) ||
      (company.accountNumber?.trim() && c.AccountNumber && sameText(c.AccountNumber, company.accountNumber)),
  );
  if (byNumber.length === 1) return { kind: 'number', contact: byNumber[0]!, problems: [] };
  if (byNumber.length > 1) return ambiguous('account number', byNumber.length);

  const byName = active.filter((c) => sameText(c.Name, company.name));
  if (byName.length > 1) return ambiguous('name', byName.length);
  const named = byName[0];
  if (named) {
    if (named.ContactNumber && !sameText(named.ContactNumber, company.identifier)) {
      return {
        kind: 'conflict',
        problems: [
          {
            code: 'contact-name-taken',
            message: `A Xero contact with this customer's name belongs to another ConnectWise company (${named.ContactNumber}); rename one of them.`,
            where: `${WHERE.xeroContacts} (or ${WHERE.cwCompany})`,
            area: 'xero',
            field: 'company.name',
            severity: 'blocking',
          },
        ],
      };
    }
    return { kind: 'name', contact: named, problems: [] };
  }
  return { kind: 'none', problems: [] };
}

function ambiguous(by: string, count: number): ContactMatch {
  return {
    kind: 'ambiguous',
    problems: [
      {
        code: 'contact-ambiguous',
        message: `${count} Xero contacts match this customer by ${by}; merge or archive the extra ones in Xero.`,
        where: WHERE.xeroContacts,
        area: 'xero',
        field: 'company',
        severity: 'blocking',
      },
    ],
  };
}
