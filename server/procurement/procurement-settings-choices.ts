// The settings pod's Purchase orders card, server side: each ConnectWise
// warehouse with the Xero inventory account proposed for it (its locationXref
// when that is an active Xero account), the account the setting holds and
// whether they differ — the rule is warehouse-accounts.ts's, asked here of
// every warehouse — and each connected organisation's accounts that can hold
// inventory. The export's inventoryAccountNumber is not read here: an export
// is only taken when a push prepares one. Account names are read for the pod
// and never stored.
import type { AppDeps } from '../deps.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { readOrgs } from '../expenses/expense-settings-choices.js';
import { loadTenantSettings } from '../settings.js';
import { proposeWarehouseAccounts } from '../domain/warehouse-accounts.js';
import type { XeroAccount, XeroRefs } from '../domain/xero-refs.js';
import type { ProcurementChoicesResponse } from '../../shared/procurement-choices.js';
import { readWarehouses } from './cw-procurement-source.js';

/** Xero account types a warehouse's stock can sit in: inventory, or another current asset. */
const INVENTORY_HOLDING_TYPES = new Set(['INVENTORY', 'CURRENT']);

export async function procurementSettingsChoices(deps: AppDeps, tenantId: string): Promise<ProcurementChoicesResponse> {
  const cw = await cwClientForTenant(deps, tenantId);
  const [warehouses, orgs, settings] = await Promise.all([readWarehouses(cw), readOrgs(deps, tenantId), loadTenantSettings(deps.db, tenantId)]);
  // A locationXref is proposed when it is an active account of some connected organisation.
  const accounts: XeroAccount[] = orgs.flatMap((r) => r.facts?.refs.accounts ?? []);
  const xeroRefs: XeroRefs = { accounts, taxRates: [], items: [], trackingCategories: [], currencies: [], baseCurrency: 'XXX' };
  const proposals = proposeWarehouseAccounts({ warehouses, settings: settings.procurement, accountMap: settings.invoiceMapping.accountMap, xeroRefs });
  return {
    warehouses: proposals.map((p) => ({
      id: p.warehouseId,
      name: p.warehouseName ?? `Warehouse ${p.warehouseId}`,
      locationXref: p.locationXref,
      proposed: p.proposed,
      proposedFrom: p.proposedFrom,
      setting: p.setting,
      differs: p.settingDiffers,
    })),
    organisations: orgs.map((r) => ({
      xeroTenantId: r.org.xeroTenantId,
      name: r.org.name,
      accounts: (r.facts?.refs.accounts ?? [])
        .filter((a) => a.Code && a.Status === 'ACTIVE' && a.Type !== undefined && INVENTORY_HOLDING_TYPES.has(a.Type))
        .map((a) => ({ code: a.Code!, name: a.Name ?? a.Code!, type: a.Type! }))
        .sort((a, b) => a.code.localeCompare(b.code)),
      error: r.error,
    })),
  };
}
