// The consent page is operable in a real browser by its stable ids and labels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { DEFAULT_CLIENT_ID, HARBOUR_TENANT_ID, pkcePair, startXeroSim, tokenRequest, type Sim } from './helpers.js';

let sim: Sim;
let browser: Browser;

beforeAll(async () => {
  sim = await startXeroSim({ port: 0 });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await sim?.close();
});

describe('consent page in Chromium', () => {
  it('signs in, picks one organisation by its label, allows, and the code redeems', async () => {
    const redirect = `${sim.url}/healthz`; // any http(s) redirect URI is accepted when none are registered
    const { verifier, challenge } = pkcePair();
    const q = new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, redirect_uri: redirect, response_type: 'code', scope: 'openid offline_access accounting.transactions', state: 'browser-state', code_challenge: challenge, code_challenge_method: 'S256' });
    const page = await browser.newPage();
    await page.goto(`${sim.url}/identity/connect/authorize?${q}`);
    expect(await page.inputValue('#email')).toBe('demo@harbourit.example');
    await page.fill('#password', 'wrong');
    await page.click('#sign-in');
    expect(await page.textContent('#error')).toContain('incorrect');
    await page.fill('#password', 'demo');
    await page.click('#sign-in');
    await page.getByLabel('Harbour IT Pty Ltd').check();
    await page.click('#allow');
    await page.waitForURL((u) => u.pathname === '/healthz');
    const back = new URL(page.url());
    expect(back.searchParams.get('state')).toBe('browser-state');
    const res = await tokenRequest(sim.url, { grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: redirect, code_verifier: verifier });
    const t = await res.json();
    const conns = await (await fetch(`${sim.url}/connections`, { headers: { authorization: `Bearer ${t.access_token}` } })).json();
    expect(conns.map((c: { tenantId: string }) => c.tenantId)).toEqual([HARBOUR_TENANT_ID]);
    await page.close();
  });

  it('Allow with no organisation ticked asks again; Cancel returns access_denied', async () => {
    const redirect = `${sim.url}/healthz`;
    const q = new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, redirect_uri: redirect, response_type: 'code', scope: 'openid', state: 's2' });
    const page = await browser.newPage();
    await page.goto(`${sim.url}/identity/connect/authorize?${q}`);
    await page.click('#sign-in');
    await page.click('#allow');
    expect(await page.textContent('#error')).toContain('Select at least one organisation');
    await page.click('#cancel');
    await page.waitForURL((u) => u.pathname === '/healthz');
    const back = new URL(page.url());
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('s2');
    await page.close();
  });
});
