// The accounting-batch pod in the simulated ConnectWise, in Chromium: the
// unposted list shows readiness (the seeded invoice on GL 4990 needs
// attention, with the reason and where to fix it), "select every ready" →
// "Sync" starts a run whose progress bar fills, and the results link each
// invoice to its Xero document; Xero holds each exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { connectXero } from '../xero-connect/flow.js';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID } from '../../sim/xero/seed.js';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  await ensurePodBuilt();
  stack = await startStack();
  browser = await launchBrowser();
  const url = stack.server.url;
  const s = await http(`${url}/api/session`, { json: { companyid: 'democo', memberid: 'admin', memberHash: stack.cwSim.issueMemberHash('admin') } });
  const token = s.body.token as string;
  const connected = await connectXero(url, token);
  expect(connected.ok).toBe(true);
  const map = await http(`${url}/api/xero/location-map`, {
    method: 'PUT',
    token,
    json: { mappings: [{ cwLocationId: 1, xeroTenantId: HARBOUR_TENANT_ID }, { cwLocationId: 2, xeroTenantId: KIWI_TENANT_ID }] },
  });
  expect(map.status).toBe(200);
  const seeded = await http(`${stack.cw.url}/__sim/bulk-seed`, { json: { invoices: 24, customers: 8 } });
  expect(seeded.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});


function xeroNumbers(): Map<string, number> {
  const out = new Map<string, number>();
  for (const org of stack.xero!.sim ? [(stack.xero!.sim as any).ctx.orgs.get(HARBOUR_TENANT_ID), (stack.xero!.sim as any).ctx.orgs.get(KIWI_TENANT_ID)] : []) {
    for (const d of org.documents.values()) if (d.Number && d.Status !== 'DELETED') out.set(d.Number, (out.get(d.Number) ?? 0) + 1);
  }
  return out;
}

describe('the accounting-batch pod', () => {
  it('select → sync → results, with readiness and links to Xero', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/0?member=accountant`);
      const pod = await podFrame(page, 'batch');
      await pod.getByTestId('unposted-table').waitFor({ timeout: 20_000 });
      await expect.poll(() => pod.locator('tr[data-testid^="row-"]').count()).toBeGreaterThan(30);
      // The seeded invoice on GL 4990 needs attention, and says why and where to fix it.
      const bad = pod.getByTestId('row-1008');
      expect(await bad.getAttribute('data-readiness')).toBe('needs_attention');
      expect(await bad.getByTestId('row-problem').textContent()).toMatch(/4990.*Fix in:/);
      expect(await bad.getByRole('checkbox').isDisabled()).toBe(true);

      const readyRows = pod.locator('tr[data-readiness="ready"]');
      const ready = await readyRows.count();
      const readyNumbers = await readyRows.getByTestId('row-number').allTextContents();
      expect(ready).toBeGreaterThan(30);
      await pod.getByTestId('select-ready').check();
      await page.locator('iframe[src*="/pod/batch.html"]').screenshot({ path: '/tmp/pod-batch-list.png' });
      expect(await pod.getByTestId('batch-sync').textContent()).toBe(`Sync ${ready} to Xero`);
      await pod.getByTestId('batch-sync').click();

      const panel = pod.getByTestId('run-panel');
      await panel.waitFor({ timeout: 10_000 });
      await expect.poll(() => panel.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
      expect(await pod.getByTestId('run-done').textContent()).toBe(`${ready} synced`);
      expect(await pod.getByTestId('run-failed').textContent()).toBe('0 need attention');
      expect(await pod.getByTestId('run-progress').getAttribute('aria-valuenow')).toBe(String(ready));
      const links = pod.getByTestId('xero-link');
      expect(await links.count()).toBe(ready);
      expect(await links.first().getAttribute('href')).toMatch(/\/AccountsReceivable\/View(CreditNote)?\.aspx\?(InvoiceID|creditNoteID)=[0-9a-f-]{36}$/);
      expect(await links.first().getAttribute('target')).toBe('_blank');
      await page.screenshot({ path: '/tmp/pod-batch.png', fullPage: true });
      await page.locator('iframe[src*="/pod/batch.html"]').screenshot({ path: '/tmp/pod-batch-done.png' });
      expect(await pod.getByTestId(`outcome-1001`).textContent()).toContain('INV-1001');

      // Each synced invoice is in Xero exactly once; the list no longer offers them.
      const numbers = xeroNumbers();
      for (const n of readyNumbers) expect(numbers.get(n.trim()), n).toBe(1);
      await expect.poll(() => pod.locator('tr[data-readiness="ready"]').count(), { timeout: 10_000 }).toBe(0);
    } finally {
      await page.close();
    }
  }, 120_000);
});
