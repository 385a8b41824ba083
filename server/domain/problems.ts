// What stops (or merely qualifies) a push, in words a person can act on.
// A problem's code, field, line and area carry identifiers only and may be
// stored or logged. Its message is for the person looking at the dialog: it
// names CW codes and ids, and for a total mismatch the size of the difference
// ("0.01 higher"), never names or addresses — persist the code, not the message.

export type ProblemArea = 'connectwise' | 'settings' | 'xero';

export interface MappingProblem {
  /** Stable machine code, e.g. "account-unknown". */
  code: string;
  /** One sentence saying what is wrong. */
  message: string;
  /** Where to fix it, in words: "ConnectWise › Finance › GL accounts", "Sync settings › Tax mapping". */
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
  cwProduct: 'ConnectWise › Procurement › Product Catalog',
  cwCompany: 'ConnectWise › Companies (this customer)',
  settingsAccounts: 'Sync settings › Account mapping',
  settingsTax: 'Sync settings › Tax mapping',
  settingsItems: 'Sync settings › Items',
  settingsRounding: 'Sync settings › Rounding',
  settingsTracking: 'Sync settings › Tracking',
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
