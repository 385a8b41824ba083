// Xero's document statuses in the words Xero's own screens use ("Awaiting
// payment", not AUTHORISED): the one table for every surface, the pods and
// the server's words (reconcile rows, notes) alike.
const XERO_STATUS_WORDS: Record<string, string> = {
  DRAFT: 'Draft',
  SUBMITTED: 'Awaiting approval',
  AUTHORISED: 'Awaiting payment',
  PAID: 'Paid',
  VOIDED: 'Voided',
  DELETED: 'Deleted',
  // A manual journal's.
  POSTED: 'Posted',
};

/** A Xero status code in Xero's words; an unknown code as it came (never blank). */
export function xeroStatusWords(status: string): string {
  return XERO_STATUS_WORDS[status.toUpperCase()] ?? status;
}
