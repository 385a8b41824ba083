// The pod's hashed assets (dist/pod/assets), answered from memory. A name is
// its content's hash, so a file read once is that file for good: each is read
// from disk on its first request, with the brotli and gzip copies the build
// wrote beside it (scripts/precompress.ts), and kept. A page's first paint
// waits on its chunks (issue 12): from memory they go out in one write, where
// a read from disk per request cost a stat, an open and a stream each (about
// 2 ms a file, tens under load). A new build's names are new files, read on
// their first request; a name that is not there is not remembered.
import type { Context } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { getMimeType } from 'hono/utils/mime';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface Asset {
  type: string;
  identity: ArrayBuffer;
  br?: ArrayBuffer;
  gzip?: ArrayBuffer;
}

/** A hashed asset's name: no path, nothing but what Vite's file names use. */
const ASSET_NAME = /^[\w-]+(\.[\w-]+)*\.[a-z0-9]+$/i;

const IMMUTABLE = 'public, max-age=31536000, immutable';

async function readOptional(path: string): Promise<ArrayBuffer | undefined> {
  try {
    const b = await readFile(path);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
  } catch {
    return undefined;
  }
}

/** The encodings a request accepts, by name (hono's Accept parser); a q=0 refuses one. */
function accepted(header: string | undefined): Set<string> {
  return new Set(parseAccept(header ?? '').filter((a) => a.q > 0).map((a) => a.type.toLowerCase()));
}

/** A handler for GET /pod/assets/:file over `assetsDir`; unknown names fall through (404). */
export function podAssets(assetsDir: string) {
  const assets = new Map<string, Promise<Asset | undefined>>();

  const load = (name: string): Promise<Asset | undefined> => {
    let p = assets.get(name);
    if (!p) {
      const base = join(assetsDir, name);
      p = Promise.all([readOptional(base), readOptional(`${base}.br`), readOptional(`${base}.gz`)]).then(([identity, br, gzip]) =>
        identity ? { type: getMimeType(name) ?? 'application/octet-stream', identity, ...(br ? { br } : {}), ...(gzip ? { gzip } : {}) } : undefined,
      );
      assets.set(name, p);
      // A name not (yet) on disk is not kept: a build may write it later.
      void p.then((a) => a ?? assets.delete(name));
    }
    return p;
  };

  return async (c: Context, next: () => Promise<void>) => {
    const name = c.req.param('file') ?? '';
    const asset = ASSET_NAME.test(name) ? await load(name) : undefined;
    if (!asset) return next();
    const accepts = accepted(c.req.header('Accept-Encoding'));
    const [encoding, body] = asset.br && accepts.has('br') ? ['br', asset.br] : asset.gzip && accepts.has('gzip') ? ['gzip', asset.gzip] : [undefined, asset.identity];
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', IMMUTABLE);
    c.header('Vary', 'Accept-Encoding');
    c.header('Content-Length', String(body.byteLength));
    if (encoding) c.header('Content-Encoding', encoding);
    return c.body(body, 200);
  };
}
