// The pod built into a folder of the test's own, for tests of pod code that
// must not depend on when someone else last rebuilt the shared dist/pod.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** Builds the pod into a new temporary folder and returns it (pass it as the server's distDir; remove it after). */
export function buildPodIntoTemp(prefix: string): string {
  const distDir = mkdtempSync(join(tmpdir(), prefix));
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', join(distDir, 'pod'), '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  return distDir;
}
