// The Reconcile tab in Debian's Chromium: the simulated ConnectWise invoice
// screen, our pod in its "Sync to Xero" dialog, our server, the simulated
// Xero. An invoice edited in ConnectWise after it was synced, and paid in
// part in Xero, shows both drifts side by side in words; "Sync payments"
// brings the payment into ConnectWise and the panel says so; "Re-sync"
// clears the drift. Screenshot: /tmp/pod-reconcile.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { AU_ORG, connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { accountingApiFor } from '../../server/xero/accounting.js';

const INVOICE = 1011;

let stack: TestStack;
let browser: Browser;


beforeAll(async () => {
  await ensurePodBuilt(); // npm test built dist/pod; this builds it only when missing
  stack = await startStack({ serverEnv: { PAYMENT_SCHEDULE_TICK_SECONDS: '0' } });
  await connectDemoTenantToXero(stack);
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});


const rowOf = (pod: Frame, key: string) => pod.locator(`[data-testid="reconcile-row"][data-key="${key}"]`);

describe('Reconcile tab in the ConnectWise invoice dialog', () => {
  it('shows a drifted, part-paid invoice side by side, and its fixes work', async () => {
    const token = await signIn(stack, 'accountant');
    const push = await http(`${stack.server.url}/api/invoices/${INVOICE}/push`, { method: 'POST', token, json: {} });
    expect(push.body.outcome, JSON.stringify(push.body)).toBe('synced');
    const { api } = await accountingApiFor(stack.server.deps, 'democo', AU_ORG);
    await api.createPayment(AU_ORG, { invoice: { invoiceID: push.body.view.xero.documentId }, account: { code: '090' }, amount: 200, date: '2026-05-22' });
    // Drift: ConnectWise's first line gets one more unit after the sync.
    const line = stack.cwSim.state.invoices.find((i) => i.id === INVOICE)!.lines[0]!;
    const qty = Number(line.quantity);
    const edit = await fetch(`${stack.cw.url}/__sim/invoices/${INVOICE}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines: [{ id: line.id, quantity: String(qty + 1) }] }) });
    expect(edit.status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    try {
      await page.goto(`${stack.cw.url}/invoice/${INVOICE}?member=accountant`);
      await page.getByRole('button', { name: 'Sync to Xero' }).click();
      const pod = await podFrame(page, 'invoice');
      await pod.getByRole('tab', { name: 'Reconcile' }).click();
      await pod.getByTestId('reconcile-panel').waitFor({ timeout: 20_000 });

      await expect.poll(() => pod.getByTestId('reconcile-summary').textContent()).toMatch(/^\d+ differences: Line 1 quantity/);
      const q = rowOf(pod, 'line1.quantity');
      expect(await q.getAttribute('data-same')).toBe('false');
      expect(await q.locator('.rc-cw').textContent()).toBe(String(qty + 1));
      expect(await q.locator('.rc-xero').textContent()).toBe(String(qty));
      // Highlighted in colour, not only in words.
      const bg = await q.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(bg).not.toBe('rgba(0, 0, 0, 0)');
      expect(await rowOf(pod, 'number').getAttribute('data-same')).toBe('true');
      const notes = await pod.getByTestId('reconcile-note').allTextContents();
      expect(notes).toContain(`Line 1 quantity: ConnectWise ${qty + 1}, Xero ${qty}`);
      // Money with its currency, as everywhere.
      expect(notes).toContain('Paid in Xero AUD 200.00 but ConnectWise shows AUD 0.00.');
      expect(await rowOf(pod, 'amountPaid').locator('.rc-xero').textContent()).toBe('AUD 200.00');
      await page.screenshot({ path: '/tmp/pod-reconcile.png', fullPage: true });
      await rowOf(pod, 'amountDue').scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/pod-reconcile-payments.png', fullPage: true });

      // Xero has a payment, so Xero will not take the edit: no re-sync, a plain explanation instead.
      expect(await pod.getByTestId('fix-resync').count()).toBe(0);
      expect((await pod.getByTestId('explanation').allTextContents()).join(' ')).toMatch(/Remove the payments in Xero \(or void it\) and then re-sync, or correct ConnectWise to match Xero/);

      await pod.getByTestId('fix-pull_payments').click();
      await expect.poll(() => pod.getByText(/1 updated in ConnectWise/).count(), { timeout: 20_000 }).toBe(1);
      const cwPaid = stack.cwSim.state.payments.filter((p) => p.invoiceId === INVOICE);
      expect(cwPaid.map((p) => p.amount)).toEqual([200]);
      await expect.poll(() => rowOf(pod, 'amountPaid').getAttribute('data-same'), { timeout: 20_000 }).toBe('true');
      await page.screenshot({ path: '/tmp/pod-reconcile-after.png', fullPage: true });
    } finally {
      await page.close();
    }
  }, 120_000);

  it('an unpaid drifted invoice offers "Re-sync to Xero", which clears the drift', async () => {
    const token = await signIn(stack, 'accountant');
    const id = 1012;
    const push = await http(`${stack.server.url}/api/invoices/${id}/push`, { method: 'POST', token, json: {} });
    expect(push.body.outcome, JSON.stringify(push.body)).toBe('synced');
    const line = stack.cwSim.state.invoices.find((i) => i.id === id)!.lines[0]!;
    const qty = Number(line.quantity);
    const edit = await fetch(`${stack.cw.url}/__sim/invoices/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines: [{ id: line.id, quantity: String(qty + 2) }] }) });
    expect(edit.status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1100, height: 1200 } });
    try {
      await page.goto(`${stack.cw.url}/invoice/${id}?member=accountant`);
      await page.getByRole('button', { name: 'Sync to Xero' }).click();
      const pod = await podFrame(page, 'invoice');
      await pod.getByRole('tab', { name: 'Reconcile' }).click();
      await expect.poll(() => rowOf(pod, 'line1.quantity').getAttribute('data-same'), { timeout: 20_000 }).toBe('false');
      await pod.getByTestId('fix-resync').click();
      await expect.poll(() => pod.getByTestId('reconcile-summary').textContent(), { timeout: 20_000 }).toBe('ConnectWise and Xero agree.');
      expect(await rowOf(pod, 'line1.quantity').locator('.rc-xero').textContent()).toBe(String(qty + 2));
    } finally {
      await page.close();
    }
  }, 120_000);

  it('"Sync payments" on the accounting batch pod brings a Xero payment in and says so', async () => {
    const token = await signIn(stack, 'accountant');
    const push = await http(`${stack.server.url}/api/invoices/1015/push`, { method: 'POST', token, json: {} });
    expect(push.body.outcome, JSON.stringify(push.body)).toBe('synced');
    const { api } = await accountingApiFor(stack.server.deps, 'democo', AU_ORG);
    await api.createPayment(AU_ORG, { invoice: { invoiceID: push.body.view.xero.documentId }, account: { code: '090' }, amount: 75.25, date: '2026-05-23' });

    const page = await browser.newPage({ viewport: { width: 1100, height: 1200 } });
    try {
      await page.goto(`${stack.cw.url}/accountingbatch/1?member=accountant`);
      const pod = await podFrame(page, 'batch');
      await pod.getByTestId('sync-payments-all').click();
      const result = pod.getByTestId('payments-result');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.textContent()).toMatch(/Checked \d+ invoices?, 1 updated in ConnectWise/);
      expect(stack.cwSim.state.payments.filter((p) => p.invoiceId === 1015).map((p) => p.amount)).toEqual([75.25]);
      await page.locator('iframe[src*="/pod/batch.html"]').screenshot({ path: '/tmp/pod-batch-payments.png' });
    } finally {
      await page.close();
    }
  }, 120_000);
});
