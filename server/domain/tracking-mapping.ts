// CW structures (location, department, GL class) → up to two Xero tracking
// categories on revenue lines. A value the admin has not mapped leaves the
// line untracked in that category (a warning); a mapped option that Xero does
// not have (or has archived) blocks, because Xero would refuse the line.
import type { TrackingRule } from '../../shared/invoice-settings.js';
import { type ProblemList, WHERE } from './problems.js';
import type { XeroRefs } from './xero-refs.js';
import type { XeroTracking } from './xero-wire.js';

export interface TrackingSources {
  location: string | null;
  department: string | null;
  glClass: string | null;
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
    const value = sources[rule.source];
    if (!value) continue;
    const option = rule.options[value];
    if (!option) {
      problems.warning({
        code: 'tracking-unmapped',
        message: `ConnectWise ${rule.source} "${value}" has no option in Xero tracking category "${rule.categoryName}"; lines go untracked there.`,
        where: WHERE.settingsTracking,
        area: 'settings',
        field: `tracking.${rule.source}.${value}`,
      });
      continue;
    }
    const category = refs.trackingCategories.find((c) => c.Name === rule.categoryName);
    const xeroOption = category?.Options.find((o) => o.Name === option);
    if (!category || category.Status !== 'ACTIVE' || !xeroOption || xeroOption.Status !== 'ACTIVE') {
      problems.blocking({
        code: 'tracking-option-unknown',
        message: `Xero has no active tracking option "${option}" in category "${rule.categoryName}".`,
        where: `${WHERE.xeroTracking} (or ${WHERE.settingsTracking})`,
        area: 'xero',
        field: `tracking.${rule.source}.${value}`,
        line: at.line,
      });
      continue;
    }
    out.push({ Name: rule.categoryName, Option: option });
  }
  return out;
}
