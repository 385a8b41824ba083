// Inventory movements → Xero manual journals that balance to the cent.
// ConnectWise owns stock on hand; Xero only follows its value:
//   cost of sale  an invoice's inventory parts: debit cost of goods sold
//                 (costAccountNumber), credit the warehouse's inventory account,
//                 by the line's extended cost (a credit memo's return reverses it)
//   adjustment    each detail's signed total on its warehouse's inventory account
//                 (+ into stock), the other side on the adjustment account
//   transfer      debit the destination warehouse's inventory account, credit
//                 the source's
// Warehouse accounts come from warehouse-accounts.ts (setting › locationXref ›
// export); other GL accounts through the account map. Journals have no number
// in Xero, so the Narration carries our reference (journalReference: kind and
// GL entry ids only), by which a journal made before a lost answer is found.
// Pure: no I/O, no clock, no randomness.
import type { CwGLExportTransaction, CwSchemas } from '../../shared/cw-types.js';
import type { ProcurementSettings } from '../../shared/procurement-settings.js';
import { mapAccountCode } from './account-mapping.js';
import { contentHash, normaliseGlEntryIds } from './content-hash.js';
import { toYmd } from './dates.js';
import { type Dec, NotANumberError, ZERO, fromCw, sum, toFixed, toWireNumber } from './money.js';
import { type MappingProblem, ProblemList, WHERE, isBlocking } from './problems.js';
import { PROCUREMENT_WHERE, type WarehouseClues, type WarehouseRef, findWarehouse, inventoryAccountFor } from './warehouse-accounts.js';
import { type RecordTracking, type TrackingSources, lineTracking } from './tracking-mapping.js';
import type { XeroRefs } from './xero-refs.js';
import type { XeroManualJournalPayload } from './xero-wire.js';

export type CwAdjustmentTransaction = CwSchemas['GLExportAdjustmentTransaction'];
export type CwInventoryTransfer = CwSchemas['GLExportInventoryTransfer'];
export type CwProcurementAdjustment = CwSchemas['ProcurementAdjustment'];

export type JournalKind = 'costOfSale' | 'adjustment' | 'transfer';

const REFERENCE_WORD: Record<JournalKind, string> = { costOfSale: 'cogs', adjustment: 'adj', transfer: 'xfer' };

/**
 * Our reference in a journal's Narration: `cwx:{cogs|adj|xfer}:{GL entry ids}`,
 * e.g. `cwx:cogs:5002`. Ids only; search Xero with
 * `where=Narration.Contains("cwx:cogs:5002]")` (the closing bracket ends it, so
 * 5002 never finds 50021).
 */
export function journalReference(kind: JournalKind, glEntryIds: readonly (string | number)[]): string {
  return `cwx:${REFERENCE_WORD[kind]}:${normaliseGlEntryIds(glEntryIds).join('-')}`;
}

/** The text to look for in a Narration: the reference in its brackets. */
export function narrationNeedle(reference: string): string {
  return `[${reference}]`;
}

export interface JournalMappedLine {
  lineNumber: number;
  /** + debit, − credit, decimal text. */
  amount: string;
  accountCode: string;
  description: string;
  warehouseId?: number;
}

export interface JournalMappingResult {
  kind: 'manualJournal';
  journalKind: JournalKind;
  /** The payload for PUT ManualJournals. */
  document: XeroManualJournalPayload;
  problems: MappingProblem[];
  ready: boolean;
  totals: {
    debits: string;
    credits: string;
    /** debits − credits: "0.00" for a journal Xero accepts. */
    difference: string;
    /** The amount ConnectWise moved (cost of sale, adjustment net, transfer total). */
    cwAmount: string;
  };
  lines: JournalMappedLine[];
  glEntryIds: string[];
  /** The Narration's reference (journalReference). */
  reference: string;
  contentHash: string;
  unitdp: 2;
}

interface JournalContext {
  settings: Pick<ProcurementSettings, 'warehouseAccounts' | 'journalStatus'>;
  /** CW GL account → Xero account code (the invoice settings' account map). */
  accountMap: Record<string, string>;
  warehouses?: readonly WarehouseRef[];
  xeroRefs: XeroRefs;
  /** The organisation's tracking rules and the record's location (tracking-mapping.ts). */
  tracking?: RecordTracking;
}

interface Leg {
  amount: Dec;
  accountCode: string;
  description: string;
  warehouseId?: number;
  /** The CW values behind the leg (GL class, product sub-category), for its tracking. */
  sources?: TrackingSources;
}

const DESCRIPTION_MAX = 4000;
const NARRATION_MAX = 4000;

function build(
  journalKind: JournalKind,
  ctx: JournalContext,
  input: { date: string | null; title: string; glEntryIds: string[]; legs: Leg[]; cwAmount: Dec; dateField: string; where: string },
  problems: ProblemList,
): JournalMappingResult {
  if (!input.date) {
    problems.blocking({ code: 'date-missing', message: 'The ConnectWise record has no valid date.', where: input.where, area: 'connectwise', field: input.dateField });
  }
  const legs = input.legs.filter((l) => !l.amount.isZero());
  if (legs.length < 2 && !isBlocking(problems.items)) {
    problems.blocking({ code: 'no-lines', message: 'There is nothing to journal: the ConnectWise amounts are zero.', where: input.where, area: 'connectwise', field: 'detail' });
  }
  const debits = sum(legs.filter((l) => l.amount.isPositive()).map((l) => l.amount));
  const credits = sum(legs.filter((l) => l.amount.isNegative()).map((l) => l.amount.negated()));
  const difference = debits.minus(credits);
  if (!difference.isZero()) {
    problems.blocking({ code: 'journal-unbalanced', message: `The journal's debits and credits differ by ${toFixed(difference.abs())}.`, where: input.where, area: 'connectwise', field: 'detail' });
  }
  const reference = journalReference(journalKind, input.glEntryIds);
  const tracking = legs.map((l, i) => lineTracking(ctx.tracking, l.sources ?? {}, ctx.xeroRefs, problems, { field: 'detail', line: i + 1 }));
  const document: XeroManualJournalPayload = {
    Narration: `${input.title} ${narrationNeedle(reference)}`.slice(-NARRATION_MAX),
    Date: input.date ?? '',
    Status: ctx.settings.journalStatus,
    LineAmountTypes: 'NoTax',
    JournalLines: legs.map((l, i) => ({ LineAmount: toWireNumber(l.amount), AccountCode: l.accountCode, Description: l.description.slice(0, DESCRIPTION_MAX), ...(tracking[i] ? { Tracking: tracking[i] } : {}) })),
  };
  return {
    kind: 'manualJournal',
    journalKind,
    document,
    problems: problems.items,
    ready: !isBlocking(problems.items),
    totals: { debits: toFixed(debits), credits: toFixed(credits), difference: toFixed(difference), cwAmount: toFixed(input.cwAmount) },
    lines: legs.map((l, i) => ({ lineNumber: i + 1, amount: toFixed(l.amount), accountCode: l.accountCode, description: l.description, ...(l.warehouseId !== undefined ? { warehouseId: l.warehouseId } : {}) })),
    glEntryIds: normaliseGlEntryIds(input.glEntryIds),
    reference,
    contentHash: contentHash(document),
    unitdp: 2,
  };
}

function num(v: number | null | undefined, problems: ProblemList, field: string, where: string): Dec | null {
  try {
    return fromCw(v, null);
  } catch (e) {
    if (!(e instanceof NotANumberError)) throw e;
    problems.blocking({ code: 'cw-number-invalid', message: 'A ConnectWise amount is missing or not a number.', where, area: 'connectwise', field });
    return null;
  }
}

function inventoryLeg(
  clues: WarehouseClues,
  exportAccount: string | undefined,
  amount: Dec,
  description: string,
  ctx: JournalContext,
  problems: ProblemList,
  at: { field: string; line: number },
): Leg {
  const warehouses = ctx.warehouses ?? [];
  const account = inventoryAccountFor(clues, exportAccount, { ...ctx, warehouses }, problems, at);
  const w = findWarehouse(clues, warehouses);
  return { amount, accountCode: account ?? '', description, ...(w ? { warehouseId: w.id } : {}) };
}

// ---- cost of sale -------------------------------------------------------------

/** Whether an invoice's export carries cost of sale to journal (inventory parts with a cost). */
export function hasCostOfSale(transaction: CwGLExportTransaction): boolean {
  return (transaction.detail ?? []).some((d) => d.costAccountNumber && d.inventoryAccountNumber && d.cost != null && d.cost !== 0);
}

/** One invoice's cost of sale (its inventory parts' cost lines) as a journal. */
export function mapCostOfSaleJournal(input: JournalContext & { transaction: CwGLExportTransaction }): JournalMappingResult {
  const { transaction: tx } = input;
  const problems = new ProblemList();
  const where = WHERE.cwInvoice;
  const legs: Leg[] = [];
  let cw = ZERO;
  (tx.detail ?? []).forEach((d, i) => {
    if (!d.costAccountNumber || !d.inventoryAccountNumber) return;
    const field = `transaction.detail[${i}]`;
    const cost = num(d.cost, problems, `${field}.cost`, where);
    if (!cost || cost.isZero()) return;
    cw = cw.plus(cost);
    const what = `${d.item?.identifier ?? d.description ?? 'Inventory part'} × ${d.quantity ?? ''}`.trim();
    const line = legs.length + 1;
    const cogs = mapAccountCode(d.costAccountNumber, input, input.xeroRefs, problems, { field: `${field}.costAccountNumber`, line });
    const sources = { glClass: d.glClass || tx.glClass, productCategory: d.subCategory?.id };
    legs.push({ amount: cost, accountCode: cogs ?? '', description: `Cost of sale: ${what}`, sources });
    legs.push({ ...inventoryLeg(d, d.inventoryAccountNumber, cost.negated(), `Out of stock: ${what}`, input, problems, { field: `${field}.inventoryAccountNumber`, line: line + 1 }), sources });
  });
  const number = tx.documentNumber?.trim() || String(tx.id ?? '');
  return build(
    'costOfSale',
    input,
    {
      date: toYmd(tx.documentDate),
      title: `Cost of sale for ConnectWise ${tx.documentType === 'CM' ? 'credit memo' : 'invoice'} ${number}`,
      glEntryIds: normaliseGlEntryIds(tx.glEntryIds ?? String(tx.id ?? '')),
      legs,
      cwAmount: cw,
      dateField: 'transaction.documentDate',
      where,
    },
    problems,
  );
}

// ---- adjustments --------------------------------------------------------------

/**
 * A closed ConnectWise adjustment (revaluation, write-off, count) as a journal.
 * The export's details name no warehouse; `adjustment` (GET
 * procurement/adjustments/{id}) gives each detail's warehouse, paired in order.
 */
export function mapAdjustmentJournal(input: JournalContext & { transaction: CwAdjustmentTransaction; adjustment?: CwProcurementAdjustment }): JournalMappingResult {
  const { transaction: tx } = input;
  const problems = new ProblemList();
  const where = PROCUREMENT_WHERE.cwInventory;
  const details = tx.adjustmentDetail ?? [];
  const rest = input.adjustment?.adjustmentDetails ?? [];
  const paired = rest.length === details.length;
  const legs: Leg[] = [];
  let net = ZERO;
  details.forEach((d, i) => {
    const field = `transaction.adjustmentDetail[${i}]`;
    const total = num(d.total, problems, `${field}.total`, where);
    if (!total || total.isZero()) return;
    net = net.plus(total);
    const what = `${d.item?.identifier ?? 'Inventory part'} × ${d.quantity ?? ''}: ${d.description ?? tx.adjustmentDescription ?? ''}`.trim();
    const line = legs.length + 1;
    const warehouse = paired ? rest[i]?.warehouse : undefined;
    const sources = { glClass: d.glClass || tx.glClass };
    legs.push({ ...inventoryLeg({ warehouse, warehouseBin: paired ? rest[i]?.warehouseBin : undefined }, d.inventoryAccountNumber, total, what, input, problems, { field: `${field}.inventoryAccountNumber`, line }), sources });
    const other = mapAccountCode(d.accountNumber || tx.accountNumber, input, input.xeroRefs, problems, { field: `${field}.accountNumber`, line: line + 1 });
    legs.push({ amount: total.negated(), accountCode: other ?? '', description: what, sources });
  });
  return build(
    'adjustment',
    input,
    {
      date: toYmd(tx.documentDate),
      title: `Inventory adjustment ${tx.adjustmentDescription ?? ''}`.trim(),
      glEntryIds: normaliseGlEntryIds(tx.id ?? ''),
      legs,
      cwAmount: net,
      dateField: 'transaction.documentDate',
      where,
    },
    problems,
  );
}

// ---- transfers ----------------------------------------------------------------

/** A warehouse transfer as a journal between the two warehouses' inventory accounts. */
export function mapTransferJournal(input: JournalContext & { transfer: CwInventoryTransfer }): JournalMappingResult {
  const t = input.transfer;
  const problems = new ProblemList();
  const where = PROCUREMENT_WHERE.cwInventory;
  const total = num(t.total, problems, 'transfer.total', where) ?? ZERO;
  const what = `${t.item?.identifier ?? 'Inventory part'} × ${t.quantity ?? ''}`;
  const to = inventoryLeg({ warehouse: t.warehouse, warehouseBin: t.transferToBin, locationXref: t.transferToLocationXref }, t.inventoryAccountNumber, total, `Transfer in: ${what}`, input, problems, { field: 'transfer.inventoryAccountNumber', line: 1 });
  const from = inventoryLeg({ warehouseBin: t.transferFromBin, locationXref: t.transferFromLocationXref }, t.offset?.accountNumber, total.negated(), `Transfer out: ${what}`, input, problems, { field: 'transfer.offset.accountNumber', line: 2 });
  if (t.offset?.total != null && !fromCw(t.offset.total).plus(total).isZero()) {
    problems.blocking({ code: 'cw-export-inconsistent', message: "ConnectWise's transfer and its offset do not cancel out; re-export it.", where, area: 'connectwise', field: 'transfer.offset.total' });
  }
  if (to.accountCode && to.accountCode === from.accountCode) {
    problems.warning({ code: 'transfer-same-account', message: `Both warehouses hold their stock in Xero account ${to.accountCode}: the journal moves nothing in Xero.`, where: PROCUREMENT_WHERE.settingsWarehouses, area: 'settings', field: 'transfer' });
  }
  return build(
    'transfer',
    input,
    {
      date: toYmd(t.documentDate),
      title: `Inventory transfer ${t.transferId ?? ''}: ${t.transferFromLocationXref ?? ''} → ${t.transferToLocationXref ?? ''}`,
      glEntryIds: normaliseGlEntryIds(t.id ?? String(t.transferId ?? '')),
      legs: [to, from].map((l) => ({ ...l, sources: { glClass: t.glClass, productCategory: t.subCategory?.id } })),
      cwAmount: total,
      dateField: 'transfer.documentDate',
      where,
    },
    problems,
  );
}
