// GET /api/setup/proposal over HTTP against both simulators: once Xero is
// connected, each billing location is proposed the organisation of its
// invoices' currency; a side ConnectWise does not serve is named, not guessed;
// only an admin may ask.
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

  it('after: Sydney → the AU organisation, Auckland → the NZ one, by their invoices’ currency (the simulator’s locations name no country); what ConnectWise does not serve is named', async () => {
    const admin = await signIn(stack, 'admin');
    const connected = await connectXero(stack.server.url, admin);
    expect(connected.ok).toBe(true);
    const r = await http(`${stack.server.url}/api/setup/proposal`, { token: admin });
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.locations.map((l: { name: string }) => [l.name, l]));
    expect(byName.Sydney).toMatchObject({ cwLocationId: 1, xeroTenantId: AU_ORG });
    expect(byName.Sydney.reason).toMatch(/currency AUD/);
    expect(byName.Auckland).toMatchObject({ cwLocationId: 2, xeroTenantId: NZ_ORG });
    expect(r.body.orgs.map((o: { baseCurrency: string; country: string }) => `${o.baseCurrency}/${o.country}`).sort()).toEqual(['AUD/AU', 'NZD/NZ']);
    expect(Array.isArray(r.body.accounts) && Array.isArray(r.body.taxes)).toBe(true);
    // The simulator has no finance/glAccounts nor finance/taxCodes: said, and those keep today's defaults.
    for (const u of r.body.unread as string[]) expect(u).toMatch(/GL accounts|tax codes/);
  });
});
