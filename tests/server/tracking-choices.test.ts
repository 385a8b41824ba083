// GET /api/settings/tracking-choices, ConnectWise's side (issue 13): the
// departments, GL classes and product sub-categories the Tracking card offers
// by name, read live from the tenant's own ConnectWise (never stored), each
// keyed by exactly what the tracking rule matches a record's value against —
// the values the simulator's records carry are all in the lists. A list
// ConnectWise refuses says so for its source only. Tenants see only their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startStack, type TestStack } from '../support/stack.js';
import { connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { startCwSim } from '../../sim/connectwise/index.js';
import { invoiceTransaction } from '../../sim/connectwise/gl-export.js';
import { registerTenant } from '../../server/tenants.js';
import { trackingChoicesResponse } from '../../shared/tracking-choices.js';
import { atRestText } from '../support/at-rest.js';

let stack: TestStack;
let other: Awaited<ReturnType<typeof startCwSim>>;
let admin: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await connectDemoTenantToXero(stack);
  // A second ConnectWise company on its own simulator, with departments of its own.
  other = await startCwSim({ port: 0, companyId: 'otherco', publicKey: 'otherPub', privateKey: 'otherPriv' });
  other.sim.state.departments = [{ id: 77, identifier: 'FIELD', name: 'Field Engineering' }];
  await registerTenant(stack.server.deps, { companyId: 'OtherCo', siteUrl: other.url, clientId: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d', publicKey: 'otherPub', privateKey: 'otherPriv' });
}, 60_000);
afterAll(async () => {
  await other?.close();
  await stack?.close();
});

const url = `/api/settings/tracking-choices`;
const choices = async (token: string) => {
  const r = await http(`${stack.server.url}${url}`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return trackingChoicesResponse.parse(r.body);
};

describe('GET /api/settings/tracking-choices: ConnectWise’s values by name', () => {
  it('needs a session', async () => {
    expect((await http(`${stack.server.url}${url}`)).status).toBe(401);
  });

  it('lists departments, GL classes and product sub-categories by name, keyed as the rule matches them', async () => {
    const { sources } = await choices(admin);
    expect(sources.department).toEqual({
      values: [
        { value: '10', name: 'Managed Services (MS)' },
        { value: '11', name: 'Professional Services (PS)' },
      ],
      error: null,
    });
    // GL classes: the values of the GL account mappings' "Class" segment (finance/glCaptions + finance/glAccounts).
    expect(sources.glClass).toEqual({
      values: [
        { value: 'AKL', name: 'AKL' },
        { value: 'SYD', name: 'SYD' },
      ],
      error: null,
    });
    expect(sources.productCategory.error).toBeNull();
    expect(sources.productCategory.values).toContainEqual({ value: '22', name: 'Hardware › Networking' });
    expect(sources.productCategory.values).toContainEqual({ value: '24', name: 'Hardware › Printers (inactive)' });
    expect(sources.productCategory.values.map((v) => v.name)).toEqual([...sources.productCategory.values.map((v) => v.name)].sort((a, b) => a.localeCompare(b)));

    // Every value the simulator's records carry is listed, under the key the rule reads
    // (line-mapping.ts: invoice.departmentId, d.glClass || tx.glClass, d.subCategory.id).
    const state = stack.cwSim.state;
    const listed = (k: keyof typeof sources) => new Set(sources[k].values.map((v) => v.value));
    for (const inv of state.invoices) {
      expect(listed('department').has(String(inv.departmentId)), `invoice ${inv.id} department`).toBe(true);
      const tx = invoiceTransaction(state, inv, 'Default');
      expect(listed('glClass').has(tx.glClass ?? ''), `invoice ${inv.id} GL class`).toBe(true);
      for (const d of tx.detail ?? []) {
        expect(listed('glClass').has(d.glClass || tx.glClass || ''), `invoice ${inv.id} line GL class`).toBe(true);
        if (d.subCategory) expect(listed('productCategory').has(String(d.subCategory.id)), `invoice ${inv.id} sub-category ${d.subCategory.id}`).toBe(true);
      }
    }
    expect(state.invoices.flatMap((inv) => (invoiceTransaction(state, inv, 'Default').detail ?? []).filter((d) => d.subCategory)).length).toBeGreaterThan(0);
  });

  it('a list ConnectWise refuses says so for its source only; the others and Xero’s categories still answer', async () => {
    const deny = (paths: string[]) => http(`${stack.cw.url}/__sim/permissions`, { json: { deny: paths } });
    expect((await deny(['system/departments'])).status).toBe(200);
    try {
      const c = await choices(admin);
      expect(c.sources.department.values).toEqual([]);
      expect(c.sources.department.error).toMatch(/refused to list its departments \(403\).*System › Table Setup/);
      expect(c.sources.glClass.error).toBeNull();
      expect(c.sources.productCategory.values.length).toBeGreaterThan(0);
      expect(c.organisations.every((o) => o.error === null && o.categories.length > 0)).toBe(true);
    } finally {
      await deny([]);
    }
    expect((await choices(admin)).sources.department.error).toBeNull();
  });

  it('keeps tenants apart: each tenant sees its own ConnectWise’s values', async () => {
    const otherAdmin = await signIn(stack, 'admin', 'otherco', other.sim);
    expect((await choices(otherAdmin)).sources.department.values).toEqual([{ value: '77', name: 'Field Engineering (FIELD)' }]);
    expect((await choices(admin)).sources.department.values.map((v) => v.value)).toEqual(['10', '11']);
  });

  it('reads the names live and keeps none of them', async () => {
    await choices(admin);
    const db = stack.server.deps.db.k;
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const text = atRestText(await (db as any).selectFrom(t).selectAll().execute());
      for (const name of ['Professional Services', 'Laptops & Desktops', 'Printers']) expect(text, `${t} holds "${name}"`).not.toContain(name);
    }
  });
});
