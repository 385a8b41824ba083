// The settings pod in Chromium, inside the simulated ConnectWise: an admin
// connects Xero through the popup and the simulator's consent page (both
// organisations), maps two billing locations to two organisations, reloads and
// sees them; the popup closed early is said in words; a non-admin sees it all read-only;
// disconnecting says what it does, keeps the mapping shown "not connected", and
// connecting again restores it. The Expenses card: an admin links a member's
// company card to a Xero credit-card account (Wise-Pay) and saves; a non-admin
// sees it read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { ensurePodBuilt, startStack, type TestStack } from '../support/stack.js';
import { EXPENSE_SECTION, SETTINGS_CARD, SETTINGS_POD_TITLE } from '../../shared/settings-sections.js';
import { WHERE_EXPENSE } from '../../server/domain/expense-items.js';


describe('settings pod (Chromium)', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    await ensurePodBuilt(); // npm test built dist/pod; this builds it only when missing
    stack = await startStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const batchUrl = (member: string) => `${stack.cw.url}/accountingbatch/1?member=${member}`;
  const settingsFrame = (page: Page): FrameLocator => page.frameLocator('iframe[src*="/pod/settings.html"]');

  it('admin: a popup closed before signing in is said in words; then connect both organisations, map two locations, reload and see them', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(batchUrl('admin'));
    const pod = settingsFrame(page);
    const connect = pod.getByTestId('connect-xero');
    await connect.waitFor({ timeout: 20_000 });

    // Closed early: nothing connected, and the pod says so.
    const [early] = await Promise.all([context.waitForEvent('page'), connect.click()]);
    await early.waitForURL(/identity\/connect\/authorize/);
    await early.close();
    await expect.poll(() => pod.getByTestId('connect-message').textContent(), { timeout: 10_000 }).toMatch(/closed before the sign-in finished/);

    // The real thing.
    const [popup] = await Promise.all([context.waitForEvent('page'), connect.click()]);
    await popup.waitForURL(/identity\/connect\/authorize/);
    await popup.click('#sign-in');
    const boxes = popup.locator('input[name="tenant"]');
    await boxes.first().waitFor();
    expect(await boxes.count()).toBe(2);
    for (let i = 0; i < 2; i++) await boxes.nth(i).check();
    const closed = popup.waitForEvent('close', { timeout: 15_000 });
    await popup.click('#allow');
    await closed; // the popup reported over penpal and closed itself
    await expect.poll(() => pod.getByTestId('connect-message').textContent(), { timeout: 10_000 }).toMatch(/Connected to Xero: .+, .+\./);
    await expect.poll(() => pod.getByTestId('connection').count()).toBe(1);

    // Map Sydney (1) and Auckland (2) to the two organisations.
    const sel1 = pod.getByTestId('location-select-1');
    const sel2 = pod.getByTestId('location-select-2');
    const options = await sel1.locator('option').evaluateAll((els) => els.map((e) => ({ value: (e as HTMLOptionElement).value, label: e.textContent ?? '' })).filter((o) => o.value));
    expect(options).toHaveLength(2);
    await sel1.selectOption(options[0]!.value);
    await sel2.selectOption(options[1]!.value);
    await pod.getByTestId('save-location-map').click();
    await expect.poll(() => pod.getByTestId('location-map-message').textContent()).toMatch(/Saved/);

    await page.reload();
    const again = settingsFrame(page);
    await again.getByTestId('location-select-1').waitFor({ timeout: 20_000 });
    await expect.poll(() => again.getByTestId('location-select-1').inputValue()).toBe(options[0]!.value);
    expect(await again.getByTestId('location-select-2').inputValue()).toBe(options[1]!.value);
    expect(await again.getByTestId('location-row-1').textContent()).toContain('Connected');
    // The pod is a fixed-height frame: scroll it so the connection and the mapping are both in the picture.
    await again.getByTestId('connection').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/pod-settings.png', fullPage: true });
    await context.close();
  });

  it('a connection Xero refuses for good shows the needs-reconnect banner in words', async () => {
    // Revoke the grant at Xero and let the stored access token run out; opening the pod renews → refused.
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

    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(batchUrl('accountant'));
    const banner = settingsFrame(page).getByTestId('reconnect-banner');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toMatch(/Xero needs reconnecting for .+An admin must click "Reconnect"/);
    expect(await settingsFrame(page).getByTestId('location-row-1').textContent()).toContain('Needs reconnect');
    await page.screenshot({ path: '/tmp/pod-settings-reconnect.png', fullPage: true });
    await context.close();
  });

  it('non-admin (accountant): read-only, with a sentence saying who can change it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(batchUrl('accountant'));
    const pod = settingsFrame(page);
    const note = pod.getByTestId('readonly-note');
    await note.waitFor({ timeout: 20_000 });
    expect(await note.textContent()).toMatch(/can see these settings but not change them\. Only members with the ConnectWise security role "Admin" can change these settings\./);
    expect(await pod.getByTestId('connect-xero').count()).toBe(0);
    expect(await pod.getByTestId('save-location-map').count()).toBe(0);
    expect(await pod.getByTestId('location-select-1').isDisabled()).toBe(true);
    // Sees the admin's mapping (same tenant) without being able to change it.
    expect(await pod.getByTestId('location-select-1').inputValue()).not.toBe('');
    expect(await pod.getByTestId('admin-roles').isDisabled()).toBe(true);
    expect(await pod.getByTestId('payment-interval').isDisabled()).toBe(true);
    expect(await pod.getByTestId('save-payment-interval').count()).toBe(0);
    await note.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/pod-settings-readonly.png', fullPage: true });
    await context.close();
  });

  it('admin: the payment sync interval is saved, read back after a reload, and a value below 5 minutes is refused next to the field', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(batchUrl('admin'));
    const pod = settingsFrame(page);
    const field = pod.getByTestId('payment-interval');
    await field.waitFor({ timeout: 20_000 });
    expect(await field.inputValue()).toBe('15');

    await field.fill('2');
    await pod.getByTestId('save-payment-interval').click();
    await expect.poll(() => pod.locator('.field-error').allTextContents()).toContainEqual(expect.stringMatching(/paymentSyncIntervalMinutes: at least 5 minutes/));

    await field.fill('30');
    await pod.getByTestId('save-payment-interval').click();
    await expect.poll(() => pod.getByText('Saved.').count()).toBeGreaterThan(0);
    await page.reload();
    const again = settingsFrame(page).getByTestId('payment-interval');
    await again.waitFor({ timeout: 20_000 });
    await expect.poll(() => again.inputValue()).toBe('30');
    await context.close();
  });
  it('admin: disconnect says what it does; the mapping stays, shown "not connected"; connecting again restores it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(batchUrl('admin'));
    const pod = settingsFrame(page);
    await pod.getByTestId('disconnect-xero').waitFor({ timeout: 20_000 });
    expect(await pod.getByRole('heading', { name: SETTINGS_CARD.locations }).count()).toBe(1);
    const mapped = await pod.getByTestId('location-select-1').inputValue();
    expect(mapped).not.toBe('');

    const confirmations: string[] = [];
    page.on('dialog', (d) => {
      confirmations.push(d.message());
      void d.accept();
    });
    await pod.getByTestId('disconnect-xero').click();
    await expect.poll(() => pod.getByTestId('connect-message').textContent(), { timeout: 10_000 }).toMatch(/disconnected\. The location mapping is kept/);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]).toMatch(/^Disconnect .+ from CW–Xero Sync\?/);
    expect(confirmations[0]).toMatch(/Syncing stops for the billing locations that book into them \(.+\)/);
    expect(confirmations[0]).toMatch(/The location mapping is kept .*connecting again restores it\./);
    expect(confirmations[0]).toMatch(/Nothing in Xero is changed/);

    // Still mapped, to the same organisation, shown as not connected and saying what that means.
    await expect.poll(() => pod.getByTestId('location-row-1').textContent()).toContain('Not connected');
    expect(await pod.getByTestId('location-select-1').inputValue()).toBe(mapped);
    expect(await pod.getByTestId('location-select-1').locator('option:checked').textContent()).toMatch(/\(not connected\)$/);
    expect(await pod.getByTestId('location-state-1').textContent()).toMatch(/is not connected: nothing from this location is sent to Xero until it is connected again/);
    await pod.getByTestId('location-state-1').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/pod-settings-not-connected.png', fullPage: true });

    // Connect again: the kept mapping books again.
    const [popup] = await Promise.all([context.waitForEvent('page'), pod.getByTestId('connect-xero').click()]);
    await popup.waitForURL(/identity\/connect\/authorize/);
    await popup.click('#sign-in');
    const boxes = popup.locator('input[name="tenant"]');
    await boxes.first().waitFor();
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
    const closed = popup.waitForEvent('close', { timeout: 15_000 });
    await popup.click('#allow');
    await closed;
    await expect.poll(() => pod.getByTestId('location-row-1').textContent(), { timeout: 10_000 }).toContain('Connected');
    expect(await pod.getByTestId('location-row-1').textContent()).not.toContain('Not connected');
    expect(await pod.getByTestId('location-select-1').inputValue()).toBe(mapped);
    expect(await pod.getByTestId('location-state-1').count()).toBe(0);
    await context.close();
  });

  // The settings pod's real size: the host page's pod column (380 px) at the installed podHeight.
  const podShot = async (page: Page, path: string) => page.locator('iframe[src*="/pod/settings.html"]').screenshot({ path });

  it('admin: the Expenses card links a member’s company card to a Xero credit-card account (Wise-Pay), refuses a half-filled row, saves and reads it back', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(batchUrl('admin'));
    const pod = settingsFrame(page);
    const card = pod.getByTestId('expenses-card');
    await card.waitFor({ timeout: 20_000 });
    // The card and its sections carry the words the server's "where to fix it" names.
    const title = await card.getByRole('heading', { level: 2 }).textContent();
    const wiseTitle = await card.getByRole('heading', { name: EXPENSE_SECTION.wisePay }).textContent();
    const taxTitle = await card.getByRole('heading', { name: EXPENSE_SECTION.taxTypes }).textContent();
    expect(`${SETTINGS_POD_TITLE} › ${title} › ${wiseTitle}`).toBe(WHERE_EXPENSE.settingsWisePay);
    expect(`${SETTINGS_POD_TITLE} › ${title} › ${taxTitle}`).toBe(WHERE_EXPENSE.settingsExpenseTax);

    expect(await pod.getByTestId('ex-wisePay').isChecked()).toBe(false);
    await pod.getByTestId('ex-wisePay').check();
    await pod.getByTestId('ex-enhancedExpenses').check();
    await pod.getByTestId('ex-weekStart').selectOption('Sunday');
    await pod.getByTestId('wp-add').click();
    // The only company-paid payment type is chosen for a new row.
    expect(await pod.getByTestId('wp-paymentType-0').inputValue()).toBe('2');
    await pod.getByTestId('wp-member-0').selectOption('tech');
    // Only bank and credit-card accounts are offered.
    const account = pod.getByTestId('wp-account-0');
    await expect.poll(() => account.locator('option').count(), { timeout: 10_000 }).toBeGreaterThan(1);
    const offered = await account.locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value).filter(Boolean));
    expect(offered).toEqual(['090', '091', '092']);
    await account.selectOption('091');
    expect(await account.locator('option:checked').textContent()).toBe('091 · Company Visa (credit card)');

    // A row left half-filled is refused before anything is sent, and said under the table.
    await pod.getByTestId('wp-add').click();
    await pod.getByTestId('save-expenses').click();
    await expect.poll(() => pod.getByTestId('error-wisePayAccounts').textContent()).toMatch(/^Row 2: choose the member, the payment type and the account, or remove the row\.$/);
    await pod.getByRole('button', { name: 'Remove row 2' }).click();

    await pod.getByTestId('save-expenses').click();
    await expect.poll(() => pod.getByTestId('expenses-saved').count(), { timeout: 10_000 }).toBe(1);
    expect(await pod.getByTestId('error-wisePayAccounts').count()).toBe(0);
    await pod.getByTestId('wise-pay-table').scrollIntoViewIfNeeded();
    await podShot(page, '/tmp/pod-settings-expenses-admin.png');

    await page.reload();
    const again = settingsFrame(page);
    await again.getByTestId('wp-account-0').waitFor({ timeout: 20_000 });
    expect(await again.getByTestId('wise-pay-row').count()).toBe(1);
    expect(await again.getByTestId('wp-member-0').inputValue()).toBe('tech');
    expect(await again.getByTestId('wp-paymentType-0').inputValue()).toBe('2');
    await expect.poll(() => again.getByTestId('wp-account-0').inputValue()).toBe('091');
    expect(await again.getByTestId('ex-wisePay').isChecked()).toBe(true);
    expect(await again.getByTestId('ex-weekStart').inputValue()).toBe('Sunday');
    await context.close();
  });

  it('non-admin (accountant): the Expenses card and its Wise-Pay link are read-only', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(batchUrl('accountant'));
    const pod = settingsFrame(page);
    const account = pod.getByTestId('wp-account-0');
    await account.waitFor({ timeout: 20_000 });
    await expect.poll(() => account.locator('option:checked').textContent(), { timeout: 10_000 }).toBe('091 · Company Visa (credit card)');
    expect(await pod.getByTestId('wp-member-0').locator('option:checked').textContent()).toBe('Tom Technician');
    expect(await pod.getByTestId('wp-paymentType-0').locator('option:checked').textContent()).toBe('Company Visa');
    for (const id of ['wp-member-0', 'wp-paymentType-0', 'wp-account-0', 'ex-wisePay', 'ex-billStatus', 'ex-weekStart', 'ex-dueDays']) {
      expect(await pod.getByTestId(id).isDisabled(), id).toBe(true);
    }
    expect(await pod.getByTestId('save-expenses').count()).toBe(0);
    expect(await pod.getByTestId('wp-add').count()).toBe(0);
    expect(await pod.getByRole('button', { name: 'Remove row 1' }).count()).toBe(0);
    await pod.getByTestId('expenses-card').getByRole('heading', { level: 2 }).scrollIntoViewIfNeeded();
    await podShot(page, '/tmp/pod-settings-expenses-readonly-top.png');
    await pod.getByTestId('wise-pay-table').scrollIntoViewIfNeeded();
    await podShot(page, '/tmp/pod-settings-expenses-readonly.png');
    await context.close();
  });
});
