import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';
import { precompressDir } from './scripts/precompress.js';
import { firstPaintPreload } from './scripts/first-paint-preload.js';

// One HTML entry per surface ConnectWise hosts (and the OAuth popup); the
// server serves the built files from dist/pod.
const podPages = ['invoice', 'batch', 'purchaseorder', 'expense', 'settings', 'oauth-popup'];

export default defineConfig({
  root: resolve(import.meta.dirname, 'pod'),
  base: '/pod/',
  plugins: [
    preact(),
    // Each page preloads the UI its entry imports after starting the sign-in (issue 12, first paint).
    firstPaintPreload('/pod/'),
    // dist/pod/assets/*.br and *.gz beside each hashed file: the server sends those (issue 12).
    { name: 'precompress-assets', apply: 'build', writeBundle: (out) => void precompressDir(resolve(out.dir ?? '', 'assets')) },
  ],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/pod'),
    emptyOutDir: true,
    // dist/pod/.vite/manifest.json: which chunks each page loads (bench/pod-size.ts sums them).
    manifest: true,
    // Every browser that hosts the pod (ConnectWise's supported ones) knows modulepreload.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: Object.fromEntries(
        podPages.map((p) => [p, resolve(import.meta.dirname, 'pod', `${p}.html`)]),
      ),
      // What every pod page loads goes in two chunks (preact; the start, boot,
      // bridge, session and shared UI) rather than many small ones: fewer requests, and
      // gzip does better on one file than on six (issue 12: <= 20 KB an entry).
      // (A chunk of its own for the start, without Preact, would let the
      // sign-in begin a few ms sooner, but costs ~0.6 KB gzip a page.)
      output: {
        codeSplitting: {
          groups: [
            { name: 'preact', test: /node_modules[\\/]preact[\\/]/, priority: 20 },
            { name: 'core', test: /pod[\\/](bridge[\\/]|lib[\\/](start|boot|ui|http|api|session|config|dates|tabs|skeleton|money|lazy|use-screen-record)\.|settings[\\/]format\.|invoice[\\/]paths\.)|shared[\\/]money-format|vite[\\/]preload-helper/, priority: 10 },
          ],
        },
      },
    },
  },
  test: {
    root: import.meta.dirname,
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    // Two test files at once: most tests wait on HTTP, simulated latency and
    // browsers, not on a core, and vitest's default (cores - 1) would run one
    // file at a time on the two-core machines this runs on (~18 min, not ~10).
    // Every file starts its own stack on free ports, its own PostgreSQL
    // schema and (where it builds) its own pod copy, so files do not meet.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', resolve(import.meta.dirname, 'tests/support/summary-reporter.ts')],
  },
});
