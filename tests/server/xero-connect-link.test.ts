// The Xero connect link is bound to the admin's own browser session (issue 14):
// the settings pod posts the link's start proof into its popup from our
// origin; the link opened by itself (in another browser, or sent to someone),
// posted from another site, or with another proof starts nothing and sets no
// binding cookie. The pod's own way still connects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../support/stack.js';
import { signIn } from '../support/connect-xero.js';
import { callback, connectUrl, consent, startSignIn } from '../../scripts/xero-consent-driver.js';

let stack: TestStack;
let admin: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await signIn(stack, 'admin');
});
afterAll(async () => {
  await stack?.close();
});

/** The popup link as the pod holds it, split into the URL and its start proof. */
async function freshLink() {
  const link = await connectUrl(stack.server.url, admin);
  const [url = '', fragment = ''] = link.split('#');
  return { link, url, proof: new URLSearchParams(fragment).get('startProof') ?? '' };
}

const post = (url: string, headers: Record<string, string>, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, redirect: 'manual' });

describe('the connect link', () => {
  it('opened by itself (another browser) starts nothing, sets no cookie, says why', async () => {
    const { link, url } = await freshLink();
    expect(url).not.toContain('startProof');
    const opened = await fetch(url, { redirect: 'manual' });
    expect(opened.status).toBe(400);
    expect(opened.headers.get('set-cookie')).toBeNull();
    expect(opened.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(await opened.text()).toMatch(/works only in the window the CW–Xero Sync settings screen opens/);
    // Nothing was burnt: the admin's own popup still starts it.
    const own = await startSignIn(link);
    expect(own.status).toBe(303);
    expect(own.headers.get('set-cookie')).toMatch(/^cwxs_xero_oauth=/);
  });

  it('posted from another site (a page trying to start it in a victim’s browser) is refused', async () => {
    const { url, proof } = await freshLink();
    for (const origin of ['https://evil.example', 'null', stack.cw.url]) {
      const r = await post(url, { origin }, new URLSearchParams({ startProof: proof }).toString());
      expect(r.status, origin).toBe(403);
      expect(r.headers.get('set-cookie')).toBeNull();
      expect(await r.text()).toMatch(/not started from the CW–Xero Sync settings screen/);
    }
    const noOrigin = await post(url, {}, new URLSearchParams({ startProof: proof }).toString());
    expect(noOrigin.status).toBe(403);
    // What a browser says of a form on another page: Sec-Fetch-Site, which no page can forge (ConnectWise's own pages are "same-site").
    for (const site of ['cross-site', 'same-site', 'none']) {
      const r = await post(url, { 'sec-fetch-site': site, origin: new URL(stack.server.url).origin }, new URLSearchParams({ startProof: proof }).toString());
      expect(r.status, site).toBe(403);
    }
  });

  it('posted by our own page in a browser (Sec-Fetch-Site: same-origin, Origin "null" under the pod’s no-referrer policy) starts', async () => {
    const { url, proof } = await freshLink();
    const r = await post(url, { 'sec-fetch-site': 'same-origin', origin: 'null' }, new URLSearchParams({ startProof: proof }).toString());
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toMatch(/\/identity\/connect\/authorize\?/);
    expect(r.headers.get('set-cookie')).toMatch(/^cwxs_xero_oauth=.*HttpOnly/i);
  });

  it('posted without its start proof, or with the proof of another link, is refused', async () => {
    const a = await freshLink();
    const b = await freshLink();
    const origin = new URL(stack.server.url).origin;
    for (const body of ['', 'startProof=', `startProof=${encodeURIComponent(b.proof)}`, `startProof=${'x'.repeat(43)}`]) {
      const r = await post(a.url, { origin }, body);
      expect(r.status, body).toBe(400);
      expect(r.headers.get('set-cookie')).toBeNull();
      expect(await r.text()).toMatch(/not started by the settings screen that asked for it/);
    }
  });

  it('a dead state is named as such, opened or posted', async () => {
    const dead = `${stack.server.url}/oauth/xero/start?state=${'y'.repeat(43)}`;
    const opened = await fetch(dead);
    expect(opened.status).toBe(400);
    expect(await opened.text()).toMatch(/unknown state/);
  });

  it('the pod’s own way connects, once', async () => {
    const c = await consent(await connectUrl(stack.server.url, admin));
    const { result } = await callback(c.callbackUrl, c.cookie);
    expect(result).toMatchObject({ ok: true, code: 'connected' });
    const replay = await callback(c.callbackUrl, c.cookie);
    expect(replay.result.ok).toBe(false);
  });
});
