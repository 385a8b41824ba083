// The Expenses card's server side over HTTP, against both simulators: the
// choices its Wise-Pay rows offer (ConnectWise members and payment types, each
// connected organisation's bank and credit-card accounts), and PUT
// /api/settings refusing a Wise-Pay account no connected organisation can pay
// from — 400 naming `expenses.wisePayAccounts.<member>.<payment type>` — with
// nothing saved, while a good matrix and the other expense fields save.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startStack, type TestStack } from '../support/stack.js';
import { AU_ORG, NZ_ORG, connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { expenseChoicesResponse } from '../../shared/expense-choices.js';

let stack: TestStack;
let admin: string;
let accountant: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await signIn(stack, 'admin');
  accountant = await signIn(stack, 'accountant');
});
afterAll(async () => {
  await stack?.close();
});

const url = (path: string) => `${stack.server.url}${path}`;
const choices = (token: string) => http(url('/api/settings/expense-choices'), { token });
const putExpenses = (token: string, expenses: Record<string, unknown>) => http(url('/api/settings'), { method: 'PUT', token, json: { expenses } });
const storedExpenses = async () => (await http(url('/api/settings'), { token: admin })).body.settings.expenses;
const xeroFaults = async (faults: Record<string, unknown>) => expect((await http(`${stack.xero!.url}/__sim/faults`, { json: faults })).status).toBe(200);

describe('GET /api/settings/expense-choices', () => {
  it('needs a session', async () => {
    const r = await http(url('/api/settings/expense-choices'));
    expect(r.status).toBe(401);
  });

  it('before Xero is connected: ConnectWise members and payment types, no organisations', async () => {
    const r = await choices(accountant);
    expect(r.status).toBe(200);
    const body = expenseChoicesResponse.parse(r.body);
    expect(body.members).toEqual([
      { identifier: 'admin', name: 'Alex Admin' },
      { identifier: 'accountant', name: 'Ana Accountant' },
      { identifier: 'tech', name: 'Tom Technician' },
    ]);
    expect(body.paymentTypes).toEqual([
      { id: 1, name: 'Cash / own card', companyPaid: false },
      { id: 2, name: 'Company Visa', companyPaid: true },
    ]);
    expect(body.organisations).toEqual([]);
  });

  it('refuses a Wise-Pay account while no organisation is connected, naming the field; an empty matrix saves', async () => {
    const r = await putExpenses(admin, { wisePayAccounts: { tech: { '2': '091' } } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid_input', field: 'expenses.wisePayAccounts.tech.2' });
    expect(r.body.error.message).toMatch(/^expenses\.wisePayAccounts\.tech\.2: no Xero organisation is connected/);
    expect((await putExpenses(admin, { wisePayAccounts: {} })).status).toBe(200);
  });
});

describe('with both organisations connected', () => {
  beforeAll(async () => {
    await connectDemoTenantToXero(stack);
  });

  // First, while nothing is cached: an organisation Xero does not answer for is said per organisation, and
  // an account that could only be checked against it is not saved unchecked.
  it('Xero not answering: the choices say so per organisation, and a save is refused 503 naming the field', async () => {
    await xeroFaults({ errorRate5xx: 1 });
    try {
      const c = await choices(admin);
      expect(c.status).toBe(200);
      const body = expenseChoicesResponse.parse(c.body);
      expect(body.organisations).toHaveLength(2);
      for (const o of body.organisations) {
        expect(o.accounts).toEqual([]);
        expect(o.error).toMatch(/\S/);
      }
      const r = await putExpenses(admin, { wisePayAccounts: { tech: { '2': '091' } } });
      expect(r.status).toBe(503);
      expect(r.body.error.field).toBe('expenses.wisePayAccounts.tech.2');
      expect(r.body.error.message).toMatch(/cannot be checked now/);
    } finally {
      await xeroFaults({ errorRate5xx: 0 });
    }
    expect((await storedExpenses()).wisePayAccounts).toEqual({});
  });

  it("lists each organisation's active bank and credit-card accounts, and nothing else", async () => {
    const r = await choices(accountant);
    expect(r.status).toBe(200);
    const body = expenseChoicesResponse.parse(r.body);
    const byOrg = Object.fromEntries(body.organisations.map((o) => [o.xeroTenantId, o]));
    expect(Object.keys(byOrg).sort()).toEqual([AU_ORG, NZ_ORG].sort());
    expect(byOrg[AU_ORG]).toMatchObject({ error: null });
    expect(byOrg[AU_ORG]!.accounts).toEqual([
      { code: '090', name: 'Business Bank Account', type: 'BANK' },
      { code: '091', name: 'Company Visa', type: 'CREDITCARD' },
      { code: '092', name: 'USD Business Account', type: 'BANK' },
    ]);
    expect(byOrg[NZ_ORG]!.accounts.map((a) => `${a.code} ${a.type}`)).toEqual(['090 BANK', '091 CREDITCARD']);
  });

  it('a non-admin may read the choices but not save', async () => {
    const r = await putExpenses(accountant, { wisePayAccounts: { tech: { '2': '091' } } });
    expect(r.status).toBe(403);
    expect((await storedExpenses()).wisePayAccounts).toEqual({});
  });

  it('saves a matrix of bank and credit-card accounts (one of them in only one organisation)', async () => {
    const matrix = { tech: { '2': '091' }, admin: { '2': '092', '1': '090' } };
    const r = await putExpenses(admin, { wisePay: true, wisePayAccounts: matrix });
    expect(r.status).toBe(200);
    const stored = await storedExpenses();
    expect(stored).toMatchObject({ wisePay: true, wisePayAccounts: matrix });
  });

  it.each([
    ['200', /Xero account 200 is not a bank or credit-card account/],
    ['499', /Xero account 499 is archived/],
    ['999', /Xero has no account 999/],
  ])('refuses account %s with 400 naming the member and payment type; nothing is saved', async (code, why) => {
    const r = await putExpenses(admin, { enhancedExpenses: true, wisePayAccounts: { tech: { '2': '091' }, accountant: { '2': code } } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid_input', field: 'expenses.wisePayAccounts.accountant.2' });
    expect(r.body.error.message).toMatch(/^expenses\.wisePayAccounts\.accountant\.2: Wise-Pay links member accountant's payment type 2 to an account payments cannot come from/);
    expect(r.body.error.message).toMatch(why);
    const stored = await storedExpenses();
    expect(stored.wisePayAccounts).toEqual({ tech: { '2': '091' }, admin: { '2': '092', '1': '090' } });
    expect(stored.enhancedExpenses).toBe(false);
  });

  it('a payment type id that is not a number is refused by the schema, naming the matrix', async () => {
    const r = await putExpenses(admin, { wisePayAccounts: { tech: { visa: '091' } } });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('expenses.wisePayAccounts.tech');
  });

  it('other expense fields save without the matrix, which stays as it was', async () => {
    const r = await putExpenses(admin, { billStatus: 'DRAFT', enhancedExpenses: true, weekStart: 'Sunday', dueDays: 14, autoPushApproved: true, secondTierApproval: false, inputTaxMap: { GST: 'INPUT' } });
    expect(r.status).toBe(200);
    expect(await storedExpenses()).toMatchObject({
      billStatus: 'DRAFT',
      enhancedExpenses: true,
      weekStart: 'Sunday',
      dueDays: 14,
      autoPushApproved: true,
      secondTierApproval: false,
      inputTaxMap: { GST: 'INPUT' },
      wisePay: true,
      wisePayAccounts: { tech: { '2': '091' }, admin: { '2': '092', '1': '090' } },
    });
  });
});
