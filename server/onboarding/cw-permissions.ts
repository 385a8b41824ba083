// Onboarding (issue 13): are these API member keys good, and does the member's
// security role grant every area the product uses? One cheap read per area
// (pageSize=1); hosted setups are proven by writing — a disabled setup created
// and removed at once; writes that cannot be proven harmlessly are listed as
// "checked at first use". Each missing area says where to grant it. The lists
// the Tracking card reads (departments, GL classes, product sub-categories) are
// tried too, but are not required: without one, the card asks for its values
// typed, so a refusal is listed with where to grant it and blocks nothing.
import { z } from 'zod';
import { ApiError } from '../http/errors.js';
import { CwClient, CwError, apiMemberAuthorization } from '../cw/client.js';
import { TRACKING_LISTS } from '../cw/tracking-values.js';

export type PermissionStatus = 'granted' | 'missing' | 'first_use';
export interface PermissionResult {
  area: string;
  label: string;
  status: PermissionStatus;
  /** Where to grant it in ConnectWise (System › Security Roles, the API member's role). */
  grant: string;
  /** False: missing, it blocks nothing (`without` says what changes). */
  required: boolean;
  without?: string;
}

interface Probe {
  area: string;
  label: string;
  grant: string;
  /** Read in turn, one page of one row each. */
  read?: string | readonly string[];
  /** Proven by a harmless write (see hostedSetupWriteProbe). */
  write?: (cw: CwClient, probeUrl: string) => Promise<void>;
  /** A write the product needs that cannot be proven harmlessly. */
  firstUse?: string;
  /** Not required: what works differently without it. */
  optional?: string;
}

const ROLE = 'System › Security Roles › (the API member’s role)';
const anyList = z.array(z.unknown());
const hostedScreen = z.object({ id: z.number().int(), screenId: z.string().nullish() }).loose();
const created = z.object({ id: z.number().int() }).loose();

/** Creates a disabled hosted setup (shown nowhere) and removes it. */
async function hostedSetupWriteProbe(cw: CwClient, probeUrl: string): Promise<void> {
  const screens = await cw.get('system/connectwisehostedscreens', z.array(hostedScreen), { query: { pageSize: 1 } });
  const screenId = screens[0]?.id;
  if (screenId === undefined) throw new CwError(502, 'cw_screen_missing', 'ConnectWise lists no hosted screens.', 200);
  const s = await cw.post(
    'system/connectwisehostedsetups',
    { screenId, description: 'CW–Xero Sync permission check', type: 'Pod', url: probeUrl, origin: new URL(probeUrl).origin, disabledFlag: true },
    created,
  );
  await cw.delete(`system/connectwisehostedsetups/${s.id}`);
}

export const PERMISSION_PROBES: readonly Probe[] = [
  { area: 'companies', label: 'Companies', read: 'company/companies', grant: `${ROLE} › Companies › Company Maintenance: Inquire Level All` },
  { area: 'contacts', label: 'Contacts', read: 'company/contacts', grant: `${ROLE} › Companies › Contacts: Inquire Level All` },
  { area: 'members', label: 'Members (who administers, who may push)', read: 'system/members', grant: `${ROLE} › System › Member Maintenance: Inquire Level All` },
  { area: 'invoices', label: 'Invoices', read: 'finance/invoices', grant: `${ROLE} › Finance › Invoicing: Inquire Level All` },
  { area: 'payments', label: 'Invoice payments (write)', firstUse: 'recording a Xero payment on a ConnectWise invoice', grant: `${ROLE} › Finance › Invoicing: Add and Edit Level All` },
  { area: 'accounting', label: 'Accounting interface (GL export)', read: 'finance/accounting/unpostedinvoices', grant: `${ROLE} › Finance › Accounting Interface: Inquire Level All` },
  { area: 'batches', label: 'Accounting batches', read: 'finance/accounting/batches', grant: `${ROLE} › Finance › Accounting Interface: Inquire Level All` },
  { area: 'batch-write', label: 'Accounting batches (create)', firstUse: 'closing the first batch of synced records', grant: `${ROLE} › Finance › Accounting Interface: Add Level All` },
  { area: 'procurement', label: 'Purchase orders', read: 'procurement/purchaseorders', grant: `${ROLE} › Procurement › Purchase Order: Inquire Level All` },
  { area: 'expenses', label: 'Expense reports', read: 'expense/reports', grant: `${ROLE} › Time & Expense › Expense Reports: Inquire Level All` },
  { area: 'hosted-setups', label: 'Hosted setups (our button, pods and tabs)', read: 'system/connectwisehostedsetups', write: hostedSetupWriteProbe, grant: `${ROLE} › System › Table Setup: Add, Edit, Delete and Inquire Level All` },
  { area: 'service-tickets', label: 'Service tickets (alerts)', read: 'service/tickets', grant: `${ROLE} › Service Desk › Service Tickets: Inquire Level All` },
  { area: 'service-ticket-write', label: 'Service tickets (open alerts)', firstUse: 'opening the first alert ticket', grant: `${ROLE} › Service Desk › Service Tickets: Add and Edit Level All` },
  ...(
    [
      ['tracking-departments', 'Departments (tracking values)', 'department'],
      ['tracking-gl-classes', 'GL classes (tracking values)', 'glClass'],
      ['tracking-subcategories', 'Product sub-categories (tracking values)', 'productCategory'],
    ] as const
  ).map(([area, label, list]): Probe => {
    const l = TRACKING_LISTS[list];
    return { area, label, read: l.reads, grant: `${ROLE} › ${l.grant}`, optional: `the Tracking settings cannot list ConnectWise's ${l.what} by name; their values are typed instead` };
  }),
];

export interface KeysToCheck {
  siteUrl: string;
  companyId: string;
  clientId: string;
  publicKey: string;
  privateKey: string;
}

/** A client for keys not yet saved: few retries, so a wrong address answers quickly. */
export function probeClient(k: KeysToCheck): CwClient {
  return new CwClient({
    siteUrl: k.siteUrl,
    clientId: k.clientId,
    authorization: apiMemberAuthorization(k.companyId.trim().toLowerCase(), k.publicKey, k.privateKey),
    retry: { retries: 1, minDelayMs: 100, maxDelayMs: 500, totalTimeMs: 8_000, attemptTimeoutMs: 5_000 },
  });
}

const refused = (e: unknown) => e instanceof CwError && (e.cwStatus === 403 || e.cwStatus === 404);

/**
 * Checks the keys (400 naming the field when ConnectWise refuses them or does
 * not answer), then each area in turn.
 */
export async function checkCwPermissions(k: KeysToCheck, probeUrl: string): Promise<PermissionResult[]> {
  const cw = probeClient(k);
  try {
    await cw.get('system/info', z.unknown());
  } catch (e) {
    if (e instanceof CwError && e.cwStatus === 401) {
      throw new ApiError(400, 'cw_keys_refused', 'privateKey: ConnectWise refused this company id, public key and private key (or the clientId); check them in ConnectWise (System › Members › API Members › API Keys).', 'privateKey');
    }
    // No answer, an error page, something other than ConnectWise's JSON: not a ConnectWise API at that address.
    if (e instanceof CwError) {
      throw new ApiError(400, 'cw_unreachable', `siteUrl: no ConnectWise REST API answered at ${k.siteUrl}; use your site's API address, e.g. https://api-na.myconnectwise.net.`, 'siteUrl');
    }
    throw e;
  }
  const out: PermissionResult[] = [];
  for (const p of PERMISSION_PROBES) {
    const base = { area: p.area, label: p.label, grant: p.grant, required: !p.optional, ...(p.optional ? { without: p.optional } : {}) };
    if (p.firstUse) {
      out.push({ ...base, status: 'first_use' });
      continue;
    }
    try {
      for (const path of typeof p.read === 'string' ? [p.read] : (p.read ?? [])) await cw.get(path, anyList, { query: { pageSize: 1 } });
      if (p.write) await p.write(cw, probeUrl);
      out.push({ ...base, status: 'granted' });
    } catch (e) {
      if (!refused(e)) throw e;
      out.push({ ...base, status: 'missing' });
    }
  }
  return out;
}
