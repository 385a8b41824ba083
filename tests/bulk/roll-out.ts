// An instance stopped as an orchestrator stops it (issue 13): SIGTERM, then —
// once it has taken the signal — its /readyz never says ready again, and it exits 0 within its grace and a margin.
import { expect } from 'vitest';
import type { Instance } from './harness.js';

export async function rollOut(inst: Instance): Promise<void> {
  const started = Date.now();
  inst.proc.kill('SIGTERM');
  const exited = inst.exited.then(() => true);
  // From the moment it has taken the signal (its log says so), it is never ready again.
  const tookSignal = () => inst.lines.some((l) => l.startsWith('[server] SIGTERM: draining'));
  while (!tookSignal() && !(await Promise.race([exited, new Promise<false>((r) => setTimeout(() => r(false), 20))])));
  expect(tookSignal()).toBe(true);
  while (!(await Promise.race([exited, new Promise<false>((r) => setTimeout(() => r(false), 100))]))) {
    const res = await fetch(`${inst.url}/readyz`).catch(() => undefined);
    if (!res) continue; // the listener is closing
    await res.body?.cancel();
    expect(res.status, 'ready after SIGTERM').toBe(503);
  }
  expect(inst.proc.exitCode, 'exit code after draining').toBe(0);
  expect(Date.now() - started).toBeLessThan(40_000);
  expect(inst.lines.some((l) => l.startsWith('[server] drained'))).toBe(true);
}
