// THE tracking rule, for every line of every document kind (invoices, credit
// notes, expense bills, purchase bills, inventory and cost-of-sale journals):
// CW structures (billing location, department / business unit, GL class,
// product sub-category) → up to two Xero tracking categories, per organisation
// (`trackingByOrganisation`, else the tenant-wide `tracking`).
//
// - a line whose CW value the admin has not mapped BLOCKS, naming the value and
//   where to map it: never a silently untracked line;
// - a mapped option that Xero does not have (or has archived) blocks too,
//   because Xero would refuse the line (the settings can create it);
// - a record that has no value at all for a rule's structure (an invoice
//   without a department, an inventory transfer without a GL class) goes
//   untracked in that category, with a warning saying so.
import { TRACKING_SOURCE_LABEL, type InvoiceMappingSettings, type TrackingRule } from '../../shared/invoice-settings.js';
import { type ProblemList, WHERE } from './problems.js';
import type { XeroRefs } from './xero-refs.js';
import type { XeroTracking } from './xero-wire.js';

export type TrackingSource = TrackingRule['source'];

/** A record's or a line's CW values (ids as numbers or text); absent = the record has none. */
export type TrackingSources = Partial<Record<TrackingSource, string | number | null | undefined>>;

/** The rules of the organisation a record books into, and the record's own values (a line's values come first). */
export interface RecordTracking {
  rules: readonly TrackingRule[];
  sources: TrackingSources;
}

/** The rules that apply to documents of one Xero organisation. */
export function trackingRulesFor(settings: Pick<InvoiceMappingSettings, 'tracking' | 'trackingByOrganisation'>, xeroTenantId: string | null | undefined): TrackingRule[] {
  return (xeroTenantId ? settings.trackingByOrganisation[xeroTenantId] : undefined) ?? settings.tracking;
}

function valueOf(v: string | number | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s ? s : null;
}

export function mapTracking(
  rules: readonly TrackingRule[],
  sources: TrackingSources,
  refs: XeroRefs,
  problems: ProblemList,
  at: { field: string; line: number },
): XeroTracking[] {
  const out: XeroTracking[] = [];
  for (const rule of rules) {
    const what = TRACKING_SOURCE_LABEL[rule.source];
    const value = valueOf(sources[rule.source]);
    if (!value) {
      problems.warning({
        code: 'tracking-no-value',
        message: `Lines without a ConnectWise ${what} (line ${at.line} first) go untracked in Xero tracking category "${rule.categoryName}".`,
        where: WHERE.settingsTracking,
        area: 'settings',
        field: `tracking.${rule.source}`,
        line: at.line,
      });
      continue;
    }
    const option = rule.options[value];
    if (!option) {
      problems.blocking({
        code: 'tracking-unmapped',
        message: `ConnectWise ${what} "${value}" has no option in Xero tracking category "${rule.categoryName}": map it to an option (or create the option) in the tracking settings.`,
        where: WHERE.settingsTracking,
        area: 'settings',
        field: `tracking.${rule.source}.${value}`,
        line: at.line,
      });
      continue;
    }
    const category = refs.trackingCategories.find((c) => c.Name.toLowerCase() === rule.categoryName.toLowerCase());
    const xeroOption = category?.Options.find((o) => o.Name.toLowerCase() === option.toLowerCase());
    if (!category || category.Status !== 'ACTIVE' || !xeroOption || xeroOption.Status !== 'ACTIVE') {
      problems.blocking({
        code: 'tracking-option-unknown',
        message: `Xero has no active tracking option "${option}" in category "${rule.categoryName}" (for ConnectWise ${what} "${value}"): create it from the tracking settings, or map the value to another option.`,
        where: `${WHERE.settingsTracking} (or ${WHERE.xeroTracking})`,
        area: 'xero',
        field: `tracking.${rule.source}.${value}`,
        line: at.line,
      });
      continue;
    }
    out.push({ Name: category.Name, Option: xeroOption.Name });
  }
  return out;
}

/** One line's tracking under its record's rules: the line's own values first, then the record's. */
export function lineTracking(
  record: RecordTracking | undefined,
  line: TrackingSources,
  refs: XeroRefs,
  problems: ProblemList,
  at: { field: string; line: number },
): XeroTracking[] | undefined {
  if (!record || record.rules.length === 0) return undefined;
  const sources: TrackingSources = { ...record.sources };
  for (const [k, v] of Object.entries(line) as [TrackingSource, TrackingSources[TrackingSource]][]) if (valueOf(v)) sources[k] = v;
  const out = mapTracking(record.rules, sources, refs, problems, at);
  return out.length ? out : undefined;
}
