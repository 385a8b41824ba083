// What stops (or merely qualifies) a push, in words a person can act on.
// A problem's code, field, line and area carry identifiers only and may be
// stored or logged. Its message is for the person looking at the dialog: it
// names CW codes and ids, and for a total mismatch the size of the difference
// ("0.01 higher"), never names or addresses — persist the code, not the message.

import { sectionWhere, settingsWhere } from '../../shared/settings-sections.js';

export type ProblemArea = 'connectwise' | 'settings' | 'xero';

export interface MappingProblem {
  /** Stable machine code, e.g. "account-unknown". */
  code: string;
  /** One sentence saying what is wrong. */
  message: string;
  /** Where to fix it, in words: "ConnectWise › Finance › GL accounts", "CW–Xero Sync settings › Invoices › Tax codes". */
  where: string;
  area: ProblemArea;
  /** The input field the problem is about, e.g. "detail[2].accountNumber". */
  field: string;
  /** blocking: the push is refused until fixed; warning: pushed as shown, with a note. */
  severity: 'blocking' | 'warning';
  /** 1-based line of the Xero document, when the problem is about one line. */
  line?: number;
}

export const WHERE = {
  cwGlAccounts: 'ConnectWise › System › Setup Tables › GL Accounts (Accounting Interface)',
  cwTaxCodes: 'ConnectWise › System › Setup Tables › Tax Codes',
  cwInvoice: 'ConnectWise › Finance › Invoices (this invoice)',
  cwInvoices: 'ConnectWise › Finance › Invoices',
  cwBatches: 'ConnectWise › Finance › Accounting Interface › Batches',
  cwProduct: 'ConnectWise › Procurement › Product Catalog',
  cwCompany: 'ConnectWise › Companies (this customer)',
  // The settings pod's cards and sections, exactly as titled there.
  settingsAccounts: sectionWhere('invoices-accounts'),
  settingsTax: sectionWhere('invoices-tax'),
  settingsItems: sectionWhere('invoices'),
  settingsRounding: sectionWhere('invoices'),
  settingsNumbering: sectionWhere('invoices'),
  settingsStatus: sectionWhere('invoices'),
  settingsTracking: 'CW–Xero Sync settings › Tracking',
  settingsXero: settingsWhere('connections'),
  settingsLocations: settingsWhere('locations'),
  xeroAccounts: 'Xero › Accounting › Chart of accounts',
  xeroTaxRates: 'Xero › Accounting › Tax rates',
  xeroCurrencies: 'Xero › Settings › Currencies',
  xeroTracking: 'Xero › Settings › Tracking categories',
  xeroContacts: 'Xero › Contacts',
} as const;

export function isBlocking(problems: readonly MappingProblem[]): boolean {
  return problems.some((p) => p.severity === 'blocking');
}

/** Collects problems, once each (same code and field), in the order found. */
export class ProblemList {
  readonly items: MappingProblem[] = [];
  private readonly seen = new Set<string>();

  add(p: MappingProblem): void {
    const key = `${p.code}|${p.field}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(p);
  }

  blocking(p: Omit<MappingProblem, 'severity'>): void {
    this.add({ ...p, severity: 'blocking' });
  }

  warning(p: Omit<MappingProblem, 'severity'>): void {
    this.add({ ...p, severity: 'warning' });
  }
}
