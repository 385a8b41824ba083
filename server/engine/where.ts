// "Where to fix it": one table, naming the settings pod's sections exactly as
// its cards are titled and ConnectWise's and Xero's screens by their menus.
// Every problem the engine, the views and the runs show takes its `where` from here.
export { WHERE } from '../domain/problems.js';
import { WHERE } from '../domain/problems.js';
import { RESOLVER_WHERE } from '../xero/location-map.js';
import { WHERE_EXPENSE } from '../domain/expense-items.js';

/** Where a person fixes what a stored code says (the ledger and run rows keep the code, not the place). */
export const WHERE_BY_CODE: Record<string, string> = {
  // Which organisation a location books into: as the resolver says it.
  ...RESOLVER_WHERE,
  'contact-name-taken': `${WHERE.xeroContacts} (or ${WHERE.cwCompany})`,
  'contact-ambiguous': WHERE.xeroContacts,
  xero_contact_rejected: `${WHERE.cwCompany} or ${WHERE.xeroContacts}`,
  xero_not_editable: 'Xero',
  xero_number_taken: `Xero (or ${WHERE.settingsNumbering})`,
  xero_validation: 'Xero',
  xero_conflict: 'Xero',
  xero_unauthorised: WHERE.settingsXero,
  cw_already_posted: WHERE.cwBatches,
  cw_posted_elsewhere: WHERE.cwBatches,
  allocation_target_missing: WHERE.cwInvoices,
  changed_since_sync: WHERE.cwInvoice,
  xero_payment_refused: `Xero (or ${WHERE_EXPENSE.settingsWisePay})`,
  // An expense report held until its approval releases it (domain/expense-grouping.ts expenseRelease).
  'expense-not-approved': 'ConnectWise › Time & Expense › Expense approvals',
};

export function whereFor(code: string): string | undefined {
  return WHERE_BY_CODE[code];
}
