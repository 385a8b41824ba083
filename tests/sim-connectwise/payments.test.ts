import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type Sim } from './helpers.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
});

describe('invoice payments: one record through the API', () => {
  it('POST once, a second POST is a 400, the existing record is updated instead', async () => {
    expect((await sim.get('/finance/invoices/1001/payments')).json).toEqual([]);
    const first = await sim.post('/finance/invoices/1001/payments', { amount: 500, paymentDate: '2026-03-01T00:00:00Z' });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ type: 'Payment', amount: 500, paymentDate: '2026-03-01T00:00:00Z', invoice: { id: 1001, identifier: 'INV-1001' } });
    expect((await sim.get('/finance/invoices/1001')).json).toMatchObject({ payments: 500, balance: 547.75 });

    const second = await sim.post('/finance/invoices/1001/payments', { amount: 100, paymentDate: '2026-03-05' });
    expect(second.status).toBe(400);
    expect(second.json.errors[0]).toMatchObject({ code: 'PaymentExists', resource: 'payment' });
    expect(second.json.message).toMatch(/only one payment/);

    const pid = first.json.id;
    const patched = await sim.call('PATCH', `/finance/invoices/1001/payments/${pid}`, [
      { op: 'replace', path: 'amount', value: 1047.75 },
      { op: 'replace', path: '/paymentDate', value: '2026-03-20T00:00:00Z' },
    ]);
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id: pid, amount: 1047.75, paymentDate: '2026-03-20T00:00:00Z' });
    expect((await sim.get('/finance/invoices/1001')).json).toMatchObject({ payments: 1047.75, balance: 0 });

    const put = await sim.call('PUT', `/finance/invoices/1001/payments/${pid}`, { amount: 600.1, paymentDate: '2026-03-21' });
    expect(put.status).toBe(200);
    expect((await sim.get('/finance/invoices/1001/payments')).json).toEqual([expect.objectContaining({ id: pid, amount: 600.1 })]);
    expect((await sim.get('/finance/invoices/1001')).json.balance).toBe(447.65);

    expect((await sim.call('DELETE', `/finance/invoices/1001/payments/${pid}`)).status).toBe(204);
    expect((await sim.post('/finance/invoices/1001/payments', { amount: 1, paymentDate: '2026-03-22' })).status).toBe(201);
  });

  it('refuses more than the open balance (credits count), negative or sub-cent amounts', async () => {
    // INV-1002: total 4764.57 less the applied credit 2033.90 = 2730.67 open
    const over = await sim.post('/finance/invoices/1002/payments', { amount: 2730.68, paymentDate: '2026-03-01' });
    expect(over.status).toBe(400);
    expect(over.json.errors[0].field).toBe('amount');
    expect((await sim.post('/finance/invoices/1002/payments', { amount: 10.005, paymentDate: '2026-03-01' })).json.errors[0].field).toBe('amount');
    expect((await sim.post('/finance/invoices/1002/payments', { amount: -1, paymentDate: '2026-03-01' })).status).toBe(400);
    expect((await sim.post('/finance/invoices/1002/payments', { amount: 5, paymentDate: 'soon' })).json.errors[0].field).toBe('paymentDate');
    expect((await sim.post('/finance/invoices/1002/payments', { paymentDate: '2026-03-01' })).json.errors[0].field).toBe('amount');
    const exact = await sim.post('/finance/invoices/1002/payments', { amount: 2730.67, paymentDate: '2026-03-01' });
    expect(exact.status).toBe(201);
    expect((await sim.get('/finance/invoices/1002')).json.balance).toBe(0);
  });

  it('credit memos cannot be applied through the API, nor take payments', async () => {
    const withCredit = await sim.post('/finance/invoices/1009/payments', { amount: 10, paymentDate: '2026-03-01', credit: { id: 1004 } });
    expect(withCredit.status).toBe(400);
    expect(withCredit.json.errors[0]).toMatchObject({ field: 'credit', code: 'CreditNotAllowed' });
    const creditType = await sim.post('/finance/invoices/1009/payments', { type: 'Credit', amount: 10, paymentDate: '2026-03-01' });
    expect(creditType.status).toBe(400);
    const onMemo = await sim.post('/finance/invoices/1004/payments', { amount: 10, paymentDate: '2026-03-01' });
    expect(onMemo.status).toBe(400);
    // The credit ConnectWise applied itself is readable but not changeable.
    const applied = (await sim.get('/finance/invoices/1002/payments')).json[0];
    expect(applied.type).toBe('Credit');
    expect((await sim.call('PATCH', `/finance/invoices/1002/payments/${applied.id}`, [{ op: 'replace', path: 'amount', value: 1 }])).status).toBe(400);
    expect((await sim.call('DELETE', `/finance/invoices/1002/payments/${applied.id}`)).status).toBe(400);
    // And an invoice with an applied credit can still take its one payment.
    expect((await sim.post('/finance/invoices/1002/payments', { amount: 100, paymentDate: '2026-03-01' })).status).toBe(201);
  });

  it('bad PATCH bodies and unknown records', async () => {
    const p = (await sim.post('/finance/invoices/1009/payments', { amount: 10, paymentDate: '2026-03-01' })).json;
    expect((await sim.call('PATCH', `/finance/invoices/1009/payments/${p.id}`, { amount: 5 })).status).toBe(400);
    expect((await sim.call('PATCH', `/finance/invoices/1009/payments/${p.id}`, [{ op: 'replace', path: 'invoice', value: 1 }])).json.errors[0].field).toBe('[0].path');
    expect((await sim.call('PATCH', `/finance/invoices/1009/payments/${p.id}`, [{ op: 'replace', path: 'amount', value: 'ten' }])).json.errors[0].field).toBe('amount');
    expect((await sim.get('/finance/invoices/9999/payments')).status).toBe(404);
    expect((await sim.call('PATCH', '/finance/invoices/1009/payments/999', [{ op: 'replace', path: 'amount', value: 1 }])).status).toBe(404);
  });
});
