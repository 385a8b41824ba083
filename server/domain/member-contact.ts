// ConnectWise member → Xero supplier contact, for expense bills. Created with the
// member's first bill and updated when ConnectWise changed (the customer
// contacts' rules: contact-mapping.ts). ContactNumber = prefix + member
// identifier, so a member never takes a customer's contact (customers carry
// their company identifier). Only what a bill needs: name and email.
import type { CwMember } from '../../shared/cw-types.js';
import type { ExpenseSettings } from '../../shared/expense-settings.js';
import { type ContactMappingResult, type ContactMatch, contactDifferences, matchContact } from './contact-mapping.js';
import { ProblemList } from './problems.js';
import type { XeroContactPayload, XeroContactRecord } from './xero-wire.js';

const NAME_MAX = 255;
const NUMBER_MAX = 50;

export function memberContactNumber(member: Pick<CwMember, 'identifier'>, settings: Pick<ExpenseSettings, 'memberContactPrefix'>): string {
  return `${settings.memberContactPrefix}${member.identifier}`.slice(0, NUMBER_MAX);
}

export function memberName(member: Pick<CwMember, 'firstName' | 'lastName' | 'identifier'>): string {
  return [member.firstName?.trim(), member.lastName?.trim()].filter(Boolean).join(' ').slice(0, NAME_MAX);
}

export function mapMemberContact(input: {
  member: CwMember;
  settings: Pick<ExpenseSettings, 'memberContactPrefix'>;
  existing?: XeroContactRecord;
}): ContactMappingResult {
  const { member } = input;
  const problems = new ProblemList();
  const name = memberName(member);
  if (!name) {
    problems.blocking({
      code: 'contact-name-missing',
      message: `ConnectWise member ${member.identifier} has no name.`,
      where: 'ConnectWise › System › Members (this member)',
      area: 'connectwise',
      field: 'member.firstName',
    });
  }
  const email = (member.officeEmail ?? member.primaryEmail ?? '').trim();
  const contact: XeroContactPayload = {
    Name: name,
    ContactNumber: memberContactNumber(member, input.settings),
    ...(member.firstName?.trim() ? { FirstName: member.firstName.trim() } : {}),
    ...(member.lastName?.trim() ? { LastName: member.lastName.trim() } : {}),
    ...(email ? { EmailAddress: email } : {}),
    // IsSupplier is not sent: Xero sets it itself once the contact has a bill.
  };
  // Phones and addresses are not ours for a member: what Xero holds there is left alone.
  const changedFields = input.existing
    ? contactDifferences(contact, input.existing).filter((f) => f !== 'Phones' && f !== 'Addresses' && f !== 'ContactPersons')
    : ['new'];
  return { contact, changed: changedFields.length > 0, changedFields, problems: problems.items };
}

/** The member's Xero contact: stored link → contact number → exact name (a customer's contact is never taken). */
export function matchMemberContact(
  candidates: readonly XeroContactRecord[],
  member: CwMember,
  settings: Pick<ExpenseSettings, 'memberContactPrefix'>,
  linkedContactId?: string,
): ContactMatch {
  return matchContact(candidates, { identifier: memberContactNumber(member, settings), name: memberName(member) }, linkedContactId);
}
