// The settings pod's "ConnectWise screens" card in Debian's Chromium (issue 13):
// an admin sees what of ours is installed and where, uninstalls (a customer's
// own setup stays) and installs again; a member who is not an admin has no card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { z } from 'zod';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { cwClientForTenant } from '../../server/cw/tenant-client.js';
import { HOSTED_SETUPS } from '../../server/cw/installer.js';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  await ensurePodBuilt();
  stack = await startStack();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const setups = async () => (await http(`${stack.cw.url}/__sim/state`)).body.hostedSetups as { id: number; url: string }[];

describe('ConnectWise screens card', () => {
  it('shows what is installed and where; uninstall removes ours only; install puts them back', async () => {
    const cw = await cwClientForTenant(stack.server.deps, 'democo');
    const theirs = await cw.post('system/connectwisehostedsetups', { screenId: 7, description: 'Other vendor', type: 'Tab', url: 'https://vendor.example/tab?id=[cw_id]' }, z.object({ id: z.number() }).loose());
    const page = await browser.newPage({ viewport: { width: 900, height: 1600 } });
    page.on('dialog', (d) => void d.accept());
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      const pod = await podFrame(page, 'settings');
      const card = pod.getByTestId('hosted-setups-card');
      await card.getByTestId('hosted-setups-table').waitFor({ timeout: 20_000 });
      expect(await pod.getByTestId('setup-invoice-button').textContent()).toMatch(/Sync to Xero.*ToolbarButton.*Invoice.*Installed \(#\d+\)/);
      expect(await pod.getByTestId('setup-batch-list-tab').textContent()).toMatch(/Full list.*Tab.*Accounting Batch.*Installed/);
      expect(await pod.getByTestId('hosted-setups-summary').textContent()).toMatch(new RegExp(`${HOSTED_SETUPS.length} of ${HOSTED_SETUPS.length} installed\\. 1 other hosted setup`));

      await pod.getByTestId('uninstall-setups').click();
      await expect.poll(() => pod.getByTestId('hosted-setups-done').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`Uninstalled: ${HOSTED_SETUPS.length} removed`));
      expect(await pod.getByTestId('setup-invoice-button-state').textContent()).toBe('Not installed');
      expect((await setups()).map((s) => s.id)).toEqual([theirs.id]);

      await pod.getByTestId('install-setups').click();
      await expect.poll(() => pod.getByTestId('hosted-setups-done').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`Installed: ${HOSTED_SETUPS.length} created`));
      expect(await pod.getByTestId('setup-expense-tab-state').textContent()).toMatch(/^Installed \(#\d+\)$/);
      expect(await setups()).toHaveLength(HOSTED_SETUPS.length + 1);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('the batch list installed as the accounting batch screen’s full-width tab opens inside ConnectWise', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      await page.getByRole('button', { name: 'Xero sync', exact: true }).click();
      let list;
      for (let i = 0; i < 100 && !list; i++) {
        list = page.frames().find((f) => f.url().includes('/pod/batch.html') && f.url().includes('view=list'));
        if (!list) await page.waitForTimeout(100);
      }
      expect(list, 'the tab’s frame').toBeDefined();
      await list!.getByTestId('unposted-table').waitFor({ timeout: 20_000 });
      expect(await list!.getByTestId('row-1002').count()).toBe(1);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('is not shown to a member who is not an admin', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1600 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=tech`);
      const pod = await podFrame(page, 'settings');
      await pod.getByTestId('readonly-note').waitFor({ timeout: 20_000 });
      await pod.getByTestId('pushers-card').waitFor({ timeout: 20_000 });
      expect(await pod.getByTestId('hosted-setups-card').count()).toBe(0);
    } finally {
      await page.close();
    }
  }, 60_000);
});
