// The simulator's invoice screen in Chromium, hosting a tiny child page served
// on another port that speaks the child side of the Hosted API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startSim, type Sim } from './helpers.js';

const CHILD_HTML = `<!doctype html><html><body><p id="who">child</p><script>
const q = new URLSearchParams(location.search);
const cw = q.get('cw');
const st = window.child = { raw: [], received: [], frameId: null, loads: [], auth: null, done: false, pendingLoad: null };
function send(m) { if (st.frameId) m.frameID = st.frameId; parent.postMessage(JSON.stringify(m), cw); }
st.send = send;
addEventListener('message', (ev) => {
  st.raw.push({ origin: ev.origin, data: ev.data });
  if (ev.origin !== cw) return;
  const m = JSON.parse(ev.data);
  st.received.push(m);
  if (m.MessageFrameID) { st.frameId = m.MessageFrameID; return; }
  if (m.event === 'onLoad') {
    st.loads.push(m);
    if (!st.auth) { st.pendingLoad = m; send({ hosted_request: 'getMemberAuthentication' }); }
    else send({ event: 'onLoad', _id: m._id, result: 'success' });
    return;
  }
  if (m.response === 'getmemberauthentication') {
    st.auth = m.data;
    send({ event: 'onLoad', _id: st.pendingLoad._id, result: 'success' });
    st.done = true;
    return;
  }
  if (m.event === 'beforeSave') {
    if (q.get('refuse')) send({ event: 'beforeSave', _id: m._id, result: 'failure', errors: ['Invoice is not in Xero yet'] });
    else send({ event: 'beforeSave', _id: m._id, result: 'success' });
    return;
  }
  if (m.event) send({ event: m.event, _id: m._id, result: 'success' });
});
send({ message: 'ready' });
</script></body></html>`;

let sim: Sim;
let childServer: Server;
let childPort: number;
let childOrigin: string;
let browser: Browser;
let page: Page;

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function frameBy(as: string): Frame {
  const f = page.frames().find((fr) => fr.url().includes(`as=${as}`));
  if (!f) throw new Error(`no ${as} frame among ${page.frames().map((x) => x.url()).join(', ')}`);
  return f;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const child = (f: Frame) => f.evaluate(() => (window as Any).child as { received: Any[]; raw: Any[]; loads: Any[]; auth: Any; done: boolean; frameId: string | null });
const cwSim = () => page.evaluate(() => { const s = (window as Any).cwSim; return { log: s.log, ignored: s.ignored, acks: s.acks, dirty: s.dirty, opened: s.opened, frames: s.frames() }; }) as Promise<{ log: Any[]; ignored: Any[]; acks: Any[]; dirty: boolean; opened: Any[]; frames: string[] }>;

beforeAll(async () => {
  sim = await startSim();
  childServer = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(CHILD_HTML);
  });
  await new Promise<void>((r) => childServer.listen(0, '127.0.0.1', () => r()));
  childPort = (childServer.address() as AddressInfo).port;
  childOrigin = `http://127.0.0.1:${childPort}`;
  const url = (as: string, extra = '') => `${childOrigin}/child.html?as=${as}&cw=${encodeURIComponent(sim.url)}&id=[cw_id]&screen=[cw_screen]${extra}`;
  const mk = async (body: Record<string, unknown>) => expect((await sim.post('/system/connectwisehostedsetups', { screenId: 7, origin: childOrigin, ...body })).status).toBe(201);
  await mk({ description: 'Sync to Xero', type: 'ToolbarButton', url: url('dialog'), toolbarButtonText: 'Sync to Xero', toolbarButtonDialogWidth: 700, toolbarButtonDialogHeight: 500 });
  await mk({ description: 'Xero status', type: 'Pod', url: url('pod', '&refuse=1'), podHeight: 180 });
  await mk({ description: 'Xero history', type: 'Tab', url: url('tab') });
  await mk({ description: 'Disabled one', type: 'Pod', url: url('disabled'), disabledFlag: true });
  await mk({ description: 'Elsewhere', type: 'Pod', url: url('batchpod'), screenId: 10 });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  page = await browser.newPage();
  await page.goto(`${sim.url}/invoice/1001?member=accountant`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => childServer.close(() => r()));
  await sim.close();
});

describe('invoice host page', () => {
  it('renders the invoice and only this screen’s enabled setups', async () => {
    expect(await page.locator('h1').textContent()).toBe('Invoice INV-1001');
    expect(await page.getByTestId('invoice-total').textContent()).toBe('AUD 1,047.75');
    expect(await page.locator('.who').textContent()).toContain('Ana Accountant');
    expect(await page.locator('.tb.hosted').allTextContents()).toEqual(['Sync to Xero']);
    expect(await page.locator('.tab').allTextContents()).toEqual(['Invoice', 'Xero history']);
    expect(await page.locator('.pod h3').allTextContents()).toEqual(['Xero status']);
    expect(page.frames().some((f) => f.url().includes('as=disabled') || f.url().includes('as=batchpod'))).toBe(false);
  });

  it('the pod gets a frame id and onLoad as a pod, and its ack is recorded', async () => {
    const pod = frameBy('pod');
    const st = await waitFor(() => child(pod), (s) => s.done, 'pod handshake');
    expect(st.frameId).toMatch(/^cwsim-/);
    expect(st.loads[0]).toMatchObject({ event: 'onLoad', data: { screen: 'invoice', id: 1001, hostedAs: 'pod' } });
    expect(await page.locator('.pod iframe').evaluate((el) => (el as HTMLIFrameElement).getBoundingClientRect().height)).toBe(180);
  });

  it('a tab loads its frame when clicked, as a tab', async () => {
    await page.getByRole('button', { name: 'Xero history' }).click();
    // The tab's frame is created after the click: wait for it to exist, then for its handshake.
    await waitFor(async () => page.frames().some((fr) => fr.url().includes('as=tab')), (v) => v, 'the tab frame');
    const st = await waitFor(() => child(frameBy('tab')), (v) => v.done, 'tab handshake');
    expect(st.loads[0].data).toEqual({ screen: 'invoice', id: 1001, hostedAs: 'tab' });
  });

  it('“Sync to Xero” opens a dialog; ready → MessageFrameID → onLoad → getMemberAuthentication → ack', async () => {
    await page.getByRole('button', { name: 'Sync to Xero' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sync to Xero' });
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect([box.width, box.height]).toEqual([700, 500]);
    const frame = frameBy('dialog');
    expect(frame.url()).toContain('id=1001&screen=invoice');
    const st = await waitFor(() => child(frame), (s) => s.done, 'dialog handshake');
    // The first thing the parent says is the frame id, then onLoad.
    expect(st.received[0]).toEqual({ MessageFrameID: st.frameId });
    expect(st.received[1]).toMatchObject({ event: 'onLoad', _id: expect.any(Number), data: { screen: 'invoice', id: 1001, hostedAs: 'tab' } });
    expect(st.auth).toMatchObject({ companyid: 'democo', memberid: 'accountant', memberEmail: 'accountant@democo.example', site: new URL(sim.url).host, memberHash: expect.any(String) });

    const s = await waitFor(cwSim, (v) => v.acks.some((a) => a._id === st.loads[0]._id), 'onLoad ack');
    expect(s.acks.find((a) => a._id === st.loads[0]._id)).toEqual({ event: 'onLoad', _id: st.loads[0]._id, result: 'success' });
    // Everything the parent posted went to the setup's origin, as JSON of the protocol.
    expect(s.log.filter((l) => l.dir === 'out').every((l) => l.origin === childOrigin)).toBe(true);
    expect(s.log).toContainEqual({ dir: 'in', origin: childOrigin, data: { hosted_request: 'getMemberAuthentication', frameID: st.frameId } });

    // The memberHash handed to the child is a real, member-bound credential.
    const ok = await sim.get('/system/members?conditions=identifier="accountant"', { authorization: basic('democo+accountant', st.auth.memberHash) });
    expect(ok.status).toBe(200);
    const other = await sim.get('/system/members', { authorization: basic('democo+admin', st.auth.memberHash) });
    expect(other.status).toBe(401);
  });

  it('setDirty shows the unsaved marker; refreshScreen re-sends onLoad with a new _id', async () => {
    const frame = frameBy('dialog');
    await frame.evaluate(() => (window as Any).child.send({ hosted_request: 'setDirty', args: { dirty: true } }));
    await waitFor(cwSim, (v) => v.dirty, 'dirty flag');
    expect(await page.locator('#cw-dirty').isVisible()).toBe(true);

    const before = (await child(frame)).loads.length;
    const s = await cwSim();
    const idx = s.frames.findIndex((src) => src.includes('as=dialog'));
    await page.evaluate((i) => (window as Any).cwSim.refreshScreen(i), idx);
    const st = await waitFor(() => child(frame), (v) => v.loads.length === before + 1, 'second onLoad');
    const [first, last] = [st.loads[0], st.loads[st.loads.length - 1]];
    expect(last._id).not.toBe(first._id);
    await waitFor(cwSim, (v) => v.acks.some((a) => a._id === last._id && a.result === 'success'), 'ack of the refreshed onLoad');

    // A refreshScreen request from the child does the same.
    await frame.evaluate(() => (window as Any).child.send({ hosted_request: 'refreshScreen' }));
    await waitFor(() => child(frame), (v) => v.loads.length === before + 2, 'onLoad after a refreshScreen request');
  });

  it('Save sends beforeSave to pods; a failure blocks it and shows the errors', async () => {
    const result = await page.evaluate(() => (window as Any).cwSim.save());
    expect(result).toEqual({ ok: false, errors: ['Invoice is not in Xero yet'] });
    expect(await page.locator('#cw-errors').textContent()).toContain('Invoice is not in Xero yet');
    expect((await cwSim()).dirty).toBe(true);
    // The dialog frame is not a pod: it never sees beforeSave.
    expect((await child(frameBy('dialog'))).received.some((m) => m.event === 'beforeSave')).toBe(false);
  });

  it('ignores messages from a foreign origin and from windows that are not its frames, and never posts to them', async () => {
    const ignoredBefore = (await cwSim()).ignored.length;
    const outBefore = (await cwSim()).log.filter((l) => l.dir === 'out').length;
    // The dialog's frame navigates to another origin (same server, other host name).
    const frame = frameBy('dialog');
    const foreignUrl = frame.url().replace(`127.0.0.1:${childPort}`, `localhost:${childPort}`);
    await frame.goto(foreignUrl);
    const foreign = page.frames().find((f) => f.url().startsWith(`http://localhost:${childPort}`))!;
    const s = await waitFor(cwSim, (v) => v.ignored.length > ignoredBefore, 'the foreign ready to be ignored');
    expect(s.ignored[ignoredBefore]).toMatchObject({ origin: `http://localhost:${childPort}`, reason: expect.stringMatching(/origin/) });
    expect(s.log.filter((l) => l.dir === 'out').length).toBe(outBefore);
    // A refresh aimed at that frame is posted to the registered origin only, so the foreign page hears nothing.
    const idx = s.frames.findIndex((src) => src.includes('as=dialog'));
    await page.evaluate((i) => (window as Any).cwSim.refreshScreen(i), idx);
    await new Promise((r) => setTimeout(r, 300));
    expect((await child(foreign)).raw).toEqual([]);

    // A message from the page itself (not one of its frames) is ignored too.
    await page.evaluate(() => window.postMessage(JSON.stringify({ message: 'ready' }), '*'));
    const s2 = await waitFor(cwSim, (v) => v.ignored.length > ignoredBefore + 1, 'the non-frame message');
    expect(s2.ignored[s2.ignored.length - 1].reason).toMatch(/not from one of/);
  });

  it('openScreen navigates to the other screen, as the same member', async () => {
    const pod = frameBy('pod');
    await Promise.all([page.waitForURL(/\/accountingbatch\/3\?member=accountant$/), pod.evaluate(() => (window as Any).child.send({ hosted_request: 'openScreen', args: { newTab: false, screen: 'accountingbatch', id: 3 } }))]);
    expect(await page.locator('h1').textContent()).toBe('Accounting batch #3');
  });

  it('unknown screens, records and members get a clear page', async () => {
    expect((await fetch(`${sim.url}/invoice/424242`)).status).toBe(404);
    expect((await fetch(`${sim.url}/spaceship/1`)).status).toBe(404);
    const badMember = await fetch(`${sim.url}/invoice/1001?member=ghost`);
    expect(badMember.status).toBe(400);
    expect(await badMember.text()).toContain('no member');
  });
});
