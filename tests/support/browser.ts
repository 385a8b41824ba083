// Debian's Chromium through playwright-core, headless, never downloaded.
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * The frame of one of our pod pages (`/pod/{name}.html`) once the host page has created it, looked for every
 * `pollMs` (the paint bench looks every 25 ms: a late find would start its timing late).
 */
export async function podFrame(page: Page, name: string, pollMs = 100): Promise<Frame> {
  for (let waited = 0; waited < 10_000; waited += pollMs) {
    const f = page.frames().find((fr) => fr.url().includes(`/pod/${name}.html`));
    if (f) return f;
    await page.waitForTimeout(pollMs);
  }
  throw new Error(`no ${name} pod frame`);
}
