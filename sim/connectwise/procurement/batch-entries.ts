// A batch's GL entries for its procurement (GET batches/{id}/entries), read
// off the batch's export so both always agree: a purchase credits accounts
// payable with its total and debits each line's account, the freight account
// (the accounting setup's, procurement/model.ts) and the tax account; an adjustment
// debits/credits the warehouse's inventory account against the adjustment
// account; a transfer debits the destination's inventory account and credits
// the source's.
import type { CwBatchEntry, CwGLExport } from '../../../shared/cw-types.js';

const side = (amount: number): { debit: number; credit: number } =>
  amount >= 0 ? { debit: Math.abs(amount), credit: 0 } : { debit: 0, credit: Math.abs(amount) };

export function procurementBatchEntries(exp: CwGLExport, firstId: number, freightAccount: string): CwBatchEntry[] {
  const out: CwBatchEntry[] = [];
  let id = firstId;
  const push = (e: Omit<CwBatchEntry, 'id'>) => out.push({ id: ++id, ...e });
  for (const t of exp.purchaseTransactions ?? []) {
    const purchaseOrder = { id: null, name: t.documentNumber ?? '' };
    push({ accountType: 'AP', name: t.company?.name ?? '', accountNumber: t.apAccountNumber ?? '', ...side(-(t.total ?? 0)), cost: 0, purchaseOrder });
    for (const d of t.purchaseDetail ?? []) {
      push({ accountType: d.glTypeId ?? '', name: d.description ?? '', accountNumber: d.accountNumber ?? '', ...side(d.total ?? 0), cost: d.cost ?? 0, item: d.item?.identifier ?? '', purchaseOrder, lineItem: { id: d.id ?? null, identifier: String(d.lineNumber ?? '') } });
    }
    if ((t.freightAmount ?? 0) !== 0) push({ accountType: 'FR', name: 'Freight', accountNumber: freightAccount, ...side(t.freightAmount ?? 0), cost: 0, purchaseOrder });
    for (const x of t.purchaseDetailTax ?? []) push({ accountType: 'ST', name: 'Tax', accountNumber: x.accountNumber ?? '', ...side(x.total ?? 0), cost: 0, purchaseOrder });
  }
  for (const a of exp.adjustmentTransactions ?? []) {
    for (const d of a.adjustmentDetail ?? []) {
      push({ accountType: 'IA', name: d.description ?? '', accountNumber: d.inventoryAccountNumber ?? '', ...side(d.total ?? 0), cost: d.cost ?? 0, item: d.item?.identifier ?? '' });
      push({ accountType: 'IA', name: d.description ?? '', accountNumber: d.accountNumber ?? '', ...side(-(d.total ?? 0)), cost: d.cost ?? 0, item: d.item?.identifier ?? '' });
    }
  }
  for (const t of exp.inventoryTransfers ?? []) {
    push({ accountType: 'IT', name: t.description ?? '', accountNumber: t.inventoryAccountNumber ?? '', ...side(t.total ?? 0), cost: t.cost ?? 0, item: t.item?.identifier ?? '', transfer: String(t.transferId ?? '') });
    push({ accountType: 'IT', name: t.offset?.description ?? '', accountNumber: t.offset?.accountNumber ?? '', ...side(t.offset?.total ?? 0), cost: t.cost ?? 0, item: t.item?.identifier ?? '', transfer: String(t.transferId ?? '') });
  }
  return out;
}
