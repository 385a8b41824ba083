// The settings pod's "Alerts" card in Debian's Chromium (issue 13): an admin
// picks the ConnectWise service board for exception alert tickets (listed live
// from service/boards) and saves; when ConnectWise refuses the boards (403) the
// card says why; a member who is not an admin has no card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { loadTenantSettings } from '../../server/settings.js';

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

describe('Alerts card', () => {
  it('an admin chooses the board from ConnectWise’s list and saves; off again', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1800 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      const pod = await podFrame(page, 'settings');
      const select = pod.getByTestId('alert-board');
      await select.waitFor({ timeout: 20_000 });
      expect(await select.locator('option').allTextContents()).toEqual(['Off — no alert tickets', 'Finance Admin', 'Help Desk']);
      await select.selectOption({ label: 'Finance Admin' });
      await pod.getByTestId('save-alerts').click();
      await expect.poll(async () => (await loadTenantSettings(stack.server.deps.db, 'democo')).alerts.boardId, { timeout: 10_000 }).toBe(2);
      await select.selectOption({ label: 'Off — no alert tickets' });
      await pod.getByTestId('save-alerts').click();
      await expect.poll(async () => (await loadTenantSettings(stack.server.deps.db, 'democo')).alerts.boardId, { timeout: 10_000 }).toBeNull();
    } finally {
      await page.close();
    }
  }, 60_000);

  it('says why when ConnectWise refuses to list the boards', async () => {
    await http(`${stack.cw.url}/__sim/permissions`, { json: { deny: ['service'] } });
    const page = await browser.newPage({ viewport: { width: 900, height: 1800 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      const pod = await podFrame(page, 'settings');
      const card = pod.getByTestId('alerts-card');
      await card.getByTestId('alert-board').waitFor({ timeout: 20_000 });
      await expect.poll(() => card.textContent(), { timeout: 10_000 }).toMatch(/Boards not listed.*403.*Service Desk/);
    } finally {
      await http(`${stack.cw.url}/__sim/permissions`, { json: { deny: [] } });
      await page.close();
    }
  }, 60_000);

  it('is not shown to a member who is not an admin', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1600 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=tech`);
      const pod = await podFrame(page, 'settings');
      await pod.getByTestId('pushers-card').waitFor({ timeout: 20_000 });
      expect(await pod.getByTestId('alerts-card').count()).toBe(0);
    } finally {
      await page.close();
    }
  }, 60_000);
});
