// Which Xero account holds each ConnectWise warehouse's stock. One rule, used
// by bills (inventory parts received into a warehouse) and by the inventory
// journals (cost of sale, adjustments, transfers):
//   1. the setting (procurement settings › warehouse → Xero account) wins;
//   2. else the warehouse's locationXref, when it is an active Xero account
//      code (ConnectWise's usual key for a warehouse's inventory asset account);
//   3. else the export's inventoryAccountNumber through the account map.
// proposeWarehouseAccounts gives the settings pod each warehouse's proposal,
// the setting, and whether they (or the two sources) differ.
import type { CwSchemas } from '../../shared/cw-types.js';
import type { ProcurementSettings } from '../../shared/procurement-settings.js';
import { sectionWhere } from '../../shared/settings-sections.js';
import { mapAccountCode } from './account-mapping.js';
import { ProblemList } from './problems.js';
import { type XeroRefs, findAccount } from './xero-refs.js';

export const PROCUREMENT_WHERE = {
  settingsWarehouses: sectionWhere('purchase-orders-warehouses'),
  settingsPurchases: sectionWhere('purchase-orders'),
  // The purchase tax map has no section of its own in the pod yet: the card it belongs to.
  settingsInputTax: sectionWhere('purchase-orders'),
  cwPurchaseOrder: 'ConnectWise › Procurement › Purchase Orders (this purchase order)',
  cwInventory: 'ConnectWise › Procurement › Inventory (this adjustment or transfer)',
  cwWarehouses: 'ConnectWise › System › Setup Tables › Warehouses',
  cwVendor: 'ConnectWise › Companies (this vendor)',
} as const;

/** A ConnectWise warehouse as the mappings need it. */
export interface WarehouseRef {
  id: number;
  name?: string;
  locationXref?: string;
  binIds?: number[];
}

/** From GET procurement/warehouses and procurement/warehouseBins. */
export function warehouseRefs(warehouses: readonly CwSchemas['Warehouse'][], bins: readonly CwSchemas['WarehouseBin'][] = []): WarehouseRef[] {
  return warehouses
    .filter((w) => w.id != null)
    .map((w) => ({
      id: w.id!,
      name: w.name,
      ...(w.locationXref ? { locationXref: w.locationXref } : {}),
      binIds: bins.filter((b) => b.warehouse?.id === w.id && b.id != null).map((b) => b.id!),
    }));
}

/** What an export line says about its warehouse. */
export interface WarehouseClues {
  warehouseSite?: { id?: number | null } | undefined;
  warehouse?: { id?: number | null } | undefined;
  warehouseBin?: { id?: number | null } | undefined;
  locationXref?: string | undefined;
}

/** The warehouse an export line is about: its warehouse (site) id, else its bin, else its locationXref. */
export function findWarehouse(clues: WarehouseClues, warehouses: readonly WarehouseRef[]): WarehouseRef | undefined {
  const id = clues.warehouse?.id ?? clues.warehouseSite?.id;
  if (id != null) {
    const w = warehouses.find((x) => x.id === id);
    if (w) return w;
  }
  const bin = clues.warehouseBin?.id;
  if (bin != null) {
    const w = warehouses.find((x) => x.binIds?.includes(bin));
    if (w) return w;
  }
  const xref = clues.locationXref?.trim();
  return xref ? warehouses.find((x) => x.locationXref?.trim() === xref) : undefined;
}

function activeAccount(refs: XeroRefs, code: string | undefined): string | null {
  const c = code?.trim();
  if (!c) return null;
  const a = findAccount(refs, c);
  return a && a.Status === 'ACTIVE' ? c : null;
}

export interface WarehouseAccountProposal {
  warehouseId: number;
  warehouseName?: string;
  /** The warehouse's locationXref as ConnectWise holds it. */
  locationXref: string | null;
  /** The export's inventoryAccountNumber for this warehouse, through the account map. */
  exportAccount: string | null;
  /** What we would use without a setting. */
  proposed: string | null;
  proposedFrom: 'locationXref' | 'export' | null;
  /** The admin's setting, if any. */
  setting: string | null;
  /** What bills and journals use: the setting, else the proposal. */
  account: string | null;
  /** The setting is set and differs from the proposal (the setting wins). */
  settingDiffers: boolean;
  /** locationXref names a Xero account that is not the export's inventory account. */
  sourcesDiffer: boolean;
}

export function proposeWarehouseAccount(
  warehouse: WarehouseRef,
  exportInventoryAccount: string | undefined,
  ctx: { settings: Pick<ProcurementSettings, 'warehouseAccounts'>; accountMap: Record<string, string>; xeroRefs: XeroRefs },
): WarehouseAccountProposal {
  const xrefAccount = activeAccount(ctx.xeroRefs, warehouse.locationXref);
  const gl = exportInventoryAccount?.trim();
  const exportAccount = gl ? (ctx.accountMap[gl] ?? gl) : null;
  const proposed = xrefAccount ?? exportAccount;
  const setting = ctx.settings.warehouseAccounts[String(warehouse.id)] ?? null;
  return {
    warehouseId: warehouse.id,
    ...(warehouse.name ? { warehouseName: warehouse.name } : {}),
    locationXref: warehouse.locationXref ?? null,
    exportAccount,
    proposed,
    proposedFrom: xrefAccount ? 'locationXref' : exportAccount ? 'export' : null,
    setting,
    account: setting ?? proposed,
    settingDiffers: setting !== null && setting !== proposed,
    sourcesDiffer: xrefAccount !== null && exportAccount !== null && xrefAccount !== exportAccount,
  };
}

/**
 * Every warehouse's proposal, for the settings pod. `exportInventoryAccounts`:
 * warehouse id → the inventoryAccountNumber ConnectWise exported for it (from
 * exportInventoryAccounts on a recent export), where known.
 */
export function proposeWarehouseAccounts(input: {
  warehouses: readonly WarehouseRef[];
  exportInventoryAccounts?: Readonly<Record<number, string>>;
  settings: Pick<ProcurementSettings, 'warehouseAccounts'>;
  accountMap: Record<string, string>;
  xeroRefs: XeroRefs;
}): WarehouseAccountProposal[] {
  return input.warehouses.map((w) => proposeWarehouseAccount(w, input.exportInventoryAccounts?.[w.id], input));
}

/** warehouse id → inventoryAccountNumber, as an export's purchase lines, invoice lines and transfers show them. */
export function exportInventoryAccounts(exp: CwSchemas['GLExport'], warehouses: readonly WarehouseRef[]): Record<number, string> {
  const out: Record<number, string> = {};
  const see = (clues: WarehouseClues, account: string | undefined) => {
    const w = findWarehouse(clues, warehouses);
    if (w && account && out[w.id] === undefined) out[w.id] = account;
  };
  for (const t of exp.purchaseTransactions ?? []) for (const d of t.purchaseDetail ?? []) see(d, d.inventoryAccountNumber);
  for (const t of exp.transactions ?? []) for (const d of t.detail ?? []) see(d, d.inventoryAccountNumber);
  for (const t of exp.inventoryTransfers ?? []) see({ warehouse: t.warehouse, warehouseBin: t.transferToBin, locationXref: t.transferToLocationXref }, t.inventoryAccountNumber);
  return out;
}

/**
 * The Xero inventory account for one export line: its warehouse's account
 * (setting, else locationXref, else the export's inventoryAccountNumber), or
 * the export's account through the map when the warehouse is unknown. Checks
 * the account is active; problems name the warehouse setting.
 */
export function inventoryAccountFor(
  clues: WarehouseClues,
  exportInventoryAccount: string | undefined,
  ctx: { settings: Pick<ProcurementSettings, 'warehouseAccounts'>; accountMap: Record<string, string>; xeroRefs: XeroRefs; warehouses: readonly WarehouseRef[] },
  problems: ProblemList,
  at: { field: string; line: number },
): string | null {
  const w = findWarehouse(clues, ctx.warehouses);
  if (!w) return mapAccountCode(exportInventoryAccount, ctx, ctx.xeroRefs, problems, at);
  const p = proposeWarehouseAccount(w, exportInventoryAccount, ctx);
  if (!p.account) {
    problems.blocking({
      code: 'warehouse-account-missing',
      message: `ConnectWise warehouse ${w.id} has no inventory account: map it in the settings.`,
      where: PROCUREMENT_WHERE.settingsWarehouses,
      area: 'settings',
      ...at,
      field: `${at.field}#warehouse${w.id}`,
    });
    return null;
  }
  if (p.setting === null && p.proposedFrom === 'export') return mapAccountCode(exportInventoryAccount, ctx, ctx.xeroRefs, problems, at);
  if (!activeAccount(ctx.xeroRefs, p.account)) {
    problems.blocking({
      code: 'warehouse-account-unknown',
      message: `The inventory account ${p.account} of ConnectWise warehouse ${w.id} is not an active Xero account.`,
      where: PROCUREMENT_WHERE.settingsWarehouses,
      area: 'settings',
      ...at,
      field: `${at.field}#warehouse${w.id}`,
    });
    return null;
  }
  return p.account;
}
