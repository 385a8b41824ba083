// The ConnectWise simulator's procurement as the mappings see it: its export,
// purchase orders, warehouses and adjustments, read in-process through its
// REST API; and an Australian / NZ organisation with both warehouses' accounts.
import type { CwGLExport } from '../../shared/cw-types.js';
import { createCwSim } from '../../sim/connectwise/index.js';
import { type XeroRefs, parseXeroRefs } from '../../server/domain/xero-refs.js';
import { type WarehouseRef, warehouseRefs } from '../../server/domain/warehouse-accounts.js';
import { auOrg, nzOrg } from './fixtures/xero-orgs.js';

const AUTH = `Basic ${Buffer.from('democo+simPublicKey:simPrivateKey').toString('base64')}`;
const CLIENT_ID = '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d';

export async function procurementFixture() {
  const sim = createCwSim();
  const call = async (path: string, body?: unknown) => {
    const r = await sim.app.request(`/v4_6_release/apis/3.0${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: AUTH, clientId: CLIENT_ID, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (r.status >= 300) throw new Error(`${path}: ${r.status}`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (await r.json()) as any;
  };
  const exp = (await call('/finance/accounting/export', { exportProductsFlag: true, exportInvoicesFlag: true })) as CwGLExport;
  const warehouses: WarehouseRef[] = warehouseRefs(await call('/procurement/warehouses'), await call('/procurement/warehouseBins'));
  const purchase = (id: string) => {
    const t = exp.purchaseTransactions!.find((x) => x.id === id);
    if (!t) throw new Error(`no purchase ${id}`);
    return t;
  };
  const vendorOf = (companyId: number) => exp.vendors!.find((v) => v.vendor?.id === companyId);
  return { call, exp, warehouses, purchase, vendorOf };
}

const extra = [
  { Code: '425', Status: 'ACTIVE', Type: 'EXPENSE' }, // freight
  { Code: '631', Status: 'ACTIVE', Type: 'INVENTORY' }, // the Parramatta depot's stock
];
export const auRefs: XeroRefs = parseXeroRefs({ ...auOrg, accounts: [...auOrg.accounts, ...extra] });
export const nzRefs: XeroRefs = parseXeroRefs({ ...nzOrg, accounts: [...nzOrg.accounts, ...extra] });
