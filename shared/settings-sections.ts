// The settings pod's name and the titles of its cards, in one place: the pod
// titles its cards with these, and the server's "where to fix it" names them
// with the same words (a person reads "CW–Xero Sync settings › Xero connections"
// and finds a card with exactly that title).
export const SETTINGS_POD_TITLE = 'CW–Xero Sync settings';

export const SETTINGS_CARD = {
  connections: 'Xero connections',
  locations: 'Billing locations → Xero organisations',
  expenses: 'Expenses',
  purchaseOrders: 'Purchase orders',
} as const;

/** The sections of the Expenses card (the server's "where to fix it" names them too). */
export const EXPENSE_SECTION = {
  wisePay: 'Wise-Pay',
  taxTypes: 'Tax types',
} as const;

/** "CW–Xero Sync settings › <card title>". */
export function settingsWhere(card: keyof typeof SETTINGS_CARD): string {
  return `${SETTINGS_POD_TITLE} › ${SETTINGS_CARD[card]}`;
}
