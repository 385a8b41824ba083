// The settings pod's Expenses card, server side: the choices its Wise-Pay rows
// offer (ConnectWise members and expense payment types, each connected
// organisation's bank and credit-card accounts), and the check a saved
// Wise-Pay matrix must pass (every account an active BANK account of a
// connected organisation). The rule for one account is the domain's
// (domain/wise-pay.ts checkWisePayMatrix); this module only asks it of every
// connected organisation. Account names are read for the pod and never stored.
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { orgFacts, type OrgFacts } from '../engine/org-facts.js';
import { NeedsAttention, XeroDayLimit, XeroRefused, XeroUnavailable } from '../engine/errors.js';
import { ApiError } from '../http/errors.js';
import { listConnections, type ConnectedOrg } from '../xero/connection-store.js';
import { checkWisePayMatrix } from '../domain/wise-pay.js';
import type { WisePayMatrix } from '../../shared/expense-settings.js';
import type { ExpenseChoicesResponse } from '../../shared/expense-choices.js';

const cwMember = z.object({ identifier: z.string().min(1), firstName: z.string().nullish(), lastName: z.string().nullish(), inactiveFlag: z.boolean().nullish() }).loose();
const cwPaymentType = z.object({ id: z.number().int(), name: z.string(), companyFlag: z.boolean().nullish() }).loose();

/** The field a refused Wise-Pay account is named by in PUT /api/settings. */
const settingsField = (problemField: string | number | undefined) => `expenses.${String(problemField)}`;

/** Our own words for why an organisation's facts could not be read (never a library's text). */
function whyUnread(e: unknown): string {
  if (e instanceof NeedsAttention || e instanceof XeroUnavailable || e instanceof XeroDayLimit || e instanceof XeroRefused || e instanceof ApiError) return e.message;
  return 'Xero did not answer as expected';
}

async function connectedOrgs(deps: AppDeps, tenantId: string): Promise<ConnectedOrg[]> {
  return (await listConnections(deps, tenantId)).flatMap((c) => c.orgs);
}

export type OrgRead = { org: ConnectedOrg; facts: OrgFacts; error: null } | { org: ConnectedOrg; facts: null; error: string };

/** Every connected organisation's facts (from the few-minute cache), one failure not hiding the others. */
export async function readOrgs(deps: AppDeps, tenantId: string): Promise<OrgRead[]> {
  const orgs = await connectedOrgs(deps, tenantId);
  return Promise.all(
    orgs.map(async (org): Promise<OrgRead> => {
      try {
        return { org, facts: await orgFacts(deps, tenantId, org.xeroTenantId, 'person'), error: null };
      } catch (e) {
        return { org, facts: null, error: whyUnread(e) };
      }
    }),
  );
}

export async function expenseSettingsChoices(deps: AppDeps, tenantId: string): Promise<ExpenseChoicesResponse> {
  const cw = await cwClientForTenant(deps, tenantId);
  const [members, paymentTypes, orgs] = await Promise.all([
    cw.list('system/members', cwMember, { query: { fields: 'identifier,firstName,lastName,inactiveFlag', orderBy: 'identifier asc' } }),
    cw.list('expense/paymentTypes', cwPaymentType, { query: { fields: 'id,name,companyFlag', orderBy: 'name asc' } }),
    readOrgs(deps, tenantId),
  ]);
  return {
    members: members
      .filter((m) => !m.inactiveFlag)
      .map((m) => ({ identifier: m.identifier, name: [m.firstName, m.lastName].filter(Boolean).join(' ') || m.identifier }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    paymentTypes: paymentTypes.map((p) => ({ id: p.id, name: p.name, companyPaid: p.companyFlag === true })),
    organisations: orgs.map((r) => ({
      xeroTenantId: r.org.xeroTenantId,
      name: r.org.name,
      accounts: (r.facts?.refs.accounts ?? [])
        .filter((a) => a.Code && a.Type === 'BANK' && a.Status === 'ACTIVE')
        .map((a) => ({ code: a.Code!, name: a.Name ?? a.Code!, type: a.BankAccountType === 'CREDITCARD' ? ('CREDITCARD' as const) : ('BANK' as const) }))
        .sort((a, b) => a.code.localeCompare(b.code)),
      error: r.error,
    })),
  };
}

/**
 * Refuses (400 naming `expenses.wisePayAccounts.<member>.<payment type>`) a
 * Wise-Pay account that is an active BANK account of no connected
 * organisation. One that some organisation has is accepted: a member's bills
 * may book into several organisations, and a bill in one whose account is
 * missing is held with the domain's readiness message at push time. When an
 * account can be checked only against an organisation Xero did not let us
 * read, the answer is 503 naming the field: nothing is saved unchecked.
 */
export async function requireWisePayAccounts(deps: AppDeps, tenantId: string, matrix: WisePayMatrix): Promise<void> {
  const entries = Object.entries(matrix).flatMap(([member, row]) => Object.keys(row).map((paymentType) => `wisePayAccounts.${member}.${paymentType}`));
  if (entries.length === 0) return;
  const orgs = await readOrgs(deps, tenantId);
  if (orgs.length === 0) {
    const field = settingsField(entries[0]);
    throw new ApiError(400, 'invalid_input', `${field}: no Xero organisation is connected, so no account can pay Wise-Pay expenses; connect Xero first`, field);
  }
  const read = orgs.filter((r): r is Extract<OrgRead, { error: null }> => r.error === null);
  const problemsByOrg = read.map((r) => ({ org: r.org, problems: checkWisePayMatrix(matrix, r.facts.refs) }));
  for (const entry of entries) {
    const refusals = problemsByOrg.map(({ org, problems }) => ({ org, problem: problems.find((p) => p.field === entry) }));
    // Some organisation can pay from it.
    if (refusals.some((r) => !r.problem)) continue;
    const field = settingsField(entry);
    const unread = orgs.find((r) => r.error !== null);
    if (unread) {
      throw new ApiError(503, 'xero_unavailable', `${field}: the account cannot be checked now, as ${unread.org.name}'s accounts could not be read from Xero (${unread.error}); try again`, field);
    }
    const messages = [...new Set(refusals.map((r) => r.problem!.message))];
    const text = messages.length === 1 ? messages[0]! : refusals.map((r) => `${r.org.name}: ${r.problem!.message}`).join(' ');
    throw new ApiError(400, 'invalid_input', `${field}: ${text}`, field);
  }
}
