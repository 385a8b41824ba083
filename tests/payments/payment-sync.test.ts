// Payments made in Xero (through the Xero simulator's API, with xero-node)
// reach the ConnectWise simulator's invoice: once, to the cent, under
// concurrent runs and a crash between the ConnectWise write and the ledger
// write; partial then final; a payment deleted in Xero takes ConnectWise's
// record away; credit-note allocation goes to a person; an overpayment
// counts as cash. Over HTTP against the real server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AU_ORG, startPaymentStack, type PaymentStack } from './helpers.js';
import { http } from '../support/stack.js';
import { atRestText } from '../support/at-rest.js';

let s: PaymentStack;
const pushed = new Map<number, { xeroInvoiceId: string; number: string }>();

beforeAll(async () => {
  s = await startPaymentStack();
  for (const id of [1001, 1009, 1011, 1012, 1015, 1016]) pushed.set(id, await s.push(id));
}, 120_000);
afterAll(async () => {
  await s?.close();
});
afterEach(() => {
  delete s.stack.server.deps.faults;
});

const xeroId = (id: number) => pushed.get(id)!.xeroInvoiceId;

async function ledgerRow(id: number) {
  return s.stack.server.deps.db.k.selectFrom('payment_ledger').selectAll().where('tenant_id', '=', 'democo').where('cw_invoice_id', '=', String(id)).executeTakeFirst();
}

describe('payment sync over HTTP', () => {
  it('a Xero payment reaches ConnectWise once, to the cent, with the date and a reference naming it', async () => {
    const paymentId = await s.pay(xeroId(1009), '100.05', '2026-05-10');
    const first = await s.syncAll();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.busy).toBe(false);
    expect(first.body.updated).toBe(1);
    expect(first.body.errors).toEqual([]);
    const cw = s.cwPayments(1009);
    expect(cw).toHaveLength(1);
    expect(cw[0]!.type).toBe('Payment');
    expect(cw[0]!.amount.toFixed(2)).toBe('100.05');
    expect(cw[0]!.paymentDate.slice(0, 10)).toBe('2026-05-10');
    expect(cw[0]!.appliedBy).toBe(`Xero ${paymentId.replace(/-/g, '').slice(0, 6)}`);

    // Again, and again for this one invoice: nothing more reaches ConnectWise.
    const second = await s.syncAll();
    expect(second.body.updated).toBe(0);
    const single = await s.syncInvoice(1009);
    expect(single.status).toBe(200);
    expect(single.body).toMatchObject({ checked: 1, updated: 0, unchanged: 1, needsAttention: [], errors: [] });
    expect(s.cwPayments(1009)).toEqual(cw);

    const row = await ledgerRow(1009);
    expect(row).toMatchObject({ state: 'in_step', xero_item_ids: `p:${paymentId}`, cw_payment_id: cw[0]!.id, xero_invoice_id: xeroId(1009) });
  });

  it('a partial then a final payment: ConnectWise\'s one record goes from part to full', async () => {
    const p1 = await s.pay(xeroId(1011), '300.00', '2026-05-11');
    const a = await s.syncInvoice(1011);
    expect(a.body).toMatchObject({ checked: 1, updated: 1 });
    const part = s.cwPayments(1011);
    expect(part).toHaveLength(1);
    expect(part[0]!.amount.toFixed(2)).toBe('300.00');

    const inv = (await (await s.xero()).getInvoice(AU_ORG, xeroId(1011))).body.invoices![0]!;
    const rest = (Math.round(inv.amountDue! * 100) / 100).toFixed(2);
    expect(rest).toBe('498.60'); // 798.60 − 300.00
    const p2 = await s.pay(xeroId(1011), rest, '2026-05-20');
    const b = await s.syncInvoice(1011);
    expect(b.body).toMatchObject({ checked: 1, updated: 1, needsAttention: [], errors: [] });
    const full = s.cwPayments(1011);
    expect(full).toHaveLength(1);
    expect(full[0]!.id).toBe(part[0]!.id);
    expect(full[0]!.amount.toFixed(2)).toBe('798.60');
    expect(full[0]!.paymentDate.slice(0, 10)).toBe('2026-05-20');
    const cwInvoice = await http(`${s.url}/api/invoices/1011`, { token: s.token });
    expect(cwInvoice.body.balance).toBe('0.00');
    expect((await ledgerRow(1011))!.xero_item_ids.split(',').sort()).toEqual([`p:${p1}`, `p:${p2}`].sort());
  });

  it('two runs at once write ConnectWise once', async () => {
    await s.pay(xeroId(1012), '55.55', '2026-05-12');
    // ConnectWise answers slowly, so the runs would overlap on the read-then-write without the run lease.
    await fetch(`${s.stack.cw.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 150 }) });
    const [a, b, c] = await Promise.all([s.syncInvoice(1012), s.syncInvoice(1012), s.syncAll()]).finally(() =>
      fetch(`${s.stack.cw.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 0 }) }),
    );
    for (const r of [a, b, c]) {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.errors).toEqual([]);
      expect(r.body.busy).toBe(false); // the later ones waited for the first, then found ConnectWise in step
    }
    expect(a.body.updated + b.body.updated + c.body.updated).toBe(1);
    const cw = s.cwPayments(1012);
    expect(cw).toHaveLength(1);
    expect(cw[0]!.amount.toFixed(2)).toBe('55.55');
  });

  it('a crash between the ConnectWise write and the ledger write: the next run only records the ledger', async () => {
    const paymentId = await s.pay(xeroId(1015), '20.00', '2026-05-13');
    let crashes = 0;
    s.stack.server.deps.faults = {
      afterCwPaymentWrite: () => {
        crashes++;
        throw new Error('simulated crash after the ConnectWise write');
      },
    };
    const crashed = await s.syncInvoice(1015);
    expect(crashes).toBe(1);
    expect(crashed.status).toBe(200);
    expect(crashed.body.errors).toHaveLength(1);
    expect(s.cwPayments(1015).map((p) => p.amount)).toEqual([20]);
    expect((await ledgerRow(1015))!.xero_item_ids).toBe(''); // the ledger never heard of it

    delete s.stack.server.deps.faults;
    const next = await s.syncAll();
    expect(next.body.errors).toEqual([]);
    expect(next.body.needsAttention).toEqual([]);
    expect(s.cwPayments(1015).map((p) => p.amount)).toEqual([20]);
    expect(await ledgerRow(1015)).toMatchObject({ state: 'in_step', xero_item_ids: `p:${paymentId}` });
  });

  it('a payment deleted in Xero after it reached ConnectWise takes ConnectWise\'s record away; the Reconcile tab agrees again', async () => {
    const paymentId = await s.pay(xeroId(1016), '42.10', '2026-05-14');
    expect((await s.syncInvoice(1016)).body.updated).toBe(1);
    expect(s.cwPayments(1016).map((p) => p.amount.toFixed(2))).toEqual(['42.10']);

    await s.reversePayment(paymentId);
    const r = await s.syncAll();
    expect(r.body.errors).toEqual([]);
    expect(r.body.needsAttention.filter((n: { cwInvoiceId: number }) => n.cwInvoiceId === 1016)).toEqual([]);
    expect(s.cwPayments(1016)).toEqual([]);
    expect(await ledgerRow(1016)).toMatchObject({ state: 'in_step', xero_item_ids: '', cw_payment_id: null });

    const rv = await http(`${s.url}/api/invoices/1016/reconcile`, { token: s.token });
    expect(rv.status).toBe(200);
    expect(rv.body.paymentNotes).toEqual([]);
    expect(rv.body.rows.find((r: { key: string }) => r.key === 'amountPaid')).toMatchObject({ cw: 'USD 0.00', xero: 'USD 0.00', same: true });

    // Nothing more to do on the next run.
    const again = await s.syncInvoice(1016);
    expect(again.body).toMatchObject({ checked: 1, updated: 0, unchanged: 1, needsAttention: [] });
    expect(again.body.message).toBe('Checked 1 invoice, 1 already in step.');
  });

  it('a credit note allocated in Xero is reported for a person, never applied in ConnectWise', async () => {
    const api = await s.xero();
    const inv = (await api.getInvoice(AU_ORG, xeroId(1001))).body.invoices![0]!;
    const cn = await api.createCreditNotes(AU_ORG, {
      creditNotes: [
        { type: 'ACCRECCREDIT' as never, contact: { contactID: inv.contact!.contactID! }, date: '2026-05-15', status: 'AUTHORISED' as never, lineAmountTypes: 'Exclusive' as never, lineItems: [{ description: 'Goodwill', quantity: 1, unitAmount: 50, accountCode: '200', taxType: 'OUTPUT' }] },
      ],
    });
    const cnId = cn.body.creditNotes![0]!.creditNoteID!;
    await api.createCreditNoteAllocation(AU_ORG, cnId, { allocations: [{ invoice: { invoiceID: xeroId(1001) }, amount: 55, date: '2026-05-15' }] });

    const r = await s.syncInvoice(1001);
    expect(r.body.updated).toBe(0);
    expect(r.body.needsAttention).toHaveLength(1);
    expect(r.body.needsAttention[0].message).toMatch(/ConnectWise cannot take a credit application through its API/);
    expect(r.body.needsAttention[0].message).toContain('Credited in Xero: AUD 55.00');
    expect(s.cwPayments(1001).filter((p) => p.type !== 'Credit')).toEqual([]);
    expect((await ledgerRow(1001))!.attention_code).toBe('credit_note_allocation');
  });

  it('an overpayment allocated to an invoice is cash: ConnectWise takes it', async () => {
    const api = await s.xero();
    const inv = (await api.getInvoice(AU_ORG, xeroId(1009))).body.invoices![0]!;
    const op = await fetch(`${s.stack.xero!.url}/__sim/overpayments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: AU_ORG, contactId: inv.contact!.contactID, amount: '30.00', date: '2026-05-16' }),
    });
    expect(op.status).toBe(201);
    const overpaymentId = ((await op.json()) as { OverpaymentID: string }).OverpaymentID;
    await api.createOverpaymentAllocations(AU_ORG, overpaymentId, { allocations: [{ invoice: { invoiceID: xeroId(1009) }, amount: 30, date: '2026-05-16' }] });

    const r = await s.syncAll();
    expect(r.body.errors).toEqual([]);
    const cw = s.cwPayments(1009);
    expect(cw).toHaveLength(1);
    expect(cw[0]!.amount.toFixed(2)).toBe('130.05'); // 100.05 paid + 30.00 overpayment
    expect(cw[0]!.paymentDate.slice(0, 10)).toBe('2026-05-16');
    expect((await ledgerRow(1009))!.xero_item_ids).toContain(`o:${overpaymentId}`);
  });

  it('refuses bad input in words, and an invoice not in Xero yet', async () => {
    const bad = await s.syncInvoice(0);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('id');
    const letters = await http(`${s.url}/api/invoices/abc/payments/sync`, { method: 'POST', token: s.token, json: {} });
    expect(letters.status).toBe(400);
    const notSynced = await s.syncInvoice(1005);
    expect(notSynced.status).toBe(409);
    expect(notSynced.body.error.message).toMatch(/not in Xero yet/);
    const anon = await http(`${s.url}/api/payments/sync`, { method: 'POST', json: {} });
    expect(anon.status).toBe(401);
  });

  it('keeps no amounts at rest: the payment ledger and audit log hold ids, states and words only', async () => {
    const k = s.stack.server.deps.db.k;
    const rows = [
      ...(await k.selectFrom('payment_ledger').selectAll().execute()),
      ...(await k.selectFrom('payment_sync_tenants').selectAll().execute()),
      ...(await k.selectFrom('payment_sync_watermarks').selectAll().execute()),
      ...(await k.selectFrom('audit_log').selectAll().where('action', 'like', 'payment%').execute()),
    ];
    expect(rows.length).toBeGreaterThan(5);
    const text = atRestText(rows);
    expect(text).toContain('<time>');
    for (const amount of ['100.05', '130.05', '300.00', '798.60', '498.60', '55.55', '42.10', '20.00', '55.00', '30.00']) expect(text).not.toContain(amount);
  });
});
