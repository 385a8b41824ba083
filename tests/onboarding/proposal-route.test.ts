// GET /api/setup/proposal over HTTP against both simulators: once Xero is
// connected, each billing location is proposed the organisation of its
// invoices' currency and its country; revenue accounts and tax codes from the
// simulator's finance/glAccounts and finance/taxCodes; only an admin may ask.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startStack, type TestStack } from '../support/stack.js';
import { AU_ORG, NZ_ORG, signIn } from '../support/connect-xero.js';
import { connectXero } from '../xero-connect/flow.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('proposed mappings', () => {
  it('before Xero is connected: no organisation to propose; a non-admin is refused', async () => {
    const admin = await signIn(stack, 'admin');
    const r = await http(`${stack.server.url}/api/setup/proposal`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.orgs).toEqual([]);
    expect(r.body.locations.map((l: { name: string; xeroTenantId: string | null }) => [l.name, l.xeroTenantId])).toEqual([
      ['Auckland', null],
      ['Sydney', null],
    ]);
    const member = await signIn(stack, 'accountant');
    expect((await http(`${stack.server.url}/api/setup/proposal`, { token: member })).status).toBe(403);
    expect((await http(`${stack.server.url}/api/setup/proposal`)).status).toBe(401);
  });

  it('after: Sydney → the AU organisation, Auckland → the NZ one, by their invoices’ currency and their country; the demo’s revenue accounts and tax codes are proposed; nothing is unread', async () => {
    const admin = await signIn(stack, 'admin');
    const connected = await connectXero(stack.server.url, admin);
    expect(connected.ok).toBe(true);
    const r = await http(`${stack.server.url}/api/setup/proposal`, { token: admin });
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.locations.map((l: { name: string }) => [l.name, l]));
    expect(byName.Sydney).toMatchObject({ cwLocationId: 1, xeroTenantId: AU_ORG });
    expect(byName.Sydney.reason).toMatch(/currency AUD and country AU/);
    expect(byName.Auckland.reason).toMatch(/currency NZD and country NZ/);
    expect(byName.Auckland).toMatchObject({ cwLocationId: 2, xeroTenantId: NZ_ORG });
    expect(r.body.orgs.map((o: { baseCurrency: string; country: string }) => `${o.baseCurrency}/${o.country}`).sort()).toEqual(['AUD/AU', 'NZD/NZ']);
    expect(r.body.unread).toEqual([]);
    // Revenue GL types' accounts, each once (200 is mapped per work type, 210 per location): the demo's Xero
    // has each code but 4990 (the legacy hardware product's own account). The sales tax account 820 (GL type
    // ST) is not proposed: Xero works out an invoice's tax itself, so no line ever books into it.
    expect(r.body.accounts).toEqual([
      { cwAccount: '200', xeroCode: '200', reason: 'same code in Xero' },
      { cwAccount: '220', xeroCode: '220', reason: 'same code in Xero' },
      { cwAccount: '210', xeroCode: '210', reason: 'same code in Xero' },
      { cwAccount: '4990', xeroCode: null, reason: 'no Xero account has this code or name' },
      { cwAccount: '230', xeroCode: '230', reason: 'same code in Xero' },
    ]);
    expect(r.body.taxes).toEqual([
      { cwTaxCode: 'GST', xeroTaxType: null, reason: 'resolved by its rate (10%) in the organisations that have it' },
      { cwTaxCode: 'NZGST', xeroTaxType: null, reason: 'resolved by its rate (15%) in the organisations that have it' },
      { cwTaxCode: 'EXEMPT', xeroTaxType: null, reason: 'resolved by its rate (0%) in each organisation' },
    ]);
  });
});
