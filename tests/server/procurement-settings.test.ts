// The Purchase orders card's server side over HTTP, against both simulators:
// each ConnectWise warehouse with the Xero inventory account proposed from its
// locationXref, the account the setting holds, and `differs` where the setting
// is not the proposal (the setting wins); each organisation's inventory accounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startStack, type TestStack } from '../support/stack.js';
import { connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { procurementChoicesResponse } from '../../shared/procurement-choices.js';

let stack: TestStack;
let admin: string;
let accountant: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await signIn(stack, 'admin');
  accountant = await signIn(stack, 'accountant');
  await connectDemoTenantToXero(stack);
});
afterAll(async () => {
  await stack?.close();
});

const url = (path: string) => `${stack.server.url}${path}`;
const choices = async (token: string) => {
  const r = await http(url('/api/settings/procurement-choices'), { token });
  expect(r.status).toBe(200);
  return procurementChoicesResponse.parse(r.body);
};

describe('GET /api/settings/procurement-choices', () => {
  it('needs a session', async () => {
    expect((await http(url('/api/settings/procurement-choices'))).status).toBe(401);
  });

  it('proposes a warehouse’s locationXref when it is a Xero account; nothing is set, so nothing differs', async () => {
    const body = await choices(accountant);
    expect(body.warehouses).toEqual([
      { id: 1, name: 'Sydney Warehouse', locationXref: '630', proposed: '630', proposedFrom: 'locationXref', setting: null, differs: false },
      // PARRA is no Xero account, and no export is read here: no proposal.
      { id: 2, name: 'Parramatta Depot', locationXref: 'PARRA', proposed: null, proposedFrom: null, setting: null, differs: false },
    ]);
    expect(body.organisations.length).toBeGreaterThan(0);
    for (const o of body.organisations) {
      expect(o.error).toBeNull();
      expect(o.accounts.map((a) => a.type).every((t) => t === 'INVENTORY' || t === 'CURRENT')).toBe(true);
    }
    expect(body.organisations.flatMap((o) => o.accounts)).toContainEqual({ code: '631', name: 'Inventory - Parramatta Depot', type: 'INVENTORY' });
  });

  it('a setting that is not the proposal is shown with `differs`; one equal to it is not', async () => {
    const put = await http(url('/api/settings'), { method: 'PUT', token: admin, json: { procurement: { warehouseAccounts: { '1': '631', '2': '631' } } } });
    expect(put.status).toBe(200);
    const body = await choices(accountant);
    expect(body.warehouses.find((w) => w.id === 1)).toMatchObject({ proposed: '630', setting: '631', differs: true });
    // No proposal: the setting is all there is, which differs from "nothing".
    expect(body.warehouses.find((w) => w.id === 2)).toMatchObject({ proposed: null, setting: '631', differs: true });
    await http(url('/api/settings'), { method: 'PUT', token: admin, json: { procurement: { warehouseAccounts: { '1': '630' } } } });
    expect((await choices(admin)).warehouses.find((w) => w.id === 1)).toMatchObject({ proposed: '630', setting: '630', differs: false });
  });
});
