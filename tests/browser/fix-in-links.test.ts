// "Fix in …" is a link that opens the place, in Debian's Chromium: from the
// invoice dialog on the simulated ConnectWise invoice screen, a settings place
// opens our settings page in a window of ours (signed in with the dialog's
// session), scrolled to that section and highlighted; a ConnectWise record
// (the customer) is opened through the Hosted API's openScreen, which the
// simulated host records and follows to the company's screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { ensurePodBuilt, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { editGetAnswers } from '../support/first-reads.js';
import { connectDemoTenantToXero } from '../support/connect-xero.js';
import { WHERE } from '../../server/domain/problems.js';

const ATTENTION_INVOICE = 1008; // a product on GL 4990, which the AU organisation does not have

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

async function openInvoiceDialog(page: Page, id: number): Promise<Frame> {
  await page.goto(`${stack.cw.url}/invoice/${id}?member=accountant`);
  await page.getByRole('button', { name: 'Sync to Xero' }).click();
  return podFrame(page, 'invoice');
}

describe('"Fix in" links', () => {
  it('a settings place opens the settings page at that section, highlighted, signed in', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      const pod = await openInvoiceDialog(page, ATTENTION_INVOICE);
      await pod.getByTestId('sync-problems').waitFor({ timeout: 30_000 });
      const link = pod.locator('[data-testid="fix-link"][data-fix="settings:invoices-accounts"]').first();
      await link.waitFor({ timeout: 10_000 });
      expect(await link.textContent()).toContain(WHERE.settingsAccounts);
      const [win] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      await win.waitForLoadState('domcontentloaded');
      const url = new URL(win.url());
      expect(url.pathname).toBe('/pod/settings.html');
      expect(url.searchParams.get('tenant')).toBe('democo');
      expect(url.hash).toBe('#invoices-accounts');
      // The section is found, highlighted, titled exactly as the hint says, and scrolled into view.
      const focused = win.locator('[data-focused-section="invoices-accounts"]');
      await focused.waitFor({ timeout: 30_000 });
      expect(await focused.textContent()).toBe('Account codes');
      expect(await focused.getAttribute('class')).toContain('fix-focus');
      expect(await win.locator('[data-section="invoices"]').last().textContent()).toBe('Invoices');
      await expect.poll(() => focused.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }), { timeout: 5_000 }).toBe(true);
      // Signed in with the dialog's session: the cards read the tenant's settings.
      await win.getByTestId('invoice-mapping-card').waitFor({ timeout: 10_000 });
      expect(await win.getByTestId('im-account-map').count()).toBe(1);
      await win.close();
    } finally {
      await page.close();
    }
  });

  it("a ConnectWise customer opens through openScreen (the host records it and opens the company's screen)", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    let undo: (() => Promise<void>) | undefined;
    try {
      // The customer-side fix (a Xero contact name held by another ConnectWise company) is stated on the
      // view the server sends; this test adds it to that answer to reach the link.
      undo = await editGetAnswers(page.context(), '**/api/invoices/*/sync*', (p) => /^\/api\/invoices\/\d+\/sync$/.test(p), (body) => ({
        ...body,
        problems: [...((body.problems as unknown[] | undefined) ?? []), { code: 'contact-name-taken', message: 'The Xero contact matching this customer belongs to another ConnectWise company.', where: `${WHERE.cwCompany} or ${WHERE.xeroContacts}` }],
      }));
      const pod = await openInvoiceDialog(page, ATTENTION_INVOICE);
      await pod.getByTestId('sync-problems').waitFor({ timeout: 30_000 });
      const link = pod.locator('[data-testid="fix-link"][data-fix^="connectwise:company:"]').first();
      await link.waitFor({ timeout: 10_000 });
      const companyId = Number((await link.getAttribute('data-fix'))!.split(':')[2]);
      expect(companyId).toBeGreaterThan(0);
      const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      const opened = (await page.evaluate(() => (window as unknown as { cwSim: { opened: unknown[] } }).cwSim.opened)) as { screen: string; id: number; newTab: boolean }[];
      expect(opened).toEqual([{ screen: 'company', id: companyId, newTab: true }]);
      await tab.waitForLoadState('domcontentloaded');
      expect(new URL(tab.url()).pathname).toBe(`/company/${companyId}`);
      expect(await tab.locator('h1').first().textContent()).toMatch(/^Company /);
      await tab.close();
    } finally {
      await undo?.();
      await page.close();
    }
  });
});
