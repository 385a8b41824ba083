// Every kind of invoice the ConnectWise simulator seeds, pushed through our
// server over HTTP into the Xero simulator and read back with xero-node:
// line by line and to the cent against ConnectWise's own export of the batch
// we closed, plus Xero's Total == ConnectWise's total. The needs-attention
// invoice (product on GL 4990) is refused in words and nothing is created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import type { CreditNote, Invoice, LineItem } from 'xero-node';
import { AU_ORG, NZ_ORG, cwBatchesHolding, ledgerRows, money, startSyncStack, xeroCreditNotesByNumber, xeroInvoicesByNumber, type SyncStack } from './helpers.js';
import { http } from '../support/stack.js';

let s: SyncStack;
beforeAll(async () => {
  s = await startSyncStack();
}, 60_000);
afterAll(async () => {
  await s?.close();
});

interface CwDetail {
  glTypeId?: string;
  description?: string;
  quantity?: number;
  itemPrice?: number;
  total?: number;
  accountNumber?: string;
  item?: { identifier?: string };
}

/** ConnectWise's export of the one batch holding this invoice (what CW posted). */
async function cwExportOf(invoiceId: number) {
  const glEntryId = 5000 + (invoiceId - 1000);
  const batches = await cwBatchesHolding(s, glEntryId);
  expect(batches, `one closed batch holds GL entry ${glEntryId}`).toHaveLength(1);
  expect(batches[0]!.recordIds).toEqual([glEntryId]);
  const exp = await s.cwPost(`finance/accounting/batches/${batches[0]!.id}/export`, {});
  expect(exp.transactions).toHaveLength(1);
  return { batch: batches[0]!, tx: exp.transactions[0] as { total: number; salesTax: number; documentNumber: string; detail: CwDetail[] } };
}

const abs = (v: unknown) => new Decimal(String(v ?? 0)).abs();

/** Each Xero line equals ConnectWise's revenue line: quantity, unit price, amount, account. */
function expectLinesMatch(lines: LineItem[], detail: CwDetail[], sign: 1 | -1 = 1) {
  const revenue = detail.filter((d) => d.glTypeId !== 'AR' && d.glTypeId !== 'ST');
  expect(lines).toHaveLength(revenue.length);
  revenue.forEach((d, i) => {
    const l = lines[i]!;
    const where = `line ${i + 1}`;
    // A credit memo's amounts are negative in ConnectWise and positive on the Xero credit note.
    expect(money(l.lineAmount), where).toBe(new Decimal(String(d.total)).times(sign).toFixed(2));
    expect(new Decimal(String(l.quantity)).toString(), where).toBe(new Decimal(String(d.quantity)).times(sign).toString());
    expect(new Decimal(String(l.unitAmount)).toString(), where).toBe(new Decimal(String(d.itemPrice)).toString());
    expect(l.accountCode, where).toBe(d.accountNumber);
    if (d.item?.identifier) expect(l.itemCode, where).toBe(d.item.identifier);
  });
}

function expectTotalsMatch(doc: Invoice | CreditNote, tx: { total: number; salesTax: number }) {
  expect(money(doc.total)).toBe(abs(tx.total).toFixed(2));
  expect(money(doc.totalTax)).toBe(abs(tx.salesTax).toFixed(2));
  expect(money(doc.subTotal)).toBe(abs(tx.total).minus(abs(tx.salesTax)).toFixed(2));
}

async function pushAndReadInvoice(invoiceId: number, org: string) {
  const before = await s.view(invoiceId);
  expect(before.status).toBe(200);
  expect(before.body.chip).toBe('ready');
  expect(before.body.canPush).toBe(true);
  expect(before.body.preview.totalsAgree).toBe(true);
  const p = await s.push(invoiceId);
  expect(p.status).toBe(200);
  expect(p.body.outcome).toBe('synced');
  expect(p.body.view.chip).toBe('synced');
  const number = `INV-${invoiceId}`;
  const api = await s.xeroApi(org);
  const found = await xeroInvoicesByNumber(api, org, number);
  expect(found, `exactly one Xero invoice ${number}`).toHaveLength(1);
  const inv = (await api.getInvoice(org, found[0]!.invoiceID!, 4)).body.invoices![0]!;
  expect(p.body.view.xero).toMatchObject({ kind: 'invoice', documentId: inv.invoiceID, number, status: 'AUTHORISED' });
  const { tx, batch } = await cwExportOf(invoiceId);
  expect(p.body.view.ledger).toMatchObject({ state: 'synced', cwBatchId: batch.id });
  expect(await ledgerRows(s, invoiceId)).toHaveLength(1);
  expectLinesMatch(inv.lineItems ?? [], tx.detail);
  expectTotalsMatch(inv, tx);
  // Xero's Total equals ConnectWise's invoice total, to the cent.
  const cwInvoice = await s.cwGet(`finance/invoices/${invoiceId}`);
  expect(money(inv.total)).toBe(abs(cwInvoice.total).toFixed(2));
  return { inv, view: p.body.view };
}

describe('push every seeded invoice kind', () => {
  it('1001 standard time billing with an agreement credit: summary lines, the credit as a negative line', async () => {
    const { inv, view } = await pushAndReadInvoice(1001, AU_ORG);
    expect(String(inv.currencyCode)).toBe('AUD');
    expect(inv.reference).toBe('PO-HD-7781');
    expect(inv.contact?.name).toBe('Harbour Dental Group');
    expect(inv.lineItems!.some((l) => Number(l.lineAmount) < 0 && l.accountCode === '220')).toBe(true);
    // Never a time entry's notes.
    expect(JSON.stringify(inv.lineItems)).not.toMatch(/printer queue|Outlook profile/);
    // The link opens the document on the Xero simulator's own page.
    expect(view.xero.url).toBe(`${s.xero!.url}/AccountsReceivable/View.aspx?InvoiceID=${inv.invoiceID}`);
    const page = await http(view.xero.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('INV-1001');
    expect(page.body).toContain(money(inv.total));
  });

  it('1002 products: item codes, units, a 4-decimal unit price, to the cent', async () => {
    const { inv } = await pushAndReadInvoice(1002, AU_ORG);
    const cable = inv.lineItems!.find((l) => l.itemCode === 'CAT6-3M')!;
    expect(String(cable.unitAmount)).toBe('33.3333');
    expect(money(cable.lineAmount)).toBe('100.00');
    expect(inv.lineItems!.every((l) => !!l.itemCode)).toBe(true);
    // Items Xero lacked were created first.
    const api = await s.xeroApi(AU_ORG);
    const codes = ((await api.getItems(AU_ORG)).body.items ?? []).map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['DELL-LAT5450', 'CAT6-3M', 'CAT6-REEL']));
  });

  it('1003 agreement invoice: the fee and its additions as lines', async () => {
    const { inv } = await pushAndReadInvoice(1003, AU_ORG);
    const fee = inv.lineItems!.filter((l) => l.accountCode === '220');
    expect(fee.map((l) => money(l.lineAmount))).toEqual(['2450.00']);
    const additions = inv.lineItems!.filter((l) => l.itemCode === 'EDR-SEAT' || l.itemCode === 'BACKUP-TB');
    expect(additions.map((l) => [l.itemCode, money(l.lineAmount)])).toEqual([['EDR-SEAT', '227.50'], ['BACKUP-TB', '90.00']]);
  });

  it('1004 credit memo: a positive credit note allocated to INV-1002 as ConnectWise applied it', async () => {
    const p = await s.push(1004);
    expect(p.status).toBe(200);
    expect(p.body.outcome).toBe('synced');
    const api = await s.xeroApi(AU_ORG);
    const notes = await xeroCreditNotesByNumber(api, AU_ORG, 'CM-1004');
    expect(notes).toHaveLength(1);
    const note = (await api.getCreditNote(AU_ORG, notes[0]!.creditNoteID!)).body.creditNotes![0]!;
    expect(String(note.type)).toBe('ACCRECCREDIT');
    const { tx } = await cwExportOf(1004);
    expectLinesMatch(note.lineItems ?? [], tx.detail, -1);
    expectTotalsMatch(note, tx);
    expect(note.lineItems!.every((l) => Number(l.lineAmount) > 0)).toBe(true);
    expect(note.allocations).toHaveLength(1);
    expect(note.allocations![0]!.invoice?.invoiceNumber).toBe('INV-1002');
    expect(money(note.allocations![0]!.amount)).toBe(money(note.total));
    const inv1002 = (await xeroInvoicesByNumber(api, AU_ORG, 'INV-1002'))[0]!;
    expect(money(inv1002.amountCredited)).toBe(money(note.total));
    expect(p.body.view.xero.url).toBe(`${s.xero!.url}/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=${note.creditNoteID}`);
    // Pushing again changes nothing and allocates nothing twice.
    const again = await s.push(1004);
    expect(again.body.outcome).toBe('unchanged');
    const after = (await api.getCreditNote(AU_ORG, note.creditNoteID!)).body.creditNotes![0]!;
    expect(after.allocations).toHaveLength(1);
  });

  it('1005 tax-exempt customer: exempt tax type, no tax', async () => {
    const { inv } = await pushAndReadInvoice(1005, AU_ORG);
    expect(money(inv.totalTax)).toBe('0.00');
    expect(new Set(inv.lineItems!.map((l) => l.taxType))).toEqual(new Set(['EXEMPTOUTPUT']));
  });

  it('1006 Auckland invoice lands in the NZ organisation, in NZD with NZ GST', async () => {
    const { inv, view } = await pushAndReadInvoice(1006, NZ_ORG);
    expect(String(inv.currencyCode)).toBe('NZD');
    expect(new Set(inv.lineItems!.map((l) => l.taxType))).toEqual(new Set(['OUTPUT2']));
    expect(view.organisation.xeroTenantId).toBe(NZ_ORG);
    const au = await s.xeroApi(AU_ORG);
    expect(await xeroInvoicesByNumber(au, AU_ORG, 'INV-1006')).toHaveLength(0);
  });

  it('1007 billed in USD from Sydney: a USD invoice in the AU organisation', async () => {
    const { inv } = await pushAndReadInvoice(1007, AU_ORG);
    expect(String(inv.currencyCode)).toBe('USD');
  });

  it('1008 needs attention (GL 4990 unknown to Xero): refused with the reason, nothing created', async () => {
    const v = await s.view(1008);
    expect(v.body.chip).toBe('needs_attention');
    expect(v.body.canPush).toBe(false);
    expect(v.body.problems.map((p: { message: string }) => p.message).join(' ')).toMatch(/4990/);
    const p = await s.push(1008);
    expect(p.status).toBe(200);
    expect(p.body.outcome).toBe('needs_attention');
    expect(p.body.message).toMatch(/4990/);
    const api = await s.xeroApi(AU_ORG);
    expect(await xeroInvoicesByNumber(api, AU_ORG, 'INV-1008')).toHaveLength(0);
    expect(await cwBatchesHolding(s, 5008)).toHaveLength(0);
    // The audit row has the problem's code, never its words or amounts.
    const audit = await s.server.deps.db.k.selectFrom('audit_log').selectAll().where('subject', 'like', 'invoice:1008%').execute();
    expect(audit.at(-1)).toMatchObject({ outcome: 'needs_attention', message: 'account-unknown' });
  });

  it('keeps no accounting data at rest: the ledger and audit rows hold ids, states and hashes only', async () => {
    const rows = await s.server.deps.db.k.selectFrom('sync_ledger').selectAll().execute();
    const audit = await s.server.deps.db.k.selectFrom('audit_log').selectAll().execute();
    const text = JSON.stringify([rows, audit]);
    for (const forbidden of ['Harbour Dental', 'Blue Gum', 'Remote Support', '1047.75', '33.3333', 'accounts@']) expect(text).not.toContain(forbidden);
  });
});
