// Issue 12 speed budget: the pod's hashed assets go out compressed (brotli or
// gzip, precompressed at build by scripts/precompress.ts) when the browser
// accepts it, and as they are when it does not; every way with the year-long
// immutable caching. Over HTTP against the real server, raw bytes read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startStack, type TestStack } from '../support/stack.js';
import { precompressDir } from '../../scripts/precompress.js';

let stack: TestStack;
let distDir: string;
// A script big and repetitive enough that compression shows.
const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `Invoice ${i} is ready to push to Xero`))};\n`;

beforeAll(async () => {
  distDir = mkdtempSync(join(tmpdir(), 'cwx-dist-'));
  mkdirSync(join(distDir, 'pod/assets'), { recursive: true });
  writeFileSync(join(distDir, 'pod/assets/invoice-Zx81kQ.js'), script);
  writeFileSync(join(distDir, 'pod/assets/invoice-Zx81kQ.css'), '.card{border:1px solid #ccc}'.repeat(50));
  // As the build does (vite.config.ts's precompress-assets plugin).
  expect(precompressDir(join(distDir, 'pod/assets'))).toBe(2);
  stack = await startStack({ distDir });
});
afterAll(async () => {
  await stack?.close();
  rmSync(distDir, { recursive: true, force: true });
});

/** One GET with exactly these headers (fetch would add and undo its own Accept-Encoding). */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((ok, fail) => {
    const req = request(`${stack.server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

const IMMUTABLE = /public, max-age=31536000, immutable/;

describe('pod assets compressed', () => {
  it('sends a hashed script gzip-encoded to a browser that accepts gzip, with the immutable caching', async () => {
    const r = await get('/pod/assets/invoice-Zx81kQ.js', { 'Accept-Encoding': 'gzip' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['cache-control']).toMatch(IMMUTABLE);
    expect(String(r.headers.vary)).toMatch(/Accept-Encoding/i);
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.body.length).toBeLessThan(Buffer.byteLength(script) / 4);
    expect(gunzipSync(r.body).toString()).toBe(script);
  });

  it('prefers brotli when the browser takes both', async () => {
    const r = await get('/pod/assets/invoice-Zx81kQ.js', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['cache-control']).toMatch(IMMUTABLE);
    expect(brotliDecompressSync(r.body).toString()).toBe(script);
    const css = await get('/pod/assets/invoice-Zx81kQ.css', { 'Accept-Encoding': 'br' });
    expect(css.headers['content-encoding']).toBe('br');
    expect(css.headers['content-type']).toMatch(/text\/css/);
  });

  it('sends the file as it is, still immutable, without Accept-Encoding', async () => {
    const r = await get('/pod/assets/invoice-Zx81kQ.js', {});
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['cache-control']).toMatch(IMMUTABLE);
    expect(r.body.toString()).toBe(script);
    const missing = await get('/pod/assets/nothing-Ab12.js', { 'Accept-Encoding': 'br' });
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control'] ?? '').not.toMatch(IMMUTABLE);
  });

  it('refuses an encoding the browser gives q=0, and serves a name a later build wrote (a miss is not remembered)', async () => {
    const r = await get('/pod/assets/invoice-Zx81kQ.js', { 'Accept-Encoding': 'br;q=0, gzip;q=0.5' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(r.body).toString()).toBe(script);
    expect((await get('/pod/assets/later-Qw12.js', {})).status).toBe(404);
    // Assets are answered from memory once read (server/routes/pod-assets.ts): a rebuild's new names still arrive.
    writeFileSync(join(distDir, 'pod/assets/later-Qw12.js'), 'export const later = 1;');
    const later = await get('/pod/assets/later-Qw12.js', { 'Accept-Encoding': 'br' });
    expect(later.status).toBe(200);
    expect(later.headers['content-encoding']).toBeUndefined();
    expect(later.body.toString()).toBe('export const later = 1;');
    expect(Number(later.headers['content-length'])).toBe(later.body.length);
  });
});
