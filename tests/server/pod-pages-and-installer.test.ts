// Pod pages (their Content-Security-Policy, injected pod-config, unknown
// tenant in words, each error page with frame-ancestors too, cached assets) and the hosted-setup installer's idempotency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, http, type TestStack } from '../support/stack.js';
import { cwClientForTenant } from '../../server/cw/tenant-client.js';
import { installHostedSetups, HOSTED_SETUPS } from '../../server/cw/installer.js';
import { registerTenant } from '../../server/tenants.js';

let stack: TestStack;
let distDir: string;

beforeAll(async () => {
  // A stand-in build, so these tests do not depend on Vite.
  distDir = mkdtempSync(join(tmpdir(), 'cwx-dist-'));
  mkdirSync(join(distDir, 'pod/assets'), { recursive: true });
  writeFileSync(join(distDir, 'pod/invoice.html'), '<!doctype html><html><head><title>t</title></head><body><div id="app"></div></body></html>');
  writeFileSync(join(distDir, 'pod/assets/invoice-abc123.js'), 'console.log(1)');
  stack = await startStack({ distDir });
});
afterAll(async () => {
  await stack?.close();
  rmSync(distDir, { recursive: true, force: true });
});

describe('pod pages', () => {
  it('serves a pod page framed only by the tenant’s ConnectWise origin, with the pod-config injected', async () => {
    const r = await fetch(`${stack.server.url}/pod/invoice.html?tenant=DemoCo&id=1001&screen=invoice`);
    expect(r.status).toBe(200);
    const policy = Object.fromEntries(
      (r.headers.get('content-security-policy') ?? '').split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(policy['frame-ancestors']).toBe(stack.cw.url);
    expect(policy['default-src']).toBe("'self'");
    expect(policy['script-src']).toBe("'self'");
    expect(policy['object-src']).toBe("'none'");
    expect(r.headers.get('content-security-policy')).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await r.text();
    const m = /<script id="pod-config" type="application\/json">(.*?)<\/script>/.exec(html);
    expect(JSON.parse(m![1]!)).toEqual({ tenant: 'democo', cwOrigin: stack.cw.url, apiBase: stack.server.url });
    expect(html.indexOf('pod-config')).toBeLessThan(html.indexOf('</head>'));
  });

  it('answers an unknown tenant, a missing tenant and an unknown page in words', async () => {
    const unknown = await fetch(`${stack.server.url}/pod/invoice.html?tenant=nosuchco`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/text\/html/);
    expect(await unknown.text()).toMatch(/&#34;nosuchco&#34; is not registered|"nosuchco" is not registered/);
    const missing = await fetch(`${stack.server.url}/pod/invoice.html`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/must be opened from ConnectWise/);
    const page = await fetch(`${stack.server.url}/pod/nothing.html?tenant=democo`);
    expect(page.status).toBe(404);
    expect(await page.text()).toMatch(/no CW–Xero Sync page/);
    const notBuilt = await fetch(`${stack.server.url}/pod/batch.html?tenant=democo`);
    expect(notBuilt.status).toBe(503);
    // Every error page says who may frame it: the tenant's ConnectWise when the tenant is known, else no one; none runs a script.
    for (const res of [unknown, missing, page]) {
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    }
    expect(notBuilt.headers.get('content-security-policy')).toMatch(new RegExp(`frame-ancestors ${stack.cw.url}$`));
  });

  it('serves hashed assets with long caching, and a landing page at /', async () => {
    const a = await fetch(`${stack.server.url}/pod/assets/invoice-abc123.js`);
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toMatch(/max-age=31536000/);
    expect(await a.text()).toBe('console.log(1)');
    const traversal = await fetch(`${stack.server.url}/pod/assets/..%2f..%2fpod/invoice.html`);
    expect(traversal.status).toBe(404);
    const home = await fetch(`${stack.server.url}/`);
    expect(await home.text()).toMatch(/lives inside ConnectWise/);
    const health = await http(`${stack.server.url}/healthz`);
    expect(health.body.ok).toBe(true);
  });

  it('the API answers CORS only for the pod origin', async () => {
    const good = await fetch(`${stack.server.url}/api/session`, { method: 'OPTIONS', headers: { origin: stack.server.url, 'access-control-request-method': 'POST' } });
    expect(good.headers.get('access-control-allow-origin')).toBe(stack.server.url);
    const evil = await fetch(`${stack.server.url}/api/session`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    // Requests themselves (not preflights): the answer names the pod origin only, varies by Origin, is never sniffed.
    for (const path of ['/api/settings', '/api/no-such-route']) {
      const mine = await fetch(`${stack.server.url}${path}`, { headers: { origin: stack.server.url } });
      expect(mine.headers.get('access-control-allow-origin')).toBe(stack.server.url);
      expect(mine.headers.get('vary')).toMatch(/\bOrigin\b/);
      expect(mine.headers.get('x-content-type-options')).toBe('nosniff');
      const theirs = await fetch(`${stack.server.url}${path}`, { headers: { origin: 'https://evil.example' } });
      expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
      expect(theirs.headers.get('vary')).toMatch(/\bOrigin\b/);
      expect((await theirs.json()).error).toBeTruthy();
    }
  });
});

describe('hosted setup installer', () => {
  async function setups() {
    const s = await http(`${stack.cw.url}/__sim/state`);
    return s.body.hostedSetups as { id: number; screenId: number; type: string; url: string }[];
  }

  it('installed one setup per surface, pointing at our pages with the ConnectWise tokens', async () => {
    expect(stack.install.setups.map((s) => s.action)).toEqual(HOSTED_SETUPS.map(() => 'created'));
    const all = await setups();
    expect(all).toHaveLength(HOSTED_SETUPS.length);
    const invoice = all.find((s) => s.url.includes('/pod/invoice.html'))!;
    expect(invoice.type).toBe('ToolbarButton');
    expect(invoice.url).toBe(`${stack.server.url}/pod/invoice.html?tenant=democo&id=[cw_id]&screen=[cw_screen]`);
    expect(all.filter((s) => s.type === 'Pod')).toHaveLength(3);
    // The expense report's tab and the batch list's full-width tab.
    expect(all.filter((s) => s.type === 'Tab').map((s) => s.url.replace(/^.*\/pod\//, '')).sort()).toEqual([
      'batch.html?tenant=democo&view=list&id=[cw_id]&screen=[cw_screen]',
      'expense.html?tenant=democo&id=[cw_id]&screen=[cw_screen]',
    ]);
  });

  it('is idempotent: running again changes nothing and duplicates nothing', async () => {
    const cw = await cwClientForTenant(stack.server.deps, 'democo');
    const again = await installHostedSetups(cw, { publicUrl: stack.server.url, tenantId: 'democo' });
    expect(again.setups.map((s) => s.action)).toEqual(HOSTED_SETUPS.map(() => 'unchanged'));
    expect(again.setups.map((s) => s.id).sort()).toEqual(stack.install.setups.map((s) => s.id).sort());
    expect(await setups()).toHaveLength(HOSTED_SETUPS.length);
  });

  it('updates in place when our server moved', async () => {
    const cw = await cwClientForTenant(stack.server.deps, 'democo');
    const moved = await installHostedSetups(cw, { publicUrl: 'http://127.0.0.1:9', tenantId: 'democo' });
    expect(moved.setups.map((s) => s.action)).toEqual(HOSTED_SETUPS.map(() => 'updated'));
    const all = await setups();
    expect(all).toHaveLength(HOSTED_SETUPS.length);
    expect(all.every((s) => s.url.startsWith('http://127.0.0.1:9/pod/'))).toBe(true);
    // put it back for other tests
    await installHostedSetups(cw, { publicUrl: stack.server.url, tenantId: 'democo' });
  });

  it('a tenant whose API keys are wrong gets a clear error, not a crash', async () => {
    await registerTenant(stack.server.deps, { companyId: 'democo', siteUrl: stack.cw.url, clientId: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d', publicKey: 'simPublicKey', privateKey: 'wrong' });
    try {
      const cw = await cwClientForTenant(stack.server.deps, 'democo');
      await expect(installHostedSetups(cw, { publicUrl: stack.server.url, tenantId: 'democo' })).rejects.toMatchObject({ status: 502, code: 'cw_unauthorized' });
    } finally {
      await registerTenant(stack.server.deps, { companyId: 'democo', siteUrl: stack.cw.url, clientId: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d', publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });
    }
  });
});
