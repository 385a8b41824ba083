// Payments follow Xero's net, both ways (issue 9, points 4 and 5), over HTTP
// against both simulators: a payment deleted in Xero lowers ConnectWise's
// record and removes it at zero; a payment moved to another invoice moves in
// ConnectWise too; an overpayment refunded in Xero leaves only the cash that
// stays; a payment record a person entered in ConnectWise is reported and
// never touched; a re-push Xero refused leaves payments and the Reconcile tab
// working on the Xero document that exists, for the schedule too; each
// invoice counts once in the run's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AU_ORG, startPaymentStack, type PaymentStack } from './helpers.js';
import { http } from '../support/stack.js';
import { startPaymentSchedule } from '../../server/payments/payment-schedule.js';
import type { PaymentRunResult } from '../../server/payments/payment-sync.js';
import { atRestText } from '../support/at-rest.js';

let s: PaymentStack;
const pushed = new Map<number, string>();

beforeAll(async () => {
  s = await startPaymentStack();
  for (const id of [1001, 1009, 1011, 1012, 1015, 1016]) pushed.set(id, (await s.push(id)).xeroInvoiceId);
  // Every invoice checked once, so each test's run counts only what it changed.
  const first = await s.syncAll();
  expect(first.body).toMatchObject({ checked: 6, updated: 0, unchanged: 6, needsAttention: [], errors: [] });
  expect(first.body.message).toBe('Checked 6 invoices, 6 already in step.');
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const xeroId = (id: number) => pushed.get(id)!;
const short = (paymentId: string) => paymentId.replace(/-/g, '').slice(0, 6);
const amounts = (id: number) => s.cwPayments(id).map((p) => p.amount.toFixed(2));

async function ledgerRow(id: number) {
  return s.stack.server.deps.db.k.selectFrom('payment_ledger').selectAll().where('tenant_id', '=', 'democo').where('cw_invoice_id', '=', String(id)).executeTakeFirst();
}

async function simXero(path: string, body: unknown) {
  const r = await fetch(`${s.stack.xero!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(r.status, await r.clone().text()).toBeLessThan(300);
  return r.json() as Promise<Record<string, unknown>>;
}

describe('payments follow Xero\'s net', () => {
  it('a payment deleted in Xero lowers ConnectWise\'s record to the cent, and the last one removes it', async () => {
    const p1 = await s.pay(xeroId(1011), '300.00', '2026-05-11');
    const p2 = await s.pay(xeroId(1011), '200.05', '2026-05-12');
    const up = await s.syncInvoice(1011);
    expect(up.body).toMatchObject({ checked: 1, updated: 1, unchanged: 0, needsAttention: [], errors: [] });
    expect(up.body.message).toBe('Checked 1 invoice, 1 updated in ConnectWise.');
    const [before] = s.cwPayments(1011);
    expect(before).toMatchObject({ amount: 500.05, appliedBy: `Xero ${short(p1)} ${short(p2)}` });

    await s.reversePayment(p2);
    const down = await s.syncInvoice(1011);
    expect(down.body).toMatchObject({ checked: 1, updated: 1, unchanged: 0, needsAttention: [], errors: [] });
    expect(down.body.message).toBe('Checked 1 invoice, 1 updated in ConnectWise.');
    const after = s.cwPayments(1011);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(before!.id); // the same record, lowered
    expect(after[0]!.amount.toFixed(2)).toBe('300.00');
    expect(after[0]!.paymentDate.slice(0, 10)).toBe('2026-05-11'); // the date of the payment that stays
    expect(after[0]!.appliedBy).toBe(`Xero ${short(p1)}`);
    expect(await ledgerRow(1011)).toMatchObject({ state: 'in_step', xero_item_ids: `p:${p1}`, cw_payment_id: before!.id });
    const balance = await http(`${s.url}/api/invoices/1011`, { token: s.token });
    expect(balance.body.balance).toBe('498.60'); // 798.60 − 300.00

    await s.reversePayment(p1);
    const gone = await s.syncAll();
    expect(gone.body).toMatchObject({ checked: 1, updated: 1, unchanged: 0, needsAttention: [], errors: [] });
    expect(s.cwPayments(1011)).toEqual([]);
    expect(await ledgerRow(1011)).toMatchObject({ state: 'in_step', xero_item_ids: '', cw_payment_id: null });
    const audit = await s.stack.server.deps.db.k.selectFrom('audit_log').select('outcome').where('subject', '=', 'invoice:1011').where('action', '=', 'payment.synced').execute();
    expect(audit.map((a) => a.outcome)).toEqual(['created', 'updated', 'removed']);
  });

  it('a payment moved to another invoice in Xero (removed, entered again there) moves in ConnectWise', async () => {
    const first = await s.pay(xeroId(1012), '100.00', '2026-05-12');
    expect((await s.syncInvoice(1012)).body.updated).toBe(1);
    expect(amounts(1012)).toEqual(['100.00']);

    // Xero payments cannot be edited: "Remove and Redo" on the right invoice.
    await s.reversePayment(first);
    const moved = await s.pay(xeroId(1015), '100.00', '2026-05-12');
    const r = await s.syncAll();
    expect(r.body).toMatchObject({ checked: 2, updated: 2, unchanged: 0, needsAttention: [], errors: [] });
    expect(r.body.message).toBe('Checked 2 invoices, 2 updated in ConnectWise.');
    expect(s.cwPayments(1012)).toEqual([]);
    expect(s.cwPayments(1015)).toMatchObject([{ amount: 100, appliedBy: `Xero ${short(moved)}` }]);
  });

  it('an overpayment refunded in Xero leaves only the cash that stays on the invoice', async () => {
    const api = await s.xero();
    const contactId = (await api.getInvoice(AU_ORG, xeroId(1009))).body.invoices![0]!.contact!.contactID!;
    const op = await simXero('/__sim/overpayments', { tenantId: AU_ORG, contactId, amount: '60.00', date: '2026-05-14' });
    const overpaymentId = op.OverpaymentID as string;
    const alloc = await api.createOverpaymentAllocations(AU_ORG, overpaymentId, { allocations: [{ invoice: { invoiceID: xeroId(1009) }, amount: 60, date: '2026-05-14' }] });
    const allocationId = alloc.body.allocations![0]!.allocationID!;
    await s.pay(xeroId(1009), '40.05', '2026-05-15');
    expect((await s.syncInvoice(1009)).body.updated).toBe(1);
    expect(amounts(1009)).toEqual(['100.05']);

    // The customer asks for the overpayment back. Credit allocated to an invoice cannot be refunded…
    const refund = { overpayment: { overpaymentID: overpaymentId }, account: { code: '090' }, amount: 60, date: '2026-05-20' };
    // (xero-node rejects with the response as JSON text.)
    const refused = await api.createPayment(AU_ORG, refund).then(
      () => null,
      (e: unknown) => (typeof e === 'string' ? JSON.parse(e) : e) as { response: { statusCode: number }; body: { Elements: { ValidationErrors: { Message: string }[] }[] } },
    );
    expect(refused?.response.statusCode).toBe(400);
    expect(refused?.body.Elements[0]!.ValidationErrors[0]!.Message).toMatch(/AUTHORISED .*PAID/);
    // …so the allocation is removed first, then the credit refunded.
    await api.deleteOverpaymentAllocations(AU_ORG, overpaymentId, allocationId);
    const refunded = await api.createPayment(AU_ORG, refund);
    expect(refunded.body.payments![0]).toMatchObject({ paymentType: 'AROVERPAYMENTPAYMENT', amount: 60 });
    const after = (await api.getOverpayment(AU_ORG, overpaymentId)).body.overpayments![0]!;
    expect(after).toMatchObject({ status: 'PAID', remainingCredit: 0 });
    expect(after.payments).toHaveLength(1);

    const r = await s.syncAll();
    expect(r.body).toMatchObject({ checked: 1, updated: 1, unchanged: 0, needsAttention: [], errors: [] });
    expect(amounts(1009)).toEqual(['40.05']);
    expect(s.cwPayments(1009)[0]!.paymentDate.slice(0, 10)).toBe('2026-05-15');
  });

  it('a payment record a person entered in ConnectWise is reported and never changed; once they remove it, ours is written', async () => {
    const theirs = s.cwPaymentByHand(1016, 50, '2026-05-02', 'jsmith');
    const before = s.cwPayments(1016);
    await s.pay(xeroId(1016), '80.00', '2026-05-10');

    const r = await s.syncInvoice(1016);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ checked: 1, updated: 0, unchanged: 0, errors: [] });
    expect(r.body.message).toBe('Checked 1 invoice, 1 needs a person.');
    expect(r.body.needsAttention).toHaveLength(1);
    expect(r.body.needsAttention[0].message).toContain('ConnectWise invoice INV-1016 has a payment record the sync did not write');
    expect(r.body.needsAttention[0].message).toContain('Paid in Xero: USD 80.00; ConnectWise shows USD 50.00 (not written by the sync: USD 50.00 on 2026-05-02 by jsmith).');
    expect(s.cwPayments(1016)).toEqual(before);
    const row = (await ledgerRow(1016))!;
    expect(row).toMatchObject({ state: 'needs_attention', attention_code: 'cw_payment_not_ours', cw_payment_id: null });
    expect(row.message).not.toMatch(/\d+\.\d{2}|jsmith/);
    const rv = await http(`${s.url}/api/invoices/1016/reconcile`, { token: s.token });
    expect(rv.body.paymentNotes[0]).toMatch(/did not write/);
    expect(rv.body.rows.find((x: { key: string }) => x.key === 'amountPaid')).toMatchObject({ cw: 'USD 50.00', xero: 'USD 80.00', same: false });

    // The person removes their record in ConnectWise: the next sync writes ours.
    s.stack.cwSim.state.payments = s.stack.cwSim.state.payments.filter((p) => p.id !== theirs);
    const next = await s.syncInvoice(1016);
    expect(next.body).toMatchObject({ checked: 1, updated: 1, needsAttention: [], errors: [] });
    expect(amounts(1016)).toEqual(['80.00']);
    expect((await ledgerRow(1016))!.state).toBe('in_step');
  });

  it('a re-push Xero refused keeps payments syncing (the schedule too) and the Reconcile tab comparing', async () => {
    await s.pay(xeroId(1001), '100.00', '2026-05-16');
    expect((await s.syncInvoice(1001)).body.updated).toBe(1);

    // ConnectWise changes after the sync; Xero will not take a change to a document with a payment.
    const line = s.stack.cwSim.state.invoices.find((i) => i.id === 1001)!.lines[0]!;
    const edit = await fetch(`${s.stack.cw.url}/__sim/invoices/1001`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lines: [{ id: line.id, quantity: String(Number(line.quantity) + 1) }] }),
    });
    expect(edit.status).toBe(200);
    const push = await http(`${s.url}/api/invoices/1001/push`, { method: 'POST', token: s.token, json: {} });
    expect(push.body.outcome, JSON.stringify(push.body)).toBe('needs_attention');
    const syncRow = await s.stack.server.deps.db.k.selectFrom('sync_ledger').selectAll().where('tenant_id', '=', 'democo').where('cw_record_id', '=', '1001').executeTakeFirstOrThrow();
    expect(syncRow).toMatchObject({ state: 'needs_attention', error_code: 'xero_not_editable', xero_document_id: xeroId(1001) });

    // The scheduled run takes it up (it used to skip it silently).
    await s.pay(xeroId(1001), '50.00', '2026-05-17');
    const runs: PaymentRunResult[] = [];
    const schedule = startPaymentSchedule(s.stack.server.deps, { tickMs: 0, onRun: (_t, r) => runs.push(r) });
    try {
      expect(await schedule.tick()).toBe(1);
    } finally {
      schedule.stop();
    }
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ updated: 1, needsAttention: [], errors: [] }); // 1001 (others the dialog synced alone are checked again, in step)
    expect(amounts(1001)).toEqual(['150.00']);

    // "Sync payments" in the dialog answers for it instead of "not in Xero yet".
    const single = await s.syncInvoice(1001);
    expect(single.status, JSON.stringify(single.body)).toBe(200);
    expect(single.body).toMatchObject({ checked: 1, updated: 0, unchanged: 1, needsAttention: [], errors: [] });

    // The Reconcile tab compares with the document in Xero: payments agree, the line change shows.
    const rv = await http(`${s.url}/api/invoices/1001/reconcile`, { token: s.token });
    expect(rv.status).toBe(200);
    expect(rv.body).toMatchObject({ synced: true, xero: { documentId: xeroId(1001) } });
    expect(rv.body.rows.find((x: { key: string }) => x.key === 'amountPaid')).toMatchObject({ cw: 'AUD 150.00', xero: 'AUD 150.00', same: true });
    expect(rv.body.rows.find((x: { key: string }) => x.key === 'line1.quantity')).toMatchObject({ same: false });
  });

  it('keeps no amounts or names at rest', async () => {
    const k = s.stack.server.deps.db.k;
    const rows = [...(await k.selectFrom('payment_ledger').selectAll().execute()), ...(await k.selectFrom('audit_log').selectAll().where('action', 'like', 'payment%').execute())];
    const text = atRestText(rows);
    for (const v of ['300.00', '200.05', '500.05', '100.00', '60.00', '40.05', '100.05', '80.00', '50.00', '150.00', 'jsmith']) expect(text).not.toContain(v);
  });
});
