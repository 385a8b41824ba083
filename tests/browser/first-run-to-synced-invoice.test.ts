// The whole first-run path in Debian's Chromium (issue 13), from an empty
// server to a synced invoice, in the browser alone: the setup code → register
// the ConnectWise company (every permission granted or checked at first use)
// → our hosted setups installed → "Connect to Xero" in the settings window the
// page opens (the settings' own popup and the Xero simulator's sign-in and
// consent) → the proposed mappings accepted as proposed → on the simulated
// ConnectWise invoice screen, "Sync to Xero" and push → the Xero simulator
// holds the invoice with ConnectWise's total to the cent, and ConnectWise holds
// the accounting batch we closed for it.
// The pod is built into a folder of this test's own (a build elsewhere in the
// shared tree cannot change what it serves while it runs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import Decimal from 'decimal.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../server/main.js';
import { startCwSim } from '../../sim/connectwise/index.js';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID, startXeroSim } from '../../sim/xero/index.js';
import { setupCodeIfNoTenant } from '../../server/onboarding/setup-code.js';
import { HOSTED_SETUPS } from '../../server/cw/installer.js';
import { apiMemberAuthorization } from '../../server/cw/client.js';
import { accountingApiFor } from '../../server/xero/accounting.js';
import { listTenants } from '../../server/tenants.js';
import { readLocationMap } from '../../server/xero/location-map.js';
import { http } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { buildPodIntoTemp } from '../support/own-pod-build.js';

const INVOICE = 1002; // Sydney: books into the AU organisation once the proposal is accepted
const CLIENT = { clientId: 'SIMCLIENT0000000000000000000001', clientSecret: 'simXeroClientSecret' };

let cw: Awaited<ReturnType<typeof startCwSim>>;
let xero: Awaited<ReturnType<typeof startXeroSim>>;
let server: Awaited<ReturnType<typeof startServer>>;
let dataDir: string;
let distDir: string;
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cwx-firstrun-sync-'));
  distDir = buildPodIntoTemp('cwx-firstrun-dist-');
  cw = await startCwSim({ port: 0 });
  xero = await startXeroSim({ port: 0, clients: [CLIENT] });
  server = await startServer(
    {
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PAYMENT_SCHEDULE_TICK_SECONDS: '0',
      XERO_CLIENT_ID: CLIENT.clientId,
      XERO_CLIENT_SECRET: CLIENT.clientSecret,
      XERO_ISSUER: xero.url,
      XERO_API_BASE: `${xero.url}/api.xro/2.0`,
      XERO_CONNECTIONS_URL: `${xero.url}/connections`,
      XERO_APP_URL: xero.url,
    },
    { distDir },
  );
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await xero?.close();
  await cw?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(distDir, { recursive: true, force: true });
});

async function cwInvoice(id: number) {
  const r = await http(`${cw.url}/v4_6_release/apis/3.0/finance/invoices/${id}`, {
    headers: { authorization: apiMemberAuthorization('democo', 'simPublicKey', 'simPrivateKey'), clientid: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d' },
  });
  expect(r.status).toBe(200);
  return r.body as { invoiceNumber: string; total: number };
}

describe('first run, in the browser alone', () => {
  it('goes from an empty server to an invoice synced to Xero', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      // 1. The setup code and the company.
      await page.goto(`${server.url}/`);
      expect(new URL(page.url()).pathname).toBe('/setup');
      const code = (await setupCodeIfNoTenant(server.deps, () => undefined))!;
      await page.fill('#setupCode', code);
      await page.fill('#siteUrl', cw.url);
      await page.fill('#companyId', 'democo');
      await page.fill('#publicKey', 'simPublicKey');
      await page.fill('#privateKey', 'simPrivateKey');
      await page.click('#check');

      // 2. Permissions OK, registered, 3. hosted setups installed.
      await page.locator('#done').waitFor({ state: 'visible', timeout: 30_000 });
      const statuses = await page.locator('#permission-rows tr td:nth-child(2)').allTextContents();
      expect(statuses.length).toBeGreaterThan(5);
      expect(statuses.filter((s) => s !== 'Granted' && s !== 'Checked at first use')).toEqual([]);
      expect(await page.locator('#done-text').textContent()).toMatch(/"democo" is registered\. Installed in ConnectWise/);
      expect(await page.locator('#installed li').count()).toBe(HOSTED_SETUPS.length);
      expect((await listTenants(server.deps.db)).map((t) => t.id)).toEqual(['democo']);

      // 4. Connect to Xero, in the settings window the page opens (signed in with the page's setup session).
      const [settings] = await Promise.all([context.waitForEvent('page'), page.click('#open-xero')]);
      const connect = settings.getByTestId('connect-xero');
      await connect.waitFor({ timeout: 30_000 });
      const [popup] = await Promise.all([context.waitForEvent('page'), connect.click()]);
      await popup.waitForURL(/identity\/connect\/authorize/);
      await popup.click('#sign-in');
      const boxes = popup.locator('input[name="tenant"]');
      await boxes.first().waitFor();
      expect(await boxes.count()).toBe(2);
      for (let i = 0; i < 2; i++) await boxes.nth(i).check();
      const closed = popup.waitForEvent('close', { timeout: 20_000 });
      await popup.click('#allow');
      await closed; // the popup reported to the settings window and closed itself
      await expect.poll(() => settings.getByTestId('connect-message').textContent(), { timeout: 15_000 }).toMatch(/Connected to Xero: .+, .+\./);

      // 5. The mappings proposed from both sides: Sydney → the AU organisation, Auckland → the NZ one. Accepted as proposed.
      const sydney = settings.getByTestId('proposal-location-1').locator('select');
      await sydney.waitFor({ timeout: 30_000 });
      expect(await sydney.inputValue()).toBe(HARBOUR_TENANT_ID);
      expect(await settings.getByTestId('proposal-location-2').locator('select').inputValue()).toBe(KIWI_TENANT_ID);
      expect(await settings.getByTestId('proposal-location-1').textContent()).toMatch(/same currency AUD/);
      await settings.getByTestId('accept-proposal').click();
      await expect.poll(() => settings.getByTestId('proposal-message').textContent(), { timeout: 15_000 }).toMatch(/Mappings saved.*Setup is done/);
      const map = await readLocationMap(server.deps, 'democo');
      expect(map.map((m) => [m.cwLocationId, m.xeroTenantId]).sort()).toEqual([
        [1, HARBOUR_TENANT_ID],
        [2, KIWI_TENANT_ID],
      ]);

      // 6. The invoice screen in ConnectWise: our button, the dialog, the push.
      const source = await cwInvoice(INVOICE);
      const cwTotal = new Decimal(source.total).toFixed(2);
      await page.goto(`${cw.url}/invoice/${INVOICE}?member=admin`);
      await page.getByRole('button', { name: 'Sync to Xero' }).click();
      const pod = await podFrame(page, 'invoice');
      const push = pod.getByTestId('push-button');
      await push.waitFor({ timeout: 30_000 });
      expect(await pod.getByTestId('status-chip').getAttribute('data-status')).toBe('ready');
      await push.click();
      await expect.poll(() => pod.getByTestId('push-outcome').getAttribute('data-outcome'), { timeout: 30_000 }).toBe('synced');

      // 7. Xero has it, with ConnectWise's total to the cent; ConnectWise has the batch we closed for it.
      const { api, xeroTenantId } = await accountingApiFor(server.deps, 'democo', HARBOUR_TENANT_ID);
      const found = ((await api.getInvoices(xeroTenantId, undefined, undefined, undefined, undefined, [source.invoiceNumber])).body.invoices ?? []).filter(
        (i) => i.invoiceNumber === source.invoiceNumber && String(i.status) !== 'DELETED' && String(i.status) !== 'VOIDED',
      );
      expect(found).toHaveLength(1);
      expect(new Decimal(String(found[0]!.total)).toFixed(2)).toBe(cwTotal);
      const batches = (await http(`${cw.url}/__sim/state`)).body.batches as { batchIdentifier: string; recordIds: number[] }[];
      expect(batches.filter((b) => b.batchIdentifier.startsWith(`cwxs-inv-${INVOICE}-`)).map((b) => b.recordIds.length)).toEqual([1]);
    } finally {
      await context.close();
    }
  }, 240_000);
});
