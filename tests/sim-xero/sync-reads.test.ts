// What the payment sync and the bulk sync rely on: watermarks with
// If-Modified-Since, paging of payments, allocation deletion, batches of 50.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreditNote, Invoice, type XeroClient } from 'xero-node';
import { HARBOUR_TENANT_ID, raw, sdkClient, sdkFailure, startXeroSim, userTokens, validateResponse, type Sim } from './helpers.js';

let sim: Sim;
let xero: XeroClient;
const T = HARBOUR_TENANT_ID;
const advance = (s: number) => fetch(`${sim.url}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: s }) });
const simNow = async () => new Date((await (await fetch(`${sim.url}/__sim/state`)).json()).now);

beforeAll(async () => { sim = await startXeroSim({ port: 0 }); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
  xero = sdkClient(sim.url, await userTokens(sim.url));
});

const line = { description: 'Monthly support', quantity: 1, unitAmount: 100, accountCode: '200', taxType: 'OUTPUT' };

describe('batches of 50', () => {
  it('creates 50 contacts in one call; a name repeated inside the batch fails only that element', async () => {
    const contacts = Array.from({ length: 50 }, (_, i) => ({ name: `Customer ${i}`, accountNumber: `CW-${i}` }));
    contacts[49] = { name: 'Customer 7', accountNumber: 'CW-49' };
    const res = await xero.accountingApi.createContacts(T, { contacts }, false);
    const body = raw(res, 'Contacts');
    const statuses = body.Contacts.map((c: { StatusAttributeString: string }) => c.StatusAttributeString);
    expect(statuses.filter((s: string) => s === 'OK')).toHaveLength(49);
    expect(statuses[49]).toBe('ERROR');
    expect(body.Contacts[49].ValidationErrors[0].Message).toContain('The contact name Customer 7 is already assigned to another contact');
    const page = raw(await xero.accountingApi.getContacts(T, undefined, 'AccountNumber=="CW-12"'), 'Contacts');
    expect(page.Contacts.map((c: { Name: string }) => c.Name)).toEqual(['Customer 12']);
    const state = await (await fetch(`${sim.url}/__sim/state`)).json();
    expect(state.organisations.find((o: { tenantId: string }) => o.tenantId === T).contacts).toBe(49);
  });
});

describe('watermarks', () => {
  it('If-Modified-Since on Payments and Invoices returns what changed after the watermark, including reversals', async () => {
    const contactID = (await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Watermark Co' }] })).body.contacts![0]!.contactID!;
    const invs = (await xero.accountingApi.createInvoices(T, { invoices: [1, 2].map(() => ({ type: Invoice.TypeEnum.ACCREC, contact: { contactID }, status: Invoice.StatusEnum.AUTHORISED, lineItems: [line] })) })).body.invoices!;
    const p1 = (await xero.accountingApi.createPayment(T, { invoice: { invoiceID: invs[0]!.invoiceID! }, account: { code: '090' }, amount: 110 })).body.payments![0]!;
    await advance(60);
    const watermark = await simNow();
    await advance(60);
    const p2 = (await xero.accountingApi.createPayment(T, { invoice: { invoiceID: invs[1]!.invoiceID! }, account: { code: '090' }, amount: 10 })).body.payments![0]!;
    let changed = raw(await xero.accountingApi.getPayments(T, watermark), 'Payments').Payments;
    expect(changed.map((p: { PaymentID: string }) => p.PaymentID)).toEqual([p2.paymentID]);
    const changedInvoices = raw(await xero.accountingApi.getInvoices(T, watermark), 'Invoices').Invoices;
    expect(changedInvoices.map((i: { InvoiceID: string }) => i.InvoiceID)).toEqual([invs[1]!.invoiceID]);

    await xero.accountingApi.deletePayment(T, p1.paymentID!, { status: 'DELETED' });
    changed = raw(await xero.accountingApi.getPayments(T, watermark, undefined, 'UpdatedDateUTC ASC'), 'Payments').Payments;
    expect(changed.map((p: { PaymentID: string; Status: string }) => [p.PaymentID, p.Status])).toEqual([[p2.paymentID, 'AUTHORISED'], [p1.paymentID, 'DELETED']]);
    const reopened = (await xero.accountingApi.getInvoice(T, invs[0]!.invoiceID!)).body.invoices![0]!;
    expect([reopened.status, reopened.amountDue, reopened.amountPaid]).toEqual(['AUTHORISED', 110, 0]);
    expect(reopened.fullyPaidOnDate).toBeUndefined();
    const twice = await sdkFailure(xero.accountingApi.deletePayment(T, p1.paymentID!, { status: 'DELETED' }));
    expect(twice.statusCode).toBe(400);
  });

  it('pages payments 100 at a time', async () => {
    const contactID = (await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Many Payments Co' }] })).body.contacts![0]!.contactID!;
    const inv = (await xero.accountingApi.createInvoices(T, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID }, status: Invoice.StatusEnum.AUTHORISED, lineItems: [{ ...line, unitAmount: 1000 }] }] })).body.invoices![0]!;
    const payments = Array.from({ length: 50 }, () => ({ invoice: { invoiceID: inv.invoiceID! }, account: { code: '090' }, amount: 1.01 }));
    await xero.accountingApi.createPayments(T, { payments });
    await xero.accountingApi.createPayments(T, { payments });
    await xero.accountingApi.createPayments(T, { payments: payments.slice(0, 5) });
    const p2 = raw(await xero.accountingApi.getPayments(T, undefined, undefined, undefined, 2), 'Payments');
    expect(p2.Payments).toHaveLength(5);
    expect(p2.pagination).toEqual({ page: 2, pageSize: 100, pageCount: 2, itemCount: 105 });
    const got = (await xero.accountingApi.getInvoice(T, inv.invoiceID!)).body.invoices![0]!;
    expect(got.amountPaid).toBe(106.05);
    expect(got.amountDue).toBe(993.95);
  });
});

describe('allocation deletion', () => {
  it('deleting a credit-note allocation puts the amount due back on the invoice and the credit back on the note', async () => {
    const contactID = (await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Unallocate Co' }] })).body.contacts![0]!.contactID!;
    const inv = (await xero.accountingApi.createInvoices(T, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID }, status: Invoice.StatusEnum.AUTHORISED, lineItems: [line] }] })).body.invoices![0]!;
    const cn = (await xero.accountingApi.createCreditNotes(T, { creditNotes: [{ type: CreditNote.TypeEnum.ACCRECCREDIT, contact: { contactID }, status: CreditNote.StatusEnum.AUTHORISED, lineItems: [line] }] })).body.creditNotes![0]!;
    const alloc = (await xero.accountingApi.createCreditNoteAllocation(T, cn.creditNoteID!, { allocations: [{ invoice: { invoiceID: inv.invoiceID! }, amount: 110, date: '2026-02-01' }] })).body.allocations![0]!;
    expect((await xero.accountingApi.getInvoice(T, inv.invoiceID!)).body.invoices![0]!.status).toBe('PAID');
    const del = await xero.accountingApi.deleteCreditNoteAllocations(T, cn.creditNoteID!, alloc.allocationID!);
    expect(validateResponse({ Id: 'x', Status: 'OK', ProviderName: 'p', DateTimeUTC: '/Date(1)/', Allocations: [del.response.data] }, 'Allocations')).toEqual([]);
    expect(del.body.isDeleted).toBe(true);
    const after = (await xero.accountingApi.getInvoice(T, inv.invoiceID!)).body.invoices![0]!;
    expect([after.status, after.amountDue, after.amountCredited]).toEqual(['AUTHORISED', 110, 0]);
    expect(after.creditNotes).toEqual([]);
    const cnAfter = (await xero.accountingApi.getCreditNote(T, cn.creditNoteID!)).body.creditNotes![0]!;
    expect([cnAfter.status, cnAfter.remainingCredit]).toEqual(['AUTHORISED', 110]);
  });
});

describe('refunds and foreign currency', () => {
  it('a payment against a credit note is a refund (ARCREDITPAYMENT) and uses up the credit', async () => {
    const contactID = (await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Refund Co' }] })).body.contacts![0]!.contactID!;
    const cn = (await xero.accountingApi.createCreditNotes(T, { creditNotes: [{ type: CreditNote.TypeEnum.ACCRECCREDIT, contact: { contactID }, status: CreditNote.StatusEnum.AUTHORISED, lineItems: [{ ...line, unitAmount: 20 }] }] })).body.creditNotes![0]!;
    const refund = (await xero.accountingApi.createPayment(T, { creditNote: { creditNoteID: cn.creditNoteID! }, account: { code: '090' }, amount: 22, date: '2026-02-02' })).body.payments![0]!;
    expect(String(refund.paymentType)).toBe('ARCREDITPAYMENT');
    const after = (await xero.accountingApi.getCreditNote(T, cn.creditNoteID!)).body.creditNotes![0]!;
    expect([after.status, after.remainingCredit]).toEqual(['PAID', 0]);
  });

  it('an invoice in USD (an organisation currency) carries the currency and rate', async () => {
    const contactID = (await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Yankee Co' }] })).body.contacts![0]!.contactID!;
    const res = await xero.accountingApi.createInvoices(T, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID }, currencyCode: 'USD' as never, lineItems: [{ ...line, taxType: 'EXEMPTOUTPUT' }] }] });
    const inv = res.body.invoices![0]!;
    expect(String(inv.currencyCode)).toBe('USD');
    // Xero's convention: units of the document's currency per 1 of base (1 AUD = 0.658 USD).
    expect(inv.currencyRate).toBe(0.658);
    expect(inv.total).toBe(100);
  });
});

