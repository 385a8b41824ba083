// CW GL account numbers → Xero account codes: the admin's map, else the same
// code (the default setup keeps both charts numbered alike). The code must be
// an active account in the organisation.
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { type ProblemList, WHERE } from './problems.js';
import { type XeroRefs, findAccount } from './xero-refs.js';

export function mapAccountCode(
  cwAccountNumber: string | undefined,
  settings: Pick<InvoiceMappingSettings, 'accountMap'>,
  refs: XeroRefs,
  problems: ProblemList,
  at: { field: string; line: number },
): string | null {
  const gl = cwAccountNumber?.trim();
  if (!gl) {
    problems.blocking({
      code: 'account-missing',
      message: 'A line has no GL account in the ConnectWise export.',
      where: WHERE.cwGlAccounts,
      area: 'connectwise',
      ...at,
    });
    return null;
  }
  const mapped = settings.accountMap[gl];
  const code = mapped ?? gl;
  const account = findAccount(refs, code);
  if (!account) {
    problems.blocking({
      code: 'account-unknown',
      message: mapped
        ? `ConnectWise GL account ${gl} is mapped to Xero account ${code}, which does not exist.`
        : `ConnectWise GL account ${gl} has no Xero account with the same code; map it in the settings or add it in Xero.`,
      where: mapped ? WHERE.settingsAccounts : `${WHERE.settingsAccounts} (or ${WHERE.xeroAccounts})`,
      area: 'settings',
      field: `${at.field}#${gl}`,
      line: at.line,
    });
    return null;
  }
  if (account.Status !== 'ACTIVE') {
    problems.blocking({
      code: 'account-archived',
      message: `Xero account ${code} (for ConnectWise GL account ${gl}) is ${account.Status.toLowerCase()}.`,
      where: WHERE.xeroAccounts,
      area: 'xero',
      field: `${at.field}#${gl}`,
      line: at.line,
    });
    return null;
  }
  return code;
}
