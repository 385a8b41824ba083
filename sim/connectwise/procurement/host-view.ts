// The purchase order screen's body for the host page (host-page.ts): the PO
// header, its line items (ordered, received, status, packing slip, warehouse)
// and its receipts — one per packing slip, as the accounting interface exports
// them — with each receipt's amounts and whether it is posted.
import type { SimState } from '../model.js';
import type { SimPurchaseOrder } from './model.js';
import { isProcurementPosted, procurementEntries, procurementExport } from './gl-export.js';
import { productOf, toCwLineItem, toCwPurchaseOrder, warehouseOf } from './views.js';

type Esc = (v: unknown) => string;
type Fmt = (n: number | null | undefined, currency?: string) => string;

export function purchaseOrderView(state: SimState, po: SimPurchaseOrder, h: { esc: Esc; fmt: Fmt; fmtPrice: (n: number | null | undefined) => string }) {
  const { esc, fmt, fmtPrice } = h;
  const cw = toCwPurchaseOrder(state, po);
  const cur = cw.currency?.currencyCode ?? '';
  const lineRows = po.lines
    .map((l) => {
      const li = toCwLineItem(state, po, l);
      const w = warehouseOf(state, l.warehouseId);
      return `<tr data-line="${esc(l.id)}"><td>${esc(l.lineNumber)}</td><td>${esc(productOf(state, l.productId).identifier)}</td><td>${esc(l.description)}</td><td>${esc(li.unitOfMeasure?.name)}</td>` +
        `<td class="num">${esc(l.quantity)}</td><td class="num">${esc(l.receivedQuantity)}</td><td>${esc(l.receivedStatus)}${l.dropShipped ? ' (drop ship)' : ''}</td><td>${esc(l.packingSlip)}</td>` +
        `<td>${esc((l.dateReceived ?? '').slice(0, 10))}</td><td>${esc(w ? `${w.name}${li.warehouseBin ? ` / ${li.warehouseBin.name}` : ''}` : '')}</td><td class="num">${esc(fmtPrice(Number(l.unitCost)))}</td></tr>`;
    })
    .join('');
  const entries = procurementEntries(state).filter((e) => e.type === 'Purchase' && e.po.id === po.id);
  const receipts = procurementExport(state, entries).purchaseTransactions ?? [];
  const receiptRows = receipts
    .map((t) => {
      const ids = (t.purchaseDetail ?? []).map((d) => d.id!);
      const posted = ids.every((id) => isProcurementPosted(state, id));
      const tax = (t.purchaseDetailTax ?? []).reduce((s, x) => s + (x.total ?? 0), 0);
      return `<tr data-packing-slip="${esc(t.packingSlip)}"><td>${esc(t.packingSlip)}</td><td>${esc((t.documentDate ?? '').slice(0, 10))}</td><td>${esc(ids.join(', '))}</td>` +
        `<td class="num">${fmt(t.freightAmount)}</td><td class="num">${fmt(tax)}</td><td class="num">${fmt(t.total, cur)}</td><td>${posted ? 'Posted' : 'Unposted'}</td></tr>`;
    })
    .join('');
  const body = `
  <section class="card"><h2>Line items</h2>
    <table class="lines" id="po-lines"><thead><tr><th>#</th><th>Product</th><th>Description</th><th>UOM</th><th class="num">Ordered</th><th class="num">Received</th><th>Status</th><th>Packing slip</th><th>Received on</th><th>Warehouse / bin</th><th class="num">Unit cost</th></tr></thead>
    <tbody>${lineRows}</tbody></table>
    <table class="totals">
      <tr><td>Subtotal</td><td class="num">${fmt(cw.subTotal, cur)}</td></tr>
      <tr><td>Freight</td><td class="num">${fmt(cw.freightCost, cur)}</td></tr>
      <tr><td>Tax (${esc(cw.taxCode?.name)})</td><td class="num">${fmt(cw.salesTax, cur)}</td></tr>
      <tr class="grand"><td>Total</td><td class="num" data-testid="po-total">${fmt(cw.total, cur)}</td></tr>
    </table>
  </section>
  <section class="card"><h2>Receipts</h2>
    <table class="lines" id="po-receipts"><thead><tr><th>Packing slip</th><th>Received</th><th>GL entries</th><th class="num">Freight</th><th class="num">Tax</th><th class="num">Total</th><th>Accounting</th></tr></thead>
    <tbody>${receiptRows || '<tr><td colspan="7">Nothing received yet</td></tr>'}</tbody></table>
  </section>`;
  const customer = cw.customerCompany?.name;
  return {
    title: `Purchase order #${po.poNumber}`,
    subtitle: `Procurement · ${cw.vendorCompany?.name ?? ''}`,
    locationId: po.locationId,
    fields: [
      ['PO #', po.poNumber],
      ['Vendor', cw.vendorCompany?.name ?? ''],
      ['Status', cw.status?.name ?? ''],
      ['PO date', (po.poDate ?? '').slice(0, 10)],
      ['Warehouse', cw.warehouse?.name ?? ''],
      ['Terms', cw.terms?.name ?? ''],
      ['Vendor invoice #', po.vendorInvoiceNumber],
      ['Vendor invoice date', (po.vendorInvoiceDate ?? '').slice(0, 10)],
      ['Location', state.locations.find((l) => l.id === po.locationId)?.name ?? ''],
      ['Currency', cur],
      ...(customer ? ([['Drop ship to', customer]] as [string, string][]) : []),
    ] as [string, string][],
    body,
  };
}
