// The settings pod's name and the titles of its cards, in one place: the pod
// titles its cards with these, and the server's "where to fix it" names them
// with the same words (a person reads "CW–Xero Sync settings › Xero connections"
// and finds a card with exactly that title).
export const SETTINGS_POD_TITLE = 'CW–Xero Sync settings';

export const SETTINGS_CARD = {
  connections: 'Xero connections',
  locations: 'Billing locations → Xero organisations',
  invoices: 'Invoices',
  expenses: 'Expenses',
  purchaseOrders: 'Purchase orders',
  payments: 'Payments from Xero',
  pushers: 'Who can push',
  admins: 'Who can change these settings',
  alerts: 'Alerts',
  tracking: 'Tracking',
} as const;

/** The sections of the Invoices card. */
export const INVOICE_SECTION = {
  accounts: 'Account codes',
  taxCodes: 'Tax codes',
} as const;

/** The sections of the Expenses card (the server's "where to fix it" names them too). */
export const EXPENSE_SECTION = {
  wisePay: 'Wise-Pay',
  taxTypes: 'Tax types',
} as const;

/** The sections of the Purchase orders card. */
export const PURCHASE_ORDER_SECTION = {
  warehouses: 'Warehouse accounts',
} as const;

/**
 * Every place of the settings pod a "Fix in" hint can open: its id (the
 * settings page's fragment, `settings.html#invoices-tax`, and the heading's
 * data-section) and its path of titles, card first.
 */
export const SETTINGS_SECTIONS = {
  connections: [SETTINGS_CARD.connections],
  locations: [SETTINGS_CARD.locations],
  invoices: [SETTINGS_CARD.invoices],
  'invoices-accounts': [SETTINGS_CARD.invoices, INVOICE_SECTION.accounts],
  'invoices-tax': [SETTINGS_CARD.invoices, INVOICE_SECTION.taxCodes],
  expenses: [SETTINGS_CARD.expenses],
  'expenses-wise-pay': [SETTINGS_CARD.expenses, EXPENSE_SECTION.wisePay],
  'expenses-tax': [SETTINGS_CARD.expenses, EXPENSE_SECTION.taxTypes],
  'purchase-orders': [SETTINGS_CARD.purchaseOrders],
  'purchase-orders-warehouses': [SETTINGS_CARD.purchaseOrders, PURCHASE_ORDER_SECTION.warehouses],
  payments: [SETTINGS_CARD.payments],
  pushers: [SETTINGS_CARD.pushers],
  admins: [SETTINGS_CARD.admins],
  alerts: [SETTINGS_CARD.alerts],
  tracking: [SETTINGS_CARD.tracking],
} as const satisfies Record<string, readonly string[]>;
export type SettingsSectionId = keyof typeof SETTINGS_SECTIONS;

/** "CW–Xero Sync settings › <card title>". */
export function settingsWhere(card: keyof typeof SETTINGS_CARD): string {
  return `${SETTINGS_POD_TITLE} › ${SETTINGS_CARD[card]}`;
}

/** "CW–Xero Sync settings › <card title> › <section title>". */
export function sectionWhere(section: SettingsSectionId): string {
  return [SETTINGS_POD_TITLE, ...SETTINGS_SECTIONS[section]].join(' › ');
}
