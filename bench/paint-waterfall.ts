// Where the first paint's time goes (issue 12): for each surface of bench/paint.ts, cold samples with
// the frame's own timeline — its navigation and HTML, each script/style fetch (start → end), the Hosted
// API handshake as the parent screen sees it (ready in, frame id out, getMemberAuthentication in and
// answered), POST /api/session and each later API call, the first render of #app and the useful paint —
// as medians over the samples, in ms from the frame's navigation start.
// Runnable alone, after a build: `PAINT_SAMPLES=5 npx tsx bench/paint-waterfall.ts`. To compare builds in the
// same conditions, PAINT_DISTS=/a/dist,/b/dist serves each from its own stack, samples taken in turn;
// PAINT_ONLY=batch,settings measures only those surfaces; PAINT_TTFB=1 adds each fetch's request sent → first byte;
// PAINT_PER_SAMPLE=1 prints each sample's key moments (where the slow ones lose their time). The frame's own
// performance marks and a Server-Timing header's entries, if any (put there while looking), are listed too.
import type { Browser } from 'playwright-core';
import { ensurePodBuilt, startStack } from '../tests/support/stack.js';
import { launchBrowser } from '../tests/support/browser.js';
import { coldPage, median, openSurface, paintSurfaces, waitForUsefulPaint, type PaintSurface } from './paint.js';

type Row = { what: string; start: number; end: number };

declare global {
  interface Window {
    __wf?: { t: number; what: string }[];
  }
}

/** Recorded in every frame from its first script: messages arriving (absolute ms) and the first child of #app. */
// No named inner functions (tsx would wrap them in a helper the page lacks).
const INIT = () => {
  const log: { t: number; what: string }[] = [];
  window.__wf = log;
  window.addEventListener(
    'message',
    (e) => {
      let what = 'message';
      try {
        const m = typeof e.data === 'string' ? JSON.parse(e.data) : e.data;
        what = m.hosted_request ?? (m.response ? `answer ${m.response}` : undefined) ?? m.message ?? (m.MessageFrameID ? 'frameId' : m.result ? `ack ${m.event}` : m.event ? `event ${m.event}` : 'message');
      } catch {
        /* not ours */
      }
      log.push({ t: performance.timeOrigin + performance.now(), what: `${location.pathname.startsWith('/pod/') ? 'frame got' : 'parent got'} ${what}` });
    },
    true,
  );
  if (location.pathname.startsWith('/pod/')) {
    // The first render of #app, and when each of the surfaces' ready elements first has text in the DOM.
    const pending = ['#app > *', '[data-testid="invoice-number"]', '[data-testid="sync-headline"]', '[data-testid="count-ready"]', '[data-testid="connection"]', '[data-testid="connect-xero"]'];
    new MutationObserver((_, obs) => {
      for (let i = pending.length - 1; i >= 0; i--) {
        const sel = pending[i]!;
        const el = document.querySelector(sel);
        if (el && (sel === '#app > *' || (el.textContent ?? '').trim() !== '')) {
          log.push({ t: performance.timeOrigin + performance.now(), what: sel === '#app > *' ? 'first render of #app' : `in the DOM: ${sel}` });
          pending.splice(i, 1);
        }
      }
      if (!pending.length) obs.disconnect();
    }).observe(document, { childList: true, subtree: true, characterData: true });
  }
};

async function sample(browser: Browser, cwUrl: string, s: PaintSurface): Promise<Row[]> {
  const { context, page } = await coldPage(browser);
  try {
    await context.addInitScript(INIT);
    const frame = await openSurface(page, cwUrl, s);
    const paint = await waitForUsefulPaint(frame, s);
    const inFrame = await frame.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const res = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({
        name: r.name.replace(/^https?:\/\/[^/]+/, ''),
        type: r.initiatorType,
        start: r.startTime,
        reqStart: r.requestStart,
        respStart: r.responseStart,
        end: r.responseEnd,
        st: r.serverTiming.map((x) => ({ name: x.name, duration: x.duration })),
      }));
      const paints = [...performance.getEntriesByType('paint'), ...performance.getEntriesByType('mark')].map((p) => ({ name: p.name, t: p.startTime }));
      return {
        origin: performance.timeOrigin,
        nav: { reqStart: nav.requestStart, respStart: nav.responseStart, respEnd: nav.responseEnd, domInteractive: nav.domInteractive, dcl: nav.domContentLoadedEventEnd },
        res,
        paints,
        log: window.__wf ?? [],
      };
    });
    const parentLog = await page.evaluate(() => window.__wf ?? []);
    const rel = (t: number) => t - inFrame.origin;
    const rows: Row[] = [
      { what: 'HTML (request → response end)', start: inFrame.nav.reqStart, end: inFrame.nav.respEnd },
      { what: 'DOM interactive', start: inFrame.nav.domInteractive, end: inFrame.nav.domInteractive },
      { what: 'DOMContentLoaded end', start: inFrame.nav.dcl, end: inFrame.nav.dcl },
    ];
    const apiCount = new Map<string, number>();
    for (const r of inFrame.res) {
      let name = r.name.replace(/\/assets\/([a-zA-Z-]+?)-[\w-]{8}\./, '/assets/$1.').replace(/\?.*$/, '');
      if (name.startsWith('/api/')) {
        const n = (apiCount.get(name) ?? 0) + 1;
        apiCount.set(name, n);
        if (n > 1) name += ` #${n}`;
      }
      rows.push({ what: `${r.type} ${name}`, start: r.start, end: r.end });
      for (const st of r.st) rows.push({ what: `  server ${st.name}`, start: r.reqStart + st.duration, end: r.reqStart + st.duration });
      if (process.env.PAINT_TTFB) rows.push({ what: `  ${name} sent → first byte`, start: r.reqStart, end: r.respStart });
    }
    for (const p of inFrame.paints) rows.push({ what: p.name, start: p.t, end: p.t });
    for (const e of [...parentLog, ...inFrame.log]) rows.push({ what: e.what, start: rel(e.t), end: rel(e.t) });
    rows.push({ what: 'USEFUL PAINT', start: paint, end: paint });
    return rows;
  } finally {
    await context.close();
  }
}

function merge(samples: Row[][]): Row[] {
  const byName = new Map<string, { starts: number[]; ends: number[] }>();
  for (const rows of samples) {
    const seen = new Map<string, number>();
    for (const r of rows) {
      const k = seen.get(r.what) ?? 0;
      seen.set(r.what, k + 1);
      const key = k ? `${r.what} (${k + 1})` : r.what;
      const e = byName.get(key) ?? { starts: [], ends: [] };
      e.starts.push(r.start);
      e.ends.push(r.end);
      byName.set(key, e);
    }
  }
  return [...byName.entries()].map(([what, e]) => ({ what: `${what}${e.starts.length < samples.length ? ` [${e.starts.length}/${samples.length}]` : ''}`, start: median(e.starts), end: median(e.ends) })).sort((a, b) => a.start - b.start || a.end - b.end);
}

await ensurePodBuilt();
const dists = (process.env.PAINT_DISTS ?? '').split(',').filter(Boolean);
const stacks = dists.length ? await Promise.all(dists.map((distDir) => startStack({ distDir }))) : [await startStack()];
const browser = await launchBrowser();
const samples = Number(process.env.PAINT_SAMPLES ?? 5);
try {
  for (const s of paintSurfaces()) {
    const all: Row[][][] = stacks.map(() => []);
    for (const stack of stacks) await sample(browser, stack.cw.url, s);
    for (let i = 0; i < samples; i++) for (const [k, stack] of stacks.entries()) all[k]!.push(await sample(browser, stack.cw.url, s));
    for (const [k, rows] of all.entries()) {
      console.log(`\n${s.surface}${dists[k] ? ` — ${dists[k]}` : ''} (median of ${samples}, ms from the frame's navigation start)`);
      for (const r of merge(rows)) console.log(`  ${r.start.toFixed(0).padStart(5)} ${r.end === r.start ? '     ' : `→${r.end.toFixed(0).padStart(4)}`}  ${r.what}`);
      if (process.env.PAINT_PER_SAMPLE) for (const rows of all[k]!) console.log('  sample: ' + ['HTML (request → response end)', 'DOM interactive', 'DOMContentLoaded end', 'parent got ready', 'fetch /api/session', 'session answered', 'first render of #app', 'USEFUL PAINT'].map((w) => { const r = rows.find((x) => x.what === w); return r ? `${w.split(' ')[0]} ${r.start.toFixed(0)}${r.end !== r.start ? '→' + r.end.toFixed(0) : ''}` : ''; }).join(' | '));
      console.log(`  useful paint samples: ${rows.map((x) => Math.round(x.find((r) => r.what === 'USEFUL PAINT')!.start)).join(', ')}`);
    }
  }
} finally {
  await browser.close();
  for (const stack of stacks) await stack.close();
}
process.exit(0);
