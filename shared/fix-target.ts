// Where a "Fix in …" hint leads: the one map from a problem's `where` words to
// the place that opens — a section of the settings pod (our settings page at
// `#<section id>`, scrolled to and highlighted) or a ConnectWise record's
// screen (the Hosted API's `openScreen`). The server states `where` with the
// settings pod's own titles (shared/settings-sections.ts) and ConnectWise's
// menus; the pods turn it into a link with fixTarget and nothing else.
import { SETTINGS_SECTIONS, sectionWhere, type SettingsSectionId } from './settings-sections.js';

/** Which record's id a ConnectWise screen needs (the pod supplies it when it knows it). */
export type CwRecord = 'invoice' | 'company' | 'product' | 'member' | 'purchaseorder' | 'expensereport';

export type FixTarget =
  | { kind: 'settings'; section: SettingsSectionId }
  | { kind: 'connectwise'; screen: string; record: CwRecord };

/** The ids of the records the hint is about, as far as the pod knows them. */
export type FixRecords = Partial<Record<CwRecord, number | null | undefined>>;

/** ConnectWise screens of one record, by the words the server's `where` names them with. */
const CW_SCREENS: readonly [words: string, screen: string, record: CwRecord][] = [
  ['ConnectWise › Finance › Invoices (this invoice)', 'invoice', 'invoice'],
  ['ConnectWise › Companies (this customer)', 'company', 'company'],
  ['ConnectWise › Companies (this vendor)', 'company', 'company'],
  ['ConnectWise › Procurement › Product Catalog', 'product', 'product'],
  ['ConnectWise › System › Members (this member)', 'member', 'member'],
  ['ConnectWise › Procurement › Purchase Orders (this purchase order)', 'purchaseorder', 'purchaseorder'],
  ['ConnectWise › Time & Expense › Expense reports (this report)', 'expensereport', 'expensereport'],
];

const CANDIDATES: readonly { words: string; target: FixTarget }[] = [
  ...(Object.keys(SETTINGS_SECTIONS) as SettingsSectionId[]).map((section) => ({ words: sectionWhere(section), target: { kind: 'settings', section } as FixTarget })),
  ...CW_SCREENS.map(([words, screen, record]) => ({ words, target: { kind: 'connectwise', screen, record } as FixTarget })),
];

/** A place's words end where the text ends or a separator follows (not inside a longer title). */
function endsCleanly(where: string, end: number): boolean {
  if (end === where.length) return true;
  return /^( \(| or |\)|,|;|\.| ›)/.test(where.slice(end));
}

/**
 * The place a hint's words name first (the fix; "(or …)" is the alternative),
 * the deepest section when it names one. Undefined when it names no place we
 * can open (Xero's screens, a ConnectWise list).
 */
export function fixTarget(where: string | null | undefined): FixTarget | undefined {
  if (!where) return undefined;
  let best: { at: number; len: number; target: FixTarget } | undefined;
  for (const c of CANDIDATES) {
    let at = where.indexOf(c.words);
    while (at >= 0 && !endsCleanly(where, at + c.words.length)) at = where.indexOf(c.words, at + 1);
    if (at < 0) continue;
    if (!best || at < best.at || (at === best.at && c.words.length > best.len)) best = { at, len: c.words.length, target: c.target };
  }
  return best?.target;
}

/** The settings page of this tenant, opened at `section` (same query as the pod page that links to it). */
export function settingsFixUrl(section: SettingsSectionId, loc: { pathname: string; search: string }): string {
  const params = new URLSearchParams(loc.search);
  const tenant = params.get('tenant');
  const q = new URLSearchParams();
  if (tenant) q.set('tenant', tenant);
  q.set('view', 'window');
  const path = loc.pathname.replace(/[^/]*$/, 'settings.html');
  return `${path}?${q.toString()}#${section}`;
}
