// Brotli and gzip copies of the built pod's hashed assets (x.js -> x.js.br,
// x.js.gz), written once at build time (vite.config.ts) so the server sends
// them compressed at no cost per request (server/routes/pod-assets.ts,
// from memory). Issue 12 speed budget.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(js|mjs|css|svg|json|html|txt|map)$/;

/** Writes `<file>.br` and `<file>.gz` beside every compressible file in `dir` (recursively); returns how many files. */
export function precompressDir(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      n += precompressDir(path);
      continue;
    }
    if (!COMPRESSIBLE.test(name)) continue;
    const body = readFileSync(path);
    writeFileSync(`${path}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
    writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
    n++;
  }
  return n;
}
