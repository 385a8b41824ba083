// The settings pod's "Tracking" card in Debian's Chromium (issue 13): an admin
// sees the demo's Region rule (billing location → each organisation's
// "Region"), maps a ConnectWise value to an option, creates an option Xero is
// missing (a duplicate name is refused in words), and saves; two rules on one
// category are refused in words; a department is chosen by its ConnectWise
// name and a pushed invoice's lines carry its option; a list ConnectWise
// refuses is said and the value typed; a Technician has no card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { AU_ORG, NZ_ORG, connectDemoTenantToXero } from '../support/connect-xero.js';
import { loadTenantSettings } from '../../server/settings.js';
import { trackingChoicesResponse } from '../../shared/tracking-choices.js';
import { accountingApiFor } from '../../server/xero/accounting.js';

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

  it('an admin picks a ConnectWise department by name; a pushed invoice carries its option, and an unmapped or unlisted department blocks', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 2400 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      const pod = await podFrame(page, 'settings');
      const au = pod.getByTestId(`tracking-org-${AU_ORG}`);
      await au.getByTestId('tracking-rule').first().waitFor({ timeout: 20_000 });
      expect(await au.getByTestId('tracking-rule').count()).toBe(1);
      await au.getByTestId('tracking-add-rule').click();
      const rule = au.getByTestId('tracking-rule').nth(1);
      expect(await rule.getByTestId('tracking-category').inputValue()).toBe('Business Unit');
      await rule.getByTestId('tracking-source').selectOption('department');
      // ConnectWise's departments by name, nothing typed.
      const pick = rule.getByTestId('tracking-pick-value');
      expect(await pick.locator('option').allTextContents()).toEqual(['— a ConnectWise department / business unit —', 'Managed Services (MS)', 'Professional Services (PS)']);
      await pick.selectOption({ label: 'Professional Services (PS)' });
      await rule.getByTestId('tracking-add-picked').click();
      const ps = rule.locator('[data-testid="tracking-value"][data-value="11"]');
      expect(await ps.locator('td').first().textContent()).toBe('Professional Services (PS)');
      // Once added it is no longer offered.
      expect(await pick.locator('option').allTextContents()).toEqual(['— a ConnectWise department / business unit —', 'Managed Services (MS)']);
      await ps.getByTestId('tracking-option').selectOption('Projects');
      await pod.getByTestId('save-tracking').click();
      await expect
        .poll(async () => (await loadTenantSettings(stack.server.deps.db, 'democo')).invoiceMapping.trackingByOrganisation[AU_ORG]?.[1], { timeout: 10_000 })
        .toEqual({ source: 'department', categoryName: 'Business Unit', options: { '11': 'Projects' } });
    } finally {
      await page.close();
    }

    // Invoice 1001 (Sydney → the AU organisation, ConnectWise department 11) is pushed: every line carries "Projects".
    const push = await http(`${stack.server.url}/api/invoices/1001/push`, { method: 'POST', token: admin });
    expect(push.status, JSON.stringify(push.body)).toBe(200);
    expect(push.body.outcome, JSON.stringify(push.body)).toBe('synced');
    const api = (await accountingApiFor(stack.server.deps, 'democo', AU_ORG)).api;
    const found = (await api.getInvoices(AU_ORG, undefined, undefined, undefined, undefined, ['INV-1001'])).body.invoices!.filter((i) => String(i.status) !== 'DELETED');
    expect(found).toHaveLength(1);
    const lines = (await api.getInvoice(AU_ORG, found[0]!.invoiceID!)).body.invoices![0]!.lineItems!;
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect((l.tracking ?? []).map((t) => [t.name, t.option])).toContainEqual(['Business Unit', 'Projects']);

    // Department 10 is listed but not mapped, and one ConnectWise's list lacks (99) is not either: both block, naming the value.
    const inv = stack.cwSim.state.invoices.find((i) => i.id === 1009)!;
    const was = inv.departmentId;
    for (const dept of [10, 99]) {
      inv.departmentId = dept;
      const v = await http(`${stack.server.url}/api/invoices/1009/sync`, { token: admin });
      expect(v.status, JSON.stringify(v.body)).toBe(200);
      expect(v.body.canPush).toBe(false);
      const problem = (v.body.problems as { code: string; message: string }[]).find((p) => p.code === 'tracking-unmapped');
      expect(problem?.message).toContain(`department / business unit "${dept}"`);
    }
    inv.departmentId = was;
  }, 90_000);

  it('a list ConnectWise refuses is said for its source, and the value is typed instead', async () => {
    expect((await http(`${stack.cw.url}/__sim/permissions`, { json: { deny: ['procurement/subcategories'] } })).status).toBe(200);
    const page = await browser.newPage({ viewport: { width: 1100, height: 2400 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=admin`);
      const pod = await podFrame(page, 'settings');
      const nz = pod.getByTestId(`tracking-org-${NZ_ORG}`);
      await nz.getByTestId('tracking-rule').first().waitFor({ timeout: 20_000 });
      await nz.getByTestId('tracking-add-rule').click();
      const rule = nz.getByTestId('tracking-rule').nth(1);
      await rule.getByTestId('tracking-source').selectOption('productCategory');
      expect(await rule.getByTestId('tracking-source-error').textContent()).toMatch(/refused to list its product sub-categories \(403\)/);
      expect(await rule.getByTestId('tracking-pick-value').count()).toBe(0);
      await rule.getByTestId('tracking-new-value').fill('22');
      await rule.getByTestId('tracking-add-typed').click();
      expect(await rule.locator('[data-testid="tracking-value"][data-value="22"] td').first().textContent()).toBe('22');
      // Departments still come by name.
      await rule.getByTestId('tracking-source').selectOption('department');
      expect(await rule.getByTestId('tracking-source-error').count()).toBe(0);
      expect(await rule.getByTestId('tracking-pick-value').locator('option').count()).toBe(3);
    } finally {
      await page.close();
      await http(`${stack.cw.url}/__sim/permissions`, { json: { deny: [] } });
    }
  }, 60_000);

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
