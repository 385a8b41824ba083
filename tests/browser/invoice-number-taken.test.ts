// Issue 9, point 1 in Chromium: a Xero invoice under our number that CW–Xero
// Sync did not create is shown beside ConnectWise's in the dialog, with no
// push offered; an admin's "Link" is refused when the totals differ, in words.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { Invoice } from 'xero-node';
import { ensurePodBuilt, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { AU_ORG, connectDemoTenantToXero } from '../support/connect-xero.js';
import { accountingApiFor } from '../../server/xero/accounting.js';

let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  await ensurePodBuilt();
  stack = await startStack();
  await connectDemoTenantToXero(stack);
  browser = await launchBrowser();
  // Someone keyed INV-1003 into Xero by hand, for another customer and another total.
  const { api } = await accountingApiFor(stack.server.deps, 'democo', AU_ORG);
  const contact = (await api.createContacts(AU_ORG, { contacts: [{ name: 'Keyed By Hand Pty' }] })).body.contacts![0]!;
  await api.createInvoices(AU_ORG, {
    invoices: [
      {
        type: Invoice.TypeEnum.ACCREC,
        contact: { contactID: contact.contactID! },
        invoiceNumber: 'INV-1003',
        status: Invoice.StatusEnum.AUTHORISED,
        date: '2026-03-01',
        dueDate: '2026-03-31',
        lineItems: [{ description: 'Keyed by hand', quantity: 1, unitAmount: 1234.5, accountCode: '200', taxType: 'OUTPUT' }],
      },
    ],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openDialog(page: Page, member: string): Promise<Frame> {
  await page.goto(`${stack.cw.url}/invoice/1003?member=${member}`);
  await page.getByRole('button', { name: 'Sync to Xero' }).click();
  return podFrame(page, 'invoice');
}

it('shows the stranger beside ConnectWise, offers no push, and an admin link with another total is refused in words', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  try {
    const frame = await openDialog(page, 'admin');
    const card = frame.getByTestId('xero-taken');
    await card.waitFor();
    await expect(card.textContent()).resolves.toMatch(/Keyed By Hand Pty/);
    await expect(card.textContent()).resolves.toMatch(/1,357\.95/); // 1,234.50 + 10% GST, as Xero holds it
    await expect(frame.getByTestId('sync-headline').textContent()).resolves.toMatch(/did not create/);
    await expect(frame.getByTestId('push-button').count()).resolves.toBe(0); // nothing to push: the number is someone else's
    await frame.getByTestId('link-taken').click();
    await expect(card.getByText(/not the same document, so it was not linked/).waitFor()).resolves.toBeUndefined();
  } finally {
    await page.close();
  }
});
