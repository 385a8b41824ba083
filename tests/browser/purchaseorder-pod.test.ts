// The pod on ConnectWise's purchase order screen, end to end in Debian's
// Chromium: the simulated purchase order 3002 (two deliveries: PS-2001 with a
// reel into the Parramatta depot, PS-2002 with the freight), our pod in the
// screen's 380 px pod column, our server, the simulated Xero. The pod shows
// each packing slip ready to bill and one card per bill with its total against
// ConnectWise's (the server's view, to the cent); a bill's preview opens on
// request with its lines; "Push to Xero" lands both as Xero bills (read back
// with the real xero-node SDK: ACCPAY, the vendor as supplier, totals and lines
// to the cent); the pod then shows each bill's Xero number, status and link,
// and a second push makes no second bill. A member who may not push sees the
// same bills read-only, with who can push. Screenshots at the pod's own size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import type { Invoice } from 'xero-node';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { accountingApiFor } from '../../server/xero/accounting.js';
import { formatAmount, formatMoney } from '../../pod/lib/money.js';
import { xeroStatusWords } from '../../pod/invoice/chip.js';
import { purchaseOrderView, type PurchaseBillView, type PurchaseOrderView } from '../../shared/purchase-api.js';

const TENANT = 'democo';
const PO = 3002;
const PUSHER = 'admin'; // who may push purchase orders (admins and the Finance role: permission.ts)
const READER = 'tech'; // a member who may not push (Technician role: permission.ts)

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  await ensurePodBuilt(); // npm test built dist/pod; this builds it only when missing
  stack = await startStack();
  const admin = await connectDemoTenantToXero(stack);
  // The demo's purchase-order settings (scripts/start.ts).
  const put = await http(`${stack.server.url}/api/settings`, { method: 'PUT', token: admin, json: { procurement: { warehouseAccounts: { '1': '630', '2': '631' }, freightAccountCode: '425' } } });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function apiView(member: string): Promise<PurchaseOrderView> {
  const token = await signIn(stack, member);
  const r = await http(`${stack.server.url}/api/purchaseorders/${PO}/sync`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return purchaseOrderView.parse(r.body);
}

/** Opens the purchase order screen as `member`; the pod sits in the screen's pod column. */
async function openPod(member: string): Promise<{ page: Page; pod: Frame }> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  await page.goto(`${stack.cw.url}/purchaseorder/${PO}?member=${member}`);
  const pod = await podFrame(page, 'purchaseorder');
  await pod.getByTestId('bill').first().waitFor({ timeout: 30_000 });
  return { page, pod };
}

/** The pod's box as ConnectWise shows it, then (taller) all of it. */
async function screenshotPod(page: Page, pod: Frame, name: string): Promise<void> {
  const box = page.locator('#cw-pods .pod').first();
  await box.screenshot({ path: `/tmp/pod-purchaseorder-${name}.png` });
  const frame = page.locator('#cw-pods iframe').first();
  const height = await pod.evaluate(() => document.documentElement.scrollHeight);
  await frame.evaluate((el, h) => ((el as HTMLIFrameElement).style.height = `${h}px`), height);
  await box.screenshot({ path: `/tmp/pod-purchaseorder-${name}-whole.png` });
  await frame.evaluate((el) => ((el as HTMLIFrameElement).style.height = ''));
}

function billCard(pod: Frame, key: string): Locator {
  return pod.locator(`[data-testid="bill"][data-key="${key}"]`);
}

async function xeroBills(xeroTenantId: string, number: string): Promise<Invoice[]> {
  const { api } = await accountingApiFor(stack.server.deps, TENANT, xeroTenantId);
  const res = await api.getInvoices(xeroTenantId, undefined, undefined, undefined, undefined, [number]);
  const found = (res.body.invoices ?? []).filter((i) => i.invoiceNumber === number && String(i.status) !== 'DELETED' && String(i.type) === 'ACCPAY');
  // In full, unit costs to four places, as they were sent.
  return Promise.all(found.map(async (i) => (await api.getInvoice(xeroTenantId, i.invoiceID!, 4)).body.invoices![0]!));
}

const cents = (v: unknown) => new Decimal(String(v)).toFixed(2);

/** What a card shows of a bill, against the view's figures to the cent (its preview opened). */
async function expectCardShows(card: Locator, bill: PurchaseBillView): Promise<void> {
  expect(await card.getByTestId('bill-number').textContent()).toBe(bill.number);
  expect(await card.getByTestId('bill-total').textContent()).toBe(formatMoney(bill.total, bill.currency));
  expect(await card.getByTestId('totals-words').getAttribute('data-agree')).toBe(String(bill.totalsAgree));
  expect(await card.getByTestId('bill-packing-slips').textContent()).toContain(bill.packingSlips.join(', '));
  const preview = card.getByTestId('preview');
  if (!(await preview.evaluate((el) => (el as HTMLDetailsElement).open))) await preview.locator('summary').click();
  expect(await card.getByTestId('preview-total').textContent()).toBe(formatAmount(bill.total));
  expect(await card.getByTestId('preview-subtotal').textContent()).toBe(formatAmount(bill.subtotal));
  expect(await card.getByTestId('preview-tax').textContent()).toBe(formatAmount(bill.tax));
  expect(await card.getByTestId('preview-contact').textContent()).toBe(bill.supplier);
  expect(await card.getByTestId('line-amount').allTextContents()).toEqual(bill.lines.map((l) => formatAmount(l.amount)));
  expect(await card.getByTestId('line-account').allTextContents()).toEqual(bill.lines.map((l) => l.account));
  expect(await card.getByTestId('preview-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(bill.lines.map((l) => l.kind));
}

describe('the pod on the purchase order screen', () => {
  it('a member who may not push sees the bills read-only, with who can push; nothing is wider than the pod', async () => {
    const view = await apiView(READER);
    expect(view.mayPush).toBe(false);
    const { page, pod } = await openPod(READER);
    try {
      expect(await pod.getByTestId('bill').count()).toBe(view.bills.length);
      expect(await pod.getByTestId('push-button').count()).toBe(0);
      expect(await pod.getByTestId('push-idle').textContent()).toBe(view.whoCanPush);
      const width = await page.locator('#cw-pods iframe').first().evaluate((el) => el.getBoundingClientRect().width);
      expect(width).toBeGreaterThanOrEqual(370);
      expect(width).toBeLessThanOrEqual(382);
      const overflow = await pod.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await screenshotPod(page, pod, 'readonly');
    } finally {
      await page.close();
    }
  });

  it('previews a bill per packing slip, pushes them once, shows them in Xero; Xero holds what the pod said, to the cent', async () => {
    const before = await apiView(PUSHER);
    expect(before.canPush, JSON.stringify(before.bills.map((b) => b.problems))).toBe(true);
    expect(before.bills.map((b) => b.packingSlips)).toEqual([['PS-2001'], ['PS-2002']]);
    const org = before.organisation!;
    expect(await xeroBills(org.xeroTenantId, 'DD-20931')).toHaveLength(0);
    for (const b of before.bills) {
      expect(new Decimal(b.subtotal).plus(b.tax).toFixed(2)).toBe(cents(b.total));
      expect([b.totalsAgree, b.total]).toEqual([true, b.connectwiseTotal]);
    }

    const { page, pod } = await openPod(PUSHER);
    try {
      expect(await pod.getByTestId('sync-headline').textContent()).toContain(before.headline);
      expect(await pod.getByTestId('receipt').evaluateAll((els) => els.map((e) => [e.getAttribute('data-packing-slip'), e.getAttribute('data-readiness')]))).toEqual([
        ['PS-2001', 'ready'],
        ['PS-2002', 'ready'],
      ]);
      expect(await pod.getByTestId('bill').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).toEqual(before.bills.map((b) => b.key));
      await screenshotPod(page, pod, 'preview');
      for (const b of before.bills) await expectCardShows(billCard(pod, b.key), b);
      await screenshotPod(page, pod, 'preview-open');

      const button = pod.getByTestId('push-button');
      expect(await button.textContent()).toBe('Push to Xero');
      let pushRequests = 0;
      await page.route('**/api/purchaseorders/*/push', async (route) => {
        pushRequests++;
        await route.continue();
      });
      await button.click();
      await expect.poll(() => pod.getByTestId('push-outcome').getAttribute('data-outcome'), { timeout: 60_000 }).toBe('synced');
      expect(pushRequests).toBe(1);
      await expect.poll(() => pod.getByTestId('xero-number').count(), { timeout: 15_000 }).toBe(2);
      expect(await pod.getByTestId('receipt').evaluateAll((els) => els.map((e) => e.getAttribute('data-readiness')))).toEqual(['billed', 'billed']);
      await screenshotPod(page, pod, 'pushed');

      // Xero holds two bills under the vendor's number, each what its card said, to the cent.
      const landed = await xeroBills(org.xeroTenantId, 'DD-20931');
      expect(landed).toHaveLength(2);
      const after = await apiView(PUSHER);
      for (const shown of before.bills) {
        const inXero = landed.find((i) => i.reference === shown.reference)!;
        expect(inXero, shown.reference).toBeTruthy();
        expect(inXero.contact?.name).toBe(shown.supplier);
        expect(String(inXero.currencyCode)).toBe(shown.currency);
        expect([cents(inXero.subTotal), cents(inXero.totalTax), cents(inXero.total)]).toEqual([shown.subtotal, shown.tax, shown.total]);
        expect(inXero.lineItems!.map((l) => [l.accountCode, cents(l.lineAmount), cents(l.taxAmount)])).toEqual(shown.lines.map((l) => [l.account, l.amount, l.taxAmount]));
        expect(xeroStatusWords(String(inXero.status))).toBe(xeroStatusWords(shown.status));
        // The card shows that bill in Xero: its number, its status in Xero's words, a link opening a new window.
        const card = billCard(pod, shown.key);
        const b = after.bills.find((x) => x.key === shown.key)!;
        expect(b.xero?.documentId).toBe(inXero.invoiceID);
        expect(await card.getByTestId('xero-number').textContent()).toBe(inXero.invoiceNumber);
        expect(await card.getByTestId('xero-status').textContent()).toBe(xeroStatusWords(String(inXero.status)));
        const link = card.getByTestId('open-in-xero');
        expect(await link.getAttribute('href')).toBe(b.xero!.url);
        expect(await link.getAttribute('target')).toBe('_blank');
      }

      // Nothing to push any more; pushing again (straight to the API) makes no second bill.
      expect(await pod.getByTestId('push-button').count()).toBe(0);
      const again = await http(`${stack.server.url}/api/purchaseorders/${PO}/push`, { method: 'POST', token: await signIn(stack, PUSHER) });
      expect(again.status).toBe(200);
      expect(await xeroBills(org.xeroTenantId, 'DD-20931')).toHaveLength(2);
    } finally {
      await page.close();
    }
  });
});
