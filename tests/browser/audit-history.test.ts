// Audit in the pods (issue 13), in Debian's Chromium against the simulators:
// the invoice dialog's "Sync history" lists a push (who, the Xero invoice's
// number, the outcome); the settings pod's audit card lists the activity and
// the settings' changes, and an import shows the fields it would change before
// it is applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { connectDemoTenantToXero, signIn } from '../support/connect-xero.js';

let stack: TestStack;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  await ensurePodBuilt();
  stack = await startStack();
  admin = await connectDemoTenantToXero(stack);
  browser = await launchBrowser();
  const accountant = await signIn(stack, 'accountant');
  const p = await http(`${stack.server.url}/api/invoices/1002/push`, { method: 'POST', token: accountant });
  expect(p.body.outcome, JSON.stringify(p.body).slice(0, 300)).toBe('synced');
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openInvoiceDialog(page: Page, id: number): Promise<Frame> {
  await page.goto(`${stack.cw.url}/invoice/${id}?member=accountant`);
  await page.getByRole('button', { name: 'Sync to Xero' }).click();
  return podFrame(page, 'invoice');
}

describe('audit in the pods', () => {
  it('the invoice dialog shows the record’s sync history when opened', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    try {
      const pod = await openInvoiceDialog(page, 1002);
      const history = pod.getByTestId('sync-history');
      await history.waitFor({ timeout: 20_000 });
      await history.locator('summary').click();
      const table = pod.getByTestId('sync-history-table');
      await table.waitFor({ timeout: 30_000 });
      const row = (await table.locator('tbody tr').first().textContent()) ?? '';
      expect(row).toContain('accountant');
      expect(row).toContain('Push');
      expect(row).toContain('INV-1002');
      expect(row).toContain('Synced');
      await history.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: '/tmp/pod-invoice-sync-history.png' });
      // A record never pushed says so.
      const other = await openInvoiceDialog(page, 1003);
      await other.getByTestId('sync-history').locator('summary').click();
      await other.getByTestId('sync-history-empty').waitFor({ timeout: 30_000 });
    } finally {
      await page.close();
    }
  });

  it('the settings pod lists activity and changes, and an import shows what it would change before applying', async () => {
    const put = await http(`${stack.server.url}/api/settings`, { method: 'PUT', token: admin, json: { paymentSyncIntervalMinutes: 30 } });
    expect(put.status).toBe(200);
    const exported = (await http(`${stack.server.url}/api/settings/export`, { token: admin })).body;
    const page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      const pod = await podFrame(page, 'settings');
      const card = pod.getByTestId('audit-card');
      await card.waitFor({ timeout: 20_000 });
      await card.locator('summary').click();
      const activity = pod.getByTestId('activity-table');
      await activity.waitFor({ timeout: 30_000 });
      expect(await activity.textContent()).toContain('invoice:1002');
      await pod.getByTestId('activity-kind').selectOption('settings');
      await pod.getByTestId('activity').getByRole('button', { name: 'Show' }).click();
      await expect.poll(async () => (await activity.locator('tbody tr').allTextContents()).every((t) => t.includes('Settings saved')), { timeout: 30_000 }).toBe(true);
      const changes = pod.getByTestId('settings-changes');
      await expect.poll(async () => (await changes.textContent()) ?? '', { timeout: 30_000 }).toContain('paymentSyncIntervalMinutes');
      // An import of a file that changes the interval back: the dry run names the field, then it is applied.
      const file = { ...exported, settings: { ...exported.settings, paymentSyncIntervalMinutes: 60 } };
      await pod.getByTestId('settings-import-file').setInputFiles({ name: 'settings.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
      await pod.getByTestId('settings-import-check').click();
      const dry = pod.getByTestId('settings-import-dry-run');
      await dry.waitFor({ timeout: 30_000 });
      expect(await dry.textContent()).toContain('paymentSyncIntervalMinutes');
      expect((await http(`${stack.server.url}/api/settings`, { token: admin })).body.settings.paymentSyncIntervalMinutes).toBe(30);
      await pod.getByTestId('settings-import-apply').click();
      await pod.getByTestId('settings-import-done').waitFor({ timeout: 30_000 });
      expect((await http(`${stack.server.url}/api/settings`, { token: admin })).body.settings.paymentSyncIntervalMinutes).toBe(60);
      await expect.poll(async () => (await changes.textContent()) ?? '', { timeout: 30_000 }).toContain('Imported');
      await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: '/tmp/pod-settings-audit.png' });
    } finally {
      await page.close();
    }
  });

  it('a member who is not an admin has no audit card', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=accountant`);
      const pod = await podFrame(page, 'settings');
      await pod.getByTestId('readonly-note').waitFor({ timeout: 20_000 });
      expect(await pod.getByTestId('audit-card').count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
