// The accounting-batch pod's Expenses tab in the simulated ConnectWise, in
// Chromium (issue 10): the unposted expense reports with member, dates,
// totals per currency and readiness (report 2004 is held until approved, and
// says why and where); an admin selects one → "Sync selected" → the run's
// progress fills and links each bill into Xero; Xero refuses the next bill
// once → the run says it needs attention → "Retry failed" pushes it; Xero
// holds each bill exactly once. A member who may not push sees the list
// read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { XeroRefused } from '../../server/engine/errors.js';
import type { XeroEnginePort } from '../../server/engine/ports.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { openBatchList } from './batch-list.js';
import { setEngineFaults } from '../support/engine-faults.js';
import { ensurePodBuilt, http } from '../support/stack.js';
import { AU_ORG, signIn, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;
let browser: Browser;

beforeAll(async () => {
  await ensurePodBuilt();
  s = await startSyncStack();
  browser = await launchBrowser();
  const admin = await signIn(s, 'admin');
  // As tests/expenses/expense-push.test.ts: the card clearing account and Wise-Pay for tech's Company Visa.
  const r = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { invoiceMapping: { accountMap: { '091': '805' } }, expenses: { wisePay: true, wisePayAccounts: { tech: { '2': '091' } }, inputTaxMap: { NZGST: 'BASEXCLUDED' } } } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

/** Xero's bills and bill credit notes under a number, not deleted. */
async function xeroCount(number: string): Promise<number> {
  const api = await s.xeroApi(AU_ORG);
  const invoices = (await api.getInvoices(AU_ORG, undefined, undefined, undefined, undefined, [number])).body.invoices ?? [];
  const notes = (await api.getCreditNotes(AU_ORG, undefined, `CreditNoteNumber=="${number}"`)).body.creditNotes ?? [];
  return invoices.filter((i) => i.invoiceNumber === number && String(i.status) !== 'DELETED').length + notes.filter((n) => n.creditNoteNumber === number && String(n.status) !== 'DELETED').length;
}

/** The tab in the batch pod's full list (a window the pod opens, issue 12). */
async function openExpenses(page: Page, member: string): Promise<Page> {
  await page.goto(`${s.cw.url}/accountingbatch/0?member=${member}`);
  const pod = await openBatchList(await podFrame(page, 'batch'), page);
  await pod.getByRole('tab', { name: 'Expenses' }).click();
  await pod.getByTestId('expense-table').waitFor({ timeout: 20_000 });
  return pod;
}

describe('the Expenses tab of the accounting-batch pod', () => {
  it('a member who may not push sees the reports and their readiness, read-only', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1200 } });
    try {
      const pod = await openExpenses(page, 'tech');
      expect(await pod.locator('tr[data-testid^="expense-row-"]').count()).toBe(3);
      expect(await pod.getByTestId('expense-row-2001').getAttribute('data-readiness')).toBe('ready');
      expect(await pod.getByTestId('expense-row-2001').getByRole('checkbox').isDisabled()).toBe(true);
      expect(await pod.getByTestId('who-can-run').textContent()).toMatch(/Finance/);
      expect(await pod.getByTestId('expense-sync-all').isDisabled()).toBe(true);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('list → select → sync → progress and links; a refused bill → Retry failed; each bill in Xero once', async () => {
    // A fixed locale: dates follow the browser's (pod/lib/dates.ts).
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 }, locale: 'en-AU' });
    try {
      const pod = await openExpenses(page, 'admin');
      // Report, member, dates, totals with currency, readiness with the reason.
      const r2001 = pod.getByTestId('expense-row-2001');
      expect(await r2001.getAttribute('data-readiness')).toBe('ready');
      expect(await r2001.textContent()).toContain('27 Apr 2026 – 10 May 2026');
      expect((await r2001.getByTestId('row-totals').textContent())?.replace(/\s+/g, ' ')).toBe('AUD 247.30NZD 210.00');
      expect(await r2001.getByTestId('row-number').textContent()).toContain('Report 2001');
      const held = pod.getByTestId('expense-row-2004');
      expect(await held.getAttribute('data-readiness')).toBe('held');
      expect(await held.getByTestId('status-chip').textContent()).toBe('Held');
      expect(await held.getByTestId('row-problem').textContent()).toMatch(/not approved yet.*Fix in: .*Expense approvals/);
      expect(await held.getByRole('checkbox').isDisabled()).toBe(true);
      expect(await pod.getByTestId('expense-sync-all').textContent()).toBe('Sync all ready (2)');

      // One report, selected.
      await r2001.getByRole('checkbox').check();
      expect(await pod.getByTestId('expense-sync-selected').textContent()).toBe('Sync selected (1)');
      await pod.getByTestId('expense-sync-selected').click();
      const panel = pod.getByTestId('run-panel');
      await panel.waitFor({ timeout: 10_000 });
      await expect.poll(() => panel.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
      expect(await pod.getByTestId('run-done').textContent()).toBe('1 synced');
      expect(await pod.getByTestId('run-progress').getAttribute('aria-valuenow')).toBe('1');
      const outcome = pod.getByTestId('outcome-2001');
      expect(await outcome.getAttribute('data-state')).toBe('synced');
      expect(await outcome.textContent()).toContain('Report 2001');
      const links = outcome.getByTestId('xero-link');
      expect((await links.allTextContents()).sort()).toEqual(['ER-2001-AUD in Xero ↗', 'ER-2001-NZD in Xero ↗']);
      expect(await links.first().getAttribute('href')).toMatch(/\/AccountsPayable\/View\.aspx\?InvoiceID=[0-9a-f-]{36}$/);
      // Posted in ConnectWise: the list no longer offers it.
      await expect.poll(() => pod.getByTestId('expense-row-2001').count(), { timeout: 10_000 }).toBe(0);

      // Xero refuses the next bill once: the run says so, and "Retry failed" pushes it.
      let refusals = 1;
      setEngineFaults(s.server.deps, {
        xero: (port: XeroEnginePort): XeroEnginePort => ({
          ...port,
          createDocuments: async (...a) => {
            if (refusals-- > 0) throw new XeroRefused(400, { Message: 'A validation exception occurred', Elements: [{ ValidationErrors: [{ Message: 'The simulated refusal of this bill' }] }] }, 'bill create');
            return port.createDocuments(...a);
          },
        }),
      });
      await expect.poll(() => pod.getByTestId('expense-sync-all').textContent(), { timeout: 10_000 }).toBe('Sync all ready (1)');
      await pod.getByTestId('expense-sync-all').click();
      await expect.poll(() => pod.getByTestId('run-failed').textContent(), { timeout: 60_000 }).toBe('1 need attention');
      expect(await panel.getAttribute('data-status')).toBe('done');
      expect(await pod.getByTestId('outcome-2005').textContent()).toMatch(/ER-2005: .*simulated refusal/);
      expect(await xeroCount('ER-2005')).toBe(0);
      setEngineFaults(s.server.deps, undefined);
      await pod.getByTestId('run-retry').click();
      await expect.poll(() => pod.getByTestId('run-done').textContent(), { timeout: 60_000 }).toBe('1 synced');
      await expect.poll(() => panel.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
      expect(await pod.getByTestId('outcome-2005').getByTestId('xero-link').getAttribute('href')).toMatch(/\/AccountsPayable\/ViewCreditNote\.aspx\?creditNoteID=/);
      await pod.screenshot({ path: '/tmp/pod-batch-expenses.png' });

      for (const n of ['ER-2001-AUD', 'ER-2001-NZD', 'ER-2005']) expect(await xeroCount(n), n).toBe(1);
      expect(await xeroCount('ER-2004')).toBe(0);
      // Only the held report is left.
      await expect.poll(() => pod.locator('tr[data-testid^="expense-row-"]').count(), { timeout: 10_000 }).toBe(1);
    } finally {
      setEngineFaults(s.server.deps, undefined);
      await page.close();
    }
  }, 120_000);
});
