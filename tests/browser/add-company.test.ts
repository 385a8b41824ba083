// More ConnectWise companies from the same flow (issue 13), in Debian's
// Chromium: an admin of a registered company opens the first-run page from the
// settings pod ("Add another ConnectWise company"), signed in with the pod's
// session; an existing company id is refused on its field and left as it was;
// a new one is registered with its hosted setups installed in its own ConnectWise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rmSync } from 'node:fs';
import { http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { buildPodIntoTemp } from '../support/own-pod-build.js';
import { startCwSim } from '../../sim/connectwise/index.js';
import { HOSTED_SETUPS } from '../../server/cw/installer.js';
import { listTenants, openTenantKeys } from '../../server/tenants.js';

let stack: TestStack;
let other: Awaited<ReturnType<typeof startCwSim>>;
let browser: Browser;
let distDir: string;

beforeAll(async () => {
  distDir = buildPodIntoTemp('cwx-addco-dist-');
  stack = await startStack({ distDir, withXero: false });
  other = await startCwSim({ port: 0, companyId: 'otherco', publicKey: 'otherPub', privateKey: 'otherPriv' });
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await other?.close();
  await stack?.close();
  rmSync(distDir, { recursive: true, force: true });
});

describe('adding a second ConnectWise company', () => {
  it('from the settings pod, by an admin: an existing company id is refused on its field; a new one is registered', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 1600 } });
    const page = await context.newPage();
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      const pod = await podFrame(page, 'settings');
      const add = pod.getByTestId('add-company');
      await add.waitFor({ timeout: 30_000 });
      const [setup] = await Promise.all([context.waitForEvent('page'), add.click()]);
      await setup.waitForURL(/\/setup$/);
      await setup.locator('#signed-in').waitFor({ state: 'visible', timeout: 15_000 });
      expect(await setup.locator('#signed-in').textContent()).toMatch(/of ConnectWise company "democo" \(admin\)\./);
      expect(await setup.locator('#setupCode').count()).toBe(0);

      // The company id already registered: refused on its field, nothing changed.
      await setup.fill('#siteUrl', other.url);
      await setup.fill('#companyId', 'democo');
      await setup.fill('#publicKey', 'otherPub');
      await setup.fill('#privateKey', 'otherPriv');
      await setup.click('#check');
      await expect.poll(() => setup.locator('.field.bad .field-error').textContent(), { timeout: 20_000 }).toMatch(/companyId: .*"democo" is already registered; only its own admin changes its site or keys/);
      expect(await setup.locator('.field.bad input').getAttribute('id')).toBe('companyId');
      expect(await openTenantKeys(stack.server.deps, 'democo')).toEqual({ publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });
      expect((await listTenants(stack.server.deps.db)).find((t) => t.id === 'democo')?.siteUrl).toBe(stack.cw.url);

      // A new company id: registered, installed in its own ConnectWise.
      await setup.fill('#companyId', 'otherco');
      await setup.click('#check');
      await setup.locator('#done').waitFor({ state: 'visible', timeout: 30_000 });
      expect(await setup.locator('#done-text').textContent()).toMatch(/"otherco" is registered\. Installed in ConnectWise/);
      expect(await setup.locator('#installed li').count()).toBe(HOSTED_SETUPS.length);
      expect((await listTenants(stack.server.deps.db)).map((t) => t.id).sort()).toEqual(['democo', 'otherco']);
      const theirs = (await http(`${other.url}/__sim/state`)).body.hostedSetups as { url: string }[];
      expect(theirs).toHaveLength(HOSTED_SETUPS.length);
      expect(theirs.every((s) => s.url.includes('tenant=otherco'))).toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);
});
