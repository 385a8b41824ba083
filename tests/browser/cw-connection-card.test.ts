// The settings pod's "ConnectWise connection" card in Debian's Chromium (issue
// 13): an admin sees the company's site URL but never its stored keys; after
// the API member's keys are regenerated in ConnectWise, a wrong new pair is
// refused with a clear message naming the key and the stored keys are kept;
// the right pair is checked live and saved. A member who is not an admin has
// no card, and the route refuses them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { signIn } from '../support/connect-xero.js';
import { getTenant, openTenantKeys } from '../../server/tenants.js';

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

describe('ConnectWise connection card', () => {
  it('refuses wrong keys in words and keeps the old ones; saves the right ones after a live check', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1800 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      const pod = await podFrame(page, 'settings');
      const card = pod.getByTestId('cw-connection-card');
      await expect.poll(() => card.getByTestId('cw-connection-siteUrl').inputValue(), { timeout: 30_000 }).toBe(stack.cw.url);
      // The stored keys are never shown back.
      expect(await card.getByTestId('cw-connection-publicKey').inputValue()).toBe('');
      expect(await card.getByTestId('cw-connection-privateKey').inputValue()).toBe('');
      expect(await card.getByTestId('cw-connection-privateKey').getAttribute('type')).toBe('password');
      expect(await card.textContent()).not.toMatch(/simPrivateKey|simPublicKey/);

      // The API member's keys are regenerated in ConnectWise: the stored pair no longer works.
      Object.assign(stack.cwSim.options, { publicKey: 'rotatedPublic', privateKey: 'rotatedPrivate' });

      // A wrong pair: refused, in words, on the private key's field; the stored keys are kept.
      await card.getByTestId('cw-connection-publicKey').fill('rotatedPublic');
      await card.getByTestId('cw-connection-privateKey').fill('not-the-key');
      await card.getByTestId('save-cw-connection').click();
      await expect.poll(() => card.getByTestId('cw-connection-privateKey-error').textContent(), { timeout: 30_000 }).toMatch(/ConnectWise refused .*Nothing was changed/);
      expect(await card.getByTestId('cw-connection-saved').count()).toBe(0);
      expect(await openTenantKeys(stack.server.deps, 'democo')).toEqual({ publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });

      // The right pair: checked with ConnectWise, then saved.
      const before = (await getTenant(stack.server.deps.db, 'democo'))!.updatedAt;
      await card.getByTestId('cw-connection-privateKey').fill('rotatedPrivate');
      await card.getByTestId('save-cw-connection').click();
      await expect.poll(() => card.getByTestId('cw-connection-saved').count(), { timeout: 30_000 }).toBe(1);
      expect(await card.getByTestId('cw-connection-saved').textContent()).toMatch(/^Saved: ConnectWise accepted the new keys/);
      expect(await openTenantKeys(stack.server.deps, 'democo')).toEqual({ publicKey: 'rotatedPublic', privateKey: 'rotatedPrivate' });
      expect((await getTenant(stack.server.deps.db, 'democo'))!.updatedAt >= before).toBe(true);
      expect(await card.getByTestId('cw-connection-privateKey-error').count()).toBe(0);
      // The typed keys are cleared once saved.
      expect(await card.getByTestId('cw-connection-privateKey').inputValue()).toBe('');
    } finally {
      await page.close();
    }
  }, 120_000);

  it('is for admins only: a technician has no card and the route refuses them; an admin reads no keys', async () => {
    const tech = await signIn(stack, 'tech');
    expect((await http(`${stack.server.url}/api/setup/company`, { token: tech })).status).toBe(403);
    const admin = await signIn(stack, 'admin');
    const r = await http(`${stack.server.url}/api/setup/company`, { token: admin });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['clientId', 'companyId', 'siteUrl', 'updatedAt']);
    expect(JSON.stringify(r.body)).not.toMatch(/Key|rotated|simP/);

    const page = await browser.newPage({ viewport: { width: 900, height: 1800 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=tech`);
      const pod = await podFrame(page, 'settings');
      // The later cards are on screen (read-only), the connection card is not.
      await pod.getByTestId('readonly-note').waitFor({ timeout: 30_000 });
      await pod.getByTestId('pushers-card').waitFor({ timeout: 30_000 });
      expect(await pod.getByTestId('cw-connection-card').count()).toBe(0);
    } finally {
      await page.close();
    }
  }, 60_000);
});
