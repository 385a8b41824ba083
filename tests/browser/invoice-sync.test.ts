// "Sync to Xero" end to end in Debian's Chromium: the simulated ConnectWise
// invoice screen, our pod in its dialog, our server, the simulated Xero. The
// preview shows the lines and the total; "Push to Xero" lands one invoice in
// Xero (read back with the real xero-node SDK, to the cent), the dialog shows
// its number, status and link; ConnectWise's dirty flag is up while the push
// runs and the screen is refreshed after it; a second push from a stale
// dialog makes no second invoice; a needs-attention invoice says why and
// offers no push; the settings pod's Invoices card saves and names refused fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import type { Browser, Frame, Page } from 'playwright-core';
import type { Invoice } from 'xero-node';
import { ensurePodBuilt, http, startStack, type TestStack } from '../support/stack.js';
import { launchBrowser, podFrame } from '../support/browser.js';
import { editGetAnswers } from '../support/first-reads.js';
import { AU_ORG, connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { apiMemberAuthorization } from '../../server/cw/client.js';
import { accountingApiFor } from '../../server/xero/accounting.js';
import { formatAmount } from '../../pod/lib/money.js';

const TENANT = 'democo';
const READY_INVOICE = 1002; // products: a 4-decimal unit price, four units of measure (Sydney → AU org)
const ATTENTION_INVOICE = 1008; // a product on GL 4990, which the AU organisation does not have

let stack: TestStack;
let browser: Browser;


beforeAll(async () => {
  await ensurePodBuilt(); // npm test built dist/pod; this builds it only when missing
  stack = await startStack();
  await connectDemoTenantToXero(stack);
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
  expect(r.status).toBe(200);
  return r.body as { invoiceNumber: string; total: number };
}


async function openInvoiceDialog(page: Page, id: number, member = 'accountant'): Promise<Frame> {
  await page.goto(`${stack.cw.url}/invoice/${id}?member=${member}`);
  await page.getByRole('button', { name: 'Sync to Xero' }).click();
  return podFrame(page, 'invoice');
}

/** Xero's invoices with this number in the AU organisation, read with xero-node (4-decimal unit amounts). */
async function xeroInvoicesNumbered(number: string): Promise<Invoice[]> {
  const { api, xeroTenantId } = await accountingApiFor(stack.server.deps, TENANT, AU_ORG);
  const res = await api.getInvoices(xeroTenantId, undefined, undefined, undefined, undefined, [number], undefined, undefined, undefined, undefined, undefined, 4);
  return (res.body.invoices ?? []).filter((i) => i.invoiceNumber === number && String(i.status) !== 'DELETED' && String(i.status) !== 'VOIDED');
}

type HostMessage = { dir: 'in' | 'out'; data: { hosted_request?: string; args?: { dirty?: boolean }; event?: string; _id?: number } };
async function hostLog(page: Page): Promise<HostMessage[]> {
  return (await page.evaluate(() => (window as unknown as { cwSim: { log: unknown[] } }).cwSim.log)) as HostMessage[];
}

/** The preview table as text: [description, qty, unit, unit price, amount, account, tax] per line. */
async function previewRows(pod: Frame): Promise<string[][]> {
  return pod.getByTestId('preview-line').evaluateAll((rows) =>
    rows.map((r) => {
      const cells = [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim());
      const desc = (r.querySelector('.col-desc')?.firstChild?.textContent ?? '').trim();
      return [desc, ...cells.slice(1)];
    }),
  );
}

describe('"Sync to Xero" on the invoice screen', () => {
  it('previews, pushes once, shows the Xero invoice, and what landed in Xero equals the preview and ConnectWise to the cent', async () => {
    const cw = await cwInvoice(READY_INVOICE);
    const cwTotal = new Decimal(String(cw.total)).toFixed(2);
    expect(await xeroInvoicesNumbered(cw.invoiceNumber)).toHaveLength(0);

    // A second dialog on the same invoice, opened now: it will still offer the push after the first one is done.
    const stale = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const stalePod = await openInvoiceDialog(stale, READY_INVOICE);
    await stalePod.getByTestId('push-button').waitFor({ timeout: 30_000 });

    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      const pod = await openInvoiceDialog(page, READY_INVOICE);
      // The summary comes first; the preview follows.
      await pod.getByTestId('invoice-number').waitFor({ timeout: 15_000 });
      await pod.getByTestId('preview').waitFor({ timeout: 30_000 });
      expect(await pod.getByTestId('status-chip').getAttribute('data-status')).toBe('ready');
      expect(await pod.getByTestId('sync-organisation').textContent()).toContain('Harbour IT');
      expect(await pod.getByTestId('preview-total').textContent()).toBe(formatAmount(cwTotal));
      expect(await pod.getByTestId('totals-words').getAttribute('data-agree')).toBe('true');
      expect(await pod.getByTestId('totals-words').textContent()).toMatch(/equal to ConnectWise's to the cent/);
      const shown = await previewRows(pod);
      expect(shown).toHaveLength(4);
      // ConnectWise's product descriptions; the unit of measure once, in its column (Xero gets it in the description, below).
      expect(shown.map((r) => r[0])).toEqual([
        'Dell Latitude 5450 laptop, i7, 16 GB, 512 GB SSD',
        'Cat6 patch lead, 3 m, blue',
        'Microsoft 365 Business Premium (monthly)',
        'Cat6 solid cable, cut to length',
      ]);
      expect(shown.map((r) => r[2])).toEqual(['Each', 'Each', 'Licence/Month', 'Metre']);
      // Tax rates by Xero's names with the rate, never the code.
      expect(shown.map((r) => r[6])).toEqual(['GST on Income 10%', 'GST on Income 10%', 'GST on Income 10%', 'GST on Income 10%']);
      // The 4-decimal unit price is shown with all its decimals.
      expect(shown[1]![3]).toBe('33.3333');
      const button = pod.getByTestId('push-button');
      expect(await button.textContent()).toBe('Push to Xero');
      expect(await button.isEnabled()).toBe(true);
      await page.screenshot({ path: '/tmp/pod-invoice-preview.png' });

      // While the push request is in flight, ConnectWise's screen must already be dirty.
      let dirtyDuringPush: boolean | undefined;
      let buttonDuringPush: { text: string | null; enabled: boolean; chip: string | null } | undefined;
      let pushRequests = 0;
      await page.route('**/api/invoices/*/push', async (route) => {
        pushRequests++;
        buttonDuringPush = { text: await button.textContent(), enabled: await button.isEnabled(), chip: await pod.getByTestId('status-chip').getAttribute('data-status') };
        // setDirty has no answer, so ConnectWise may apply it a moment after the pod moves on; the push is held
        // here (it has not reached our server) until the flag is up, or for 3 s at most.
        dirtyDuringPush = await page
          .waitForFunction(() => (window as unknown as { cwSim: { dirty: boolean } }).cwSim.dirty, null, { timeout: 3_000 })
          .then(() => true)
          .catch(() => false);
        await route.continue();
      });
      const logBefore = (await hostLog(page)).length;
      const acksBefore = ((await page.evaluate(() => (window as unknown as { cwSim: { acks: unknown[] } }).cwSim.acks)) as { event: string }[]).filter((a) => a.event === 'onLoad').length;
      await button.click();
      await pod.getByTestId('xero-number').waitFor({ timeout: 30_000 });
      await expect.poll(() => pod.getByTestId('push-outcome').getAttribute('data-outcome'), { timeout: 15_000 }).toBe('synced');
      expect(pushRequests).toBe(1);
      expect(dirtyDuringPush).toBe(true);
      // While it ran: the button disabled, saying so.
      expect(buttonDuringPush).toEqual({ text: 'Pushing to Xero…', enabled: false, chip: 'ready' });

      // Dirty on, dirty off, then a refresh that brought a new, acknowledged onLoad.
      await expect
        .poll(async () => ((await page.evaluate(() => (window as unknown as { cwSim: { acks: { event: string }[] } }).cwSim.acks)) as { event: string }[]).filter((a) => a.event === 'onLoad').length, { timeout: 10_000 })
        .toBe(acksBefore + 1);
      const during = (await hostLog(page)).slice(logBefore);
      const requests = during.filter((m) => m.dir === 'in' && m.data.hosted_request).map((m) => `${m.data.hosted_request}${m.data.args?.dirty !== undefined ? `:${m.data.args.dirty}` : ''}`);
      expect(requests).toEqual(['setDirty:true', 'setDirty:false', 'refreshScreen']);
      expect(during.some((m) => m.dir === 'out' && m.data.event === 'onLoad')).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { cwSim: { dirty: boolean } }).cwSim.dirty)).toBe(false);

      // What Xero has, through xero-node: one invoice, the preview's lines, ConnectWise's total.
      const landed = await xeroInvoicesNumbered(cw.invoiceNumber);
      expect(landed).toHaveLength(1);
      // A list leaves line items out (as Xero does); the invoice by id has them.
      const { api, xeroTenantId } = await accountingApiFor(stack.server.deps, TENANT, AU_ORG);
      const inv = (await api.getInvoice(xeroTenantId, landed[0]!.invoiceID!, 4)).body.invoices![0]!;
      expect(new Decimal(String(inv.total)).toFixed(2)).toBe(cwTotal);
      expect((inv.lineItems ?? []).map((l) => [l.description, formatAmount(new Decimal(String(l.unitAmount)).toString()), formatAmount(new Decimal(String(l.lineAmount)).toFixed(2)), l.accountCode])).toEqual(
        shown.map((r) => [`${r[0]} (${r[2]})`, r[3], r[4], r[5]]),
      );
      expect((inv.lineItems ?? []).map((l) => new Decimal(String(l.quantity)).toString())).toEqual(shown.map((r) => r[1]));

      // The dialog shows that invoice: number, status, a link that opens a new tab.
      expect(await pod.getByTestId('xero-number').textContent()).toBe(inv.invoiceNumber);
      expect(await pod.getByTestId('xero-status').getAttribute('data-status')).toBe(String(inv.status));
      const link = pod.getByTestId('open-in-xero');
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toMatch(/\bnoopener\b/);
      expect(await link.getAttribute('href')).toMatch(/^https?:\/\//);
      await expect.poll(() => pod.getByTestId('status-chip').getAttribute('data-status'), { timeout: 15_000 }).toBe('synced');
      expect(await pod.getByTestId('push-button').count()).toBe(0);
      await page.screenshot({ path: '/tmp/pod-invoice-synced.png' });

      // The stale dialog still offers the push; clicking it must not make a second invoice.
      await stalePod.getByTestId('push-button').click();
      await stalePod.getByTestId('push-outcome').waitFor({ timeout: 30_000 });
      expect(await stalePod.getByTestId('push-outcome').getAttribute('data-outcome')).not.toBe('error');
      await stalePod.getByTestId('xero-number').waitFor({ timeout: 15_000 });
      expect(await stalePod.getByTestId('xero-number').textContent()).toBe(inv.invoiceNumber);
      expect(await xeroInvoicesNumbered(cw.invoiceNumber)).toHaveLength(1);

      // Opened again: synced, no push offered, still one invoice.
      const again = await openInvoiceDialog(page, READY_INVOICE);
      await again.getByTestId('xero-counterpart').waitFor({ timeout: 30_000 });
      expect(await again.getByTestId('status-chip').getAttribute('data-status')).toBe('synced');
      expect(await again.getByTestId('xero-number').textContent()).toBe(inv.invoiceNumber);
      expect(await xeroInvoicesNumbered(cw.invoiceNumber)).toHaveLength(1);
    } finally {
      await page.close();
      await stale.close();
    }
  });

  it('changed in ConnectWise after the sync: "Re-sync" updates the same Xero invoice to the new total', async () => {
    // One more patch lead on INV-1002 (its second line), after the push above.
    const edit = await http(`${stack.cw.url}/__sim/invoices/${READY_INVOICE}`, { json: { lines: [{ id: 90007, quantity: '4' }] } });
    expect(edit.status).toBe(200);
    const cw = await cwInvoice(READY_INVOICE);
    const cwTotal = new Decimal(String(cw.total)).toFixed(2);
    const [before] = await xeroInvoicesNumbered(cw.invoiceNumber);
    expect(new Decimal(String(before!.total)).toFixed(2)).not.toBe(cwTotal);

    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      const pod = await openInvoiceDialog(page, READY_INVOICE);
      await pod.getByTestId('push-button').waitFor({ timeout: 30_000 });
      expect(await pod.getByTestId('status-chip').getAttribute('data-status')).toBe('changed');
      expect(await pod.getByTestId('push-button').textContent()).toBe('Re-sync');
      expect(await pod.getByTestId('preview').textContent()).toContain('on re-sync');
      expect(await pod.getByTestId('preview-total').textContent()).toBe(formatAmount(cwTotal));
      await pod.getByTestId('push-button').click();
      await expect.poll(() => pod.getByTestId('status-chip').getAttribute('data-status'), { timeout: 30_000 }).toBe('synced');
      const after = await xeroInvoicesNumbered(cw.invoiceNumber);
      expect(after).toHaveLength(1);
      expect(after[0]!.invoiceID).toBe(before!.invoiceID);
      expect(new Decimal(String(after[0]!.total)).toFixed(2)).toBe(cwTotal);
    } finally {
      await page.close();
    }
  });

  it('paid in Xero: the dialog says so and why it can no longer change, and offers no push', async () => {
    const cw = await cwInvoice(READY_INVOICE);
    const [inv] = await xeroInvoicesNumbered(cw.invoiceNumber);
    const { api, xeroTenantId } = await accountingApiFor(stack.server.deps, TENANT, AU_ORG);
    await api.createPayment(xeroTenantId, { invoice: { invoiceID: inv!.invoiceID! }, account: { code: '090' }, amount: Number(inv!.amountDue), date: '2026-03-01' });

    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      const pod = await openInvoiceDialog(page, READY_INVOICE);
      await pod.getByTestId('xero-counterpart').waitFor({ timeout: 30_000 });
      await expect.poll(() => pod.getByTestId('status-chip').getAttribute('data-status'), { timeout: 15_000 }).toBe('paid');
      expect(await pod.getByTestId('xero-status').getAttribute('data-status')).toBe('PAID');
      expect(await pod.getByTestId('not-editable').textContent()).toMatch(/paid in Xero.+no longer accepts changes/);
      expect(await pod.getByTestId('push-button').count()).toBe(0);
      await page.screenshot({ path: '/tmp/pod-invoice-paid.png' });
    } finally {
      await page.close();
    }
  });

  it('while someone else pushes the invoice, the dialog shows "Pushing…" and checks again every second until it is over', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    let undo: (() => Promise<void>) | undefined;
    try {
      // Our server's real answers, the first two as they are while another push holds the record: the
      // first comes with the sign-in (the dialog's first reads, issue 12), the next ones as GET …/sync.
      const seen: number[] = [];
      undo = await editGetAnswers(page.context(), '**/api/invoices/*/sync', (p) => p.endsWith('/sync'), (body) => {
        seen.push(Date.now());
        return seen.length <= 2 ? { ...body, chip: 'pushing', canPush: false, headline: 'A push of this invoice is under way.' } : body;
      });
      const pod = await openInvoiceDialog(page, 1005);
      await expect.poll(() => pod.getByTestId('status-chip').getAttribute('data-status'), { timeout: 30_000 }).toBe('pushing');
      expect(await pod.getByTestId('push-button').count()).toBe(0);
      await expect.poll(() => pod.getByTestId('status-chip').getAttribute('data-status'), { timeout: 15_000 }).toBe('ready');
      expect(seen.length).toBe(3);
      // About a second apart, not a busy loop.
      expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(900);
      expect(seen[2]! - seen[1]!).toBeGreaterThanOrEqual(900);
      expect(await pod.getByTestId('push-button').isEnabled()).toBe(true);
    } finally {
      await undo?.();
      await page.close();
    }
  });

  it('a needs-attention invoice says what is wrong and where to fix it, and offers no push', async () => {
    const cw = await cwInvoice(ATTENTION_INVOICE);
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      const pod = await openInvoiceDialog(page, ATTENTION_INVOICE);
      await pod.getByTestId('sync-problems').waitFor({ timeout: 30_000 });
      expect(await pod.getByTestId('status-chip').getAttribute('data-status')).toBe('attention');
      const problems = await pod.getByTestId('sync-problem').allTextContents();
      expect(problems.some((p) => p.includes('4990'))).toBe(true);
      const where = await pod.getByTestId('problem-where').allTextContents();
      expect(where.length).toBeGreaterThan(0);
      expect(where.every((w) => /^Fix in: \S/.test(w))).toBe(true);
      expect(await pod.getByTestId('push-button').count()).toBe(0);
      expect(await pod.getByTestId('push-idle').textContent()).toMatch(/Fix the problems/);
      // The line the problem is about is marked in the preview.
      expect(await pod.locator('[data-testid="preview-line"].line-problem').count()).toBeGreaterThan(0);
      expect(await xeroInvoicesNumbered(cw.invoiceNumber)).toHaveLength(0);
      await page.screenshot({ path: '/tmp/pod-invoice-attention.png' });

      // The Reconcile tab takes the panel's place; back on Sync, what was read is still there.
      await pod.getByRole('tab', { name: 'Reconcile' }).click();
      expect(await pod.getByRole('tab', { name: 'Reconcile' }).getAttribute('aria-selected')).toBe('true');
      expect(await pod.getByTestId('sync-panel').count()).toBe(0);
      await expect.poll(async () => (await pod.getByRole('tabpanel').innerHTML()).length).toBeGreaterThan(0);
      await pod.getByRole('tab', { name: 'Sync' }).click();
      expect(await pod.getByTestId('sync-problems').isVisible()).toBe(true);
    } finally {
      await page.close();
    }
  });
});

describe('the settings pod’s Invoices card', () => {
  async function openSettings(page: Page, member: string): Promise<Frame> {
    await page.goto(`${stack.cw.url}/accountingbatch/1?member=${member}`);
    const pod = await podFrame(page, 'settings');
    await pod.getByTestId('invoice-mapping-card').waitFor({ timeout: 20_000 });
    return pod;
  }

  it('an admin saves the invoice settings; a refused field is named next to it; others see them read-only', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
    try {
      const pod = await openSettings(page, 'admin');
      const card = pod.getByTestId('invoice-mapping-card');
      // A prefix with a space is refused by the server, next to the prefix field.
      await card.getByTestId('im-invoiceNumberPrefix').fill('CW -');
      await card.getByTestId('save-invoice-mapping').click();
      await card.getByTestId('error-invoiceNumberPrefix').waitFor({ timeout: 10_000 });
      expect(await card.getByTestId('error-invoiceNumberPrefix').textContent()).toMatch(/space/);
      // A half-filled tax row is refused before anything is sent.
      await card.getByTestId('im-invoiceNumberPrefix').fill('CW-');
      await card.getByTestId('im-tax-map').getByRole('button', { name: '+ Add a row' }).click();
      await card.getByLabel('ConnectWise tax code, row 1').fill('GST');
      await card.getByTestId('save-invoice-mapping').click();
      expect(await card.getByTestId('error-taxMap').textContent()).toMatch(/Row 1: fill in both codes/);
      await card.getByLabel('Xero tax type, row 1').fill('OUTPUT');
      await card.getByTestId('im-account-map').getByRole('button', { name: '+ Add a row' }).click();
      await card.getByLabel('ConnectWise GL account, row 1').fill('4990');
      await card.getByLabel('Xero account code, row 1').fill('200');
      await card.getByTestId('im-status').selectOption('DRAFT');
      await card.getByTestId('save-invoice-mapping').click();
      await card.getByTestId('invoice-mapping-saved').waitFor({ timeout: 10_000 });
      // The settings pod is a fixed-height frame: scroll the card's top into it for the picture.
      await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: '/tmp/pod-settings-invoices.png' });

      // Stored: the API returns exactly what was saved.
      const admin = await signIn(stack, 'admin');
      const stored = await http(`${stack.server.url}/api/settings`, { token: admin });
      expect(stored.status).toBe(200);
      expect(stored.body.settings.invoiceMapping).toMatchObject({ invoiceNumberPrefix: 'CW-', status: 'DRAFT', taxMap: { GST: 'OUTPUT' }, accountMap: { '4990': '200' } });

      // A non-admin sees the saved values but cannot change them.
      const other = await openSettings(page, 'tech');
      const ro = other.getByTestId('invoice-mapping-card');
      expect(await ro.getByTestId('im-invoiceNumberPrefix').inputValue()).toBe('CW-');
      expect(await ro.getByTestId('im-invoiceNumberPrefix').isDisabled()).toBe(true);
      expect(await ro.getByTestId('im-status').isDisabled()).toBe(true);
      expect(await ro.getByTestId('save-invoice-mapping').count()).toBe(0);
    } finally {
      // Put the defaults back for anything that runs after.
      const admin = await signIn(stack, 'admin');
      await http(`${stack.server.url}/api/settings`, { method: 'PUT', token: admin, json: { invoiceMapping: {} } });
      await page.close();
    }
  });
});

// Last: it breaks the Xero connection for good.
describe('a Xero connection that needs reconnecting', () => {
  it('the invoice dialog shows the reconnect banner and offers no push', async () => {
    // Revoke the grant at Xero and let the stored access token run out: the next use is refused for good.
    const deps = stack.server.deps;
    const row = await deps.db.k.selectFrom('xero_connections').selectAll().executeTakeFirstOrThrow();
    const { openTokenSet } = await import('../../server/xero/token-set.js');
    const ts = await openTokenSet(deps.keys.secretsKey, row.id, row.token_set_jwe);
    const cfg = deps.config.xero;
    const revoked = await fetch(`${stack.xero!.url}/connect/revocation`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${cfg.clientId}:${cfg.clientSecret}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: ts.refreshToken }).toString(),
    });
    expect(revoked.status).toBe(200);
    await deps.db.k.updateTable('xero_connections').set({ access_expires_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', row.id).execute();

    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    try {
      const pod = await openInvoiceDialog(page, 1001);
      const banner = pod.getByTestId('reconnect-banner');
      await banner.waitFor({ timeout: 30_000 });
      expect(await banner.textContent()).toMatch(/Xero needs reconnecting/);
      // Whatever the sync view says, it says it in words and offers no push.
      await expect.poll(async () => (await pod.getByTestId('sync-problems').count()) + (await pod.getByTestId('sync-error').count()), { timeout: 30_000 }).toBeGreaterThan(0);
      const said = (await pod.getByTestId('sync-problems').allTextContents()).join(' ') + (await pod.getByTestId('sync-error').allTextContents()).join(' ');
      expect(said).toMatch(/reconnect/i);
      expect(await pod.getByTestId('push-button').count()).toBe(0);
      await page.screenshot({ path: '/tmp/pod-invoice-reconnect.png' });
    } finally {
      await page.close();
    }
  });
});
