// server/domain is the pure core: it may import only itself, the shared CW
// types and words (Xero's status words, the money formatter), decimal.js, zod, xero-node (types and its pure serialiser) and
// node:crypto (hashing). No clock, no randomness, no I/O.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../server/domain');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
const allowed = [/^\.\/[\w-]+\.js$/, /^\.\.\/\.\.\/shared\/(cw-types|invoice-settings|settings-sections|procurement-settings|expense-settings|xero-status|money-format)\.js$/, /^decimal\.js$/, /^zod$/, /^xero-node$/, /^node:crypto$/];

describe('server/domain is pure', () => {
  it('has the modules a newcomer looks for', () => {
    for (const f of ['money.ts', 'invoice-mapping.ts', 'contact-mapping.ts', 'content-hash.ts', 'preview.ts']) {
      expect(files).toContain(f);
    }
  });

  for (const f of files) {
    it(`${f} imports nothing with side effects and reads no clock or randomness`, () => {
      const src = readFileSync(join(dir, f), 'utf8');
      const specifiers = [...src.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]!);
      for (const s of specifiers) expect(allowed.some((a) => a.test(s)), `${f} imports ${s}`).toBe(true);
      expect(src).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random|process\.env|console\.|fetch\(|randomUUID|import\(/);
    });
  }
});
