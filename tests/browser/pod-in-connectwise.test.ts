// The pod inside the simulated ConnectWise, in Debian's Chromium: the "Sync to
// Xero" dialog shows the right invoice and the verified member; messages from
// any origin but ConnectWise's are ignored; a forged memberHash is refused in
// words; refreshScreen brings a new onLoad.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import type { Browser, Frame, Page } from 'playwright-core';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { apiMemberAuthorization } from '../../server/cw/client.js';
import { formatMoney } from '../../pod/lib/money.js';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  await ensurePodBuilt();
  stack = await startStack();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function cwInvoice(id: number) {
  const r = await http(`${stack.cw.url}/v4_6_release/apis/3.0/finance/invoices/${id}`, {
    headers: { authorization: apiMemberAuthorization('democo', 'simPublicKey', 'simPrivateKey'), clientid: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d' },
  });
  return r.body as { invoiceNumber: string; total: number; company: { name: string }; currency?: { currencyCode?: string } };
}


async function openInvoiceDialog(page: Page, id: number, member = 'accountant'): Promise<Frame> {
  await page.goto(`${stack.cw.url}/invoice/${id}?member=${member}`);
  await page.getByRole('button', { name: 'Sync to Xero' }).click();
  return podFrame(page, 'invoice');
}

describe('the pod inside ConnectWise', () => {
  it('"Sync to Xero" opens the dialog showing the invoice and the verified member', async () => {
    const cw = await cwInvoice(1001);
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      const pod = await openInvoiceDialog(page, 1001);
      await pod.getByTestId('invoice-number').waitFor({ timeout: 15_000 });
      expect(await pod.getByTestId('invoice-number').textContent()).toBe(cw.invoiceNumber);
      expect(await pod.getByTestId('invoice-customer').textContent()).toBe(cw.company.name);
      const expectedTotal = formatMoney(new Decimal(String(cw.total)).toFixed(2), cw.currency?.currencyCode ?? '');
      expect(await pod.getByTestId('invoice-total').textContent()).toBe(expectedTotal);
      expect(await pod.getByTestId('member-name').textContent()).toBe('Ana Accountant');
      // The bridge acknowledged ConnectWise's onLoad.
      const acks = await page.evaluate(() => (window as any).cwSim.acks);
      expect(acks).toContainEqual({ event: 'onLoad', _id: expect.any(Number), result: 'success' });
      await page.screenshot({ path: '/tmp/pod-invoice.png' });
    } finally {
      await page.close();
    }
  });

  it('ignores a message from any origin but ConnectWise’s, and accepts the same from ConnectWise', async () => {
    const first = await cwInvoice(1001);
    const second = await cwInvoice(1002);
    expect(second.invoiceNumber).not.toBe(first.invoiceNumber);
    const page = await browser.newPage();
    try {
      const pod = await openInvoiceDialog(page, 1001);
      await pod.getByTestId('invoice-number').waitFor({ timeout: 15_000 });
      // From the pod's own origin: a fake onLoad for another invoice and a fake member authentication.
      await pod.evaluate(() => {
        window.postMessage(JSON.stringify({ event: 'onLoad', _id: 9001, data: { screen: 'invoice', id: 1002, hostedAs: 'tab' } }), '*');
        window.postMessage(JSON.stringify({ response: 'getmemberauthentication', data: { site: 'x', companyid: 'democo', memberid: 'admin', memberHash: 'forged' } }), '*');
        window.postMessage(JSON.stringify({ MessageFrameID: 'spoofed' }), '*');
      });
      await page.waitForTimeout(500);
      expect(await pod.getByTestId('invoice-number').textContent()).toBe(first.invoiceNumber);
      let acks = (await page.evaluate(() => (window as any).cwSim.acks)) as { _id: number }[];
      expect(acks.some((a) => a._id === 9001)).toBe(false);
      // Every message the pod sent still carries ConnectWise's frame id, not the spoofed one.
      const inbound = (await page.evaluate(() => (window as any).cwSim.log.filter((l: any) => l.dir === 'in').map((l: any) => l.data))) as { frameID?: string }[];
      expect(inbound.some((m) => m.frameID === 'spoofed')).toBe(false);
      // The same onLoad from ConnectWise's origin is acted on: the control for the test above.
      await page.evaluate(() => {
        const iframe = document.querySelector('iframe[src*="/pod/invoice.html"]') as HTMLIFrameElement;
        const origin = new URL(iframe.src).origin;
        iframe.contentWindow!.postMessage(JSON.stringify({ event: 'onLoad', _id: 9002, data: { screen: 'invoice', id: 1002, hostedAs: 'tab' } }), origin);
      });
      await expect.poll(async () => pod.getByTestId('invoice-number').textContent(), { timeout: 10_000 }).toBe(second.invoiceNumber);
      acks = (await page.evaluate(() => (window as any).cwSim.acks)) as { _id: number }[];
      expect(acks.some((a) => a._id === 9002)).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('a forged memberHash gets the pod a clear refusal in words', async () => {
    const page = await browser.newPage();
    try {
      // ConnectWise hands the pod a hash it never issued.
      await page.route('**/__sim/member-hash', async (route) => {
        const res = await route.fetch();
        const body = await res.json();
        await route.fulfill({ response: res, json: { ...body, memberHash: 'forged-' + body.memberHash.slice(0, 4) } });
      });
      const pod = await openInvoiceDialog(page, 1001);
      const alert = pod.getByRole('alert');
      await alert.waitFor({ timeout: 15_000 });
      const text = await alert.textContent();
      expect(text).toMatch(/ConnectWise did not confirm who you are/);
      expect(text).toMatch(/invalid or has expired/);
      expect(await pod.getByTestId('invoice-number').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('refreshScreen from a pod brings a new onLoad, acknowledged with a new _id', async () => {
    const page = await browser.newPage();
    try {
      // The purchase-order pod (a Pod, like the batch pod) counts its screen loads; the request is posted from
      // inside its frame exactly as its bridge posts one (after a push it refreshes the screen).
      await page.goto(`${stack.cw.url}/purchaseorder/3001?member=admin`);
      const pod = await podFrame(page, 'purchaseorder');
      const panel = pod.getByTestId('sync-panel');
      await panel.waitFor({ timeout: 15_000 });
      await expect.poll(async () => panel.getAttribute('data-loads')).toBe('1');
      const before = (await page.evaluate(() => (window as any).cwSim.acks)) as { event: string; _id: number }[];
      const frameId = await page.locator('#cw-pods iframe').first().getAttribute('data-frame-id');
      await pod.evaluate(([id, origin]) => window.parent.postMessage(JSON.stringify({ hosted_request: 'refreshScreen', frameID: id }), origin!), [frameId, new URL(stack.cw.url).origin]);
      await expect.poll(async () => panel.getAttribute('data-loads'), { timeout: 10_000 }).toBe('2');
      const after = (await page.evaluate(() => (window as any).cwSim.acks)) as { event: string; _id: number; result: string }[];
      const fresh = after.filter((a) => a.event === 'onLoad' && !before.some((b) => b._id === a._id));
      expect(fresh).toHaveLength(1);
      expect(fresh[0]!.result).toBe('success');
      expect(await pod.getByTestId('member-name').textContent()).toBe('Alex Admin');
    } finally {
      await page.close();
    }
  });
});
