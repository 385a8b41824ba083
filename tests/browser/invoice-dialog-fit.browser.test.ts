// The "Sync to Xero" dialog fits (issue 12), in Chromium, with ConnectWise's
// browser window 800, 1000 and 1400 px wide: the footer (Check again / Push)
// is opaque and drawn above the content (what lies at its centre is the footer
// itself, also with the content scrolled beneath it), it sits at the bottom of
// the dialog, and nothing overflows its card — for a short invoice and for one
// with many lines and a problem — with the demo's tracking rule on (each
// organisation's "Region" carries the billing location), so every preview line
// also shows the tracking it will carry in Xero (invoice 1001: Sydney).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame, Page } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { AU_ORG, NZ_ORG, connectDemoTenantToXero } from '../support/connect-xero.js';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  await ensurePodBuilt();
  stack = await startStack();
  const admin = await connectDemoTenantToXero(stack);
  // The demo's rule (scripts/start.ts): each organisation's "Region" carries the billing location.
  const region = (options: Record<string, string>) => [{ source: 'location', categoryName: 'Region', options }];
  const r = await http(`${stack.server.url}/api/settings`, { method: 'PUT', token: admin, json: { invoiceMapping: { trackingByOrganisation: { [AU_ORG]: region({ '1': 'Sydney' }), [NZ_ORG]: region({ '2': 'Auckland' }) } } } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openDialog(page: Page, id: number): Promise<Frame> {
  await page.goto(`${stack.cw.url}/invoice/${id}?member=accountant`);
  await page.getByRole('button', { name: 'Sync to Xero' }).click();
  const pod = await podFrame(page, 'invoice');
  await pod.locator('.push-bar').waitFor({ timeout: 30_000 });
  return pod;
}

/** What the footer looks like and what overflows, measured in the dialog's frame. */
async function measure(pod: Frame) {
  return pod.evaluate(() => {
    const bar = document.querySelector('.push-bar') as HTMLElement;
    const r = bar.getBoundingClientRect();
    const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const overflowing: string[] = [];
    for (const card of document.querySelectorAll<HTMLElement>('.card, .lines-wrap, .push-bar')) {
      if (card.scrollWidth > card.clientWidth + 1) overflowing.push(`${card.className} scrolls sideways (${card.scrollWidth} > ${card.clientWidth})`);
      const box = card.getBoundingClientRect();
      for (const el of card.querySelectorAll<HTMLElement>('*')) {
        const b = el.getBoundingClientRect();
        if (b.width > 0 && (b.right > box.right + 1 || b.left < box.left - 1)) overflowing.push(`${el.tagName.toLowerCase()}.${el.className} out of ${card.className}`);
      }
    }
    return {
      background: getComputedStyle(bar).backgroundColor,
      barBottom: r.bottom,
      innerHeight: window.innerHeight,
      footerOnTop: !!at && bar.contains(at),
      pageOverflow: document.documentElement.scrollWidth > window.innerWidth,
      overflowing,
      scrolls: document.documentElement.scrollHeight > window.innerHeight,
    };
  });
}

/** Opaque: rgb(), or rgba() with alpha 1. */
const opaque = (c: string) => /^rgb\(/.test(c) || /^rgba\(.*,\s*1\)$/.test(c);

describe('the invoice dialog fits its card and keeps its footer', () => {
  for (const width of [800, 1000, 1400]) {
    it(`at ${width} px: opaque footer at the bottom, nothing overflowing`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        for (const id of [1001, 1002, 1008]) {
          const pod = await openDialog(page, id);
          await pod.getByTestId('sync-panel').and(pod.locator('[data-loading="false"]')).waitFor({ timeout: 30_000 });
          if (id === 1001) {
            // Invoice 1001 (billing location Sydney → the AU organisation): each line shows the option it carries.
            const lines = pod.getByTestId('preview-line');
            expect(await lines.count()).toBeGreaterThan(0);
            expect(await lines.getByTestId('line-tracking').allTextContents()).toEqual(Array((await lines.count()) as number).fill('Region: Sydney'));
          }
          const m = await measure(pod);
          expect(opaque(m.background), `footer background ${m.background}`).toBe(true);
          expect(Math.abs(m.barBottom - m.innerHeight), `invoice ${id}: footer bottom ${m.barBottom} vs ${m.innerHeight}`).toBeLessThanOrEqual(1);
          expect(m.footerOnTop, `invoice ${id}: something drawn over the footer`).toBe(true);
          expect(m.pageOverflow, `invoice ${id}: the dialog scrolls sideways`).toBe(false);
          expect(m.overflowing, `invoice ${id}`).toEqual([]);
          if (m.scrolls) {
            // Scrolled halfway, the content passes beneath the footer, which stays opaque on top.
            await pod.evaluate(() => window.scrollTo(0, (document.documentElement.scrollHeight - window.innerHeight) / 2));
            const mid = await measure(pod);
            expect(mid.footerOnTop).toBe(true);
            expect(Math.abs(mid.barBottom - mid.innerHeight)).toBeLessThanOrEqual(1);
          }
          if (width === 1000) await page.locator('iframe[src*="/pod/invoice.html"]').screenshot({ path: `/tmp/invoice-dialog-${id}.png` });
        }
      } finally {
        await page.close();
      }
    }, 120_000);
  }
});
