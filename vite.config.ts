import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { resolve } from 'node:path';

// One HTML entry per surface ConnectWise hosts (and the OAuth popup); the
// server serves the built files from dist/pod.
const podPages = ['invoice', 'batch', 'purchaseorder', 'expense', 'settings', 'oauth-popup'];

export default defineConfig({
  root: resolve(import.meta.dirname, 'pod'),
  base: '/pod/',
  plugins: [preact()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/pod'),
    emptyOutDir: true,
    rollupOptions: {
      input: Object.fromEntries(
        podPages.map((p) => [p, resolve(import.meta.dirname, 'pod', `${p}.html`)]),
      ),
    },
  },
  test: {
    root: import.meta.dirname,
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', resolve(import.meta.dirname, 'tests/support/summary-reporter.ts')],
  },
});
