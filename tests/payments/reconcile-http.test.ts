// GET /api/invoices/:id/reconcile against both simulators: a freshly pushed
// invoice agrees with Xero field by field; a ConnectWise edit after the sync
// shows as drift with a re-sync that clears it; a Xero payment shows with
// "Sync payments", which clears it too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/stack.js';
import { startPaymentStack, type PaymentStack } from './helpers.js';

let s: PaymentStack;
let xeroInvoiceId: string;

beforeAll(async () => {
  s = await startPaymentStack();
  xeroInvoiceId = (await s.push(1009)).xeroInvoiceId;
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const view = async (id: number) => {
  const r = await http(`${s.url}/api/invoices/${id}/reconcile`, { token: s.token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const differing = (v: { rows: { same: boolean; field: string; note: string | null }[] }) => v.rows.filter((r) => !r.same).map((r) => `${r.field}: ${r.note}`);

describe('reconcile over HTTP', () => {
  it('a freshly pushed invoice agrees with Xero', async () => {
    const v = await view(1009);
    expect(differing(v)).toEqual([]);
    expect(v).toMatchObject({ synced: true, differences: 0, summary: 'ConnectWise and Xero agree.', fixes: [], xero: { documentId: xeroInvoiceId, number: 'INV-1009', status: 'AUTHORISED' } });
    expect(v.rows.find((r: { key: string }) => r.key === 'total')).toMatchObject({ cw: 'AUD 453.75', xero: 'AUD 453.75' });
  });

  it('a 4-decimal price, a credit memo (as a credit note allocated in Xero) and an NZ invoice agree too', async () => {
    for (const id of [1002, 1004, 1006]) await s.push(id);
    for (const id of [1002, 1004, 1006]) {
      const v = await view(id);
      expect(differing(v), `invoice ${id}`).toEqual([]);
      expect(v.synced).toBe(true);
    }
    expect((await view(1004)).xero.kind).toBe('creditNote');
    // Taxes by Xero's names with the rate, never the code.
    expect((await view(1002)).rows.find((r: { key: string }) => r.key === 'line1.tax').cw).toMatch(/^GST on Income 10% · /);
  });

  it('a ConnectWise edit after the sync shows as drift, and re-sync clears it', async () => {
    const inv = s.stack.cwSim.state.invoices.find((i) => i.id === 1009)!;
    const line = inv.lines[0]!;
    const original = Number(line.quantity); // the simulator edits this record in place
    const edit = await fetch(`${s.stack.cw.url}/__sim/invoices/1009`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lines: [{ id: line.id, quantity: String(original + 1) }] }),
    });
    expect(edit.status, await edit.text()).toBe(200);
    const v = await view(1009);
    expect(v.differences).toBeGreaterThan(0);
    const qty = v.rows.find((r: { key: string }) => r.key === 'line1.quantity');
    expect(qty.same).toBe(false);
    expect(qty.note).toBe(`Line 1 quantity: ConnectWise ${original + 1}, Xero ${original}`);
    expect(v.rows.find((r: { key: string }) => r.key === 'total').note).toMatch(/^Xero total is AUD [\d,]+\.\d{2} lower: line 1 differs\.$/);
    expect(v.fixes.map((f: { action: string }) => f.action)).toEqual(['resync']);

    const push = await http(`${s.url}/api/invoices/1009/push`, { method: 'POST', token: s.token, json: {} });
    expect(push.body.outcome, JSON.stringify(push.body)).toBe('synced');
    expect(differing(await view(1009))).toEqual([]);
  });

  it('a Xero payment shows with "Sync payments", which clears it', async () => {
    await s.pay(xeroInvoiceId, '250.00', '2026-05-21');
    const v = await view(1009);
    expect(v.rows.find((r: { key: string }) => r.key === 'amountPaid')).toMatchObject({ cw: 'AUD 0.00', xero: 'AUD 250.00', same: false, note: 'Paid in Xero AUD 250.00 but ConnectWise shows AUD 0.00.' });
    expect(v.fixes.map((f: { action: string }) => f.action)).toEqual(['pull_payments']);
    const sync = await s.syncInvoice(1009);
    expect(sync.body.updated).toBe(1);
    const after = await view(1009);
    expect(differing(after)).toEqual([]);
    expect(after.rows.find((r: { key: string }) => r.key === 'amountDue')).toMatchObject({ same: true });
  });

  it('an invoice not in Xero yet says so; a bad id is a 400 naming it', async () => {
    const v = await view(1012);
    expect(v).toMatchObject({ synced: false, rows: [], invoice: { id: 1012, invoiceNumber: 'INV-1012' } });
    expect(v.summary).toMatch(/not in Xero yet/);
    const bad = await http(`${s.url}/api/invoices/-3/reconcile`, { token: s.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('id');
  });
});
