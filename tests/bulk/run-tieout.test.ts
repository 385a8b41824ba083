// The month-end tie-out after a run (issue 12), over HTTP: a small month end
// (bulk-seeded Sydney invoices and the demo's 1001–1006: a credit memo, a
// rounding line, a tax-exempt customer, and Auckland's NZD invoice for the
// second organisation) runs; then
// GET /api/batch/runs/:id/tieout reads what the run made back from the Xero
// simulator through xero-node and ties it to ConnectWise's batches to the
// cent. A Xero invoice changed behind our back is then named as the difference.
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARBOUR_TENANT_ID } from '../../sim/xero/seed.js';
import { invoiceAmounts } from '../../sim/connectwise/invoice-math.js';
import { api, startBulkStack, type BulkStack, type Instance } from './harness.js';
import { seed, waitForRun } from './checks.js';

let stack: BulkStack;
let inst: Instance;
let token: string;
beforeAll(async () => {
  stack = await startBulkStack({ engine: 'sqlite' });
  ({ inst, token } = await stack.first());
}, 60_000);
afterAll(async () => stack?.close());

describe('GET /api/batch/runs/:id/tieout', () => {
  let runId: string;

  it('ties a finished run to ConnectWise to the cent, read back from Xero', async () => {
    const sydney = (await seed(stack, 14, 3)).glEntryIds;
    // The demo's 1001–1006 (GL entries 5000 + n): time with an agreement credit, rounding, an agreement,
    // the credit memo CM-1004 applied to INV-1002, a tax-exempt customer, and Auckland in NZD (the second organisation).
    const glEntryIds = [...sydney, 5001, 5002, 5003, 5004, 5005, 5006];
    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds, batching: 'run' });
    expect(started.status).toBe(201);
    runId = started.body.id;
    const end = await waitForRun(inst.url, token, runId, (v) => v.status === 'done', 90_000);
    expect(end.counts, JSON.stringify(end.items.filter((i: { problem?: unknown }) => i.problem).map((i: { problem?: unknown }) => i.problem).slice(0, 2))).toMatchObject({ total: 20, done: 20, failed: 0 });

    const t = await api(inst.url, token, 'GET', `/api/batch/runs/${runId}/tieout`);
    expect(t.status).toBe(200);
    expect(t.body.leftOut).toEqual([]);
    expect(t.body.records).toBe(20);
    expect(t.body.differences).toEqual([]);
    expect(t.body.ties).toBe(true);
    // Two organisations; per organisation: 20 documents ≤ 50 a call → one invoice read, and one credit note read in the memo's.
    expect(new Set(t.body.byOrganisation.map((r: { organisation: string }) => r.organisation)).size).toBe(2);
    expect(t.body.xeroReads).toBe(3);
    for (const rows of [t.body.byOrganisation, t.body.byAccount, t.body.byTaxRate]) {
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.difference).toBe('0.00');
    }
    // ConnectWise's side is what the sim holds: the organisations' totals sum the run's invoices, the memo negative.
    const cwTotal = glEntryIds
      .map((gl) => stack.cw.sim.state.invoices.find((i) => i.glEntryId === gl)!)
      .reduce((s, i) => {
        const total = new Decimal(invoiceAmounts(stack.cw.sim.state, i).total.toString());
        return s.plus(i.type === 'CreditMemo' ? total.abs().negated() : total);
      }, new Decimal(0));
    const tieTotal = t.body.byOrganisation.reduce((s: Decimal, r: { connectwise: string }) => s.plus(r.connectwise), new Decimal(0));
    expect(tieTotal.toFixed(2)).toBe(cwTotal.toFixed(2));
    expect(stack.cw.sim.state.invoices.find((i) => i.glEntryId === 5004)!.type).toBe('CreditMemo');
  }, 150_000);

  it('names the difference when a Xero invoice was changed behind our back', async () => {
    const org = stack.xero.sim.ctx.orgs.get(HARBOUR_TENANT_ID)!;
    const doc = [...org.documents.values()].find((d) => d.kind === 'invoice' && d.Type === 'ACCREC' && d.Status !== 'DELETED' && d.Status !== 'VOIDED' && d.lines.length > 0)!;
    const line = doc.lines[0]!;
    line.LineAmount = new Decimal(line.LineAmount).plus('10.00').toFixed(2);
    doc.SubTotal = new Decimal(doc.SubTotal).plus('10.00').toFixed(2);
    doc.Total = new Decimal(doc.Total).plus('10.00').toFixed(2);

    const t = await api(inst.url, token, 'GET', `/api/batch/runs/${runId}/tieout`);
    expect(t.status).toBe(200);
    expect(t.body.ties).toBe(false);
    const totals = t.body.byOrganisation.filter((r: { difference: string }) => r.difference !== '0.00');
    expect(totals).toHaveLength(1);
    expect(totals[0].difference).toBe('10.00');
    expect(t.body.differences.some((w: string) => w.includes(`invoice totals Total: Xero holds`) && w.includes('10.00 more in Xero') && w.includes(doc.Number!))).toBe(true);
    expect(t.body.differences.some((w: string) => w.startsWith(`${totals[0].organisation} `) && w.includes(`→ ${line.AccountCode}`))).toBe(true);
  }, 60_000);

  it('answers 4xx naming the field for a bad or unknown run id', async () => {
    const bad = await api(inst.url, token, 'GET', '/api/batch/runs/nope/tieout');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('id');
    const unknown = await api(inst.url, token, 'GET', '/api/batch/runs/00000000-0000-4000-8000-000000000000/tieout');
    expect(unknown.status).toBe(404);
    const noSession = await fetch(`${inst.url}/api/batch/runs/${runId}/tieout`);
    expect(noSession.status).toBe(401);
  });
});
