// The settings pod's Purchase orders card in Chromium, inside the simulated
// ConnectWise: each warehouse with its proposed inventory account, a note
// where the setting wins over the proposal, and an admin turning part
// shipments off and saving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { SETTINGS_CARD } from '../../shared/settings-sections.js';

describe('Purchase orders card (Chromium)', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    await ensurePodBuilt();
    stack = await startStack();
    admin = await signIn(stack, 'admin');
    await connectDemoTenantToXero(stack);
    // Sydney's locationXref proposes 630; the setting says 631.
    const put = await http(`${stack.server.url}/api/settings`, { method: 'PUT', token: admin, json: { procurement: { warehouseAccounts: { '1': '631' } } } });
    expect(put.status).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the proposal and that the setting wins; an admin turns part shipments off and saves', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
    const pod = page.frameLocator('iframe[src*="/pod/settings.html"]');
    const card = pod.getByTestId('purchase-orders-card');
    await card.waitFor({ timeout: 20_000 });
    expect(await card.locator('.card-title').textContent()).toBe(SETTINGS_CARD.purchaseOrders);

    const differs = pod.getByTestId('warehouse-differs-1');
    await differs.waitFor({ timeout: 20_000 });
    expect(await differs.textContent()).toBe('The setting 631 wins over the proposal 630.');
    expect(await pod.getByTestId('warehouse-row-1').textContent()).toContain('630 (from its locationXref)');
    expect(await pod.getByTestId('warehouse-account-1').inputValue()).toBe('631');
    expect(await pod.getByTestId('warehouse-differs-2').count()).toBe(0);

    const partShipments = pod.getByTestId('po-partShipments');
    expect(await partShipments.isChecked()).toBe(true);
    await partShipments.uncheck();
    await pod.getByTestId('save-purchase-orders').click();
    await pod.getByTestId('purchase-orders-saved').waitFor({ timeout: 10_000 });
    const stored = (await http(`${stack.server.url}/api/settings`, { token: admin })).body.settings.procurement;
    expect(stored).toMatchObject({ partShipments: false, warehouseAccounts: { '1': '631' } });
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/pod-settings-purchase-orders.png' });
    await context.close();
  });
});
