// Who may push, as the pods show it (issue 12), in Debian's Chromium: a
// Technician sees the invoice dialog and the batch pod's Invoices tab
// read-only with the sentence saying who can push ("Sync payments" disabled
// too); an admin adds the Technician role under Settings › Who can push and
// the same member then gets the push button. The server's refusal per route
// is tested in tests/server (permission); here only what the pods show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { openBatchList } from '../bulk/batch-list.js';
import { connectDemoTenantToXero, signIn } from '../support/connect-xero.js';

const READY_INVOICE = 1002; // ready to push (Sydney → AU org)
const ONLY_WHO = /^Only members with the ConnectWise security role .*Finance.* can push to Xero and run syncs/;

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  await ensurePodBuilt();
  stack = await startStack();
  await connectDemoTenantToXero(stack);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openInvoiceDialog(page: Page, member: string): Promise<Frame> {
  await page.goto(`${stack.cw.url}/invoice/${READY_INVOICE}?member=${member}`);
  await page.getByRole('button', { name: 'Sync to Xero' }).click();
  const pod = await podFrame(page, 'invoice');
  await pod.locator('[data-testid="sync-panel"][data-loading="false"]').getByTestId('sync-headline').waitFor({ timeout: 20_000 });
  return pod;
}

describe('the pods follow who may push', () => {
  it('a Technician sees the invoice dialog read-only, with who can push, and "Sync payments" disabled on the batch pod', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    try {
      const pod = await openInvoiceDialog(page, 'tech');
      expect(await pod.getByTestId('preview-line').count()).toBeGreaterThan(0); // the preview is there to read
      expect(await pod.getByTestId('push-button').count()).toBe(0);
      expect((await pod.getByTestId('push-idle').textContent())?.trim()).toMatch(ONLY_WHO);
      await pod.getByRole('tab', { name: 'Reconcile' }).click();
      expect((await pod.getByTestId('reconcile-who-can').textContent({ timeout: 20_000 }))?.trim()).toMatch(ONLY_WHO);

      await page.goto(`${stack.cw.url}/accountingbatch/0?member=tech`);
      // The pod (issue 12): its sync actions disabled, saying who can.
      const batchPod = await podFrame(page, 'batch');
      await batchPod.getByTestId('sync-ready-invoice').waitFor({ timeout: 30_000 });
      expect((await batchPod.getByTestId('who-can-run').textContent())?.trim()).toMatch(ONLY_WHO);
      expect(await batchPod.getByTestId('sync-ready-invoice').isDisabled()).toBe(true);
      expect(await batchPod.getByTestId('sync-payments-all').isDisabled()).toBe(true);
      // Its full list likewise.
      const batch = await openBatchList(batchPod, page);
      await batch.getByTestId('unposted-table').waitFor({ timeout: 20_000 });
      expect((await batch.getByTestId('who-can-run').textContent())?.trim()).toMatch(ONLY_WHO);
      expect(await batch.getByTestId('batch-sync').isDisabled()).toBe(true);
      expect(await batch.getByTestId('select-ready').isDisabled()).toBe(true);
      await batch.getByTestId('payments-who-can').waitFor({ timeout: 10_000 });
      expect(await batch.getByTestId('sync-payments-all').isDisabled()).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('the accountant (Finance) gets the push button and a live Invoices tab', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    try {
      const pod = await openInvoiceDialog(page, 'accountant');
      await pod.getByTestId('push-button').waitFor({ timeout: 10_000 });
      await page.goto(`${stack.cw.url}/accountingbatch/0?member=accountant`);
      const batchPod = await podFrame(page, 'batch');
      await batchPod.getByTestId('sync-payments-all').waitFor({ timeout: 30_000 });
      await expect.poll(() => batchPod.getByTestId('sync-payments-all').isDisabled(), { timeout: 30_000 }).toBe(false);
      expect(await batchPod.getByTestId('who-can-run').count()).toBe(0);
      const batch = await openBatchList(batchPod, page);
      await batch.getByTestId('unposted-table').waitFor({ timeout: 20_000 });
      expect(await batch.getByTestId('who-can-run').count()).toBe(0);
      expect(await batch.getByTestId('select-ready').isDisabled()).toBe(false);
      expect(await batch.getByTestId('sync-payments-all').isDisabled()).toBe(false);
    } finally {
      await page.close();
    }
  });

  it('an admin adds the Technician role under "Who can push"; others see the card read-only; the Technician may then push', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=tech`);
      const ro = (await podFrame(page, 'settings')).getByTestId('pushers-card');
      await ro.waitFor({ timeout: 20_000 });
      expect(await ro.getByTestId('pusher-roles').inputValue()).toBe('Finance');
      expect(await ro.getByTestId('pusher-roles').isDisabled()).toBe(true);
      expect(await ro.getByTestId('save-pushers').count()).toBe(0);

      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      const card = (await podFrame(page, 'settings')).getByTestId('pushers-card');
      await card.waitFor({ timeout: 20_000 });
      // A refused identifier is named by its field, and nothing is saved.
      await card.getByTestId('pusher-members').fill('not a login!');
      await card.getByTestId('save-pushers').click();
      await card.locator('.field-error').waitFor({ timeout: 10_000 });
      expect(await card.locator('.field-error').textContent()).toMatch(/member identifier/);
      await card.getByTestId('pusher-members').fill('');
      await card.getByTestId('pusher-roles').fill('Finance, Technician');
      await card.getByTestId('save-pushers').click();
      await card.getByTestId('pushers-saved').waitFor({ timeout: 10_000 });

      const admin = await signIn(stack, 'admin');
      const stored = await http(`${stack.server.url}/api/settings`, { token: admin });
      expect(stored.body.settings.pushers).toEqual({ securityRoles: ['Finance', 'Technician'], memberIdentifiers: [] });

      const pod = await openInvoiceDialog(page, 'tech');
      await pod.getByTestId('push-button').waitFor({ timeout: 10_000 });
      expect(await pod.getByTestId('push-idle').count()).toBe(0);
    } finally {
      const admin = await signIn(stack, 'admin');
      await http(`${stack.server.url}/api/settings`, { method: 'PUT', token: admin, json: { pushers: { securityRoles: ['Finance'], memberIdentifiers: [] } } });
      await page.close();
    }
  });
});
