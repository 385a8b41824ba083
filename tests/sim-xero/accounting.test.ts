// The Accounting API through the official xero-node SDK, amounts to the cent,
// every response validated against Xero's OpenAPI schemas.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Contact, CreditNote, CurrencyCode, Invoice, LineAmountTypes, ManualJournal, type XeroClient } from 'xero-node';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID, apiFetch, raw, sdkClient, sdkFailure, startXeroSim, userTokens, validateResponse, type Sim, type TokenSet } from './helpers.js';

let sim: Sim;
let xero: XeroClient;
let tokens: TokenSet;
const T = HARBOUR_TENANT_ID;

beforeAll(async () => { sim = await startXeroSim({ port: 0 }); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
  tokens = await userTokens(sim.url);
  xero = sdkClient(sim.url, tokens);
});

async function newContact(name: string): Promise<string> {
  const res = await xero.accountingApi.createContacts(T, { contacts: [{ name }] });
  raw(res, 'Contacts');
  return res.body.contacts![0]!.contactID!;
}

function line(over: Record<string, unknown> = {}) {
  return { description: 'Managed services, January', quantity: 1, unitAmount: 100, accountCode: '200', taxType: 'OUTPUT', ...over };
}

async function invoice(contactID: string, over: Partial<Invoice> = {}, lines = [line()]): Promise<Invoice> {
  const res = await xero.accountingApi.createInvoices(T, {
    invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID }, date: '2026-01-15', dueDate: '2026-02-14', status: Invoice.StatusEnum.AUTHORISED, lineItems: lines, ...over }],
  });
  raw(res, 'Invoices');
  return res.body.invoices![0]!;
}

describe('settings and reference data', () => {
  it('seeds the chart of accounts, tax rates, tracking, items, currencies and organisation', async () => {
    const accounts = raw(await xero.accountingApi.getAccounts(T), 'Accounts').Accounts as { Code: string; Name: string }[];
    const codes = accounts.map((a) => a.Code);
    for (const code of ['090', '091', '200', '210', '220', '230', '310', '610', '630', '800', '820']) expect(codes).toContain(code);
    expect(codes).not.toContain('4990');
    expect(codes.filter((c) => c >= '400' && c <= '499').length).toBeGreaterThan(5);

    const taxes = raw(await xero.accountingApi.getTaxRates(T), 'TaxRates').TaxRates as { TaxType: string; EffectiveRate: number }[];
    expect(taxes.find((t) => t.TaxType === 'OUTPUT')?.EffectiveRate).toBe(10);
    for (const t of ['EXEMPTOUTPUT', 'INPUT', 'EXEMPTEXPENSES', 'BASEXCLUDED']) expect(taxes.map((x) => x.TaxType)).toContain(t);
    const nzTaxes = raw(await xero.accountingApi.getTaxRates(KIWI_TENANT_ID), 'TaxRates').TaxRates as { TaxType: string; EffectiveRate: number }[];
    expect(nzTaxes.find((t) => t.TaxType === 'OUTPUT2')?.EffectiveRate).toBe(15);
    for (const t of ['INPUT2', 'ZERORATED', 'NONE']) expect(nzTaxes.map((x) => x.TaxType)).toContain(t);

    const tracking = raw(await xero.accountingApi.getTrackingCategories(T), 'TrackingCategories').TrackingCategories as { Name: string; Options: unknown[] }[];
    expect(tracking.map((t) => t.Name).sort()).toEqual(['Business Unit', 'Region']);
    expect(tracking.every((t) => t.Options.length >= 2)).toBe(true);

    expect(raw(await xero.accountingApi.getItems(T), 'Items').Items.length).toBeGreaterThan(2);
    const cur = raw(await xero.accountingApi.getCurrencies(T), 'Currencies').Currencies.map((c: { Code: string }) => c.Code);
    expect(cur.sort()).toEqual(['AUD', 'NZD', 'USD']);
    const org = raw(await xero.accountingApi.getOrganisations(KIWI_TENANT_ID), 'Organisations').Organisations[0];
    expect(org).toMatchObject({ Name: 'Kiwi Managed Services Ltd', BaseCurrency: 'NZD', CountryCode: 'NZ' });
  });

  it('creates items; a code over 30 characters is refused naming the field', async () => {
    const res = await xero.accountingApi.createItems(T, { items: [{ code: 'WIDGET-1', name: 'Widget', salesDetails: { unitPrice: 12.5, accountCode: '210', taxType: 'OUTPUT' } }] });
    expect(raw(res, 'Items').Items[0].SalesDetails.UnitPrice).toBe(12.5);
    const fail = await sdkFailure(xero.accountingApi.createItems(T, { items: [{ code: 'X'.repeat(31) }] }));
    expect(fail.statusCode).toBe(400);
    expect(fail.body.Elements[0].ValidationErrors[0].Message).toMatch(/^Code: must be 30 characters or fewer/);
    expect(validateResponse(fail.body, 'Error', 'Item')).toEqual([]);
  });
});

describe('contacts', () => {
  it('creates, finds, pages and updates contacts; names are unique among active contacts', async () => {
    const id = await newContact('Contoso Pty Ltd');
    await newContact('Fabrikam Ltd');
    const dup = await sdkFailure(xero.accountingApi.createContacts(T, { contacts: [{ name: 'contoso pty ltd' }] }));
    expect(dup.statusCode).toBe(400);
    expect(dup.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred' });
    expect(dup.body.Elements[0].ValidationErrors[0].Message).toContain('is already assigned to another contact');
    expect(validateResponse(dup.body, 'Error', 'Contact')).toEqual([]);

    const found = raw(await xero.accountingApi.getContacts(T, undefined, 'Name.Contains("Contoso")'), 'Contacts').Contacts;
    expect(found.map((c: Contact & { ContactID: string }) => c.ContactID)).toEqual([id]);
    const search = raw(await xero.accountingApi.getContacts(T, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'fabrikam'), 'Contacts').Contacts;
    expect(search).toHaveLength(1);
    const page = raw(await xero.accountingApi.getContacts(T, undefined, undefined, 'Name DESC', undefined, 1), 'Contacts');
    expect(page.Contacts.map((c: { Name: string }) => c.Name)).toEqual(['Fabrikam Ltd', 'Contoso Pty Ltd']);
    expect(page.pagination).toEqual({ page: 1, pageSize: 100, pageCount: 1, itemCount: 2 });

    const upd = await xero.accountingApi.updateOrCreateContacts(T, { contacts: [{ contactID: id, emailAddress: 'accounts@contoso.example', addresses: [{ addressType: 'POBOX' as never, addressLine1: 'PO Box 1', city: 'Sydney' }] }] });
    expect(raw(upd, 'Contacts').Contacts[0]).toMatchObject({ ContactID: id, Name: 'Contoso Pty Ltd', EmailAddress: 'accounts@contoso.example' });
    const got = raw(await xero.accountingApi.getContact(T, id), 'Contacts').Contacts[0];
    expect(got.Addresses[0]).toEqual({ AddressType: 'POBOX', AddressLine1: 'PO Box 1', City: 'Sydney' });
  });
});

describe('invoices', () => {
  it('computes Exclusive totals per line, rounded to the cent', async () => {
    const c = await newContact('Rounding Co');
    const inv = await invoice(c, {}, [line({ quantity: 3, unitAmount: 33.33 }), line({ quantity: 1, unitAmount: 0.05 }), line({ quantity: 1, unitAmount: 0.05 }), line({ quantity: 1, unitAmount: 0.05 })]);
    // 99.99 → tax 9.999 → 10.00; 0.05 → tax 0.005 → 0.01 each (per line, half away from zero)
    expect(inv.lineItems!.map((l) => l.lineAmount)).toEqual([99.99, 0.05, 0.05, 0.05]);
    expect(inv.lineItems!.map((l) => l.taxAmount)).toEqual([10, 0.01, 0.01, 0.01]);
    expect(inv.subTotal).toBe(100.14);
    expect(inv.totalTax).toBe(10.03);
    expect(inv.total).toBe(110.17);
    expect(inv.amountDue).toBe(110.17);
    expect(inv.invoiceNumber).toBe('INV-0001');
    expect(inv.date).toEqual(new Date('2026-01-15T00:00:00Z'));
  });

  it('without a DueDate applies the organisation\'s terms (20th of the following month)', async () => {
    const c = await newContact('Terms Co');
    const res = await xero.accountingApi.createInvoices(T, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID: c }, date: '2026-01-31', lineItems: [line()] }] });
    expect(res.body.invoices![0]!.dueDate).toEqual(new Date('2026-02-20T00:00:00Z'));
    const late = await sdkFailure(xero.accountingApi.createInvoices(T, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID: c }, date: '2026-01-31', dueDate: '2026-01-30', lineItems: [line()] }] }));
    expect(late.body.Elements[0].ValidationErrors[0].Message).toBe('DueDate: the due date cannot be before the document date');
  });

  it('computes Inclusive and NoTax totals', async () => {
    const c = await newContact('Inclusive Co');
    const inc = await invoice(c, { lineAmountTypes: LineAmountTypes.Inclusive }, [line({ unitAmount: 110 }), line({ unitAmount: 19.99 })]);
    // 110 × 0.1/1.1 = 10.00; 19.99 × 0.1/1.1 = 1.8172… → 1.82
    expect(inc.totalTax).toBe(11.82);
    expect(inc.total).toBe(129.99);
    expect(inc.subTotal).toBe(118.17);
    const none = await invoice(c, { lineAmountTypes: LineAmountTypes.NoTax }, [line({ unitAmount: 45.5, quantity: 2 })]);
    expect([none.subTotal, none.totalTax, none.total]).toEqual([91, 0, 91]);
  });

  it('a batch with summarizeErrors=false keeps the good elements and reports the bad one', async () => {
    const c = await newContact('Batch Co');
    const mk = (n: string, account = '200'): Invoice => ({ type: Invoice.TypeEnum.ACCREC, contact: { contactID: c }, invoiceNumber: n, date: '2026-01-20', dueDate: '2026-02-20', status: Invoice.StatusEnum.AUTHORISED, lineItems: [line({ accountCode: account })] });
    const res = await xero.accountingApi.createInvoices(T, { invoices: [mk('B-1'), mk('B-2', '4990'), mk('B-3')] }, false);
    const body = raw(res, 'Invoices');
    expect(res.response.status).toBe(200);
    expect(body.Invoices.map((i: { StatusAttributeString: string }) => i.StatusAttributeString)).toEqual(['OK', 'ERROR', 'OK']);
    expect(body.Invoices[1].ValidationErrors[0].Message).toContain("Account code '4990' is not a valid code");
    expect(body.Invoices[0].InvoiceID).toBeTruthy();
    const list = raw(await xero.accountingApi.getInvoices(T, undefined, undefined, undefined, undefined, ['B-1', 'B-2', 'B-3']), 'Invoices').Invoices;
    expect(list.map((i: { InvoiceNumber: string }) => i.InvoiceNumber).sort()).toEqual(['B-1', 'B-3']);

    // with summarizeErrors (the default) the whole call fails and nothing is saved
    const fail = await sdkFailure(xero.accountingApi.createInvoices(T, { invoices: [mk('C-1'), mk('C-2', '4990')] }));
    expect(fail.statusCode).toBe(400);
    expect(fail.body.Elements).toHaveLength(1);
    expect(validateResponse(fail.body, 'Error', 'Invoice')).toEqual([]);
    expect(raw(await xero.accountingApi.getInvoices(T, undefined, undefined, undefined, undefined, ['C-1']), 'Invoices').Invoices).toEqual([]);
  });

  it('applies Xero\'s validations with messages naming the problem', async () => {
    const c = await newContact('Validation Co');
    const cases: [Record<string, unknown>, Partial<Invoice>, RegExp][] = [
      [{ description: '  ' }, {}, /description field is mandatory/],
      [{ quantity: 3, unitAmount: 3.33, lineAmount: 10 }, {}, /line total 10\.00 does not match the expected line total 9\.99/],
      [{ unitAmount: 1.234 }, {}, /UnitAmount 1\.234 has more than 2 decimal places/],
      [{ accountCode: '499' }, {}, /'499' has been archived/],
      [{ taxType: 'TAX001' }, {}, /TaxType code 'TAX001' does not exist/],
      [{ taxType: 'INPUT' }, {}, /cannot be used with account code '200'/],
      [{ accountCode: '610' }, {}, /system account/],
      [{ tracking: [{ name: 'Region', option: 'Perth' }] }, {}, /tracking option 'Perth'/],
      [{}, { currencyCode: CurrencyCode.EUR }, /not subscribed to currency EUR/],
      [{}, { contact: { contactID: '00000000-0000-4000-8000-000000000001' } }, /could not be found/],
      [{}, { date: '2026-02-30' }, /Date: '2026-02-30' is not a valid date/],
    ];
    for (const [l, over, message] of cases) {
      const fail = await sdkFailure(xero.accountingApi.createInvoices(T, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID: c }, status: Invoice.StatusEnum.AUTHORISED, lineItems: [line(l)], ...over }] }));
      expect(fail.statusCode).toBe(400);
      const messages = fail.body.Elements[0].ValidationErrors.map((e: { Message: string }) => e.Message).join(' | ');
      expect(messages).toMatch(message);
      expect(validateResponse(fail.body, 'Error', 'Invoice')).toEqual([]);
    }
    // the same number twice
    await invoice(c, { invoiceNumber: 'DUP-1' });
    const dup = await sdkFailure(xero.accountingApi.createInvoices(T, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID: c }, invoiceNumber: 'DUP-1', lineItems: [line()] }] }));
    expect(dup.body.Elements[0].ValidationErrors[0].Message).toBe('Invoice # must be unique.');
    // a bill may repeat a supplier's number
    const bill = { type: Invoice.TypeEnum.ACCPAY, contact: { contactID: c }, invoiceNumber: 'DUP-1', lineItems: [line({ accountCode: '429', taxType: 'INPUT' })] };
    expect((await xero.accountingApi.createInvoices(T, { invoices: [bill] })).body.invoices![0]!.invoiceNumber).toBe('DUP-1');
  });

  it('unitdp=4 takes four decimal places in UnitAmount and rounds the line to the cent', async () => {
    const c = await newContact('Four DP Co');
    const res = await xero.accountingApi.createInvoices(T, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID: c }, lineItems: [line({ quantity: 2, unitAmount: 1.2345 })] }] }, undefined, 4);
    const l = raw(res, 'Invoices').Invoices[0].LineItems[0];
    expect(l.UnitAmount).toBe(1.2345);
    expect(l.LineAmount).toBe(2.47);
    const two = raw(await xero.accountingApi.getInvoice(T, res.body.invoices![0]!.invoiceID!), 'Invoices').Invoices[0].LineItems[0];
    expect(two.UnitAmount).toBe(1.23);
  });

  it('status life cycle: draft → authorised → voided; no edits to VOIDED or PAID; total 0 is PAID at once', async () => {
    const c = await newContact('Lifecycle Co');
    const draft = await invoice(c, { status: Invoice.StatusEnum.DRAFT });
    expect(draft.status).toBe('DRAFT');
    const auth = await xero.accountingApi.updateInvoice(T, draft.invoiceID!, { invoices: [{ status: Invoice.StatusEnum.AUTHORISED }] });
    expect(raw(auth, 'Invoices').Invoices[0].Status).toBe('AUTHORISED');
    const back = await sdkFailure(xero.accountingApi.updateInvoice(T, draft.invoiceID!, { invoices: [{ status: Invoice.StatusEnum.DRAFT }] }));
    expect(back.body.Elements[0].ValidationErrors[0].Message).toBe('Invoice not of valid status for modification');
    const voided = await xero.accountingApi.updateInvoice(T, draft.invoiceID!, { invoices: [{ status: Invoice.StatusEnum.VOIDED }] });
    expect(voided.body.invoices![0]!.status).toBe('VOIDED');
    expect(voided.body.invoices![0]!.amountDue).toBe(0);
    const edit = await sdkFailure(xero.accountingApi.updateInvoice(T, draft.invoiceID!, { invoices: [{ reference: 'late edit' }] }));
    expect(edit.statusCode).toBe(400);

    const zero = await invoice(c, {}, [line({ unitAmount: 0 })]);
    expect(zero.status).toBe('PAID');
    const editPaid = await sdkFailure(xero.accountingApi.updateInvoice(T, zero.invoiceID!, { invoices: [{ lineItems: [line()] }] }));
    expect(editPaid.body.Elements[0].ValidationErrors[0].Message).toBe('Invoice not of valid status for modification');

    const toDelete = await invoice(c, { status: Invoice.StatusEnum.DRAFT });
    expect((await xero.accountingApi.updateInvoice(T, toDelete.invoiceID!, { invoices: [{ status: Invoice.StatusEnum.DELETED }] })).body.invoices![0]!.status).toBe('DELETED');
  });

  it('reads by id and by number, filters with where/Statuses/If-Modified-Since, orders and pages', async () => {
    const a = await newContact('Reader A');
    const b = await newContact('Reader B');
    const i1 = await invoice(a, { date: '2025-12-20', dueDate: '2026-01-20' });
    const i2 = await invoice(a, { status: Invoice.StatusEnum.DRAFT }, [line({ unitAmount: 250 })]);
    await fetch(`${sim.url}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 120 }) });
    const since = new Date(Date.now() + 60_000);
    const i3 = await invoice(b, {}, [line({ unitAmount: 500 })]);

    expect(raw(await xero.accountingApi.getInvoice(T, i1.invoiceNumber!), 'Invoices').Invoices[0].InvoiceID).toBe(i1.invoiceID);
    const nf = await sdkFailure(xero.accountingApi.getInvoice(T, '00000000-0000-4000-8000-0000000000ff'));
    expect(nf.statusCode).toBe(404);

    const ids = (r: { Invoices: { InvoiceID: string }[] }) => r.Invoices.map((x) => x.InvoiceID);
    const where = (w: string) => xero.accountingApi.getInvoices(T, undefined, w);
    expect(ids(raw(await where(`Contact.ContactID==Guid("${a}") AND Status=="AUTHORISED"`), 'Invoices'))).toEqual([i1.invoiceID]);
    expect(ids(raw(await where('Date >= DateTime(2026, 01, 01) AND Type=="ACCREC"'), 'Invoices')).sort()).toEqual([i2.invoiceID, i3.invoiceID].sort());
    expect(ids(raw(await where('AmountDue > 300 OR Status=="DRAFT"'), 'Invoices')).sort()).toEqual([i2.invoiceID, i3.invoiceID].sort());
    expect(ids(raw(await where(`InvoiceNumber!="${i1.invoiceNumber}" && Status!="DRAFT"`), 'Invoices'))).toEqual([i3.invoiceID]);
    const bad = await sdkFailure(where('Status=="AUTHORISED'));
    expect(bad.statusCode).toBe(400);
    expect(bad.body.Type).toBe('QueryParseException');

    const statuses = raw(await xero.accountingApi.getInvoices(T, undefined, undefined, undefined, undefined, undefined, undefined, ['DRAFT']), 'Invoices');
    expect(ids(statuses)).toEqual([i2.invoiceID]);
    const modified = raw(await xero.accountingApi.getInvoices(T, since), 'Invoices');
    expect(ids(modified)).toEqual([i3.invoiceID]);
    const ordered = raw(await xero.accountingApi.getInvoices(T, undefined, undefined, 'Total DESC', undefined, undefined, undefined, undefined, 1), 'Invoices');
    expect(ordered.Invoices.map((x: { Total: number }) => x.Total)).toEqual([550, 275, 110]);
    expect(ordered.Invoices[0].LineItems).toHaveLength(1); // paged lists carry line items
    expect(raw(await xero.accountingApi.getInvoices(T), 'Invoices').Invoices[0].LineItems).toBeUndefined();
    expect(ids(raw(await xero.accountingApi.getInvoices(T, undefined, undefined, undefined, [i3.invoiceID!]), 'Invoices'))).toEqual([i3.invoiceID]);
  });

  it('pages 100 at a time', async () => {
    const c = await newContact('Paging Co');
    const batch = (n: number) => Array.from({ length: 50 }, (_, i) => ({ type: Invoice.TypeEnum.ACCREC, contact: { contactID: c }, invoiceNumber: `P-${n + i}`, lineItems: [line()] }));
    for (const start of [0, 50, 100]) await xero.accountingApi.createInvoices(T, { invoices: batch(start) });
    const p1 = raw(await xero.accountingApi.getInvoices(T, undefined, undefined, 'InvoiceNumber', undefined, undefined, undefined, undefined, 1), 'Invoices');
    const p2 = raw(await xero.accountingApi.getInvoices(T, undefined, undefined, 'InvoiceNumber', undefined, undefined, undefined, undefined, 2), 'Invoices');
    expect(p1.Invoices).toHaveLength(100);
    expect(p2.Invoices).toHaveLength(50);
    expect(p2.pagination).toEqual({ page: 2, pageSize: 100, pageCount: 2, itemCount: 150 });
  });
});

describe('payments, credit notes, overpayments', () => {
  it('part then full payment → PAID; reversal brings the amount back; overpaying is refused', async () => {
    const c = await newContact('Payer Co');
    const inv = await invoice(c, {}, [line({ quantity: 3, unitAmount: 33.33 })]); // 109.99
    const p1 = await xero.accountingApi.createPayment(T, { invoice: { invoiceID: inv.invoiceID! }, account: { code: '090' }, date: '2026-01-20', amount: 50.01, reference: 'first' });
    const pay1 = raw(p1, 'Payments').Payments[0];
    expect(pay1).toMatchObject({ Amount: 50.01, Status: 'AUTHORISED', PaymentType: 'ACCRECPAYMENT', Reference: 'first' });
    let got = (await xero.accountingApi.getInvoice(T, inv.invoiceID!)).body.invoices![0]!;
    expect([got.amountPaid, got.amountDue, got.status]).toEqual([50.01, 59.98, 'AUTHORISED']);

    const over = await sdkFailure(xero.accountingApi.createPayment(T, { invoice: { invoiceID: inv.invoiceID! }, account: { code: '090' }, amount: 60 }));
    expect(over.body.Elements[0].ValidationErrors[0].Message).toBe('Payment amount exceeds the amount outstanding on this document');
    const wrongAccount = await sdkFailure(xero.accountingApi.createPayment(T, { invoice: { invoiceID: inv.invoiceID! }, account: { code: '200' }, amount: 1 }));
    expect(wrongAccount.body.Elements[0].ValidationErrors[0].Message).toMatch(/payments cannot be made to account 200/);

    const p2 = await xero.accountingApi.createPayments(T, { payments: [{ invoice: { invoiceNumber: inv.invoiceNumber! }, account: { code: '090' }, date: '2026-01-25', amount: 59.98 }] });
    raw(p2, 'Payments');
    got = (await xero.accountingApi.getInvoice(T, inv.invoiceID!)).body.invoices![0]!;
    expect([got.amountPaid, got.amountDue, got.status]).toEqual([109.99, 0, 'PAID']);
    expect(got.fullyPaidOnDate).toEqual(new Date('2026-01-25T00:00:00Z'));
    expect(got.payments!.map((p) => p.amount)).toEqual([50.01, 59.98]);

    const del = await xero.accountingApi.deletePayment(T, pay1.PaymentID, { status: 'DELETED' });
    expect(raw(del, 'Payments').Payments[0].Status).toBe('DELETED');
    got = (await xero.accountingApi.getInvoice(T, inv.invoiceID!)).body.invoices![0]!;
    expect([got.amountPaid, got.amountDue, got.status]).toEqual([59.98, 50.01, 'AUTHORISED']);

    const listed = raw(await xero.accountingApi.getPayments(T, undefined, `Invoice.InvoiceID==Guid("${inv.invoiceID}") AND Status=="AUTHORISED"`), 'Payments').Payments;
    expect(listed.map((p: { Amount: number }) => p.Amount)).toEqual([59.98]);
    const draft = await invoice(c, { status: Invoice.StatusEnum.DRAFT });
    const onDraft = await sdkFailure(xero.accountingApi.createPayment(T, { invoice: { invoiceID: draft.invoiceID! }, account: { code: '090' }, amount: 1 }));
    expect(onDraft.body.Elements[0].ValidationErrors[0].Message).toMatch(/AUTHORISED documents/);
  });

  it('credit note allocated to an invoice reduces AmountDue; over-allocation is refused', async () => {
    const c = await newContact('Credit Co');
    const inv = await invoice(c, {}, [line({ unitAmount: 200 })]); // 220.00
    const cnRes = await xero.accountingApi.createCreditNotes(T, { creditNotes: [{ type: CreditNote.TypeEnum.ACCRECCREDIT, contact: { contactID: c }, date: '2026-01-16', status: CreditNote.StatusEnum.AUTHORISED, lineItems: [line({ unitAmount: 50, description: 'Credit for downtime' })] }] });
    const cn = raw(cnRes, 'CreditNotes').CreditNotes[0];
    expect([cn.Total, cn.RemainingCredit, cn.CreditNoteNumber]).toEqual([55, 55, 'CN-0001']);
    const alloc = await xero.accountingApi.createCreditNoteAllocation(T, cn.CreditNoteID, { allocations: [{ invoice: { invoiceID: inv.invoiceID! }, amount: 30.5, date: '2026-01-17' }] });
    expect(raw(alloc, 'Allocations').Allocations[0].Amount).toBe(30.5);
    const got = (await xero.accountingApi.getInvoice(T, inv.invoiceID!)).body.invoices![0]!;
    expect([got.amountCredited, got.amountDue]).toEqual([30.5, 189.5]);
    expect(got.creditNotes![0]!.appliedAmount).toBe(30.5);
    const cnAfter = raw(await xero.accountingApi.getCreditNote(T, cn.CreditNoteID), 'CreditNotes').CreditNotes[0];
    expect(cnAfter.RemainingCredit).toBe(24.5);
    const tooMuch = await sdkFailure(xero.accountingApi.createCreditNoteAllocation(T, cn.CreditNoteID, { allocations: [{ invoice: { invoiceID: inv.invoiceID! }, amount: 24.51, date: '2026-01-17' }] }));
    expect(tooMuch.body.Elements[0].ValidationErrors[0].Message).toMatch(/more than the remaining credit 24\.50/);
    // the rest: the credit note is then PAID
    await xero.accountingApi.createCreditNoteAllocation(T, cn.CreditNoteID, { allocations: [{ invoice: { invoiceID: inv.invoiceID! }, amount: 24.5, date: '2026-01-18' }] });
    expect((await xero.accountingApi.getCreditNote(T, cn.CreditNoteID)).body.creditNotes![0]!.status).toBe('PAID');
  });

  it('overpayments are listed and can be allocated to invoices', async () => {
    const c = await newContact('Overpaid Co');
    const inv = await invoice(c); // 110
    const made = await fetch(`${sim.url}/__sim/overpayments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId: T, contactId: c, amount: 40, date: '2026-01-10' }) });
    expect(made.status).toBe(201);
    const list = raw(await xero.accountingApi.getOverpayments(T), 'Overpayments').Overpayments;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ Type: 'RECEIVE-OVERPAYMENT', Total: 40, RemainingCredit: 40, Status: 'AUTHORISED' });
    const alloc = await xero.accountingApi.createOverpaymentAllocations(T, list[0].OverpaymentID, { allocations: [{ invoice: { invoiceID: inv.invoiceID! }, amount: 40, date: '2026-01-11' }] });
    raw(alloc, 'Allocations');
    const got = (await xero.accountingApi.getInvoice(T, inv.invoiceID!)).body.invoices![0]!;
    expect([got.amountCredited, got.amountDue]).toEqual([40, 70]);
    expect(raw(await xero.accountingApi.getOverpayments(T), 'Overpayments').Overpayments[0]).toMatchObject({ Status: 'PAID', RemainingCredit: 0 });
  });
});

describe('manual journals', () => {
  it('posts a balanced journal and refuses an unbalanced one', async () => {
    const mj: ManualJournal = { narration: 'Reclass agreement revenue', date: '2026-01-31', status: ManualJournal.StatusEnum.POSTED, journalLines: [
      { lineAmount: 125.4, accountCode: '200', description: 'Out of services' },
      { lineAmount: -125.4, accountCode: '220', description: 'Into agreements', tracking: [{ name: 'Region', option: 'Sydney' }] },
    ] };
    const res = await xero.accountingApi.createManualJournals(T, { manualJournals: [mj] });
    const body = raw(res, 'ManualJournals').ManualJournals[0];
    expect(body.JournalLines.map((l: { LineAmount: number }) => l.LineAmount)).toEqual([125.4, -125.4]);
    expect(body.JournalLines[1].Tracking[0]).toMatchObject({ Name: 'Region', Option: 'Sydney' });
    const back = raw(await xero.accountingApi.getManualJournal(T, body.ManualJournalID), 'ManualJournals').ManualJournals[0];
    expect(back.Narration).toBe('Reclass agreement revenue');
    const bad = await sdkFailure(xero.accountingApi.createManualJournals(T, { manualJournals: [{ ...mj, journalLines: [{ lineAmount: 100, accountCode: '200' }, { lineAmount: -99.99, accountCode: '220' }] }] }));
    expect(bad.body.Elements[0].ValidationErrors[0].Message).toBe('The total debits (100.00) must equal total credits (99.99)');
    expect(validateResponse(bad.body, 'Error', 'ManualJournal')).toEqual([]);
  });
});

describe('tenants', () => {
  it('tenants are isolated: one organisation cannot read another\'s invoice', async () => {
    const c = await newContact('Isolated Co');
    const inv = await invoice(c);
    const res = await apiFetch(sim.url, tokens.access_token, KIWI_TENANT_ID, `/Invoices/${inv.invoiceID}`);
    expect(res.status).toBe(404);
  });
});
