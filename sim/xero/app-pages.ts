// Xero's web app pages for one document, as links from the invoice dialog
// open them (`/AccountsReceivable/View.aspx?InvoiceID=…`,
// `/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=…`, bills at
// `/AccountsPayable/View.aspx?InvoiceID=…`, manual journals at
// `/Journal/View.aspx?invoiceID=…` — Xero's own parameter name): a plain,
// read-only HTML view of the document (number, contact, lines, totals,
// status) so the demo's "Open in Xero" link lands somewhere real.
import { Hono, type Context } from 'hono';
import type { SimContext } from './context.js';
import type { DocumentRec, ManualJournalRec, OrgState } from './records.js';

function esc(s: string | undefined | null): string {
  return String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function day(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().slice(0, 10);
}

function find(ctx: SimContext, kind: DocumentRec['kind'], id: string): { org: OrgState; doc: DocumentRec } | undefined {
  for (const org of ctx.orgs.values()) {
    const doc = org.documents.get(id);
    if (doc && doc.kind === kind) return { org, doc };
  }
  return undefined;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1e2a35}table{border-collapse:collapse;width:100%;margin-top:1rem}
th,td{border-bottom:1px solid #d5dde3;padding:.4rem .6rem;text-align:left}td.n,th.n{text-align:right}.status{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:#e3f1fb}</style>
</head><body>${body}</body></html>`;
}

function render(org: OrgState, doc: DocumentRec): string {
  const contact = org.contacts.get(doc.ContactID);
  const label = doc.Type === 'ACCPAY' ? 'Bill' : doc.kind === 'invoice' ? 'Invoice' : 'Credit note';
  const rows = doc.lines
    .map(
      (l) => `<tr><td>${esc(l.ItemCode)}</td><td>${esc(l.Description)}</td><td class="n">${esc(l.Quantity)}</td><td class="n">${esc(l.UnitAmount)}</td>` +
        `<td>${esc(l.AccountCode)}</td><td>${esc(l.TaxType)}</td><td class="n">${esc(l.TaxAmount)}</td><td class="n">${esc(l.LineAmount)}</td></tr>`,
    )
    .join('');
  return page(
    `${label} ${doc.Number ?? ''}`,
    `<p>${esc(org.info.Name)}</p>
<h1>${label} <span id="number">${esc(doc.Number)}</span> <span class="status" id="status">${esc(doc.Status)}</span></h1>
<p>To <strong id="contact">${esc(contact?.Name)}</strong> · Date ${esc(day(doc.Date))}${doc.DueDate !== undefined ? ` · Due ${esc(day(doc.DueDate))}` : ''}${doc.Reference ? ` · Reference ${esc(doc.Reference)}` : ''} · ${esc(doc.CurrencyCode)} · Amounts are ${esc(doc.LineAmountTypes)}</p>
<table id="lines"><thead><tr><th>Item</th><th>Description</th><th class="n">Qty</th><th class="n">Price</th><th>Account</th><th>Tax rate</th><th class="n">Tax</th><th class="n">Amount</th></tr></thead><tbody>${rows}</tbody></table>
<table id="totals"><tbody><tr><td>Subtotal</td><td class="n" id="subtotal">${esc(doc.SubTotal)}</td></tr><tr><td>Total tax</td><td class="n" id="tax">${esc(doc.TotalTax)}</td></tr>
<tr><th>Total</th><th class="n" id="total">${esc(doc.Total)}</th></tr><tr><td>Paid</td><td class="n">${esc(doc.AmountPaid)}</td></tr><tr><td>Credited</td><td class="n">${esc(doc.AmountCredited)}</td></tr></tbody></table>`,
  );
}

function renderJournal(org: OrgState, j: ManualJournalRec): string {
  const rows = j.lines
    .map((l) => `<tr><td>${esc(l.AccountCode)}</td><td>${esc(l.Description)}</td><td class="n">${Number(l.LineAmount) > 0 ? esc(l.LineAmount) : ''}</td><td class="n">${Number(l.LineAmount) < 0 ? esc(l.LineAmount.replace('-', '')) : ''}</td></tr>`)
    .join('');
  return page(
    'Manual journal',
    `<p>${esc(org.info.Name)}</p>
<h1>Manual journal <span class="status" id="status">${esc(j.Status)}</span></h1>
<p id="narration">${esc(j.Narration)}</p><p>Date ${esc(day(j.Date))}</p>
<table id="lines"><thead><tr><th>Account</th><th>Description</th><th class="n">Debit</th><th class="n">Credit</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

function notFound(c: Context, what: string) {
  return c.html(page('Not found', `<h1>Not found</h1><p>${esc(what)} does not exist in this Xero simulator.</p>`), 404);
}

export function appPageRoutes(ctx: SimContext): Hono {
  const app = new Hono();
  app.get('/AccountsReceivable/View.aspx', (c) => {
    const id = c.req.query('InvoiceID') ?? c.req.query('invoiceID') ?? '';
    const hit = find(ctx, 'invoice', id);
    return hit ? c.html(render(hit.org, hit.doc)) : notFound(c, `Invoice ${id}`);
  });
  app.get('/AccountsPayable/View.aspx', (c) => {
    const id = c.req.query('InvoiceID') ?? c.req.query('invoiceID') ?? '';
    const hit = find(ctx, 'invoice', id);
    return hit && hit.doc.Type === 'ACCPAY' ? c.html(render(hit.org, hit.doc)) : notFound(c, `Bill ${id}`);
  });
  app.get('/Journal/View.aspx', (c) => {
    const id = (c.req.query('invoiceID') ?? c.req.query('InvoiceID') ?? '').toLowerCase();
    for (const org of ctx.orgs.values()) {
      const j = org.journals.get(id);
      if (j) return c.html(renderJournal(org, j));
    }
    return notFound(c, `Manual journal ${id}`);
  });
  app.get('/AccountsReceivable/ViewCreditNote.aspx', (c) => {
    const id = c.req.query('creditNoteID') ?? c.req.query('CreditNoteID') ?? '';
    const hit = find(ctx, 'creditnote', id);
    return hit ? c.html(render(hit.org, hit.doc)) : notFound(c, `Credit note ${id}`);
  });
  return app;
}
