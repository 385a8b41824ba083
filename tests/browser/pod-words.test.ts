// The invoice dialog speaks an accountant's words (issue 12), in Debian's
// Chromium with a fixed locale (en-AU): a credit memo is a credit memo in the heading
// and a credit note in Xero's preview, never "Invoice CM-…"; tax rates by
// Xero's names with the rate; money with its currency and thousands grouped;
// the unit of measure once; dates in the locale's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { ensurePodBuilt, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { connectDemoTenantToXero } from '../support/connect-xero.js';

const CREDIT_MEMO = 1004; // CM-1004, applied to INV-1001 (Sydney → AU org)
const READY_INVOICE = 1002; // a laptop line over a thousand dollars

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

async function openDialog(page: Page, id: number): Promise<Frame> {
  await page.goto(`${stack.cw.url}/invoice/${id}?member=accountant`);
  await page.getByRole('button', { name: 'Sync to Xero' }).click();
  const pod = await podFrame(page, 'invoice');
  await pod.getByTestId('preview').waitFor({ timeout: 30_000 });
  return pod;
}

describe('words and formats in the invoice dialog', () => {
  it('a credit memo is called so, with Xero tax names and money with its currency', async () => {
    const context = await browser.newContext({ locale: 'en-AU', viewport: { width: 1000, height: 1100 } });
    const page = await context.newPage();
    try {
      const pod = await openDialog(page, CREDIT_MEMO);
      const heading = (await pod.getByRole('heading', { level: 1 }).textContent())?.trim() ?? '';
      expect(heading).toMatch(/^Credit memo CM-/);
      expect(await pod.locator('body').textContent()).not.toMatch(/Invoice CM-/);
      expect(await pod.getByTestId('preview-words').textContent()).toMatch(/^Credit note CM-/);
      const taxes = await pod.getByTestId('preview-line').evaluateAll((rows) => rows.map((r) => (r.querySelector('td.tax')?.textContent ?? '').trim()));
      expect(taxes.length).toBeGreaterThan(0);
      for (const t of taxes) expect(t).toMatch(/^(GST on Income 10%|GST Free Income 0%|No tax)$/);
      expect(await pod.getByTestId('invoice-total').textContent()).toMatch(/^−?AUD \d{1,3}(,\d{3})*\.\d{2}$/);
      expect(await pod.getByTestId('totals-words').textContent()).toMatch(/AUD \d{1,3}(,\d{3})*\.\d{2}/);
    } finally {
      await context.close();
    }
  });

  it('thousands are grouped and the unit shows once, in its column', async () => {
    const context = await browser.newContext({ locale: 'en-AU', viewport: { width: 1000, height: 1100 } });
    const page = await context.newPage();
    try {
      const pod = await openDialog(page, READY_INVOICE);
      const total = (await pod.getByTestId('invoice-total').textContent()) ?? '';
      expect(total).toMatch(/^AUD \d{1,3}(,\d{3})+\.\d{2}$/);
      const rows = await pod.getByTestId('preview-line').evaluateAll((trs) => trs.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
      for (const [desc, , unit] of rows) if (unit) expect(desc).not.toContain(`(${unit})`);
      // Dates in the browser's locale (fixed here: en-AU), the month in words, the same in the summary and the preview.
      const words = (await pod.getByTestId('preview-words').textContent()) ?? '';
      const dated = /dated (\d{1,2} [A-Z][a-z]{2} \d{4}), due (\d{1,2} [A-Z][a-z]{2} \d{4})/.exec(words);
      expect(dated, words).not.toBeNull();
      expect(await pod.locator('section[aria-label="ConnectWise invoice"]').textContent()).toContain(dated![1]);
      expect(words).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    } finally {
      await context.close();
    }
  });
});
