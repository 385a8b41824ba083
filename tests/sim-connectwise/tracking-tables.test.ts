// The setup tables Xero tracking maps from, in ConnectWise's shapes:
// system/departments (the ids invoices carry as departmentId and expense
// entries as businessUnitId) and procurement/subcategories (the sub-categories
// export lines carry as subCategory, and catalogue items as subcategory) —
// with paging, conditions, count and a record by id as every collection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CwGLExport } from '../../shared/cw-types.js';
import { startSim, type Sim } from './helpers.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

describe('system/departments', () => {
  it('lists the departments the records carry, by id, identifier and name', async () => {
    const r = await sim.get('/system/departments');
    expect(r.status).toBe(200);
    expect(r.json.map((d: { id: number; identifier: string; name: string }) => [d.id, d.identifier, d.name])).toEqual([
      [10, 'MS', 'Managed Services'],
      [11, 'PS', 'Professional Services'],
    ]);
    const ids = new Set(r.json.map((d: { id: number }) => d.id));
    const invoices = (await sim.get('/finance/invoices?pageSize=1000&fields=id,departmentId')).json as { id: number; departmentId: number }[];
    expect(invoices.length).toBeGreaterThan(10);
    for (const i of invoices) expect(ids.has(i.departmentId), `invoice ${i.id}`).toBe(true);
    expect(new Set(invoices.map((i) => i.departmentId))).toEqual(new Set([10, 11]));
    const entries = (await sim.get('/expense/entries?pageSize=1000&fields=id,businessUnitId')).json as { id: number; businessUnitId: number }[];
    for (const e of entries) expect(ids.has(e.businessUnitId), `expense entry ${e.id}`).toBe(true);
  });

  it('takes conditions, fields, paging, count and a record by id', async () => {
    expect((await sim.get('/system/departments?conditions=identifier="PS"&fields=id,name')).json).toEqual([{ id: 11, name: 'Professional Services' }]);
    const first = await sim.get('/system/departments?pageSize=1&page=1');
    expect(first.json).toHaveLength(1);
    expect(first.headers.get('link')).toMatch(/rel="next"/);
    expect((await sim.get('/system/departments/count')).json).toEqual({ count: 2 });
    expect((await sim.get('/system/departments/10')).json).toMatchObject({ id: 10, identifier: 'MS', name: 'Managed Services' });
    expect((await sim.get('/system/departments/99')).status).toBe(404);
  });
});

describe('procurement/subcategories', () => {
  it('lists sub-categories with their category (inactive ones flagged), at both spellings of the path', async () => {
    const r = await sim.get('/procurement/subcategories?pageSize=1000');
    expect(r.status).toBe(200);
    expect(r.json).toContainEqual(expect.objectContaining({ id: 22, name: 'Networking', inactiveFlag: false, category: { id: 2, name: 'Hardware' } }));
    expect(r.json).toContainEqual(expect.objectContaining({ id: 24, name: 'Printers', inactiveFlag: true }));
    expect((await sim.get('/procurement/subcategories/?pageSize=1000')).json).toEqual(r.json);
    expect((await sim.get('/procurement/subcategories?conditions=category/name="Cloud Services" and inactiveFlag=false&fields=id')).json).toEqual([{ id: 31 }, { id: 32 }, { id: 33 }]);
    expect((await sim.get('/procurement/subcategories/count')).json).toEqual({ count: r.json.length });
    expect((await sim.get('/procurement/subcategories/31')).json).toMatchObject({ id: 31, name: 'Licensing' });
  });

  it('the catalogue, invoice product lines and purchase lines carry the sub-categories listed', async () => {
    const listed = new Map(((await sim.get('/procurement/subcategories?pageSize=1000')).json as { id: number; name: string }[]).map((s) => [s.id, s.name]));
    const catalog = (await sim.get('/procurement/catalog?pageSize=1000&fields=id,subcategory')).json as { id: number; subcategory?: { id: number; name: string } }[];
    for (const c of catalog) expect(listed.get(c.subcategory!.id), `product ${c.id}`).toBe(c.subcategory!.name);
    const exp = (await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, exportProductsFlag: true, includedInvoiceIds: [5002] })).json as CwGLExport;
    const products = exp.transactions![0]!.detail!.filter((d) => d.glTypeId === 'RP');
    expect(products.length).toBeGreaterThan(0);
    for (const d of products) expect(listed.get(d.subCategory!.id!)).toBe(d.subCategory!.name);
    // Lines that are no product carry none.
    expect(exp.transactions![0]!.detail!.filter((d) => d.glTypeId !== 'RP').every((d) => d.subCategory === undefined)).toBe(true);
    const purchases = exp.purchaseTransactions!.flatMap((t) => t.purchaseDetail ?? []);
    expect(purchases.length).toBeGreaterThan(0);
    for (const d of purchases) expect(listed.get(d.subCategory!.id!)).toBe(d.subCategory!.name);
  });
});
