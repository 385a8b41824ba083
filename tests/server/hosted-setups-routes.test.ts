// Install / re-install / uninstall of our hosted setups from the settings pod's
// API (issue 13), over HTTP against the ConnectWise simulator: a customer's own
// setups (another vendor's, one titled like ours, one of ours for another
// company) are never touched; re-install updates ours and leaves no duplicate;
// only an admin may do any of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, http, type TestStack } from '../support/stack.js';
import { signIn } from '../support/connect-xero.js';
import { cwClientForTenant } from '../../server/cw/tenant-client.js';
import { HOSTED_SETUPS } from '../../server/cw/installer.js';
import { z } from 'zod';

let stack: TestStack;
let admin: string;
let base: string;
const anySetup = z.object({ id: z.number() }).loose();

beforeAll(async () => {
  stack = await startStack();
  admin = await signIn(stack, 'admin');
  base = `${stack.server.url}/api/hosted-setups`;
});
afterAll(async () => {
  await stack?.close();
});

async function allSetups() {
  const cw = await cwClientForTenant(stack.server.deps, 'democo');
  return cw.list('system/connectwisehostedsetups', anySetup);
}

describe('hosted setups from the settings pod', () => {
  const customers: Record<string, unknown>[] = [];

  it('says what of ours is installed and where', async () => {
    const r = await http(base, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.others).toBe(0);
    expect(r.body.setups.map((s: { key: string }) => s.key)).toEqual(HOSTED_SETUPS.map((s) => s.key));
    for (const row of r.body.setups) {
      expect(row).toMatchObject({ installed: true, outdated: false, disabled: false });
      expect(row.url).toContain(`${stack.server.url}/pod/`);
      expect(row.url).toContain('id=[cw_id]&screen=[cw_screen]');
    }
    const button = r.body.setups.find((s: { key: string }) => s.key === 'invoice-button');
    expect(button).toMatchObject({ type: 'ToolbarButton', screen: 'invoice', screenName: 'Invoice' });
    const list = r.body.setups.find((s: { key: string }) => s.key === 'batch-list-tab');
    expect(list).toMatchObject({ type: 'Tab', screen: 'accountingbatch', screenName: 'Accounting Batch' });
    expect(list.url).toContain('/pod/batch.html?tenant=democo&view=list&');
  });

  it('uninstall removes ours only: a customer’s other setups stay exactly as they were', async () => {
    const cw = await cwClientForTenant(stack.server.deps, 'democo');
    const theirs = [
      { screenId: 7, description: 'Other vendor', type: 'ToolbarButton', url: 'https://vendor.example/btn?id=[cw_id]', toolbarButtonText: 'Vendor' },
      // Titled like ours, on our screen, but not our page.
      { screenId: 7, description: 'Sync to Xero', type: 'ToolbarButton', url: 'https://homegrown.example/x?id=[cw_id]', toolbarButtonText: 'Sync to Xero' },
      // Our page, but for another company.
      { screenId: 10, description: 'CW–Xero Sync', type: 'Pod', url: `${stack.server.url}/pod/batch.html?tenant=otherco&id=[cw_id]&screen=[cw_screen]`, podHeight: 300 },
    ];
    for (const t of theirs) customers.push(await cw.post('system/connectwisehostedsetups', t, anySetup));
    const before = await allSetups();
    expect(before).toHaveLength(HOSTED_SETUPS.length + theirs.length);

    const r = await http(base, { method: 'DELETE', token: admin });
    expect(r.status).toBe(200);
    expect(r.body.changes).toHaveLength(HOSTED_SETUPS.length);
    expect(r.body.changes.every((c: { action: string }) => c.action === 'removed')).toBe(true);
    expect(r.body.others).toBe(theirs.length);
    expect(r.body.setups.every((s: { installed: boolean }) => !s.installed)).toBe(true);
    const after = await allSetups();
    expect(after).toEqual(customers);

    // Uninstalling again is a no-op.
    const again = await http(base, { method: 'DELETE', token: admin });
    expect(again.status).toBe(200);
    expect(again.body.changes).toEqual([]);
    expect(await allSetups()).toEqual(customers);
  });

  it('install creates each of ours once, next to the customer’s', async () => {
    const r = await http(base, { json: {}, token: admin });
    expect(r.status).toBe(200);
    expect(r.body.changes.map((c: { action: string }) => c.action)).toEqual(HOSTED_SETUPS.map(() => 'created'));
    expect(r.body.setups.every((s: { installed: boolean; outdated: boolean }) => s.installed && !s.outdated)).toBe(true);
    const all = await allSetups();
    expect(all).toHaveLength(HOSTED_SETUPS.length + customers.length);
    for (const c of customers) expect(all).toContainEqual(c);
  });

  it('re-install updates ours in place, removes a second copy of ours and duplicates nothing', async () => {
    const cw = await cwClientForTenant(stack.server.deps, 'democo');
    const status = await http(base, { token: admin });
    const pod = status.body.setups.find((s: { key: string }) => s.key === 'batch-pod');
    // Someone changed our pod's height, and a copy of our tab was made.
    await cw.patch(`system/connectwisehostedsetups/${pod.id}`, [{ op: 'replace', path: 'podHeight', value: 200 }], anySetup);
    const tab = status.body.setups.find((s: { key: string }) => s.key === 'expense-tab');
    const copy = await cw.post('system/connectwisehostedsetups', { screenId: 9, description: 'Xero', type: 'Tab', url: tab.url }, anySetup);
    const stale = await http(base, { token: admin });
    expect(stale.body.setups.find((s: { key: string }) => s.key === 'batch-pod').outdated).toBe(true);
    expect(stale.body.setups.find((s: { key: string }) => s.key === 'expense-tab').outdated).toBe(true);

    const r = await http(base, { json: {}, token: admin });
    expect(r.status).toBe(200);
    const byKey = Object.fromEntries(r.body.changes.map((c: { key: string | null; id: number; action: string }) => [c.key ?? `removed-${c.id}`, c]));
    expect(byKey['batch-pod']).toEqual({ key: 'batch-pod', id: pod.id, action: 'updated' });
    expect(byKey[`removed-${tab.id}`] ?? byKey[`removed-${copy.id}`]).toMatchObject({ action: 'removed' });
    expect(r.body.changes.filter((c: { action: string }) => c.action === 'unchanged')).toHaveLength(HOSTED_SETUPS.length - 1);
    expect(r.body.setups.every((s: { outdated: boolean }) => !s.outdated)).toBe(true);
    const all = await allSetups();
    expect(all).toHaveLength(HOSTED_SETUPS.length + customers.length);
    expect(all.find((s) => s.id === pod.id)).toMatchObject({ podHeight: 420 });
    for (const c of customers) expect(all).toContainEqual(c);
  });

  it('refuses a member who is not an admin (403), a missing session (401) and a body it does not know (400 naming the field)', async () => {
    const before = await allSetups();
    const tech = await signIn(stack, 'tech');
    for (const init of [{ token: tech }, { method: 'DELETE', token: tech }, { json: {}, token: tech }]) {
      const r = await http(base, init);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('not_admin');
    }
    expect((await http(base, { method: 'DELETE' })).status).toBe(401);
    const bad = await http(base, { json: { uninstall: true }, token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/uninstall/);
    expect(await allSetups()).toEqual(before);
  });
});
