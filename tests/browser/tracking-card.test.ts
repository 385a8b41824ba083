// The settings pod's "Tracking" card in Debian's Chromium (issue 13): an admin
// sees the demo's Region rule (billing location → each organisation's
// "Region"), maps a ConnectWise value to an option, creates an option Xero is
// missing (a duplicate name is refused in words), and saves; two rules on one
// category are refused in words; a Technician has no card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { AU_ORG, NZ_ORG, connectDemoTenantToXero } from '../support/connect-xero.js';
import { loadTenantSettings } from '../../server/settings.js';
import { trackingChoicesResponse } from '../../shared/tracking-choices.js';

let stack: TestStack;
let browser: Browser;
let admin: string;

const region = (options: Record<string, string>) => [{ source: 'location', categoryName: 'Region', options }];

beforeAll(async () => {
  await ensurePodBuilt();
  stack = await startStack();
  admin = await connectDemoTenantToXero(stack);
  // The demo's rule (scripts/start.ts): each organisation's "Region" carries the billing location.
  const r = await http(`${stack.server.url}/api/settings`, { method: 'PUT', token: admin, json: { invoiceMapping: { trackingByOrganisation: { [AU_ORG]: region({ '1': 'Sydney' }), [NZ_ORG]: region({ '2': 'Auckland' }) } } } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('Tracking card', () => {
  it('an admin maps a value, creates a missing option in Xero and saves', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 2400 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      const pod = await podFrame(page, 'settings');
      const au = pod.getByTestId(`tracking-org-${AU_ORG}`);
      const rule = au.getByTestId('tracking-rule');
      await rule.waitFor({ timeout: 20_000 });
      expect(await rule.count()).toBe(1);
      expect(await rule.getByTestId('tracking-source').inputValue()).toBe('location');
      expect(await rule.getByTestId('tracking-category').inputValue()).toBe('Region');
      const sydney = rule.locator('[data-testid="tracking-value"][data-value="1"]');
      const auckland = rule.locator('[data-testid="tracking-value"][data-value="2"]');
      expect(await sydney.getByTestId('tracking-option').inputValue()).toBe('Sydney');
      expect(await auckland.getByTestId('tracking-option').inputValue()).toBe('');
      expect(await auckland.getByTestId('tracking-option').locator('option').allTextContents()).toEqual(['— none (blocks) —', 'Sydney', 'Melbourne', 'Brisbane']);

      // Map a value to an existing option.
      await auckland.getByTestId('tracking-option').selectOption('Melbourne');

      // A name the category already has (any case) is refused in words; a new one is created and chosen.
      await sydney.getByTestId('tracking-new-option').fill('sydney');
      await sydney.getByTestId('tracking-create-option').click();
      await expect.poll(() => sydney.getByTestId('tracking-option-error').textContent(), { timeout: 10_000 }).toMatch(/already has an option/);
      await sydney.getByTestId('tracking-new-option').fill('Sydney CBD');
      await sydney.getByTestId('tracking-create-option').click();
      await expect.poll(() => sydney.getByTestId('tracking-option').inputValue(), { timeout: 10_000 }).toBe('Sydney CBD');
      expect(await sydney.getByTestId('tracking-option-error').count()).toBe(0);

      await pod.getByTestId('save-tracking').click();
      await expect
        .poll(async () => (await loadTenantSettings(stack.server.deps.db, 'democo')).invoiceMapping.trackingByOrganisation[AU_ORG], { timeout: 10_000 })
        .toEqual([{ source: 'location', categoryName: 'Region', options: { '1': 'Sydney CBD', '2': 'Melbourne' } }]);
      // The other organisation's rule is kept as it was.
      expect((await loadTenantSettings(stack.server.deps.db, 'democo')).invoiceMapping.trackingByOrganisation[NZ_ORG]).toEqual(region({ '2': 'Auckland' }));
      // The option is in Xero.
      const choices = trackingChoicesResponse.parse((await http(`${stack.server.url}/api/settings/tracking-choices`, { token: admin })).body);
      const cat = choices.organisations.find((o) => o.xeroTenantId === AU_ORG)!.categories.find((c) => c.name === 'Region')!;
      expect(cat.options.map((o) => o.name)).toContain('Sydney CBD');

      // Two rules on one category: refused in words, nothing saved.
      await au.getByTestId('tracking-add-rule').click();
      const second = au.getByTestId('tracking-rule').nth(1);
      await second.getByTestId('tracking-category').selectOption('Region');
      await pod.getByTestId('save-tracking').click();
      await expect.poll(() => pod.getByTestId('tracking-error').textContent(), { timeout: 10_000 }).toMatch(/different Xero tracking category/);
      expect((await loadTenantSettings(stack.server.deps.db, 'democo')).invoiceMapping.trackingByOrganisation[AU_ORG]).toHaveLength(1);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('is not shown to a Technician', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1600 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=tech`);
      const pod = await podFrame(page, 'settings');
      await pod.getByTestId('pushers-card').waitFor({ timeout: 20_000 });
      expect(await pod.getByTestId('tracking-card').count()).toBe(0);
    } finally {
      await page.close();
    }
  }, 60_000);
});
