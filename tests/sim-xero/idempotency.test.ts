// Idempotency-Key as Xero's guidance describes it: a replay within about six
// minutes of the sim clock, refusals replayed too, another request under the
// same key a 400 — and after the window the key is forgotten, so the same
// request runs again (exactly-once cannot rest on the key).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Invoice, type XeroClient } from 'xero-node';
import { IDEMPOTENCY_WINDOW_SECONDS } from '../../sim/xero/index.js';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID, raw, sdkClient, sdkFailure, startXeroSim, userTokens, validateResponse, type Sim, type TokenSet } from './helpers.js';

let sim: Sim;
let xero: XeroClient;
let tokens: TokenSet;
const T = HARBOUR_TENANT_ID;
const post = (path: string, body: unknown) => fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => { sim = await startXeroSim({ port: 0 }); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => {
  await post('/__sim/reset', {});
  tokens = await userTokens(sim.url);
  xero = sdkClient(sim.url, tokens);
});

/** Moves the simulator's clock forward through its control route, as a test of the product would. */
async function advanceSimClock(seconds: number): Promise<void> {
  const res = await post('/__sim/clock', { advanceSeconds: seconds });
  expect(res.status).toBe(200);
}

async function newContact(name: string, tenantId = T): Promise<string> {
  return (await xero.accountingApi.createContacts(tenantId, { contacts: [{ name }] })).body.contacts![0]!.contactID!;
}

function invoiceBody(contactID: string, over: Partial<Invoice> = {}) {
  return { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID }, lineItems: [{ description: 'Support', quantity: 1, unitAmount: 100, accountCode: '200', taxType: 'OUTPUT' }], ...over }] };
}

async function invoiceIds(): Promise<string[]> {
  return (await xero.accountingApi.getInvoices(T)).body.invoices!.map((i) => i.invoiceID!);
}

function expectKeyRefused(failure: { statusCode: number; body: any }): void {
  expect(failure.statusCode).toBe(400);
  expect(failure.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred' });
  expect(failure.body.Elements[0].ValidationErrors[0].Message).toMatch(/^Idempotency-Key: this key was already used for a different request/);
  expect(validateResponse(failure.body, 'Error', 'Invoice')).toEqual([]);
}

describe('within the window', () => {
  it('replays the first answer for the same key and request and does nothing else; keys are per organisation', async () => {
    const c = await newContact('Idem Co');
    const first = await xero.accountingApi.createInvoices(T, invoiceBody(c), undefined, undefined, 'key-1');
    const again = await xero.accountingApi.createInvoices(T, invoiceBody(c), undefined, undefined, 'key-1');
    expect(again.body.invoices![0]!.invoiceID).toBe(first.body.invoices![0]!.invoiceID);
    expect(raw(again, 'Invoices').Id).toBe(raw(first, 'Invoices').Id);
    expect(await invoiceIds()).toEqual([first.body.invoices![0]!.invoiceID]);
    // The same key in another organisation is another key.
    const kiwiContact = await newContact('Idem NZ', KIWI_TENANT_ID);
    const nz = await xero.accountingApi.createInvoices(KIWI_TENANT_ID, invoiceBody(kiwiContact, { lineItems: [{ description: 'Support', quantity: 1, unitAmount: 100, accountCode: '200', taxType: 'OUTPUT2' }] }), undefined, undefined, 'key-1');
    expect(nz.body.invoices![0]!.totalTax).toBe(15);
  });

  it('refuses the key with another body, another URL or another method: 400 ValidationException, nothing done', async () => {
    const c = await newContact('Reuse Co');
    const first = await xero.accountingApi.createInvoices(T, invoiceBody(c), undefined, undefined, 'key-2');
    // another body
    expectKeyRefused(await sdkFailure(xero.accountingApi.createInvoices(T, invoiceBody(c, { reference: 'changed' }), undefined, undefined, 'key-2')));
    // another URL (the query differs: summarizeErrors=false)
    expectKeyRefused(await sdkFailure(xero.accountingApi.createInvoices(T, invoiceBody(c), false, undefined, 'key-2')));
    // another method (POST /Invoices instead of PUT)
    expectKeyRefused(await sdkFailure(xero.accountingApi.updateOrCreateInvoices(T, invoiceBody(c), undefined, undefined, 'key-2')));
    expect(await invoiceIds()).toEqual([first.body.invoices![0]!.invoiceID]);
  });

  it('replays a refusal even once its cause is fixed; a new key runs the request', async () => {
    const taken = await newContact('Taken Name Ltd');
    const refused = await sdkFailure(xero.accountingApi.createContacts(T, { contacts: [{ name: 'Taken Name Ltd' }] }, undefined, 'contact-1'));
    expect(refused.statusCode).toBe(400);
    expect(refused.body.Type).toBe('ValidationException');
    // Fix the cause in Xero: the name is free now.
    await xero.accountingApi.updateContact(T, taken, { contacts: [{ name: 'Renamed Ltd' }] });
    const replayed = await sdkFailure(xero.accountingApi.createContacts(T, { contacts: [{ name: 'Taken Name Ltd' }] }, undefined, 'contact-1'));
    expect(replayed).toMatchObject({ statusCode: 400, body: refused.body });
    expect((await xero.accountingApi.getContacts(T)).body.contacts!.map((x) => x.name)).toEqual(['Renamed Ltd']);
    const created = await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Taken Name Ltd' }] }, undefined, 'contact-2');
    expect(created.body.contacts![0]!.name).toBe('Taken Name Ltd');
  });

  it('keeps no answer to a call refused before it ran (an injected 500): the retry with the key runs', async () => {
    const c = await newContact('Flaky Co');
    await post('/__sim/faults', { failNext: 1, errorPhase: 'before' });
    expect((await sdkFailure(xero.accountingApi.createInvoices(T, invoiceBody(c), undefined, undefined, 'key-3'))).statusCode).toBe(500);
    expect(await invoiceIds()).toEqual([]);
    const retry = await xero.accountingApi.createInvoices(T, invoiceBody(c), undefined, undefined, 'key-3');
    expect(await invoiceIds()).toEqual([retry.body.invoices![0]!.invoiceID]);
  });

  it('refuses a key over 128 characters naming the header', async () => {
    const c = await newContact('Long Key Co');
    const fail = await sdkFailure(xero.accountingApi.createInvoices(T, invoiceBody(c), undefined, undefined, 'k'.repeat(129)));
    expect(fail.statusCode).toBe(400);
    expect(fail.body.Elements[0].ValidationErrors[0].Message).toBe('Idempotency-Key: must be 128 characters or fewer');
    expect(await invoiceIds()).toEqual([]);
  });
});

describe('after the window', () => {
  it('is exported as about six minutes', () => {
    expect(IDEMPOTENCY_WINDOW_SECONDS).toBeGreaterThanOrEqual(300);
    expect(IDEMPOTENCY_WINDOW_SECONDS).toBeLessThanOrEqual(420);
  });

  it('forgets the key: the same request with the same key runs again and creates a second invoice', async () => {
    const c = await newContact('Window Co');
    const first = await xero.accountingApi.createInvoices(T, invoiceBody(c), undefined, undefined, 'key-4');
    const firstId = first.body.invoices![0]!.invoiceID!;
    // Still inside the window (a little short of it, the real clock runs too).
    await advanceSimClock(IDEMPOTENCY_WINDOW_SECONDS - 30);
    const inside = await xero.accountingApi.createInvoices(T, invoiceBody(c), undefined, undefined, 'key-4');
    expect(inside.body.invoices![0]!.invoiceID).toBe(firstId);
    expect(await invoiceIds()).toHaveLength(1);
    // Past it.
    await advanceSimClock(31);
    const after = await xero.accountingApi.createInvoices(T, invoiceBody(c), undefined, undefined, 'key-4');
    const secondId = after.body.invoices![0]!.invoiceID!;
    expect(secondId).not.toBe(firstId);
    expect((await invoiceIds()).sort()).toEqual([firstId, secondId].sort());
    // And the new answer is the one kept now.
    const replay = await xero.accountingApi.createInvoices(T, invoiceBody(c), undefined, undefined, 'key-4');
    expect(replay.body.invoices![0]!.invoiceID).toBe(secondId);
  });

  it('forgets a refusal too, and frees the key for another request', async () => {
    const taken = await newContact('Busy Name Ltd');
    expect((await sdkFailure(xero.accountingApi.createContacts(T, { contacts: [{ name: 'Busy Name Ltd' }] }, undefined, 'contact-3'))).statusCode).toBe(400);
    await xero.accountingApi.updateContact(T, taken, { contacts: [{ name: 'Moved On Ltd' }] });
    await advanceSimClock(IDEMPOTENCY_WINDOW_SECONDS + 1);
    const created = await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Busy Name Ltd' }] }, undefined, 'contact-3');
    expect(created.body.contacts![0]!.name).toBe('Busy Name Ltd');
    await advanceSimClock(IDEMPOTENCY_WINDOW_SECONDS + 1);
    const other = await xero.accountingApi.createContacts(T, { contacts: [{ name: 'Another Ltd' }] }, undefined, 'contact-3');
    expect(other.body.contacts![0]!.name).toBe('Another Ltd');
  });
});
