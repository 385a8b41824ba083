// The "Xero" tab on the expense report screen, end to end in Debian's
// Chromium: the simulated ConnectWise expense report 2001 (approved; AUD
// entries of all three classifications and an NZD hotel), our pod in its Tab,
// our server, the simulated Xero. The tab previews one bill per currency with
// their lines and totals (the server's view, to the cent), "Push to Xero"
// lands them as Xero bills (read back with the real xero-node SDK: ACCPAY,
// totals to the cent), the tab shows their Xero numbers, statuses and links,
// and a second push makes no second bill. A member who may not push sees the
// same bills read-only, with who can push. Screenshots at 1000 and 1400 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import type { Invoice } from 'xero-node';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { accountingApiFor } from '../../server/xero/accounting.js';
import { apiMemberAuthorization } from '../../server/cw/client.js';
import { pushApprovedExpenses } from '../../server/expenses/auto-push.js';
import { formatAmount, formatMoney } from '../../pod/lib/money.js';
import { xeroStatusWords } from '../../pod/invoice/chip.js';
import { expenseReportView, type ExpenseBillView, type ExpenseReportView } from '../../shared/expense-api.js';

const TENANT = 'democo';
const REPORT = 2001; // tech's approved report: reimbursable, company Visa, personal (AUD) and a hotel in NZD
const PUSHER = 'admin'; // who may push expense reports (admins and the Finance role: permission.ts)
const READER = 'tech'; // a member who may not push (Technician role: permission.ts)

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  await ensurePodBuilt(); // npm test built dist/pod; this builds it only when missing
  stack = await startStack();
  const admin = await connectDemoTenantToXero(stack);
  // The demo's expense settings (scripts/start.ts): without them report 2001 needs attention — ConnectWise's
  // company-card offset 091 is a Xero bank account no bill line may use, and NZGST has no Xero tax type.
  const current = await http(`${stack.server.url}/api/settings`, { token: admin });
  const put = await http(`${stack.server.url}/api/settings`, {
    method: 'PUT',
    token: admin,
    json: {
      invoiceMapping: { accountMap: { ...current.body.settings.invoiceMapping.accountMap, '091': '805' } },
      expenses: { wisePay: true, wisePayAccounts: { tech: { '2': '091' } }, inputTaxMap: { NZGST: 'BASEXCLUDED' } },
    },
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The tab's view as our API answers it to `member`. */
async function apiView(member: string): Promise<ExpenseReportView> {
  const token = await signIn(stack, member);
  const r = await http(`${stack.server.url}/api/expenses/reports/${REPORT}/sync`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return expenseReportView.parse(r.body);
}

/** Opens the expense report screen as `member` and its "Xero" tab; `tabWidth` sizes the page so the tab's frame is that wide. */
async function openTab(member: string, tabWidth = 1000): Promise<{ page: Page; pod: Frame }> {
  // The simulator's screen: the tab's card beside a 380 px pod column; 462 px of chrome in all.
  const page = await browser.newPage({ viewport: { width: tabWidth + 462, height: 900 } });
  await page.goto(`${stack.cw.url}/expensereport/${REPORT}?member=${member}`);
  await page.getByRole('button', { name: 'Xero', exact: true }).click();
  const pod = await podFrame(page, 'expense');
  await pod.getByTestId('report-id').waitFor({ timeout: 30_000 });
  return { page, pod };
}

/** The tab's frame made as tall as its content, then photographed whole. */
async function screenshotTab(page: Page, pod: Frame, path: string): Promise<void> {
  const frame = page.locator('.tabpanel iframe');
  const width = (await frame.boundingBox())?.width ?? 0;
  const height = await pod.evaluate(() => document.documentElement.scrollHeight);
  await frame.evaluate((el, h) => ((el as HTMLIFrameElement).style.height = `${h}px`), height);
  await frame.screenshot({ path });
  await frame.evaluate((el) => ((el as HTMLIFrameElement).style.height = ''));
  expect(width).toBeGreaterThan(0);
}

function billCard(pod: Frame, number: string): Locator {
  return pod.locator(`[data-testid="bill"][data-number="${number}"]`);
}

/** The bills in Xero with this number (ACCPAY and ACCPAYCREDIT), read with xero-node. */
async function xeroBills(xeroTenantId: string, number: string): Promise<Invoice[]> {
  const { api } = await accountingApiFor(stack.server.deps, TENANT, xeroTenantId);
  const res = await api.getInvoices(xeroTenantId, undefined, undefined, undefined, undefined, [number]);
  return (res.body.invoices ?? []).filter((i) => i.invoiceNumber === number && String(i.status) !== 'DELETED' && String(i.status) !== 'VOIDED');
}

const cents = (v: unknown) => new Decimal(String(v)).toFixed(2);

/** What the card shows of a bill, checked against the view's figures to the cent. */
async function expectCardShows(card: Locator, bill: ExpenseBillView): Promise<void> {
  expect(await card.getByTestId('bill-number').textContent()).toBe(bill.number);
  expect(await card.getByTestId('bill-total').textContent()).toBe(formatMoney(bill.total, bill.currency));
  expect(await card.getByTestId('preview-total').textContent()).toBe(formatAmount(bill.total));
  expect(await card.getByTestId('preview-subtotal').textContent()).toBe(formatAmount(bill.subtotal));
  expect(await card.getByTestId('preview-tax').textContent()).toBe(formatAmount(bill.tax));
  expect(await card.getByTestId('preview-line').count()).toBe(bill.lines.length);
  expect(await card.getByTestId('line-amount').allTextContents()).toEqual(bill.lines.map((l) => formatAmount(l.amount)));
  expect(await card.getByTestId('totals-words').getAttribute('data-agree')).toBe(String(bill.totalsAgree));
  expect(await card.getByTestId('preview-contact').textContent()).toBe(bill.contactName);
  expect(await card.getByTestId('bill-payment').count()).toBe(bill.payments.length);
  if (bill.payments.length) expect(await card.getByTestId('bill-amount-due').textContent()).toBe(formatAmount(bill.amountDue));
}

describe('the "Xero" tab on the expense report screen', () => {
  // First, while the bills are previews (their lines tables on screen).
  it('a member who may not push sees the bills read-only, with who can push; an 800 px tab scrolls nothing sideways', async () => {
    const view = await apiView(READER);
    expect(view.mayPush).toBe(false);
    const { page, pod } = await openTab(READER, 800);
    try {
      await pod.getByTestId('bill').first().waitFor({ timeout: 30_000 });
      expect(await pod.getByTestId('bill').count()).toBe(view.bills.length);
      expect(await pod.getByTestId('push-button').count()).toBe(0);
      expect(await pod.getByTestId('push-idle').textContent()).toBe(view.whoCanPush ?? 'You can see this report’s bills but not push them.');
      // Neither the page nor any lines table is wider than the tab.
      expect(await pod.locator('.lines-wrap').count()).toBeGreaterThanOrEqual(view.bills.length);
      const overflow = await pod.evaluate(() =>
        [document.documentElement, ...document.querySelectorAll('.lines-wrap')].map((el) => el.scrollWidth - el.clientWidth),
      );
      expect(overflow.every((px) => px <= 1), JSON.stringify(overflow)).toBe(true);
      await screenshotTab(page, pod, '/tmp/pod-expense-readonly-800.png');
    } finally {
      await page.close();
    }
  });

  it('previews one bill per currency, pushes them once, shows them in Xero; Xero holds what the view said, to the cent', async () => {
    const before = await apiView(PUSHER);
    expect(before.release.released).toBe(true);
    expect(before.mayPush).toBe(true);
    expect(before.bills.map((b) => b.number).sort()).toEqual(['ER-2001-AUD', 'ER-2001-NZD']);
    expect(before.canPush, JSON.stringify({ problems: before.problems, bills: before.bills.map((b) => b.problems) })).toBe(true);
    const org = before.organisation!;
    expect(org).not.toBeNull();
    for (const b of before.bills) expect(await xeroBills(org.xeroTenantId, b.number)).toHaveLength(0);
    // The AUD bill's Company Visa purchase is paid from the card's account (Wise-Pay).
    expect(before.bills.find((b) => b.currency === 'AUD')!.payments.length).toBeGreaterThan(0);
    // The view adds up: subtotal + tax = total on every bill, and it agrees with ConnectWise.
    for (const b of before.bills) {
      expect(new Decimal(b.subtotal).plus(b.tax).toFixed(2)).toBe(cents(b.total));
      expect(b.totalsAgree).toBe(true);
    }

    const { page, pod } = await openTab(PUSHER, 1000);
    try {
      await pod.getByTestId('bill').first().waitFor({ timeout: 30_000 });
      expect(await pod.getByTestId('status-chip').first().getAttribute('data-status')).toBe('ready');
      expect(await pod.getByTestId('report-status').getAttribute('data-status')).toBe(before.report.status);
      expect(await pod.getByTestId('release').getAttribute('data-released')).toBe('true');
      expect(await pod.getByTestId('sync-headline').textContent()).toBe(before.headline);
      expect(await pod.getByTestId('bill').evaluateAll((els) => els.map((e) => e.getAttribute('data-number')))).toEqual(before.bills.map((b) => b.number));
      for (const b of before.bills) await expectCardShows(billCard(pod, b.number), b);
      // Every classification on the report is explained, in words.
      expect(await pod.getByTestId('posting').evaluateAll((els) => els.map((e) => e.getAttribute('data-classification')))).toEqual(before.howItPosts.map((h) => h.classification));
      const button = pod.getByTestId('push-button');
      expect(await button.textContent()).toBe(before.pushLabel);
      expect(await button.isEnabled()).toBe(true);
      await screenshotTab(page, pod, '/tmp/pod-expense-preview-1000.png');

      let pushRequests = 0;
      await page.route('**/api/expenses/reports/*/push', async (route) => {
        pushRequests++;
        await route.continue();
      });
      await button.click();
      await expect.poll(() => pod.getByTestId('push-outcome').getAttribute('data-outcome'), { timeout: 60_000 }).toBe('synced');
      expect(pushRequests).toBe(1);
      await expect.poll(() => pod.getByTestId('xero-number').count(), { timeout: 15_000 }).toBe(before.bills.length);

      const after = await apiView(PUSHER);
      expect(after.bills.map((b) => b.number)).toEqual(before.bills.map((b) => b.number));
      for (const shown of before.bills) {
        const b = after.bills.find((x) => x.number === shown.number)!;
        expect(b.xero).not.toBeNull();
        const landed = await xeroBills(org.xeroTenantId, shown.number);
        expect(landed).toHaveLength(1);
        const inXero = landed[0]!;
        // A bill, never an expense claim or a sales invoice, with what the preview showed, to the cent.
        expect(String(inXero.type)).toBe(shown.documentKind === 'billCredit' ? 'ACCPAYCREDIT' : 'ACCPAY');
        expect(String(inXero.currencyCode)).toBe(shown.currency);
        expect(inXero.contact?.name).toBe(shown.contactName);
        expect(cents(inXero.subTotal)).toBe(cents(shown.subtotal));
        expect(cents(inXero.totalTax)).toBe(cents(shown.tax));
        expect(cents(inXero.total)).toBe(cents(shown.total));
        expect(xeroStatusWords(String(inXero.status))).toBe(xeroStatusWords(shown.status));
        // The Wise-Pay payments were applied from the card's account: what stays owed is what the preview said.
        const paid = shown.payments.reduce((sum, p) => sum.plus(p.amount), new Decimal(0));
        expect(cents(inXero.amountPaid ?? 0)).toBe(paid.toFixed(2));
        expect(cents(inXero.amountDue)).toBe(cents(shown.amountDue));

        // The tab shows that bill: its Xero number, status in Xero's words, a link that opens a new window.
        const card = billCard(pod, shown.number);
        expect(await card.getByTestId('xero-number').textContent()).toBe(inXero.invoiceNumber);
        expect(await card.getByTestId('xero-status').getAttribute('data-status')).toBe(String(inXero.status));
        expect(await card.getByTestId('xero-status').textContent()).toBe(xeroStatusWords(String(inXero.status)));
        const link = card.getByTestId('open-in-xero');
        expect(await link.getAttribute('target')).toBe('_blank');
        expect(await link.getAttribute('rel')).toMatch(/\bnoopener\b/);
        expect(await link.getAttribute('href')).toBe(b.xero!.url);
      }
      await expect.poll(() => pod.getByTestId('status-chip').first().getAttribute('data-status'), { timeout: 15_000 }).toBe('synced');
      expect(await pod.getByTestId('push-button').count()).toBe(0);
      await screenshotTab(page, pod, '/tmp/pod-expense-pushed-1000.png');
    } finally {
      await page.close();
    }

    // Opened again, wide: in Xero, nothing to push, still one bill per number.
    const again = await openTab(PUSHER, 1400);
    try {
      await again.pod.getByTestId('xero-counterpart').first().waitFor({ timeout: 30_000 });
      expect(await again.pod.getByTestId('status-chip').first().getAttribute('data-status')).toBe('synced');
      expect(await again.pod.getByTestId('push-button').count()).toBe(0);
      await screenshotTab(again.page, again.pod, '/tmp/pod-expense-pushed-1400.png');
      for (const b of before.bills) expect(await xeroBills(org.xeroTenantId, b.number)).toHaveLength(1);
    } finally {
      await again.page.close();
    }

    // A push posted again (a stale tab, a retry) makes no second bill.
    const token = await signIn(stack, PUSHER);
    const repeat = await http(`${stack.server.url}/api/expenses/reports/${REPORT}/push`, { method: 'POST', token });
    expect(repeat.status).toBe(200);
    for (const b of before.bills) expect(await xeroBills(org.xeroTenantId, b.number)).toHaveLength(1);
  });

});

describe('the approval-triggered push', () => {
  it('a report approved in ConnectWise is pushed by the server’s scheduled scan, and its tab shows the bill in Xero', async () => {
    const admin = await signIn(stack, 'admin');
    expect((await http(`${stack.server.url}/api/settings`, { method: 'PUT', token: admin, json: { expenses: { autoPushApproved: true } } })).status).toBe(200);
    const cwHeaders = { authorization: apiMemberAuthorization(TENANT, 'simPublicKey', 'simPrivateKey'), clientid: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d' };
    const page = await browser.newPage({ viewport: { width: 1462, height: 900 } });
    const open = async () => {
      await page.goto(`${stack.cw.url}/expensereport/2003?member=accountant`);
      await page.getByRole('button', { name: 'Xero', exact: true }).click();
      const pod = await podFrame(page, 'expense');
      await pod.getByTestId('report-id').waitFor({ timeout: 30_000 });
      return pod;
    };
    // Report 2003 waits for its second approval: held, and the tab says it goes automatically once approved.
    let pod = await open();
    await expect.poll(() => pod.getByTestId('release').innerText()).toMatch(/Held/);
    await expect.poll(() => pod.getByTestId('auto-push').innerText()).toMatch(/automatically/i);
    // The second tier approves it from ConnectWise's approval list (no tab open): the scan pushes it.
    const approved = await http(`${stack.cw.url}/v4_6_release/apis/3.0/expense/reports/2003/approve`, { headers: cwHeaders, json: {} });
    expect(approved.status).toBe(200);
    const scan = await pushApprovedExpenses(stack.server.deps, TENANT);
    expect(scan.pushed).toBeGreaterThanOrEqual(1);
    pod = await open();
    await expect.poll(() => pod.getByTestId('bill-number').first().innerText(), { timeout: 30_000 }).toContain('ER-2003');
    await expect.poll(() => pod.getByTestId('xero-number').first().innerText(), { timeout: 30_000 }).toContain('ER-2003');
    await expect.poll(() => pod.getByTestId('xero-status').first().getAttribute('data-status'), { timeout: 30_000 }).toBe('AUTHORISED');
    const { api } = await accountingApiFor(stack.server.deps, TENANT, (await apiViewOf(2003)).organisation!.xeroTenantId);
    const bills = ((await api.getInvoices((await apiViewOf(2003)).organisation!.xeroTenantId, undefined, undefined, undefined, undefined, ['ER-2003'])).body.invoices ?? []).filter((i) => String(i.type) === 'ACCPAY');
    expect(bills).toHaveLength(1);
    await page.screenshot({ path: '/tmp/expense-tab-auto-pushed.png' });
    await page.close();
  }, 120_000);
});

async function apiViewOf(report: number): Promise<ExpenseReportView> {
  const token = await signIn(stack, 'admin');
  const r = await http(`${stack.server.url}/api/expenses/reports/${report}/sync`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return expenseReportView.parse(r.body);
}
