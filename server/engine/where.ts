// "Where to fix it": one table, naming the settings pod's sections exactly as
// its cards are titled and ConnectWise's and Xero's screens by their menus.
// Every problem the engine, the views and the runs show takes its `where` from here.
export { WHERE } from '../domain/problems.js';
import { WHERE } from '../domain/problems.js';

/** Where a person fixes what a stored code says (the ledger and run rows keep the code, not the place). */
export const WHERE_BY_CODE: Record<string, string> = {
  'contact-name-taken': `${WHERE.xeroContacts} (or ${WHERE.cwCompany})`,
  'contact-ambiguous': WHERE.xeroContacts,
  xero_contact_rejected: `${WHERE.cwCompany} or ${WHERE.xeroContacts}`,
  xero_not_editable: 'Xero',
  xero_number_taken: `Xero (or ${WHERE.settingsNumbering})`,
  xero_validation: 'Xero',
  xero_conflict: 'Xero',
  xero_unauthorised: WHERE.settingsXero,
  xero_org_not_connected: WHERE.settingsXero,
  xero_needs_reconnect: WHERE.settingsXero,
  xero_org_taken: WHERE.settingsLocations,
  location_missing_org: WHERE.settingsLocations,
  cw_already_posted: WHERE.cwBatches,
  cw_posted_elsewhere: WHERE.cwBatches,
  allocation_target_missing: WHERE.cwInvoices,
  location_missing: WHERE.cwInvoice,
  location_not_mapped: WHERE.settingsLocations,
  changed_since_sync: WHERE.cwInvoice,
};

export function whereFor(code: string): string | undefined {
  return WHERE_BY_CODE[code];
}
