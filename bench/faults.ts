// npm run bench:faults — the fault matrix (bench/fault-matrix.ts) on SQLite
// and on PostgreSQL side by side, then one `name: value` line per figure.
// Exits 1 when any duplicate or silent divergence was found.
//   --attempts N   attempts in all, shared by the engines (default 1000)
//   --seed S       the matrix's random seed (default 14)
//   --engines a,b  sqlite,postgres (default both)
//   --minutes M    no new cycle starts after M minutes (default 12: the whole stays within 15)
//   --quiet        only the summary
import { parseArgs } from 'node:util';
import { runMatrix, type Engine, type MatrixFigures } from './fault-matrix.js';
import type { InjectedCounts } from '../sim/net-faults.js';

const { values } = parseArgs({
  options: {
    attempts: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '14' },
    engines: { type: 'string', default: 'sqlite,postgres' },
    minutes: { type: 'string', default: '12' },
    quiet: { type: 'boolean', default: false },
  },
});
const attempts = Number(values.attempts);
const seed = Number(values.seed);
const engines = values.engines.split(',').map((e) => e.trim()) as Engine[];
if (!Number.isInteger(attempts) || attempts < 1) throw new Error('--attempts: a positive whole number');
if (engines.some((e) => e !== 'sqlite' && e !== 'postgres')) throw new Error('--engines: sqlite and/or postgres');
const budgetMs = Number(values.minutes) * 60_000;
const log = values.quiet ? undefined : (line: string) => console.log(line);

const t0 = Date.now();
const per = Math.ceil(attempts / engines.length);
// Settled, not all-or-nothing: an engine that fails still lets the other close its stack (and drop its database).
const settled = await Promise.allSettled(engines.map((engine, i) => runMatrix({ engine, attempts: per, seed: seed + i, budgetMs, ...(log ? { log } : {}) })));
const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
if (failed) throw failed.reason;
const results = settled.map((r) => (r as PromiseFulfilledResult<MatrixFigures>).value);

const sum = (f: (r: MatrixFigures) => number) => results.reduce((a, r) => a + f(r), 0);
const injected = (r: MatrixFigures, k: keyof InjectedCounts) => r.injected.xero[k] + r.injected.cw[k];
// A lost answer is one of the 5xx, drops and timeouts (counted there too), struck after the work was done.
const faults = (r: MatrixFigures) => injected(r, 'status5xx') + injected(r, 'status429') + injected(r, 'drop') + injected(r, 'timeout') + r.kills;

const findings = results.flatMap((r) => r.findings.map((f) => `${r.engine}: ${f}`));
if (findings.length) {
  console.log('\nfindings:');
  for (const f of findings) console.log(`  ${f}`);
}
const lines: [string, string | number][] = [
  ['engines', engines.join(',')],
  ['seed', seed],
  ['runs', sum((r) => r.attempts)],
  ...engines.map((e, i): [string, number] => [`runs ${e}`, results[i]!.attempts]),
  ['single pushes', sum((r) => r.pushes)],
  ['batch runs', sum((r) => r.runs)],
  ['payment syncs', sum((r) => r.paymentSyncs)],
  ['cycles', sum((r) => r.cycles)],
  ['faults injected', sum(faults)],
  ['faults kill -9', sum((r) => r.kills)],
  ['faults 429', sum((r) => injected(r, 'status429'))],
  ['faults 5xx', sum((r) => injected(r, 'status5xx'))],
  ['faults dropped connection', sum((r) => injected(r, 'drop'))],
  ['faults timeout', sum((r) => injected(r, 'timeout'))],
  ['faults lost answer (of the 5xx, drops and timeouts: after the work was done)', sum((r) => injected(r, 'afterWork'))],
  ['records checked', sum((r) => r.recordsChecked)],
  ['duplicates', sum((r) => r.duplicates)],
  ['silent divergences', sum((r) => r.divergences)],
  ['synced but last word not synced', sum((r) => r.staleWords)],
  ['elapsed s', Math.round((Date.now() - t0) / 1000)],
];
console.log('');
for (const [name, value] of lines) console.log(`${name}: ${value}`);
process.exit(sum((r) => r.duplicates + r.divergences) > 0 ? 1 : 0);
