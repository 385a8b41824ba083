// The JavaScript each pod page loads before its first useful paint, gzip
// (issue 12 speed budget: <= 20 KB an entry): the entry's chunk and every chunk
// it imports statically, and the UI it imports once the sign-in has started
// (`app.tsx`, which the page preloads: scripts/first-paint-preload.ts) with every
// chunk that imports statically, read from the build's manifest (dist/pod/.vite/
// manifest.json, `npx vite build` first). Chunks a page fetches later by
// dynamic import (the batch pod's lists, the settings pod's later cards, penpal
// when someone connects Xero) are reported apart. Runnable alone:
// `npx tsx bench/pod-size.ts` (after a build).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FIRST_PAINT_MODULE } from '../scripts/first-paint-preload.js';

export const POD_JS_BUDGET_KB = 20;
const DIST = resolve(import.meta.dirname, '../dist/pod');

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

export interface PodJsSize {
  entry: string;
  /** Gzip KB of the entry and its static imports, and its first-paint UI (app.tsx) and that one's (what the page loads to start). */
  gzipKb: number;
  files: string[];
  /** Gzip KB of the chunks only reached by dynamic import, not counted above. */
  lazyGzipKb: number;
}

const kb = (bytes: number) => bytes / 1024;

export function podJsSizes(dist = DIST): PodJsSize[] {
  const manifest = JSON.parse(readFileSync(resolve(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gz = new Map<string, number>();
  const size = (file: string) => {
    let n = gz.get(file);
    if (n === undefined) gz.set(file, (n = gzipSync(readFileSync(resolve(dist, file)), { level: 9 }).length));
    return n;
  };
  const closure = (key: string, follow: 'static' | 'all', seen = new Set<string>()): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    const c = manifest[key];
    for (const k of c?.imports ?? []) closure(k, follow, seen);
    // The entry's first-paint UI is loaded with the page (preloaded), not later.
    for (const k of c?.dynamicImports ?? []) if (c?.isEntry && FIRST_PAINT_MODULE.test(k)) closure(k, follow, seen);
    if (follow === 'all') for (const k of c?.dynamicImports ?? []) closure(k, follow, seen);
    return seen;
  };
  return Object.entries(manifest)
    .filter(([key, c]) => c.isEntry && key.endsWith('.html'))
    .map(([key]) => {
      const first = [...closure(key, 'static')].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
      const all = [...closure(key, 'all')].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js') && !first.includes(f));
      return {
        entry: key.replace(/\.html$/, ''),
        gzipKb: kb(first.reduce((s, f) => s + size(f), 0)),
        files: first,
        lazyGzipKb: kb(all.reduce((s, f) => s + size(f), 0)),
      };
    })
    .sort((a, b) => a.entry.localeCompare(b.entry));
}

export function podSizeSummary(sizes: PodJsSize[]): string[] {
  return sizes.flatMap((s) => [`pod js gzip kb ${s.entry}: ${s.gzipKb.toFixed(1)}`, `pod js gzip kb ${s.entry} later (dynamic imports): ${s.lazyGzipKb.toFixed(1)}`]);
}

export function podSizeBroken(sizes: PodJsSize[]): boolean {
  return sizes.some((s) => s.gzipKb > POD_JS_BUDGET_KB);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = podJsSizes(process.argv[2] ? resolve(process.argv[2]) : DIST);
  for (const s of sizes) console.log(`${s.entry}: ${s.gzipKb.toFixed(1)} KB gzip (${s.files.length} files: ${s.files.join(' ')}); later ${s.lazyGzipKb.toFixed(1)} KB`);
  console.log(`\nSummary (budget ${POD_JS_BUDGET_KB} KB an entry)`);
  for (const line of podSizeSummary(sizes)) console.log(line);
  process.exit(podSizeBroken(sizes) ? 1 : 0);
}
