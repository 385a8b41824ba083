// Host pages: `GET /{screen}/{id}?member=<identifier>` renders a ConnectWise-like
// screen (invoice, accountingbatch, purchaseorder, expensereport; and the
// record screens company, member, product that openScreen can open) and hosts
// every enabled hosted setup registered for that screen:
//   Pod            → an iframe in the pod area (height = podHeight)
//   Tab            → a tab; its iframe is created the first time the tab is clicked
//   ToolbarButton  → a toolbar button (toolbarButtonText) opening a modal dialog
//                    (toolbarButtonDialogWidth × Height) holding the iframe
// The iframe src is the setup url with [cw_id] / [cw_screen] replaced. The
// inline script (host-page-client.js) speaks the PARENT side of the Hosted API
// exactly as docs/…/connectwise-hosted-api.md describes: JSON-string
// messages; `{"message":"ready"}` → `{"MessageFrameID":id}` (posted only to
// the setup's origin) then the `onLoad` event, awaiting its acknowledgement;
// requests getMemberAuthentication (a memberHash issued for the member: the
// first taken when the frame is created, as ConnectWise's page already holds
// the signed-in member's, later ones afresh; `site` is the sim's host),
// setDirty, openScreen, refreshScreen (re-sends onLoad with a new _id); the
// Save button sends `beforeSave` to pods and a failure blocks it.
// Messages from any origin but the frame's setup origin, or from a window
// that is not one of the page's frames, are ignored. `hostedAs` is "pod" for
// pods and "tab" for tabs and toolbar-button dialogs (ConnectWise knows only
// those two words).
//
// Test hook — `window.cwSim`:
//   log: Array<{dir: 'in'|'out', origin, data}>   every accepted message in and
//        every message out (data = the parsed JSON); origin = the peer's origin
//   ignored: Array<{origin, data, reason}>        messages dropped and why
//   dirty: boolean                                 the "unsaved changes" flag
//   acks: Array<{event, _id, result, errors?}>     event acknowledgements received
//   opened: Array<{screen, id, newTab}>            openScreen requests handled
//   refreshScreen(frameIndex?): re-sends onLoad (to one frame, or to all loaded)
//   save(): Promise<{ok, errors}>                  what the Save button does
//   frames(): string[]                             the src of each live iframe,
//        in creation order (the index refreshScreen takes)
//   ready: Promise<void>                           resolves when the script has started
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { CwHostedSetup } from '../../shared/cw-types.js';
import type { SimContext } from './context.js';
import { buildGlExport } from './gl-export.js';
import { invoiceAmounts } from './invoice-math.js';
import type { SimInvoice } from './model.js';
import { paidAndCredited, toCwInvoice } from './views.js';
import { isUnpostedExpense, reportEntries, toCwExpenseEntry, toCwExpenseReport } from './expenses/views.js';
import { purchaseOrderView } from './procurement/host-view.js';

const CLIENT_SCRIPT = readFileSync(new URL('./host-page-client.js', import.meta.url), 'utf8');
// company, member and product: the record screens openScreen can open (a "Fix in" link's customer, member, product).
const SCREENS = ['invoice', 'accountingbatch', 'purchaseorder', 'expensereport', 'company', 'member', 'product'] as const;
type Screen = (typeof SCREENS)[number];

function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

function jsonForScript(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function fmt(n: number | null | undefined, currency = ''): string {
  const v = Number(n ?? 0);
  const s = Math.abs(v).toLocaleString('en-AU', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${v < 0 ? '-' : ''}${currency ? `${currency} ` : ''}${s}`;
}

/** Unit prices keep their extra decimals (33.3333), as ConnectWise shows them. */
function fmtPrice(n: number | null | undefined): string {
  return Number(n ?? 0).toLocaleString('en-AU', { minimumFractionDigits: 2, maximumFractionDigits: 6 });
}

interface ScreenView {
  title: string;
  subtitle: string;
  locationId: number | null;
  fields: [string, string][];
  body: string;
}

function invoiceView(ctx: SimContext, inv: SimInvoice): ScreenView {
  const cw = toCwInvoice(ctx.state, inv);
  const cur = cw.currency?.currencyCode ?? '';
  const tx = buildGlExport(ctx.state, [inv], 'Default').transactions![0]!;
  const a = invoiceAmounts(ctx.state, inv);
  const { payments, credits } = paidAndCredited(ctx.state, inv);
  const rows = (tx.detail ?? [])
    .filter((d) => d.glTypeId !== 'ST')
    .map(
      (d) => `<tr><td>${esc(d.item?.identifier ?? d.salesCode ?? '')}</td><td>${esc(d.description)}</td><td>${esc(d.unitOfMeasure?.name ?? (d.glTypeId === 'RS' ? 'Hours' : ''))}</td>` +
        `<td class="num">${esc(d.quantity)}</td><td class="num">${esc(fmtPrice(d.itemPrice))}</td><td class="num">${fmt(d.total)}</td><td>${esc(d.accountNumber)}</td><td>${d.taxableFlag ? 'Yes' : 'No'}</td></tr>`,
    )
    .join('');
  const body = `
  <section class="card"><h2>Invoice lines</h2>
    <table class="lines"><thead><tr><th>Item</th><th>Description</th><th>UOM</th><th class="num">Qty</th><th class="num">Price</th><th class="num">Amount</th><th>GL</th><th>Taxable</th></tr></thead>
    <tbody>${rows}</tbody></table>
    <table class="totals">
      <tr><td>Subtotal</td><td class="num">${fmt(cw.subtotal, cur)}</td></tr>
      <tr><td>Tax (${esc(a.taxCode.name)})</td><td class="num">${fmt(cw.salesTax, cur)}</td></tr>
      <tr class="grand"><td>Total</td><td class="num" data-testid="invoice-total">${fmt(cw.total, cur)}</td></tr>
      <tr><td>Payments</td><td class="num">${fmt(payments.toNumber(), cur)}</td></tr>
      <tr><td>Credits</td><td class="num">${fmt(credits.toNumber(), cur)}</td></tr>
      <tr class="grand"><td>Balance</td><td class="num">${fmt(cw.balance, cur)}</td></tr>
    </table>
  </section>`;
  return {
    title: `Invoice ${cw.invoiceNumber}`,
    subtitle: `${cw.type === 'CreditMemo' ? 'Credit memo' : `${cw.type} invoice`} · ${cw.company?.name ?? ''}`,
    locationId: inv.locationId,
    fields: [
      ['Invoice #', cw.invoiceNumber ?? ''],
      ['Type', cw.type ?? ''],
      ['Status', cw.status?.name ?? ''],
      ['Company', cw.company?.name ?? ''],
      ['Bill to', `${cw.billToCompany?.name ?? ''}, ${cw.billingSiteCity ?? ''}`],
      ['Attention', cw.attention ?? ''],
      ['Date', (cw.date ?? '').slice(0, 10)],
      ['Due date', (cw.dueDate ?? '').slice(0, 10)],
      ['Terms', cw.billingTerms?.name ?? ''],
      ['Customer PO', cw.customerPO ?? ''],
      ['Location', ctx.state.locations.find((l) => l.id === inv.locationId)?.name ?? ''],
      ['Currency', cur],
      ...(inv.appliedToInvoiceId ? ([['Applied to', `INV-${inv.appliedToInvoiceId}`]] as [string, string][]) : []),
    ],
    body,
  };
}

function otherView(ctx: SimContext, screen: Exclude<Screen, 'invoice'>, id: number): ScreenView {
  if (screen === 'accountingbatch') {
    const b = ctx.state.batches.find((x) => x.id === id);
    return {
      title: b ? `Accounting batch ${b.batchIdentifier}` : `Accounting batch #${id}`,
      subtitle: 'Finance · Accounting interface',
      locationId: null,
      fields: b
        ? [['Batch', b.batchIdentifier], ['Closed', b.closedFlag ? 'Yes' : 'No'], ['Records', String(b.recordIds.length)], ['Created', b.createdAt.slice(0, 10)]]
        : [['Batch', 'New batch'], ['Unposted invoices', String(ctx.state.invoices.filter((i) => !ctx.state.batches.some((bb) => bb.recordIds.includes(i.glEntryId))).length)]],
      body: '',
    };
  }
  if (screen === 'purchaseorder') {
    const po = ctx.state.procurement.purchaseOrders.find((p) => p.id === id);
    if (po) return purchaseOrderView(ctx.state, po, { esc, fmt, fmtPrice });
    return { title: `Purchase order PO-${id}`, subtitle: 'Procurement', locationId: null, fields: [['PO #', `PO-${id}`], ['Status', 'Open'], ['Location', 'Sydney']], body: '' };
  }
  if (screen === 'company' || screen === 'member' || screen === 'product') return recordView(ctx, screen, id);
  return expenseReportView(ctx, id);
}

/** A company, member or product: its name and codes (what a "Fix in" link asked ConnectWise to open). */
function recordView(ctx: SimContext, screen: 'company' | 'member' | 'product', id: number): ScreenView {
  if (screen === 'company') {
    const c = ctx.state.companies.find((x) => x.id === id);
    return { title: c ? `Company ${c.name}` : `Company #${id}`, subtitle: 'Companies', locationId: null, fields: c ? [['Company ID', c.identifier ?? ''], ['Name', c.name ?? '']] : [['Company', 'Not found']], body: '' };
  }
  if (screen === 'member') {
    const m = ctx.state.members.find((x) => x.id === id);
    return { title: m ? `Member ${m.identifier}` : `Member #${id}`, subtitle: 'System · Members', locationId: null, fields: m ? [['Member ID', m.identifier], ['Name', `${m.firstName ?? ''} ${m.lastName ?? ''}`.trim()]] : [['Member', 'Not found']], body: '' };
  }
  const p = ctx.state.products.find((x) => x.id === id);
  return { title: p ? `Product ${p.identifier}` : `Product #${id}`, subtitle: 'Procurement · Product Catalog', locationId: null, fields: p ? [['Item ID', p.identifier], ['Description', p.description]] : [['Product', 'Not found']], body: '' };
}

/** The expense report: its header and one row per entry (what the approver sees before approving). */
function expenseReportView(ctx: SimContext, id: number): ScreenView {
  const rec = ctx.state.expenses.reports.find((r) => r.id === id);
  if (!rec) return { title: `Expense report #${id}`, subtitle: 'Time & Expense', locationId: null, fields: [['Report', `#${id}`], ['Status', 'Not found']], body: '' };
  const r = toCwExpenseReport(ctx.state, rec);
  const entries = reportEntries(ctx.state, id);
  const member = ctx.state.members.find((m) => m.identifier === rec.member);
  const rows = entries
    .map((sim) => {
      const e = toCwExpenseEntry(ctx.state, sim);
      const chargeTo = [e.company?.name, e.ticket ? `Ticket #${e.ticket.id}` : '', e.project ? `Project: ${e.project.name}` : '', e.agreement ? `Agreement: ${e.agreement.name}` : ''].filter(Boolean).join(' · ');
      const tax = (e.taxes ?? []).map((t) => `${fmt(t.amount)} ${t.type?.name ?? ''}`).join(', ');
      return `<tr data-entry="${esc(e.id)}"><td>${esc(e.date.slice(0, 10))}</td><td>${esc(e.type?.name)}</td><td>${esc(e.classification?.name)}</td><td>${esc(e.paymentMethod?.name)}</td>` +
        `<td>${esc(chargeTo)}</td><td>${esc(e.notes)}</td><td class="num">${fmt(e.amount, e.currency?.currencyCode)}</td><td>${esc(tax)}</td><td>${isUnpostedExpense(ctx.state, sim) ? 'Unposted' : ''}</td></tr>`;
    })
    .join('');
  const body = `
  <section class="card"><h2>Expense entries</h2>
    <table class="lines"><thead><tr><th>Date</th><th>Type</th><th>Classification</th><th>Payment</th><th>Charge to</th><th>Notes</th><th class="num">Amount</th><th>Tax</th><th>Accounting</th></tr></thead>
    <tbody>${rows}</tbody></table>
  </section>`;
  return {
    title: `Expense report #${id}`,
    subtitle: `Time & Expense · ${r.member?.name ?? ''}`,
    locationId: member?.defaultLocation?.id ?? null,
    fields: [
      ['Report', `#${id}`],
      ['Member', r.member?.name ?? ''],
      ['Status', r.status ?? ''],
      ['Period', `${(r.dateStart ?? '').slice(0, 10)} – ${(r.dateEnd ?? '').slice(0, 10)}`],
      ['Entries', String(entries.length)],
      ['Total', fmt(r.total)],
    ],
    body,
  };
}

function setupsFor(ctx: SimContext, screen: Screen, locationId: number | null): CwHostedSetup[] {
  const screenRec = ctx.state.hostedScreens.find((s) => s.screenId === screen);
  return ctx.state.hostedSetups.filter(
    (s) =>
      s.screenId === screenRec?.id &&
      !s.disabledFlag &&
      (!s.locationsEnabledFlag || locationId === null || (s.locationIds ?? []).includes(locationId)),
  );
}

function frameConfig(s: CwHostedSetup, screen: Screen, id: number) {
  const src = s.url.replaceAll('[cw_id]', encodeURIComponent(String(id))).replaceAll('[cw_screen]', encodeURIComponent(screen));
  return {
    setupId: s.id,
    type: s.type,
    description: s.description,
    origin: s.origin ?? new URL(s.url).origin,
    src,
    podHeight: s.podHeight ?? 300,
    buttonText: s.toolbarButtonText ?? s.description,
    buttonTip: s.toolbarButtonToolTip ?? '',
    dialogWidth: s.toolbarButtonDialogWidth ?? 900,
    dialogHeight: s.toolbarButtonDialogHeight ?? 640,
  };
}

function page(ctx: SimContext, screen: Screen, id: number, memberId: string, view: ScreenView): string {
  const member = ctx.state.members.find((m) => m.identifier.toLowerCase() === memberId.toLowerCase())!;
  const frames = setupsFor(ctx, screen, view.locationId).map((s) => frameConfig(s, screen, id));
  const config = { screen, id, member: member.identifier };
  const fields = view.fields.map(([k, v]) => `<div class="field"><label>${esc(k)}</label><div class="value">${esc(v)}</div></div>`).join('');
  const buttons = frames
    .filter((f) => f.type === 'ToolbarButton')
    .map((f) => `<button class="tb hosted" data-setup="${esc(f.setupId)}" title="${esc(f.buttonTip)}">${esc(f.buttonText)}</button>`)
    .join('');
  const tabs = frames.filter((f) => f.type === 'Tab');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(view.title)} · ConnectWise Manage (simulator)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CSS}</style></head>
<body>
<header class="topbar"><div class="brand"><span class="logo">CW</span> ConnectWise <b>Manage</b> <span class="sim">simulator</span></div>
  <nav><span>Service</span><span>Projects</span><span class="on">Finance</span><span>Procurement</span><span>Time &amp; Expense</span></nav>
  <div class="who" title="${esc(member.officeEmail)}">${esc(member.firstName)} ${esc(member.lastName)} · ${esc(member.securityRole?.name)}</div></header>
<div class="crumbs">${esc(ctx.options.companyId)} / ${esc(screen)} / ${esc(id)}</div>
<div class="toolbar">
  <button class="tb" id="cw-save">Save</button><button class="tb" disabled>Save &amp; Close</button><button class="tb" disabled>Print</button>${buttons}
  <span id="cw-dirty" class="dirty" hidden>● Unsaved changes</span><span id="cw-status" class="status" role="status"></span>
</div>
<main>
  <div class="col-main">
    <section class="card head"><h1>${esc(view.title)}</h1><div class="sub">${esc(view.subtitle)}</div><div class="grid">${fields}</div></section>
    ${tabs.length ? `<section class="card"><div class="tabs"><button class="tab on" data-tab="main">${esc(screen === 'invoice' ? 'Invoice' : 'Details')}</button>${tabs.map((t) => `<button class="tab" data-tab="${esc(t.setupId)}">${esc(t.description)}</button>`).join('')}</div><div id="cw-tab-panels"></div></section>` : ''}
    <div id="cw-main-body">${view.body}</div>
  </div>
  <aside class="col-pods" id="cw-pods">${frames.some((f) => f.type === 'Pod') ? '' : '<div class="nopods">No pods on this screen</div>'}</aside>
</main>
<div id="cw-errors" class="errors" hidden></div>
<script id="cw-sim-config" type="application/json">${jsonForScript({ ...config, frames })}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>`;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.4 "Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2733;background:#eef1f5}
.topbar{display:flex;align-items:center;gap:24px;height:48px;padding:0 16px;background:#0b2a4a;color:#fff}
.brand{font-size:16px;white-space:nowrap}.logo{display:inline-block;background:#e4002b;color:#fff;font-weight:700;border-radius:4px;padding:2px 6px;margin-right:6px}
.sim{font-size:11px;background:#1f4f7f;border-radius:8px;padding:1px 6px;margin-left:6px;text-transform:uppercase;letter-spacing:.05em}
.topbar nav{display:flex;gap:18px;flex:1;color:#b9c8d8}.topbar nav .on{color:#fff;border-bottom:2px solid #4aa3ff;padding-bottom:2px}.who{font-size:13px;color:#dbe6f2}
.crumbs{padding:6px 16px;font-size:12px;color:#5b6b7c;background:#f7f8fa;border-bottom:1px solid #dde3ea}
.toolbar{display:flex;align-items:center;gap:6px;padding:8px 16px;background:#dfe4ea;border-bottom:1px solid #c6ced8}
.tb{border:1px solid #aab6c4;background:linear-gradient(#fff,#eef1f4);border-radius:3px;padding:5px 12px;font:inherit;cursor:pointer}.tb:disabled{color:#9aa5b1;cursor:default}
.tb.hosted{border-color:#2f7bd3;color:#0b4f9c;font-weight:600}.dirty{color:#b35c00;font-weight:600;margin-left:12px}.status{margin-left:auto;color:#2b6e2b}
main{display:flex;gap:16px;padding:16px;align-items:flex-start}.col-main{flex:1;min-width:0}.col-pods{width:380px;display:flex;flex-direction:column;gap:12px}
.card{background:#fff;border:1px solid #d5dce4;border-radius:4px;padding:14px 16px;margin-bottom:16px}h1{margin:0;font-size:20px}h2{margin:0 0 10px;font-size:15px;color:#0b2a4a}.sub{color:#5b6b7c;margin-bottom:12px}
.grid{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:10px 20px}.field label{display:block;font-size:11px;text-transform:uppercase;color:#6b7b8c;letter-spacing:.04em}.field .value{border-bottom:1px solid #e3e8ee;padding:2px 0;min-height:22px}
table.lines{width:100%;border-collapse:collapse}table.lines th{background:#f0f3f6;text-align:left;font-weight:600;font-size:12px;padding:6px;border-bottom:1px solid #cfd7e0}table.lines td{padding:6px;border-bottom:1px solid #edf0f3}
.num{text-align:right;font-variant-numeric:tabular-nums}table.totals{margin:12px 0 0 auto;min-width:280px}table.totals td{padding:3px 6px}table.totals .grand td{font-weight:700;border-top:1px solid #cfd7e0}
.pod{background:#fff;border:1px solid #d5dce4;border-radius:4px}.pod h3{margin:0;padding:8px 12px;font-size:13px;background:#f0f3f6;border-bottom:1px solid #d5dce4;color:#0b2a4a}.pod iframe,.tabpanel iframe{display:block;width:100%;border:0}
.nopods{color:#8a97a5;font-size:12px;text-align:center;padding:12px;border:1px dashed #c6ced8;border-radius:4px}
.tabs{display:flex;gap:2px;border-bottom:1px solid #cfd7e0;margin:-4px 0 12px}.tab{border:0;background:none;padding:8px 14px;font:inherit;cursor:pointer;color:#4a5a6b}.tab.on{color:#0b2a4a;border-bottom:3px solid #2f7bd3;font-weight:600}
.tabpanel iframe{height:520px}
.modal-back{position:fixed;inset:0;background:rgba(11,42,74,.45);display:flex;align-items:center;justify-content:center;z-index:10}
.modal{background:#fff;border-radius:6px;box-shadow:0 12px 40px rgba(0,0,0,.35);display:flex;flex-direction:column;max-width:96vw;max-height:94vh}
.modal header{display:flex;align-items:center;padding:8px 12px;background:#0b2a4a;color:#fff;border-radius:6px 6px 0 0}.modal header b{flex:1}.modal header button{background:none;border:0;color:#fff;font-size:18px;cursor:pointer}
.modal iframe{flex:1;border:0;width:100%}
.errors{position:fixed;right:16px;bottom:16px;max-width:420px;background:#fff4f4;border:1px solid #e0a0a0;color:#8a1f1f;border-radius:4px;padding:10px 14px;box-shadow:0 4px 14px rgba(0,0,0,.15)}
`;

function errorPage(status: number, message: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>ConnectWise (simulator)</title><style>${CSS}</style></head><body><header class="topbar"><div class="brand"><span class="logo">CW</span> ConnectWise <b>Manage</b> <span class="sim">simulator</span></div></header><main><section class="card"><h1>${status}</h1><p>${esc(message)}</p></section></main></body></html>`;
}

export function hostPageRoutes(ctx: SimContext): Hono {
  const app = new Hono();
  // ConnectWise's "open record" link (what a Xero bill's Url points back to): an expense entry
  // (recordType ExpenseFV, recid = the entry id) opens its expense report's screen here.
  app.get('/v4_6_release/services/system_io/router/openrecord.rails', (c) => {
    const type = c.req.query('recordType') ?? '';
    const recid = Number(c.req.query('recid'));
    if (type === 'ExpenseFV') {
      const entry = ctx.state.expenses.entries.find((e) => e.id === recid);
      if (!entry) return c.html(errorPage(404, `Expense entry ${c.req.query('recid')} not found`), 404);
      return c.redirect(`/expensereport/${entry.reportId}`, 302);
    }
    return c.html(errorPage(404, `No record type "${type}" in the simulator`), 404);
  });
  app.get('/:screen/:id', (c) => {
    const screen = c.req.param('screen').toLowerCase();
    const idText = c.req.param('id');
    if (!(SCREENS as readonly string[]).includes(screen)) return c.html(errorPage(404, `No screen "${screen}" (screens: ${SCREENS.join(', ')})`), 404);
    if (!/^\d+$/.test(idText)) return c.html(errorPage(400, 'id must be a whole number'), 400);
    const id = Number(idText);
    const memberId = c.req.query('member') ?? 'accountant';
    if (!ctx.state.members.some((m) => m.identifier.toLowerCase() === memberId.toLowerCase())) {
      return c.html(errorPage(400, `member: no member "${memberId}" (try admin, accountant or tech)`), 400);
    }
    let view: ScreenView;
    if (screen === 'invoice') {
      const inv = ctx.state.invoices.find((i) => i.id === id);
      if (!inv) return c.html(errorPage(404, `Invoice ${id} not found`), 404);
      view = invoiceView(ctx, inv);
    } else {
      view = otherView(ctx, screen as Exclude<Screen, 'invoice'>, id);
    }
    c.header('Cache-Control', 'no-store');
    return c.html(page(ctx, screen as Screen, id, memberId, view));
  });
  return app;
}
