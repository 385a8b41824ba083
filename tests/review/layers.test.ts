// The layers of the tree, read from the source as text: which folder may
// import which. server/domain's own rule (no I/O, no clock, no randomness) is
// tests/domain/purity.test.ts; this file holds the rules between folders.
// scripts/, tests/ and bench/ are exempt: they wire the product and the
// simulators together on purpose.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SCANNED = ['server', 'pod', 'shared', 'sim'];
const PRODUCT = ['server', 'pod', 'shared'];
/** Talk to ConnectWise, Xero, the database and the key store; the routes sit on top of them. */
const ADAPTERS = ['server/cw', 'server/xero', 'server/db', 'server/crypto'];

/** Repo-relative, '/'-separated, without a script extension: 'server/app', 'sim/xero/index'. */
type ModulePath = string;

interface Rule {
  name: string;
  appliesTo: (file: ModulePath) => boolean;
  forbids: (target: ModulePath) => boolean;
}

const under = (path: ModulePath, folder: string) => path === folder || path.startsWith(`${folder}/`);

const RULES: Rule[] = [
  {
    name: 'the pod imports neither server/ nor sim/ (what it shares with the server lives in shared/)',
    appliesTo: (f) => under(f, 'pod'),
    forbids: (t) => under(t, 'server') || under(t, 'sim'),
  },
  {
    name: 'an adapter (server/cw, server/xero, server/db, server/crypto) imports no route and not server/app',
    appliesTo: (f) => ADAPTERS.some((a) => under(f, a)),
    forbids: (t) => under(t, 'server/routes') || t === 'server/app',
  },
  {
    name: 'the product (server/, pod/, shared/) imports no simulator',
    appliesTo: (f) => PRODUCT.some((p) => under(f, p)),
    forbids: (t) => under(t, 'sim'),
  },
  {
    name: "the simulators import nothing outside sim/ but ConnectWise's published types (shared/cw-types)",
    appliesTo: (f) => under(f, 'sim'),
    forbids: (t) => !under(t, 'sim') && t !== 'shared/cw-types',
  },
];

function modulePath(absolute: string): ModulePath {
  return relative(ROOT, absolute).split(sep).join('/').replace(/\.(ts|tsx|js|jsx|mjs)$/, '');
}

/** Every module a file imports by a relative path (static, re-export, side-effect and dynamic imports; comments ignored). */
function relativeImports(file: ModulePath, source: string): { specifier: string; target: ModulePath }[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((s) => s.startsWith('.'))
    .map((specifier) => ({ specifier, target: modulePath(resolve(ROOT, dirname(file), specifier)) }));
}

function violations(file: ModulePath, source: string): string[] {
  const found: string[] = [];
  for (const { specifier, target } of relativeImports(file, source)) {
    for (const rule of RULES) {
      if (rule.appliesTo(file) && rule.forbids(target)) found.push(`${file} imports '${specifier}' (${target}): ${rule.name}`);
    }
  }
  return found;
}

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...sourceFiles(path));
    } else if (/\.(ts|tsx|js|jsx|mjs)$/.test(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

describe('the checker itself', () => {
  const cases: [file: string, source: string, allowed: boolean][] = [
    ['pod/invoice/SyncPanel.tsx', "import type { X } from '../../shared/api.js';", true],
    ['pod/invoice/SyncPanel.tsx', "import { ledger } from '../../server/sync/ledger.js';", false],
    ['pod/lib/http.ts', "const m = await import('../../sim/xero/index.js');", false],
    ['server/xero/status.ts', "import { xeroRoutes } from '../routes/xero.js';", false],
    ['server/db/index.ts', "export { createApp } from '../app.js';", false],
    ['server/routes/xero.ts', "import { status } from '../xero/status.js';", true],
    ['server/payments/payment-sync.ts', "import { x } from '../app.js';", true],
    ['server/sync/push.ts', "import { HARBOUR_TENANT_ID } from '../../sim/xero/seed.js';", false],
    ['shared/api.ts', "import '../sim/connectwise/model.js';", false],
    ['sim/connectwise/model.ts', "import type { Invoice } from '../../shared/cw-types.js';", true],
    ['sim/xero/api/guard.ts', "import { z } from 'zod';\nimport { newId } from '../ids.js';", true],
    ['sim/xero/driver.ts', "import { oauthPopupResult } from '../../shared/api.js';", false],
    ['sim/xero/driver.ts', "import { loadConfig } from '../../server/config.js';", false],
    ['sim/xero/driver.ts', "import { connect } from '../../scripts/start.js';", false],
    ['sim/xero/driver.ts', "// copied from '../../server/config.js'\nexport const x = 1;", true],
    ['scripts/start.ts', "import { startXeroSim } from '../sim/xero/index.js';\nimport { createApp } from '../server/app.js';", true],
  ];
  for (const [file, source, allowed] of cases) {
    it(`${allowed ? 'allows' : 'refuses'} ${file}: ${source.split('\n').at(-1)}`, () => {
      const found = violations(file.replace(/\.(ts|tsx)$/, ''), source);
      // One import can break two rules (the pod importing a simulator).
      if (allowed) expect(found).toEqual([]);
      else expect(found.length).toBeGreaterThan(0);
    });
  }
});

describe('layers', () => {
  const files = SCANNED.flatMap(sourceFiles);

  it('finds the sources of every layer', () => {
    for (const folder of [...SCANNED, ...ADAPTERS, 'server/routes']) expect(files.some((f) => under(f, folder)), folder).toBe(true);
    expect(files).toContain('server/app.ts');
  });

  for (const rule of RULES) {
    it(rule.name, () => {
      const checked = files.filter((f) => rule.appliesTo(modulePath(join(ROOT, f))));
      expect(checked.length).toBeGreaterThan(0);
      const found = checked.flatMap((f) => violations(modulePath(join(ROOT, f)), readFileSync(join(ROOT, f), 'utf8')))
        .filter((v) => v.endsWith(rule.name));
      expect(found).toEqual([]);
    });
  }
});
