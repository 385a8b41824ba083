// The page the OAuth callback answers with: the built pod/oauth-popup.html with
// the outcome injected as JSON. Its script reports the outcome to the settings
// pod that opened it (penpal) and closes. Without a build, a plain page says
// the outcome in words (the settings pod re-reads the status when the popup closes).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OauthPopupResult } from '../../shared/api.js';
import { DEFAULT_DIST_DIR, wordsPage } from './pod-pages.js';

export function resultScript(result: OauthPopupResult): string {
  const json = JSON.stringify(result).replace(/</g, '\\u003c');
  return `<script id="oauth-result" type="application/json">${json}</script>`;
}

export async function renderPopupPage(result: OauthPopupResult, distDir: string = DEFAULT_DIST_DIR): Promise<string> {
  let html: string;
  try {
    html = await readFile(resolve(distDir, 'pod', 'oauth-popup.html'), 'utf8');
  } catch {
    return wordsPage(result.ok ? 'Connected to Xero' : 'Not connected to Xero', `${result.message} You can close this window.`);
  }
  const tag = resultScript(result);
  return html.includes('</head>') ? html.replace('</head>', `${tag}\n</head>`) : tag + html;
}
