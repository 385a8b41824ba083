// The accounting-batch pod in the simulated ConnectWise, in Chromium, at the
// size ConnectWise gives it (the pod column is 380 px wide, the frame 420 px
// high): without scrolling it shows the month-end state per document kind
// (counted over every unposted record, equal to the list's readiness over all
// its pages), the run's progress and the primary actions. "Open the full list"
// opens our window at full width: the unposted list with readiness and
// reasons (the seeded invoice on GL 4990 needs attention, and says where to
// fix it). "Sync N" in the pod runs every ready invoice; the counts move to
// "synced today", the full list links each invoice to its Xero document, and
// Xero holds each exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { connectXero } from '../xero-connect/flow.js';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID } from '../../sim/xero/seed.js';
import { openBatchList } from './batch-list.js';

let stack: TestStack;
let browser: Browser;
let token: string;

beforeAll(async () => {
  await ensurePodBuilt();
  stack = await startStack();
  browser = await launchBrowser();
  const url = stack.server.url;
  const s = await http(`${url}/api/session`, { json: { companyid: 'democo', memberid: 'admin', memberHash: stack.cwSim.issueMemberHash('admin') } });
  token = s.body.token as string;
  const connected = await connectXero(url, token);
  expect(connected.ok).toBe(true);
  const map = await http(`${url}/api/xero/location-map`, {
    method: 'PUT',
    token,
    json: { mappings: [{ cwLocationId: 1, xeroTenantId: HARBOUR_TENANT_ID }, { cwLocationId: 2, xeroTenantId: KIWI_TENANT_ID }] },
  });
  expect(map.status).toBe(200);
  const seeded = await http(`${stack.cw.url}/__sim/bulk-seed`, { json: { invoices: 24, customers: 8 } });
  expect(seeded.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

function xeroNumbers(): Map<string, number> {
  const out = new Map<string, number>();
  for (const org of stack.xero!.sim ? [(stack.xero!.sim as any).ctx.orgs.get(HARBOUR_TENANT_ID), (stack.xero!.sim as any).ctx.orgs.get(KIWI_TENANT_ID)] : []) {
    for (const d of org.documents.values()) if (d.Number && d.Status !== 'DELETED') out.set(d.Number, (out.get(d.Number) ?? 0) + 1);
  }
  return out;
}

/** Readiness of every unposted invoice, read page by page from the list's own route. */
async function invoiceReadiness(): Promise<{ number: string; readiness: string }[]> {
  const rows: { number: string; readiness: string }[] = [];
  for (let page = 1; ; page++) {
    const r = await http(`${stack.server.url}/api/batch/unposted?page=${page}&pageSize=20`, { token });
    expect(r.status).toBe(200);
    rows.push(...(r.body.items as { invoiceNumber: string; readiness: string }[]).map((i) => ({ number: i.invoiceNumber, readiness: i.readiness })));
    if (rows.length >= (r.body.total as number)) return rows;
  }
}

/** Where each element lies inside the pod's frame, and whether the frame scrolls. */
async function layout(pod: Frame, testIds: string[]) {
  return pod.evaluate((ids) => {
    const boxes = Object.fromEntries(
      ids.map((id) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        const r = el?.getBoundingClientRect();
        return [id, r ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width } : null];
      }),
    );
    // Anything sticking out of the pod's column (past its padding) is cut or misaligned at this width.
    const column = document.querySelector('.batch-pod')!.getBoundingClientRect();
    const outside = [...document.querySelectorAll('.batch-pod *')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > column.right + 1 || r.left < column.left - 1);
    }).map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { boxes, outside, scrollHeight: document.documentElement.scrollHeight, innerHeight: window.innerHeight, innerWidth: window.innerWidth };
  }, testIds);
}

async function monthCounts(pod: Frame, kind: string) {
  const row = pod.getByTestId(`month-${kind}`);
  const n = async (id: string) => Number((await row.getByTestId(id).textContent())?.trim());
  return { ready: await n('count-ready'), attention: await n('count-attention'), syncedToday: await n('count-synced-today') };
}

async function openPod(page: Page): Promise<Frame> {
  await page.goto(`${stack.cw.url}/accountingbatch/0?member=accountant`);
  const pod = await podFrame(page, 'batch');
  await pod.getByTestId('month-invoice').getByTestId('count-ready').waitFor({ timeout: 30_000 });
  return pod;
}

describe('the accounting-batch pod', () => {
  it('at ConnectWise’s size shows month-end counts over every page, and its actions, without scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      const pod = await openPod(page);
      const frame = await page.locator('iframe[src*="/pod/batch.html"]').boundingBox();
      expect(frame!.width).toBeLessThanOrEqual(380);
      expect(frame!.height).toBe(420);
      await page.locator('iframe[src*="/pod/batch.html"]').screenshot({ path: '/tmp/pod-batch-380.png' });

      const ids = ['month-invoice', 'month-expense', 'month-procurement', 'sync-ready-invoice', 'sync-payments-all', 'open-full-list'];
      const l = await layout(pod, ids);
      expect(l.scrollHeight, 'the pod scrolls').toBeLessThanOrEqual(l.innerHeight);
      expect(l.outside, 'sticking out of the pod').toEqual([]);
      for (const id of ids) {
        const b = l.boxes[id];
        expect(b, id).not.toBeNull();
        expect(b!.top, id).toBeGreaterThanOrEqual(0);
        expect(b!.bottom, `${id} below the fold`).toBeLessThanOrEqual(l.innerHeight);
        expect(b!.right, `${id} cut off`).toBeLessThanOrEqual(l.innerWidth);
      }

      // The counts are the list's readiness over all its pages (20 a page here: several pages).
      const rows = await invoiceReadiness();
      expect(rows.length).toBeGreaterThan(20);
      const ready = rows.filter((r) => r.readiness === 'ready').length;
      const attention = rows.filter((r) => r.readiness === 'needs_attention').length;
      expect(ready).toBeGreaterThan(20);
      expect(attention).toBeGreaterThanOrEqual(1);
      expect(await monthCounts(pod, 'invoice')).toEqual({ ready, attention, syncedToday: 0 });
      expect((await pod.getByTestId('sync-ready-invoice').textContent())?.trim()).toBe(`Sync ${ready}`);
      for (const kind of ['expense', 'procurement']) expect(Number(await pod.getByTestId(`month-${kind}`).getByTestId('count-synced-today').textContent())).toBe(0);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('the summary and tie-out routes name a bad field with a 400', async () => {
    const bad = await http(`${stack.server.url}/api/batch/summary?kind=payslips`, { token });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/kind/);
    const empty = await http(`${stack.server.url}/api/batch/tieout`, { method: 'POST', token, json: {} });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toMatch(/glEntryIds/);
    const noSession = await http(`${stack.server.url}/api/batch/summary`, {});
    expect(noSession.status).toBe(401);
  });

  it('opens the full list at full width, with dates, customers, readiness and reasons, and counts over all pages', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      const pod = await openPod(page);
      const list = await openBatchList(pod, page, { width: 1400, height: 1000 });
      await list.getByTestId('unposted-table').waitFor({ timeout: 30_000 });
      await expect.poll(() => list.locator('tr[data-testid^="row-"]').count()).toBeGreaterThan(30);
      const bad = list.getByTestId('row-1008');
      expect(await bad.getAttribute('data-readiness')).toBe('needs_attention');
      expect(await bad.getByTestId('row-problem').textContent()).toMatch(/4990.*Fix in:/);
      expect(await bad.getByRole('checkbox').isDisabled()).toBe(true);
      expect(await list.locator('th.col-date').isVisible()).toBe(true);
      // The list's chips count every page, as the pod does.
      const { ready, attention } = await monthCounts(pod, 'invoice');
      await list.getByTestId('all-pages-summary').waitFor({ timeout: 30_000 });
      const chips = (await list.getByTestId('all-pages-summary').textContent()) ?? '';
      expect(chips).toContain(`${ready} ready`);
      expect(chips).toContain(`${attention} need attention`);
      await list.screenshot({ path: '/tmp/pod-batch-list-window.png', fullPage: false });

      // The month-end tie-out of the page's ready invoices: every organisation's total ties to the cent.
      await list.getByTestId('select-ready').check();
      const selectedCount = await list.locator('tr[data-readiness="ready"]').count();
      await list.getByTestId('tie-out-run').click();
      const tie = list.getByTestId('tie-out-result');
      await tie.waitFor({ timeout: 30_000 });
      expect(await tie.textContent()).toContain(`${selectedCount} invoices`);
      const orgRows = list.getByTestId('tie-by-org').locator('tbody tr');
      expect(await orgRows.count()).toBeGreaterThanOrEqual(2); // AUD and NZD at least
      for (const t of await orgRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ties')))) expect(t).toBe('true');
      expect(await list.getByTestId('tie-by-account').locator('tbody tr').count()).toBeGreaterThan(0);
      expect(await list.getByTestId('tie-by-tax').locator('tbody tr').count()).toBeGreaterThan(0);
      await list.getByTestId('tie-out').screenshot({ path: '/tmp/pod-batch-tie-out.png' });
      await list.close();
    } finally {
      await page.close();
    }
  }, 120_000);

  it('"Sync N" in the pod runs every ready invoice: progress, then synced today; the full list links each into Xero once', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      const pod = await openPod(page);
      const before = await monthCounts(pod, 'invoice');
      const readyNumbers = (await invoiceReadiness()).filter((r) => r.readiness === 'ready').map((r) => r.number);
      expect(readyNumbers.length).toBe(before.ready);
      await pod.getByTestId('sync-ready-invoice').click();

      const run = pod.getByTestId('pod-run');
      await run.waitFor({ timeout: 10_000 });
      await expect.poll(() => run.getAttribute('data-status'), { timeout: 90_000 }).toBe('done');
      // An all-ready run also reports the invoices needing attention, and pushes none of them.
      expect(await pod.getByTestId('pod-run-progress').getAttribute('aria-valuemax')).toBe(String(before.ready + before.attention));
      expect((await pod.getByTestId('pod-run-counts').textContent())?.trim()).toMatch(new RegExp(`^${before.ready} of ${before.ready + before.attention} synced · ${before.attention} need attention`));
      await expect.poll(() => monthCounts(pod, 'invoice'), { timeout: 30_000 }).toEqual({ ready: 0, attention: before.attention, syncedToday: before.ready });
      const l = await layout(pod, ['pod-run', 'sync-payments-all', 'open-full-list']);
      expect(l.scrollHeight, 'the pod scrolls with a run shown').toBeLessThanOrEqual(l.innerHeight);
      expect(l.outside, 'sticking out of the pod').toEqual([]);
      await page.locator('iframe[src*="/pod/batch.html"]').screenshot({ path: '/tmp/pod-batch-380-done.png' });

      const numbers = xeroNumbers();
      for (const n of readyNumbers) expect(numbers.get(n), n).toBe(1);

      const list = await openBatchList(pod, page);
      const links = list.getByTestId('xero-link');
      await expect.poll(() => links.count(), { timeout: 30_000 }).toBe(before.ready);
      expect(await links.first().getAttribute('href')).toMatch(/\/AccountsReceivable\/View(CreditNote)?\.aspx\?(InvoiceID|creditNoteID)=[0-9a-f-]{36}$/);
      expect(await list.getByTestId('outcome-1001').textContent()).toContain('INV-1001');
      // After the run: what it made, read back from Xero, ties to ConnectWise's batches to the cent (issue 12).
      await list.getByTestId('run-tie-out-start').click();
      const tied = list.getByTestId('run-tie-out-result');
      await tied.waitFor({ timeout: 60_000 });
      expect(await tied.getAttribute('data-ties')).toBe('true');
      expect(await tied.textContent()).toContain(`Tie-out with Xero: ${before.ready} records tie to the cent.`);
      expect(await list.locator('[data-testid="run-tie-by-org"] tbody tr[data-ties="true"]').count()).toBeGreaterThanOrEqual(2);
      await list.getByTestId('run-tie-out').screenshot({ path: '/tmp/pod-batch-run-tie-out.png' });
      await list.close();
    } finally {
      await page.close();
    }
  }, 180_000);
});
