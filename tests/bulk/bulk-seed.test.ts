// The ConnectWise simulator's bulk-seed control: N invoices for M customers,
// unposted, with ids that never collide with the seed or an earlier bulk
// seed; totals computed by the simulator's own arithmetic; bad bodies → 400
// naming the field.
import { describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import { createCwSim } from '../../sim/connectwise/index.js';
import { isPosted, toCwInvoice } from '../../sim/connectwise/views.js';

const post = (sim: ReturnType<typeof createCwSim>, body: unknown) =>
  sim.app.request('/__sim/bulk-seed', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /__sim/bulk-seed', () => {
  it('adds N unposted invoices spread over M new customers, and adds up on a second call', async () => {
    const sim = createCwSim();
    const before = sim.state.invoices.length;
    const r = await post(sim, { invoices: 30, customers: 7 });
    expect(r.status).toBe(200);
    const a = (await r.json()) as { invoiceIds: number[]; companyIds: number[]; glEntryIds: number[] };
    expect(a.invoiceIds).toHaveLength(30);
    expect(a.companyIds).toHaveLength(7);
    expect(sim.state.invoices.length).toBe(before + 30);
    const customers = new Set(a.invoiceIds.map((id) => sim.state.invoices.find((i) => i.id === id)!.billToCompanyId));
    expect(customers.size).toBe(7);
    for (const id of a.invoiceIds) {
      const inv = sim.state.invoices.find((i) => i.id === id)!;
      expect(isPosted(sim.state, inv)).toBe(false);
      // 1 + (n mod 7)/4 hours at 165.00 and 1 + (n mod 5) licences at 36.30; GST 10 % per line, to the cent.
      const n = id - 200_000;
      const round = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      const time = round(new Decimal(n % 7).times('0.25').plus(1).times('165.00'));
      const licences = round(new Decimal(1 + (n % 5)).times('36.30'));
      const tax = round(time.times('0.1')).plus(round(licences.times('0.1')));
      expect(new Decimal(String(toCwInvoice(sim.state, inv).total)).toFixed(2)).toBe(time.plus(licences).plus(tax).toFixed(2));
    }
    const second = (await (await post(sim, { invoices: 5, customers: 2 })).json()) as { invoiceIds: number[]; glEntryIds: number[] };
    expect(second.invoiceIds.some((id) => a.invoiceIds.includes(id))).toBe(false);
    expect(second.glEntryIds.some((id) => a.glEntryIds.includes(id))).toBe(false);
    expect(new Set(sim.state.invoices.map((i) => i.invoiceNumber)).size).toBe(sim.state.invoices.length);
  });

  it('refuses a bad body with the field named', async () => {
    const sim = createCwSim();
    const r = await post(sim, { invoices: 0, customers: 3 });
    expect(r.status).toBe(400);
    expect(JSON.stringify(await r.json())).toMatch(/invoices/);
    const r2 = await post(sim, { invoices: 3, customers: 3, colour: 'red' });
    expect(r2.status).toBe(400);
  });
});
