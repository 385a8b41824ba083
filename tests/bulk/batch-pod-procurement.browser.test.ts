// The accounting-batch pod's Purchase orders tab in the simulated ConnectWise,
// in Chromium (issue 11): ConnectWise's unposted purchase orders and inventory
// adjustments and transfers with what each makes in Xero, totals and
// readiness; an admin selects a PO, the write-off and the transfer → "Sync
// selected" → the run's progress fills and links the bill and each journal
// into Xero; Xero refuses the revaluation's journal once → the run says it
// needs attention → "Retry failed" makes it; Xero holds each journal once. A
// member who may not push (a technician) sees the list read-only.
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { inventoryJournalKind } from '../../server/engine/kinds.js';
import type { XeroEnginePort } from '../../server/engine/ports.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { openBatchList } from './batch-list.js';
import { setEngineFaults } from '../support/engine-faults.js';
import { ensurePodBuilt } from '../support/stack.js';
import { AU_ORG, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;
let browser: Browser;

beforeAll(async () => {
  await ensurePodBuilt();
  s = await startSyncStack();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

/** Xero's manual journals (not deleted) carrying our reference, with their debits. */
async function journals(reference: string): Promise<string[]> {
  const api = await s.xeroApi(AU_ORG);
  const found = ((await api.getManualJournals(AU_ORG, undefined, `Narration.Contains("[${reference}]")`)).body.manualJournals ?? []).filter((j) => String(j.status) !== 'DELETED');
  const out: string[] = [];
  for (const j of found) {
    const lines = (await api.getManualJournal(AU_ORG, j.manualJournalID!)).body.manualJournals![0]!.journalLines ?? [];
    out.push(lines.reduce((t, l) => (Number(l.lineAmount) > 0 ? t.plus(String(l.lineAmount)) : t), new Decimal(0)).toFixed(2));
  }
  return out;
}

/** The tab in the batch pod's full list (a window the pod opens, issue 12). */
async function openTab(page: Page, member: string): Promise<Page> {
  await page.goto(`${s.cw.url}/accountingbatch/0?member=${member}`);
  const pod = await openBatchList(await podFrame(page, 'batch'), page);
  await pod.getByRole('tab', { name: 'Purchase orders' }).click();
  await pod.getByTestId('procurement-table').waitFor({ timeout: 20_000 });
  return pod;
}

describe('the Purchase orders tab of the accounting-batch pod', () => {
  it('a member who may not push sees purchase orders and inventory with readiness, read-only', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1200 } });
    try {
      const pod = await openTab(page, 'tech');
      expect(await pod.locator('tr[data-testid^="procurement-row-"]').count()).toBe(8);
      const transfer = pod.getByTestId('procurement-row-xfer-7301');
      expect(await transfer.getAttribute('data-readiness')).toBe('ready');
      expect(await transfer.getByRole('checkbox').isDisabled()).toBe(true);
      expect(await pod.getByTestId('who-can-run').textContent()).toMatch(/^Only .*can push/);
      expect(await pod.getByTestId('procurement-sync-all').isDisabled()).toBe(true);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('list → select → sync → progress and links; a refused journal → Retry failed; each journal in Xero once', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    try {
      const pod = await openTab(page, 'admin');
      // What each row is, what it makes, its total with currency, its readiness.
      const po = pod.getByTestId('procurement-row-po:3001');
      expect(await po.getByTestId('row-number').textContent()).toBe('PO 3001');
      expect(await po.textContent()).toMatch(/Ingram Micro Australia Pty Ltd · .*receipts? on packing slip PS-1001 → 1 Xero bill/);
      const transfer = pod.getByTestId('procurement-row-xfer-7301');
      expect(await transfer.textContent()).toMatch(/Transfer 1: DELL-LAT5450 × 2.*Warehouse transfer · Manual journal on 631 ↔ 630/);
      expect((await transfer.getByTestId('row-total').textContent())?.replace(/\s+/g, ' ')).toMatch(/AUD 2,?840\.00/);
      const writeOff = pod.getByTestId('procurement-row-adj-7201');
      expect(await writeOff.getAttribute('data-readiness')).toBe('ready');
      expect(await pod.getByTestId('procurement-sync-all').textContent()).toBe('Sync all ready (8)');

      // A purchase order, the write-off and the transfer, selected.
      for (const row of [po, writeOff, transfer]) await row.getByRole('checkbox').check();
      expect(await pod.getByTestId('procurement-sync-selected').textContent()).toBe('Sync selected (3)');
      await pod.getByTestId('procurement-sync-selected').click();
      const panel = pod.getByTestId('run-panel');
      await panel.waitFor({ timeout: 10_000 });
      await expect.poll(() => panel.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
      expect(await pod.getByTestId('run-done').textContent()).toBe('3 synced');
      const journalOutcome = pod.getByTestId('outcome-7201');
      expect(await journalOutcome.getAttribute('data-state')).toBe('synced');
      expect(await journalOutcome.textContent()).toContain('ADJ-0001');
      expect(await journalOutcome.getByTestId('xero-link').textContent()).toBe('Manual journal in Xero ↗');
      expect(await journalOutcome.getByTestId('xero-link').getAttribute('href')).toMatch(/\/Journal\/View\.aspx\?invoiceID=[0-9a-f-]{36}$/);
      expect(await pod.getByTestId('outcome-7301').getByTestId('xero-link').textContent()).toBe('Manual journal in Xero ↗');
      expect(await pod.getByTestId('outcome-7101').getByTestId('xero-link').getAttribute('href')).toMatch(/\/AccountsPayable\/View\.aspx\?InvoiceID=/);
      // Posted in ConnectWise: the list no longer offers them.
      await expect.poll(() => pod.getByTestId('procurement-row-adj-7201').count(), { timeout: 10_000 }).toBe(0);
      expect(await pod.getByTestId('procurement-row-po:3001').count()).toBe(0);

      // Xero refuses the revaluation's journal once: the run says so, and "Retry failed" makes it.
      let refusals = 1;
      setEngineFaults(s.server.deps, {
        xero: (port: XeroEnginePort): XeroEnginePort => ({
          ...port,
          createDocuments: async (kind, payloads, unitdp, key) => {
            if (kind === inventoryJournalKind && refusals-- > 0) return payloads.map(() => ({ ok: false as const, errors: ['The simulated refusal of this journal'] }));
            return port.createDocuments(kind, payloads, unitdp, key);
          },
        }),
      });
      await pod.getByTestId('procurement-row-adj-7202').getByRole('checkbox').check();
      await pod.getByTestId('procurement-sync-selected').click();
      await expect.poll(() => pod.getByTestId('run-failed').textContent(), { timeout: 60_000 }).toBe('1 need attention');
      expect(await panel.getAttribute('data-status')).toBe('done');
      expect(await pod.getByTestId('outcome-7202').textContent()).toMatch(/cwx:adj:7202: .*simulated refusal/);
      expect(await journals('cwx:adj:7202')).toEqual([]);
      setEngineFaults(s.server.deps, undefined);
      await pod.getByTestId('run-retry').click();
      await expect.poll(() => pod.getByTestId('run-done').textContent(), { timeout: 60_000 }).toBe('1 synced');
      await expect.poll(() => panel.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
      await pod.screenshot({ path: '/tmp/pod-batch-procurement.png' });

      // Each journal once, balanced to the cent (their debits).
      expect(await journals('cwx:adj:7201')).toEqual(['7.31']);
      expect(await journals('cwx:adj:7202')).toEqual(['1579.80']);
      expect(await journals('cwx:xfer:7301')).toEqual(['2840.00']);
      await expect.poll(() => pod.locator('tr[data-kind="adjustment"], tr[data-kind="transfer"]').count(), { timeout: 10_000 }).toBe(0);
    } finally {
      setEngineFaults(s.server.deps, undefined);
      await page.close();
    }
  }, 120_000);
});
