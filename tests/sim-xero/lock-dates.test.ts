// Lock dates, as Xero keeps them: PeriodLockDate and EndOfYearLockDate shown
// on GET /Organisation when set (set here through the simulator's control, as
// an adviser sets them in Xero's Financial settings), and every transaction
// that reaches the ledger dated on or before one refused with Xero's wording,
// per element when summarizeErrors=false. Drafts may still be dated there.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreditNote, Invoice, ManualJournal, type XeroClient } from 'xero-node';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID, raw, sdkClient, sdkFailure, startXeroSim, userTokens, validateResponse, type Sim } from './helpers.js';

let sim: Sim;
let xero: XeroClient;
const T = HARBOUR_TENANT_ID;

beforeAll(async () => { sim = await startXeroSim({ port: 0 }); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
  xero = sdkClient(sim.url, await userTokens(sim.url));
});

async function setLocks(body: Record<string, unknown>): Promise<{ status: number; json: any }> {
  const r = await fetch(`${sim.url}/__sim/lock-dates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: await r.json() };
}

const PERIOD_MSG = 'The document date cannot be before the period lock date, currently set at 31-Mar-2026';
const YEAR_MSG = 'The document date cannot be before the end of year lock date, currently set at 31-Mar-2026';
const billLine = { description: 'Cables and adapters', quantity: 1, unitAmount: 118, accountCode: '453', taxType: 'INPUT' };

async function supplier(name = 'Officeworks'): Promise<string> {
  return (await xero.accountingApi.createContacts(T, { contacts: [{ name }] })).body.contacts![0]!.contactID!;
}

function bill(contactID: string, date: string, status = Invoice.StatusEnum.AUTHORISED, number = 'OW-1'): Invoice {
  return { type: Invoice.TypeEnum.ACCPAY, contact: { contactID }, invoiceNumber: number, date, dueDate: '2026-06-30', status, lineItems: [billLine] };
}

describe('the lock dates on the organisation', () => {
  it('are absent until set, then shown on GET /Organisation as Xero dates; null removes one', async () => {
    const before = raw(await xero.accountingApi.getOrganisations(T), 'Organisations').Organisations[0];
    expect(before).not.toHaveProperty('PeriodLockDate');
    expect(before).not.toHaveProperty('EndOfYearLockDate');

    const set = await setLocks({ tenantId: T, periodLockDate: '2026-03-31', endOfYearLockDate: '2025-06-30' });
    expect(set).toEqual({ status: 200, json: { tenantId: T, periodLockDate: '2026-03-31', endOfYearLockDate: '2025-06-30' } });
    const org = raw(await xero.accountingApi.getOrganisations(T), 'Organisations').Organisations[0];
    expect(org.PeriodLockDate).toBe(`/Date(${Date.UTC(2026, 2, 31)}+0000)/`);
    expect(org.EndOfYearLockDate).toBe(`/Date(${Date.UTC(2025, 5, 30)}+0000)/`);
    // the SDK reads them too (what an integration would check before posting)
    const sdkOrg = (await xero.accountingApi.getOrganisations(T)).body.organisations![0]!;
    expect(new Date(sdkOrg.periodLockDate as unknown as string).toISOString()).toBe('2026-03-31T00:00:00.000Z');
    // the other organisation is untouched
    expect(raw(await xero.accountingApi.getOrganisations(KIWI_TENANT_ID), 'Organisations').Organisations[0]).not.toHaveProperty('PeriodLockDate');

    expect((await setLocks({ tenantId: T, endOfYearLockDate: null })).json).toEqual({ tenantId: T, periodLockDate: '2026-03-31', endOfYearLockDate: null });
    const after = raw(await xero.accountingApi.getOrganisations(T), 'Organisations').Organisations[0];
    expect(after).not.toHaveProperty('EndOfYearLockDate');
    expect(after.PeriodLockDate).toBe(`/Date(${Date.UTC(2026, 2, 31)}+0000)/`);
  });

  it('the control refuses a bad body naming the field, and a reset clears the locks', async () => {
    expect(await setLocks({ tenantId: T, periodLockDate: '31/03/2026' })).toMatchObject({ status: 400, json: { field: 'periodLockDate' } });
    expect(await setLocks({ tenantId: T, periodLockDate: '2026-02-30' })).toMatchObject({ status: 400, json: { field: 'periodLockDate' } });
    expect(await setLocks({ tenantId: 'nope', periodLockDate: '2026-03-31' })).toMatchObject({ status: 400, json: { field: 'tenantId' } });
    expect(await setLocks({ tenantId: T, lockDate: '2026-03-31' })).toMatchObject({ status: 400, json: { field: 'lockDate' } });
    expect((await setLocks({ tenantId: T, periodLockDate: '2026-03-31' })).status).toBe(200);
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    xero = sdkClient(sim.url, await userTokens(sim.url));
    expect(raw(await xero.accountingApi.getOrganisations(T), 'Organisations').Organisations[0]).not.toHaveProperty('PeriodLockDate');
  });
});

describe('documents dated on or before a lock date', () => {
  it('an approved bill on the lock date is refused per element; a draft in the period and an approved bill after it are kept', async () => {
    await setLocks({ tenantId: T, periodLockDate: '2026-03-31' });
    const c = await supplier();
    const res = await xero.accountingApi.createInvoices(T, { invoices: [bill(c, '2026-03-31', Invoice.StatusEnum.AUTHORISED, 'OW-1'), bill(c, '2026-03-15', Invoice.StatusEnum.DRAFT, 'OW-2'), bill(c, '2026-04-01', Invoice.StatusEnum.AUTHORISED, 'OW-3')] }, false);
    const body = raw(res, 'Invoices');
    expect(body.Invoices.map((i: { StatusAttributeString: string }) => i.StatusAttributeString)).toEqual(['ERROR', 'OK', 'OK']);
    expect(body.Invoices[0].ValidationErrors).toEqual([{ Message: PERIOD_MSG }]);
    const kept = raw(await xero.accountingApi.getInvoices(T, undefined, undefined, undefined, undefined, ['OW-1', 'OW-2', 'OW-3']), 'Invoices').Invoices;
    expect(kept.map((i: { InvoiceNumber: string; Status: string }) => [i.InvoiceNumber, i.Status]).sort()).toEqual([['OW-2', 'DRAFT'], ['OW-3', 'AUTHORISED']]);
    // submitted for approval is still allowed in the locked period
    const submitted = raw(await xero.accountingApi.createInvoices(T, { invoices: [bill(c, '2026-03-10', Invoice.StatusEnum.SUBMITTED, 'OW-4')] }), 'Invoices').Invoices[0];
    expect(submitted.Status).toBe('SUBMITTED');

    // approving the draft where it is dated is refused; moved past the lock date it is approved
    const draftId = kept.find((i: { InvoiceNumber: string }) => i.InvoiceNumber === 'OW-2').InvoiceID;
    const refused = await sdkFailure(xero.accountingApi.updateInvoice(T, draftId, { invoices: [{ status: Invoice.StatusEnum.AUTHORISED }] }));
    expect(refused.statusCode).toBe(400);
    expect(refused.body.Elements[0].ValidationErrors).toEqual([{ Message: PERIOD_MSG }]);
    expect(validateResponse(refused.body, 'Error', 'Invoice')).toEqual([]);
    const approved = raw(await xero.accountingApi.updateInvoice(T, draftId, { invoices: [{ status: Invoice.StatusEnum.AUTHORISED, date: '2026-04-02' }] }), 'Invoices').Invoices[0];
    expect([approved.Status, approved.Date]).toEqual(['AUTHORISED', `/Date(${Date.UTC(2026, 3, 2)}+0000)/`]);
  });

  it('both lock dates covering the date give both messages; with summarizeErrors the call fails and nothing is saved', async () => {
    await setLocks({ tenantId: T, periodLockDate: '2026-03-31', endOfYearLockDate: '2026-03-31' });
    const c = await supplier();
    const fail = await sdkFailure(xero.accountingApi.createInvoices(T, { invoices: [bill(c, '2026-04-01', Invoice.StatusEnum.AUTHORISED, 'OK-1'), bill(c, '2025-12-01', Invoice.StatusEnum.AUTHORISED, 'LOCKED-1')] }));
    expect(fail.statusCode).toBe(400);
    expect(fail.body.Elements).toHaveLength(1);
    expect(fail.body.Elements[0].ValidationErrors).toEqual([{ Message: PERIOD_MSG }, { Message: YEAR_MSG }]);
    expect(raw(await xero.accountingApi.getInvoices(T, undefined, undefined, undefined, undefined, ['OK-1', 'LOCKED-1']), 'Invoices').Invoices).toEqual([]);
  });

  it('only the end of year lock date set: a date after it is open', async () => {
    await setLocks({ tenantId: T, endOfYearLockDate: '2025-06-30' });
    const c = await supplier();
    const res = raw(await xero.accountingApi.createInvoices(T, { invoices: [bill(c, '2025-06-30', Invoice.StatusEnum.AUTHORISED, 'Y-1'), bill(c, '2025-07-01', Invoice.StatusEnum.AUTHORISED, 'Y-2')] }, false), 'Invoices');
    expect(res.Invoices.map((i: { StatusAttributeString: string }) => i.StatusAttributeString)).toEqual(['ERROR', 'OK']);
    expect(res.Invoices[0].ValidationErrors).toEqual([{ Message: 'The document date cannot be before the end of year lock date, currently set at 30-Jun-2025' }]);
  });

  it('a supplier credit note in the locked period is refused; a bill approved before the lock cannot be voided after it', async () => {
    const c = await supplier();
    const early = raw(await xero.accountingApi.createInvoices(T, { invoices: [bill(c, '2026-03-20', Invoice.StatusEnum.AUTHORISED, 'EARLY-1')] }), 'Invoices').Invoices[0];
    await setLocks({ tenantId: T, periodLockDate: '2026-03-31' });

    const cn = raw(await xero.accountingApi.createCreditNotes(T, { creditNotes: [{ type: CreditNote.TypeEnum.ACCPAYCREDIT, contact: { contactID: c }, date: '2026-03-30', status: CreditNote.StatusEnum.AUTHORISED, lineItems: [billLine] }] }, false), 'CreditNotes').CreditNotes[0];
    expect(cn.StatusAttributeString).toBe('ERROR');
    expect(cn.ValidationErrors).toEqual([{ Message: PERIOD_MSG }]);

    const voiding = await sdkFailure(xero.accountingApi.updateInvoice(T, early.InvoiceID, { invoices: [{ status: Invoice.StatusEnum.VOIDED }] }));
    expect(voiding.statusCode).toBe(400);
    expect(voiding.body.Elements[0].ValidationErrors).toEqual([{ Message: PERIOD_MSG }]);
    // nor moved out of the locked period
    const moving = await sdkFailure(xero.accountingApi.updateInvoice(T, early.InvoiceID, { invoices: [{ date: '2026-04-10' }] }));
    expect(moving.body.Elements[0].ValidationErrors).toEqual([{ Message: PERIOD_MSG }]);
    expect(raw(await xero.accountingApi.getInvoice(T, early.InvoiceID), 'Invoices').Invoices[0].Status).toBe('AUTHORISED');
  });

  it('a posted manual journal in the locked period is refused; a draft one is saved', async () => {
    await setLocks({ tenantId: T, periodLockDate: '2026-03-31' });
    const journal = (status: ManualJournal.StatusEnum): ManualJournal => ({ narration: 'Card clearing true-up', date: '2026-03-31', status, journalLines: [{ lineAmount: 50, accountCode: '805' }, { lineAmount: -50, accountCode: '453' }] });
    const res = raw(await xero.accountingApi.createManualJournals(T, { manualJournals: [journal(ManualJournal.StatusEnum.POSTED), journal(ManualJournal.StatusEnum.DRAFT)] }, false), 'ManualJournals');
    expect(res.ManualJournals.map((j: { StatusAttributeString: string }) => j.StatusAttributeString)).toEqual(['ERROR', 'OK']);
    expect(res.ManualJournals[0].ValidationErrors).toEqual([{ Message: PERIOD_MSG }]);
  });
});

describe('payments and allocations dated on or before a lock date', () => {
  it('a bill payment on the lock date is refused per element and the bill stays unpaid; one after it is made', async () => {
    const c = await supplier();
    const b = raw(await xero.accountingApi.createInvoices(T, { invoices: [bill(c, '2026-03-20')] }), 'Invoices').Invoices[0];
    await setLocks({ tenantId: T, periodLockDate: '2026-03-31' });
    const pay = (date: string, amount: number) => ({ invoice: { invoiceID: b.InvoiceID }, account: { code: '091' }, date, amount, reference: `Visa ${date}` });
    const res = raw(await xero.accountingApi.createPayments(T, { payments: [pay('2026-03-31', 29.8), pay('2026-04-01', 100)] }, false), 'Payments');
    expect(res.Payments.map((p: { StatusAttributeString: string }) => p.StatusAttributeString)).toEqual(['ERROR', 'OK']);
    expect(res.Payments[0].ValidationErrors).toEqual([{ Message: PERIOD_MSG }]);
    const after = raw(await xero.accountingApi.getInvoice(T, b.InvoiceID), 'Invoices').Invoices[0];
    expect([after.Status, after.AmountPaid, after.AmountDue, after.Payments.length]).toEqual(['AUTHORISED', 100, 29.8, 1]);

    // with summarizeErrors (the default) the call is a 400 ValidationException
    const fail = await sdkFailure(xero.accountingApi.createPayments(T, { payments: [pay('2026-02-01', 29.8)] }));
    expect(fail.statusCode).toBe(400);
    expect(fail.body.Elements[0].ValidationErrors).toEqual([{ Message: PERIOD_MSG }]);
    expect(validateResponse(fail.body, 'Error', 'Payment')).toEqual([]);
  });

  it('a payment made before the lock cannot be reversed after it; a credit allocation in the locked period is refused', async () => {
    const c = await supplier();
    const b = raw(await xero.accountingApi.createInvoices(T, { invoices: [bill(c, '2026-03-20')] }), 'Invoices').Invoices[0];
    const p = raw(await xero.accountingApi.createPayment(T, { invoice: { invoiceID: b.InvoiceID }, account: { code: '091' }, date: '2026-03-25', amount: 29.8 }), 'Payments').Payments[0];
    const cn = raw(await xero.accountingApi.createCreditNotes(T, { creditNotes: [{ type: CreditNote.TypeEnum.ACCPAYCREDIT, contact: { contactID: c }, date: '2026-03-20', status: CreditNote.StatusEnum.AUTHORISED, lineItems: [{ ...billLine, unitAmount: 10 }] }] }), 'CreditNotes').CreditNotes[0];
    await setLocks({ tenantId: T, periodLockDate: '2026-03-31' });

    const reversal = await sdkFailure(xero.accountingApi.deletePayment(T, p.PaymentID, { status: 'DELETED' }));
    expect(reversal.statusCode).toBe(400);
    expect(reversal.body.Elements[0].ValidationErrors).toEqual([{ Message: PERIOD_MSG }]);
    expect(raw(await xero.accountingApi.getPayment(T, p.PaymentID), 'Payments').Payments[0].Status).toBe('AUTHORISED');

    const alloc = await sdkFailure(xero.accountingApi.createCreditNoteAllocation(T, cn.CreditNoteID, { allocations: [{ invoice: { invoiceID: b.InvoiceID }, amount: 11, date: '2026-03-31' }] }));
    expect(alloc.statusCode).toBe(400);
    expect(alloc.body.Elements[0].ValidationErrors).toEqual([{ Message: PERIOD_MSG }]);
    const ok = raw(await xero.accountingApi.createCreditNoteAllocation(T, cn.CreditNoteID, { allocations: [{ invoice: { invoiceID: b.InvoiceID }, amount: 11, date: '2026-04-01' }] }), 'Allocations');
    expect(ok.Allocations[0].Amount).toBe(11);
  });
});
