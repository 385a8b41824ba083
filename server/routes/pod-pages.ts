// Serves the built pod (dist/pod) to ConnectWise's iframes. Each page is sent
// with a Content-Security-Policy that lets it run only its own scripts (no
// inline script, no eval: the pod sets zod jitless, pod/lib/zod-config.ts),
// talk only to this server, and be framed only by the tenant's ConnectWise
// origin (frame-ancestors); a page saying what went wrong is framed by no one
// unless the tenant is known. Each carries the pod-config the pod boots from
// (tenant, CW origin for postMessage, API base). Hashed assets are static,
// cached for a year, and sent precompressed (brotli or gzip) when accepted.
import { Hono, type Context } from 'hono';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AppDeps } from '../deps.js';
import { getTenant } from '../tenants.js';
import { podAssets } from './pod-assets.js';
import { cwCompanyId, type PodConfig } from '../../shared/api.js';

export const POD_PAGES = ['invoice', 'batch', 'purchaseorder', 'expense', 'settings', 'oauth-popup'] as const;

/**
 * dist/ at the package's root (the Vite build writes dist/pod): the nearest folder above this
 * file with a package.json — two up from server/routes/, three up when compiled to dist-server/server/routes/.
 */
export const DEFAULT_DIST_DIR = resolve(packageRoot(import.meta.dirname), 'dist');

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '../..');
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A small page that says what went wrong, in words. */
export function wordsPage(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;color:#1f2933;margin:2rem;max-width:40rem}h1{font-size:1.1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
}

/** The policy of a pod page: its own scripts and styles, calls to this server only, framed by one ConnectWise. */
export function podPagePolicy(cwOrigin: string, apiBase: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${new URL(apiBase).origin}`,
    "object-src 'none'",
    "base-uri 'none'",
    `frame-ancestors ${cwOrigin}`,
  ].join('; ');
}

/** The policy of a words page: no script at all, its one inline style, framed only by `frameAncestors`. */
export function wordsPagePolicy(frameAncestors: string): string {
  return `default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors}`;
}

const wordsPageHeaders = (frameAncestors = "'none'") => ({ 'Content-Security-Policy': wordsPagePolicy(frameAncestors), 'Cache-Control': 'no-store' });

/** The pod-config script: JSON with "<" escaped so no value can close the script tag. */
export function podConfigScript(cfg: PodConfig): string {
  const json = JSON.stringify(cfg).replace(/</g, '\\u003c');
  return `<script id="pod-config" type="application/json">${json}</script>`;
}

export function injectPodConfig(html: string, cfg: PodConfig): string {
  const tag = podConfigScript(cfg);
  return html.includes('</head>') ? html.replace('</head>', `${tag}\n</head>`) : tag + html;
}

export function podPageRoutes(deps: AppDeps & { distDir?: string }): Hono {
  const app = new Hono();
  const distDir = deps.distDir ?? DEFAULT_DIST_DIR;

  app.get('/', (c) =>
    c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CW–Xero Sync</title>
<style>body{font:15px/1.55 system-ui,sans-serif;color:#1f2933;margin:3rem auto;max-width:38rem;padding:0 1rem}h1{font-size:1.4rem;color:#0b5394}code{background:#eef2f6;padding:1px 4px;border-radius:3px}</style></head>
<body><h1>CW–Xero Sync</h1>
<p>This service lives inside ConnectWise Manage: open an invoice and press <b>Sync to Xero</b>, or use the CW–Xero Sync pods on the accounting batch, purchase order and expense report screens.</p>
<p>Pages under <code>/pod/</code> are loaded by ConnectWise; the API under <code>/api/</code> answers only them. Health: <code>/healthz</code>.</p>
</body></html>`,
      200,
      wordsPageHeaders(),
    ),
  );

  // Sent brotli or gzip when the browser takes it (the build writes x.js.br and x.js.gz beside each
  // hashed file), the file as it is otherwise; cached for a year, varying on Accept-Encoding; from memory.
  app.get('/pod/assets/:file', podAssets(resolve(distDir, 'pod/assets')));

  const page = async (c: Context) => {
    const file = c.req.param('file') ?? '';
    const name = file.replace(/\.html$/, '');
    if (!(POD_PAGES as readonly string[]).includes(name)) {
      return c.html(wordsPage('Page not found', `There is no CW–Xero Sync page called "${file}".`), 404, wordsPageHeaders());
    }
    const tenantParam = c.req.query('tenant');
    const tenantId = cwCompanyId.safeParse(tenantParam ?? '');
    if (!tenantId.success) {
      return c.html(wordsPage('Missing company', 'This page must be opened from ConnectWise: its address lacks a valid "tenant" (the ConnectWise company id).'), 400, wordsPageHeaders());
    }
    const tenant = await getTenant(deps.db, tenantId.data);
    if (!tenant) {
      return c.html(
        wordsPage('Company not registered', `The ConnectWise company "${tenantId.data.toLowerCase()}" is not registered with CW–Xero Sync. Ask your administrator to install it.`),
        404,
        wordsPageHeaders(),
      );
    }
    let html: string;
    try {
      html = await readFile(resolve(distDir, 'pod', `${name}.html`), 'utf8');
    } catch {
      return c.html(wordsPage('Not built yet', 'The CW–Xero Sync pages have not been built on this server (run "npx vite build").'), 503, wordsPageHeaders(tenant.cwOrigin));
    }
    c.header('Content-Security-Policy', podPagePolicy(tenant.cwOrigin, deps.config.publicUrl));
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(injectPodConfig(html, { tenant: tenant.id, cwOrigin: tenant.cwOrigin, apiBase: deps.config.publicUrl }));
  };
  app.get('/pod/:file{[a-z-]+\\.html}', page);

  return app;
}
