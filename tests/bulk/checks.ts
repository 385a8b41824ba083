// What the bulk tests assert against the simulators' own state (in this
// process): documents in Xero by number, ConnectWise batches by GL entry, and
// totals to the cent against ConnectWise's.
import { expect } from 'vitest';
import { HARBOUR_TENANT_ID } from '../../sim/xero/seed.js';
import { toCwInvoice } from '../../sim/connectwise/views.js';
import type { BulkStack } from './harness.js';
import { api } from './harness.js';

export async function seed(stack: BulkStack, invoices: number, customers: number): Promise<{ invoiceIds: number[]; glEntryIds: number[] }> {
  const res = await fetch(`${stack.cw.url}/__sim/bulk-seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invoices, customers }) });
  if (res.status !== 200) throw new Error(`bulk seed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { invoiceIds: number[]; glEntryIds: number[] };
}

export function xeroDocs(stack: BulkStack, org = HARBOUR_TENANT_ID): Map<string, { count: number; total: string; status: string }> {
  const o = stack.xero.sim.ctx.orgs.get(org)!;
  const out = new Map<string, { count: number; total: string; status: string }>();
  for (const d of o.documents.values()) {
    if (!d.Number || d.Status === 'DELETED' || d.Status === 'VOIDED') continue;
    const cur = out.get(d.Number);
    out.set(d.Number, { count: (cur?.count ?? 0) + 1, total: d.Total, status: d.Status });
  }
  return out;
}

export function cwBatchesByGl(stack: BulkStack): Map<number, { id: number; size: number }[]> {
  const out = new Map<number, { id: number; size: number }[]>();
  for (const b of stack.cw.sim.state.batches) for (const gl of b.recordIds) out.set(gl, [...(out.get(gl) ?? []), { id: b.id, size: b.recordIds.length }]);
  return out;
}

/** Every listed invoice is in Xero exactly once, with ConnectWise's total to the cent, and in exactly one single-record ConnectWise batch. */
export function expectSyncedOnce(stack: BulkStack, invoiceIds: number[]): void {
  const docs = xeroDocs(stack);
  const batches = cwBatchesByGl(stack);
  const state = stack.cw.sim.state;
  for (const id of invoiceIds) {
    const inv = state.invoices.find((i) => i.id === id)!;
    const doc = docs.get(inv.invoiceNumber);
    expect(doc?.count, `${inv.invoiceNumber} in Xero`).toBe(1);
    expect(doc!.total, `${inv.invoiceNumber} total`).toBe(Math.abs(toCwInvoice(state, inv).total ?? 0).toFixed(2));
    expect(batches.get(inv.glEntryId), `${inv.invoiceNumber} batches`).toEqual([{ id: expect.any(Number), size: 1 }]);
  }
}

export async function waitForRun(url: string, token: string, runId: string, until: (v: any) => boolean, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await api(url, token, 'GET', `/api/batch/runs/${runId}?limit=1000`);
    if (v.status !== 200) throw new Error(`run view: ${v.status} ${JSON.stringify(v.body)}`);
    if (until(v.body)) return v.body;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not get there: ${JSON.stringify(v.body.counts)} ${v.body.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function xeroFaults(stack: BulkStack, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.xero.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (res.status !== 200) throw new Error(`xero faults: ${res.status} ${await res.text()}`);
}

export async function cwFaults(stack: BulkStack, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.cw.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (res.status !== 200) throw new Error(`cw faults: ${res.status} ${await res.text()}`);
}
