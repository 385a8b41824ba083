// What the ledger and the bulk run tables may keep of a problem: its code and
// words that carry no accounting data. Xero's validation words and the
// mapping's problem messages can state amounts, names or line text (e.g.
// "The contact name … is already assigned", "Xero's total would be 0.01
// lower"), so they reach the person in the answer but are stored as a code
// plus a fixed sentence; the invoice's dialog computes the full words live.

/** Codes whose message quotes what Xero answered. */
const XERO_WORDS: Record<string, string> = {
  xero_validation: 'Xero refused this record (validation). Open the invoice in ConnectWise and press "Sync to Xero" to see Xero\'s words.',
  xero_contact_rejected: 'Xero refused the customer (validation). Open the invoice in ConnectWise and press "Sync to Xero" to see Xero\'s words.',
};

/** A NeedsAttention (or failed record) message as it may be stored. */
export function storableMessage(code: string, message: string): string {
  return XERO_WORDS[code] ?? message;
}

/** A mapping problem (server/domain) as it may be stored: its code only, never its message. */
export function storableProblemMessage(code: string): string {
  return `This invoice needs attention (${code}). Open it in ConnectWise and press "Sync to Xero" to see why and where to fix it.`;
}
