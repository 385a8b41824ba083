// The first-run page in Debian's Chromium (issue 13): an empty server opens on
// /setup; wrong keys are named on their field; a permission the API member
// lacks (the ConnectWise simulator's 403) is listed with where to grant it;
// once granted, the company is registered and our hosted setups installed —
// and the ConnectWise screen then shows our button.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../server/main.js';
import { startCwSim } from '../../sim/connectwise/index.js';
import { setupCodeIfNoTenant } from '../../server/onboarding/setup-code.js';
import { HOSTED_SETUPS } from '../../server/cw/installer.js';
import { listTenants } from '../../server/tenants.js';
import { http } from '../support/stack.js';
import { launchBrowser } from '../support/browser.js';

let cw: Awaited<ReturnType<typeof startCwSim>>;
let server: Awaited<ReturnType<typeof startServer>>;
let dataDir: string;
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cwx-firstrun-'));
  cw = await startCwSim({ port: 0 });
  server = await startServer({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', PAYMENT_SCHEDULE_TICK_SECONDS: '0' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await cw?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('first-run page', () => {
  it('takes an empty server to a registered company with its hosted setups installed', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/`);
      expect(new URL(page.url()).pathname).toBe('/setup');
      const code = (await setupCodeIfNoTenant(server.deps, () => undefined))!;
      await page.fill('#setupCode', code);
      await page.fill('#siteUrl', cw.url);
      await page.fill('#companyId', 'democo');
      await page.fill('#publicKey', 'simPublicKey');
      await page.fill('#privateKey', 'not-the-key');
      await page.click('#check');
      await expect.poll(() => page.locator('.field.bad .field-error').textContent(), { timeout: 20_000 }).toMatch(/ConnectWise refused/);
      expect(await page.locator('.field.bad input').getAttribute('id')).toBe('privateKey');

      // A required area refused blocks; a Tracking card list refused is listed, not required.
      await http(`${cw.url}/__sim/permissions`, { json: { deny: ['service/tickets', 'system/departments'] } });
      await page.fill('#privateKey', 'simPrivateKey');
      await page.click('#check');
      const serviceRow = page.locator('tr[data-area="service-tickets"]');
      await serviceRow.waitFor({ timeout: 20_000 });
      await expect.poll(() => serviceRow.textContent()).toMatch(/Missing.*Security Roles.*Service Desk › Service Tickets/);
      expect(await page.locator('tr[data-area="invoices"]').textContent()).toMatch(/Granted/);
      expect(await page.locator('tr[data-area="batch-write"]').textContent()).toMatch(/Checked at first use/);
      await expect.poll(() => page.locator('#error').textContent()).toMatch(/lacks Service tickets/);
      expect(await page.locator('#error').textContent()).not.toMatch(/Departments/);
      expect(await page.locator('tr[data-area="tracking-departments"]').textContent()).toMatch(/Missing \(not required\).*Security Roles.*System › Table Setup.*typed instead/);
      expect(await page.locator('tr[data-area="tracking-subcategories"]').textContent()).toMatch(/Granted/);
      expect(await listTenants(server.deps.db)).toEqual([]);

      await http(`${cw.url}/__sim/permissions`, { json: { deny: [] } });
      await page.click('#check');
      await page.locator('#done').waitFor({ state: 'visible', timeout: 20_000 });
      expect(await page.locator('#done-text').textContent()).toMatch(/"democo" is registered\. Installed in ConnectWise/);
      expect(await page.locator('#installed li').count()).toBe(HOSTED_SETUPS.length);
      // In an admin's words (as `npm start` prints them), not ConnectWise's screen ids.
      expect(await page.locator('#installed li').allTextContents()).toContain('Month-end pod — Pod "CW–Xero Sync" on the accounting batch screen (created)');
      expect(await page.locator('tr[data-area="service-tickets"]').textContent()).toMatch(/Granted/);
      expect((await listTenants(server.deps.db)).map((t) => t.id)).toEqual(['democo']);

      // ConnectWise now shows our button on its invoice screen.
      await page.goto(`${cw.url}/invoice/1002?member=admin`);
      await page.getByRole('button', { name: 'Sync to Xero' }).waitFor({ timeout: 20_000 });
    } finally {
      await page.close();
    }
  }, 90_000);
});
