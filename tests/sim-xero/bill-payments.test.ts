// Paying supplier bills from a bank or credit-card account, as Wise-Pay does:
// a credit card is a BANK account with BankAccountType CREDITCARD; a payment
// on an ACCPAY bill is an ACCPAYPAYMENT, a refund of an ACCPAYCREDIT an
// APCREDITPAYMENT; the bill lists its payments and its AmountPaid, AmountDue
// and Status move. Currency as in Xero: the paying account is in the
// document's currency or the base currency, never a third one. Every response
// is checked against Xero's OpenAPI schemas (helpers' SDK wrapper).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreditNote, Invoice, type Payment, type XeroClient } from 'xero-node';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID, raw, sdkClient, sdkFailure, startXeroSim, userTokens, type Sim } from './helpers.js';

let sim: Sim;
let xero: XeroClient;
const T = HARBOUR_TENANT_ID;

beforeAll(async () => { sim = await startXeroSim({ port: 0 }); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
  xero = sdkClient(sim.url, await userTokens(sim.url));
});

const day = (ymd: string) => `/Date(${Date.parse(`${ymd}T00:00:00Z`)}+0000)/`;

async function supplier(name: string): Promise<string> {
  return (await xero.accountingApi.createContacts(T, { contacts: [{ name }] })).body.contacts![0]!.contactID!;
}

/** An approved bill: 118.00 + 10 % GST = 129.80 (or one line NoTax in another currency). */
async function bill(contactID: string, over: Partial<Invoice> = {}): Promise<any> {
  const inv: Invoice = {
    type: Invoice.TypeEnum.ACCPAY, contact: { contactID }, invoiceNumber: 'ER-2001', date: '2026-05-04', dueDate: '2026-05-31', status: Invoice.StatusEnum.AUTHORISED,
    lineItems: [{ description: 'Cables and adapters for the Parramatta depot', quantity: 1, unitAmount: 118, accountCode: '453', taxType: 'INPUT' }], ...over,
  };
  return raw(await xero.accountingApi.createInvoices(T, { invoices: [inv] }), 'Invoices').Invoices[0];
}

function foreignBill(contactID: string, currency: string, amount: number) {
  return bill(contactID, {
    currencyCode: currency as never, lineAmountTypes: 'NoTax' as never,
    lineItems: [{ description: 'Hotel, one night', quantity: 1, unitAmount: amount, accountCode: '493', taxType: 'EXEMPTEXPENSES' }],
  });
}

async function pay(p: Payment): Promise<any> {
  return raw(await xero.accountingApi.createPayment(T, p), 'Payments').Payments[0];
}

async function invoiceBoth(id: string): Promise<[any, any]> {
  const single = raw(await xero.accountingApi.getInvoice(T, id), 'Invoices').Invoices[0];
  const listed = raw(await xero.accountingApi.getInvoices(T, undefined, undefined, undefined, [id]), 'Invoices').Invoices;
  expect(listed).toHaveLength(1);
  return [single, listed[0]];
}

describe('the seeded accounts a card payment needs', () => {
  it('both organisations have the Company Visa (a CREDITCARD bank account, 091) and a card clearing liability (805) that bill lines may use', async () => {
    for (const tenant of [T, KIWI_TENANT_ID]) {
      const accounts = raw(await xero.accountingApi.getAccounts(tenant), 'Accounts').Accounts as any[];
      const visa = accounts.find((a) => a.Code === '091');
      expect(visa).toMatchObject({ Name: 'Company Visa', Type: 'BANK', BankAccountType: 'CREDITCARD', Status: 'ACTIVE', Class: 'ASSET', EnablePaymentsToAccount: true });
      expect(accounts.find((a) => a.Code === '090')).toMatchObject({ Type: 'BANK', BankAccountType: 'BANK' });
      expect(accounts.find((a) => a.Code === '805')).toMatchObject({ Type: 'CURRLIAB', Class: 'LIABILITY', Status: 'ACTIVE' });
      expect(visa.CurrencyCode).toBe(tenant === T ? 'AUD' : 'NZD');
    }
    const usd = (raw(await xero.accountingApi.getAccounts(T), 'Accounts').Accounts as any[]).find((a) => a.Code === '092');
    expect(usd).toMatchObject({ Type: 'BANK', BankAccountType: 'BANK', CurrencyCode: 'USD' });
  });

  it('an expense bill line may post to the clearing account 805 but not to the card account itself', async () => {
    const c = await supplier('Sam Tech');
    const ok = await bill(c, { lineItems: [
      { description: 'Cables and adapters', quantity: 1, unitAmount: 118, accountCode: '453', taxType: 'INPUT' },
      { description: 'Personal coffee on the company card, to be repaid', quantity: 1, unitAmount: -24, accountCode: '805', taxType: 'EXEMPTEXPENSES' },
    ] });
    expect([ok.Total, ok.AmountDue]).toEqual([105.8, 105.8]);
    const fail = await sdkFailure(xero.accountingApi.createInvoices(T, { invoices: [{ type: Invoice.TypeEnum.ACCPAY, contact: { contactID: c }, date: '2026-05-04', status: Invoice.StatusEnum.AUTHORISED, lineItems: [{ description: 'x', quantity: 1, unitAmount: 5, accountCode: '091', taxType: 'BASEXCLUDED' }] }] }));
    expect(fail.statusCode).toBe(400);
    expect(fail.body.Elements[0].ValidationErrors[0].Message).toBe("LineItems[0]: Account code '091' is a bank account and cannot be used on this document.");
  });
});

describe('paying a bill from the credit card', () => {
  it('an ACCPAYPAYMENT from 091 in two parts: the bill lists both payments (single and by IDs) and becomes PAID to the cent', async () => {
    const b = await bill(await supplier('Sam Tech'));
    const first = await pay({ invoice: { invoiceID: b.InvoiceID }, account: { code: '091' }, date: '2026-05-05', amount: 100, reference: 'Visa 4111 statement May' });
    expect(first).toMatchObject({ PaymentType: 'ACCPAYPAYMENT', Status: 'AUTHORISED', Amount: 100, BankAmount: 100, CurrencyRate: 1, Reference: 'Visa 4111 statement May', Date: day('2026-05-05') });
    expect(first.Account.Code).toBe('091');
    expect(first.Invoice).toMatchObject({ InvoiceID: b.InvoiceID, Type: 'ACCPAY', CurrencyCode: 'AUD' });

    for (const inv of await invoiceBoth(b.InvoiceID)) {
      expect([inv.Status, inv.AmountPaid, inv.AmountDue]).toEqual(['AUTHORISED', 100, 29.8]);
      expect(inv.Payments).toEqual([{ PaymentID: first.PaymentID, Date: day('2026-05-05'), Amount: 100, Reference: 'Visa 4111 statement May', CurrencyRate: 1, HasAccount: false, HasValidationErrors: false }]);
    }

    const second = await pay({ invoice: { invoiceID: b.InvoiceID }, account: { accountID: first.Account.AccountID }, date: '2026-05-06', amount: 29.8 });
    expect(second.PaymentType).toBe('ACCPAYPAYMENT');
    for (const inv of await invoiceBoth(b.InvoiceID)) {
      expect([inv.Status, inv.AmountPaid, inv.AmountDue, inv.FullyPaidOnDate]).toEqual(['PAID', 129.8, 0, day('2026-05-06')]);
      expect(inv.Payments.map((p: any) => [p.PaymentID, p.Amount])).toEqual([[first.PaymentID, 100], [second.PaymentID, 29.8]]);
      expect(inv.Payments[1]).not.toHaveProperty('Reference');
    }

    // a payment on a paid bill is refused; reversing one puts the amount due back
    const again = await sdkFailure(xero.accountingApi.createPayment(T, { invoice: { invoiceID: b.InvoiceID }, account: { code: '091' }, date: '2026-05-07', amount: 0.01 }));
    expect(again.statusCode).toBe(400);
    await xero.accountingApi.deletePayment(T, second.PaymentID, { status: 'DELETED' });
    const [reopened] = await invoiceBoth(b.InvoiceID);
    expect([reopened.Status, reopened.AmountPaid, reopened.AmountDue, reopened.Payments.length]).toEqual(['AUTHORISED', 100, 29.8, 1]);
  });

  it('more than the amount due is refused per element, and the bill is unchanged', async () => {
    const b = await bill(await supplier('Sam Tech'));
    const res = raw(await xero.accountingApi.createPayments(T, { payments: [
      { invoice: { invoiceID: b.InvoiceID }, account: { code: '091' }, date: '2026-05-05', amount: 129.81 },
      { invoice: { invoiceID: b.InvoiceID }, account: { code: '091' }, date: '2026-05-05', amount: 129.8 },
    ] }, false), 'Payments');
    expect(res.Payments.map((p: any) => p.StatusAttributeString)).toEqual(['ERROR', 'OK']);
    expect(res.Payments[0].ValidationErrors).toEqual([{ Message: 'Payment amount exceeds the amount outstanding on this document' }]);
    const [inv] = await invoiceBoth(b.InvoiceID);
    expect([inv.Status, inv.AmountPaid, inv.Payments.length]).toEqual(['PAID', 129.8, 1]);
  });

  it('a supplier credit note (ACCPAYCREDIT) refunded to the card is an APCREDITPAYMENT that uses up its credit', async () => {
    const c = await supplier('Sam Tech');
    const cn = raw(await xero.accountingApi.createCreditNotes(T, { creditNotes: [{ type: CreditNote.TypeEnum.ACCPAYCREDIT, contact: { contactID: c }, date: '2026-05-12', status: CreditNote.StatusEnum.AUTHORISED, lineItems: [{ description: 'Personal seat upgrade on the company card, to be repaid', quantity: 1, unitAmount: 130, accountCode: '805', taxType: 'EXEMPTEXPENSES' }] }] }), 'CreditNotes').CreditNotes[0];
    const refund = await pay({ creditNote: { creditNoteID: cn.CreditNoteID }, account: { code: '091' }, date: '2026-05-13', amount: 130, reference: 'Repaid by the member' });
    expect(refund).toMatchObject({ PaymentType: 'APCREDITPAYMENT', Amount: 130, BankAmount: 130, CurrencyRate: 1 });
    expect(refund.CreditNote).toMatchObject({ CreditNoteID: cn.CreditNoteID, Type: 'ACCPAYCREDIT' });
    const after = raw(await xero.accountingApi.getCreditNote(T, cn.CreditNoteID), 'CreditNotes').CreditNotes[0];
    expect([after.Status, after.RemainingCredit]).toEqual(['PAID', 0]);
    expect(after.Payments).toEqual([{ PaymentID: refund.PaymentID, Date: day('2026-05-13'), Amount: 130, Reference: 'Repaid by the member', CurrencyRate: 1, HasAccount: false, HasValidationErrors: false }]);
  });
});

describe('the currency of the paying account', () => {
  it('a USD bill from the USD account: the bank moves USD, at the day rate unless one is sent', async () => {
    const c = await supplier('Pacific Rim Exports Inc');
    const b = await foreignBill(c, 'USD', 100);
    const p1 = await pay({ invoice: { invoiceID: b.InvoiceID }, account: { code: '092' }, date: '2026-05-05', amount: 60 });
    // the seeded day rate, Xero's convention: 1 AUD = 0.658 USD
    expect([p1.Amount, p1.BankAmount, p1.CurrencyRate]).toEqual([60, 60, 0.658]);
    const p2 = await pay({ invoice: { invoiceID: b.InvoiceID }, account: { code: '092' }, date: '2026-05-06', amount: 40, currencyRate: 0.6612 });
    expect([p2.Amount, p2.BankAmount, p2.CurrencyRate]).toEqual([40, 40, 0.6612]);
    const [inv] = await invoiceBoth(b.InvoiceID);
    expect([inv.Status, inv.CurrencyCode, inv.AmountPaid]).toEqual(['PAID', 'USD', 100]);
    expect(inv.Payments.map((p: any) => p.CurrencyRate)).toEqual([0.658, 0.6612]);
  });

  it('a USD bill from the AUD card: the card moves the AUD equivalent, amount ÷ CurrencyRate, to the cent', async () => {
    const c = await supplier('Pacific Rim Exports Inc');
    const b = await foreignBill(c, 'USD', 150);
    // 100 ÷ 0.65 = 153.846… → 153.85 AUD
    const sent = await pay({ invoice: { invoiceID: b.InvoiceID }, account: { code: '091' }, date: '2026-05-05', amount: 100, currencyRate: 0.65 });
    expect([sent.Amount, sent.BankAmount, sent.CurrencyRate]).toEqual([100, 153.85, 0.65]);
    // without a rate, the day rate: 50 ÷ 0.658 = 75.987… → 75.99 AUD
    const dayRate = await pay({ invoice: { invoiceID: b.InvoiceID }, account: { code: '091' }, date: '2026-05-06', amount: 50 });
    expect([dayRate.Amount, dayRate.BankAmount, dayRate.CurrencyRate]).toEqual([50, 75.99, 0.658]);
    const [inv] = await invoiceBoth(b.InvoiceID);
    expect([inv.Status, inv.AmountPaid, inv.AmountDue]).toEqual(['PAID', 150, 0]);
    expect(inv.Payments.map((p: any) => [p.Amount, p.CurrencyRate])).toEqual([[100, 0.65], [50, 0.658]]);
  });

  it('an account in a third currency is refused per element and the bill stays unpaid; a base-currency bill ignores a sent rate; a rate of 0 is refused', async () => {
    const c = await supplier('Kauri Engineering Ltd');
    const nzd = await foreignBill(c, 'NZD', 210);
    const aud = await bill(c, { invoiceNumber: 'ER-2002' });
    const res = raw(await xero.accountingApi.createPayments(T, { payments: [
      { invoice: { invoiceID: nzd.InvoiceID }, account: { code: '092' }, date: '2026-05-07', amount: 210 },
      { invoice: { invoiceID: aud.InvoiceID }, account: { code: '092' }, date: '2026-05-07', amount: 10 },
      { invoice: { invoiceID: nzd.InvoiceID }, account: { code: '091' }, date: '2026-05-07', amount: 10, currencyRate: 0 },
      { invoice: { invoiceID: aud.InvoiceID }, account: { code: '091' }, date: '2026-05-07', amount: 10, currencyRate: 2 },
    ] }, false), 'Payments');
    expect(res.Payments.map((p: any) => p.StatusAttributeString)).toEqual(['ERROR', 'ERROR', 'ERROR', 'OK']);
    expect(res.Payments[0].ValidationErrors).toEqual([{ Message: 'Account: account 092 is in USD; a document in NZD is paid from an account in NZD or in the base currency (AUD)' }]);
    expect(res.Payments[1].ValidationErrors).toEqual([{ Message: 'Account: account 092 is in USD; a document in AUD is paid from an account in AUD or in the base currency (AUD)' }]);
    expect(res.Payments[2].ValidationErrors).toEqual([{ Message: 'CurrencyRate: must be greater than zero' }]);
    expect([res.Payments[3].CurrencyRate, res.Payments[3].BankAmount]).toEqual([1, 10]);
    const [n] = await invoiceBoth(nzd.InvoiceID);
    expect([n.Status, n.AmountPaid, n.Payments]).toEqual(['AUTHORISED', 0, []]);
    // the NZD bill paid from the AUD card at NZD's day rate (1 AUD = 1.09 NZD): 210 ÷ 1.09 = 192.66 AUD
    const ok = await pay({ invoice: { invoiceID: nzd.InvoiceID }, account: { code: '091' }, date: '2026-05-07', amount: 210 });
    expect([ok.BankAmount, ok.CurrencyRate]).toEqual([192.66, 1.09]);
  });
});
