// The per-invoice decision, pure: the ConnectWise record we wrote follows
// Xero's cash up and down (removed at zero); a record we did not write is
// never changed, only reported; credits and voids go to a person; the
// reference names the Xero payments within ConnectWise's 30 characters.
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { decidePayment, ourPaymentRecord } from '../../server/payments/payment-decision.js';
import { isPaymentReference, paymentReference, xeroPaidFrom } from '../../server/payments/xero-invoice-payments.js';
import type { CwInvoicePayments } from '../../server/payments/cw-invoice-payment.js';

const P1 = '11111111-aaaa-4aaa-8aaa-000000000001';
const P2 = '22222222-bbbb-4bbb-8bbb-000000000002';
const OP = '33333333-cccc-4ccc-8ccc-000000000003';

/** A xero-node Invoice model as the SDK hands it over (dates as Date objects, amounts as numbers). */
function xeroInvoice(over: Record<string, unknown> = {}) {
  return {
    invoiceID: 'inv-1',
    invoiceNumber: 'INV-1',
    type: 'ACCREC',
    status: 'AUTHORISED',
    total: 1000,
    amountDue: 1000,
    payments: [] as unknown[],
    overpayments: [] as unknown[],
    creditNotes: [] as unknown[],
    ...over,
  };
}

function cw(over: Partial<CwInvoicePayments> = {}): CwInvoicePayments {
  return { invoiceId: 1, invoiceNumber: 'INV-1', type: 'Standard', total: new Decimal('1000.00'), payments: [], credits: new Decimal(0), ...over };
}

describe('xeroPaidFrom', () => {
  it('cash is payments plus overpayment allocations, to the cent; credits apart; latest date', () => {
    const p = xeroPaidFrom(
      xeroInvoice({
        payments: [
          { paymentID: P1, date: new Date('2026-05-01T00:00:00Z'), amount: 0.1 },
          { paymentID: P2, date: '/Date(1778198400000+0000)/', amount: 0.2 },
        ],
        overpayments: [{ overpaymentID: OP, date: new Date('2026-05-03T00:00:00Z'), appliedAmount: 100.05 }],
        creditNotes: [{ creditNoteID: 'cn-1', creditNoteNumber: 'CN-9', appliedAmount: 50 }],
      }),
    );
    expect(p.cash.toFixed(2)).toBe('100.35'); // 0.1 + 0.2 + 100.05 exactly, not 100.35000000000001
    expect(p.cashItems.map((c) => c.id)).toEqual([`p:${P1}`, `p:${P2}`, `o:${OP}`]);
    expect(p.latestDate).toBe('2026-05-08');
    expect(p.creditTotal.toFixed(2)).toBe('50.00');
  });
});

describe('paymentReference', () => {
  it('names the Xero payments by short id within 30 characters', () => {
    expect(paymentReference([{ id: `p:${P1}` }])).toBe('Xero 111111');
    expect(paymentReference([{ id: `p:${P1}` }, { id: `o:${OP}` }])).toBe('Xero 111111 333333');
    const many = Array.from({ length: 7 }, (_, i) => ({ id: `p:${String(i).repeat(8)}-0000` }));
    const ref = paymentReference(many);
    expect(ref.length).toBeLessThanOrEqual(30);
    expect(ref).toMatch(/^Xero( \d{6})+ \+\d$/);
    expect(isPaymentReference(ref)).toBe(true);
    expect(isPaymentReference('Xero 111111 333333')).toBe(true);
    expect(isPaymentReference('Xero')).toBe(false);
    expect(isPaymentReference('jsmith')).toBe(false);
    expect(isPaymentReference('Xero payment 1')).toBe(false);
    expect(isPaymentReference(null)).toBe(false);
  });
});

describe('decidePayment', () => {
  const paid = (amount: number, id = P1, date = '2026-05-10') => xeroPaidFrom(xeroInvoice({ payments: [{ paymentID: id, date, amount }] }));
  const none = { itemIds: [], cwPaymentId: null };
  /** Our record: the ledger names it. */
  const ours = (amount: string, date = '2026-05-10') => ({ id: 7, amount: new Decimal(amount), date, appliedBy: 'Xero 111111' });
  const amountOf = (a: { kind: string; amount?: Decimal }) => a.amount?.toFixed(2);

  it('no ConnectWise payment yet → create it with Xero\'s cash and date', () => {
    const d = decidePayment(paid(250.5), cw(), none);
    expect(d.action).toMatchObject({ kind: 'create', date: '2026-05-10', appliedBy: 'Xero 111111' });
    expect(amountOf(d.action)).toBe('250.50');
    expect(d.itemIds).toEqual([`p:${P1}`]);
    expect(d.ours).toMatchObject({ id: null, date: '2026-05-10' });
    expect(d.notes).toEqual([]);
  });

  it('our record below Xero → update it', () => {
    const d = decidePayment(paid(400), cw({ payments: [ours('250.50', '2026-05-01')] }), { itemIds: [`p:${P2}`], cwPaymentId: 7 });
    expect(d.action).toMatchObject({ kind: 'update', paymentId: 7 });
    expect(amountOf(d.action)).toBe('400.00');
  });

  it('same amount and date → nothing to write, the ledger learns the ids (recovery after a crash: our reference, no ledger id)', () => {
    const d = decidePayment(paid(400), cw({ payments: [ours('400')] }), none);
    expect(d.action).toEqual({ kind: 'none' });
    expect(d.itemIds).toEqual([`p:${P1}`]);
    expect(d.ours).toMatchObject({ id: 7 });
    expect(d.notes).toEqual([]);
  });

  it('same amount, later date (a payment replaced by another) → date updated', () => {
    const d = decidePayment(paid(400, P2, '2026-05-12'), cw({ payments: [ours('400')] }), { itemIds: [`p:${P1}`], cwPaymentId: 7 });
    expect(d.action).toMatchObject({ kind: 'update', date: '2026-05-12', appliedBy: 'Xero 222222' });
  });

  it('Xero below our record (a payment deleted, moved or refunded) → lowered to Xero\'s cash, to the cent, dated by what is left', () => {
    const d = decidePayment(paid(100.1, P1, '2026-05-09'), cw({ payments: [ours('400.35')] }), { itemIds: [`p:${P1}`, `p:${P2}`], cwPaymentId: 7 });
    expect(d.action).toMatchObject({ kind: 'update', paymentId: 7, date: '2026-05-09', appliedBy: 'Xero 111111' });
    expect(amountOf(d.action)).toBe('100.10');
    expect(d.itemIds).toEqual([`p:${P1}`]);
    expect(d.notes).toEqual([]);
  });

  it('nothing paid in Xero any more → our record removed', () => {
    const d = decidePayment(xeroPaidFrom(xeroInvoice()), cw({ payments: [ours('42.10')] }), { itemIds: [`p:${P1}`], cwPaymentId: 7 });
    expect(d.action).toEqual({ kind: 'delete', paymentId: 7 });
    expect(d.itemIds).toEqual([]);
    expect(d.ours).toBeNull();
  });

  it('a record we did not write is never changed, up or down: reported, with no amounts in the stored words', () => {
    const theirs = { id: 9, amount: new Decimal('50.00'), date: '2026-05-02', appliedBy: 'jsmith' };
    for (const xero of [paid(80), paid(20), xeroPaidFrom(xeroInvoice())]) {
      const d = decidePayment(xero, cw({ payments: [theirs] }), none);
      expect(d.action).toEqual({ kind: 'none' });
      expect(d.notes.map((n) => n.code)).toEqual(['cw_payment_not_ours']);
      expect(d.notes[0]!.message).toContain('not written by the sync: 50.00 on 2026-05-02 by jsmith');
      expect(d.notes[0]!.storedMessage).not.toMatch(/\d+\.\d{2}|jsmith/);
    }
    // The ledger names record 7 as ours; record 9 beside it is a person's: nothing is written.
    const both = decidePayment(paid(20), cw({ payments: [ours('80'), { ...theirs, appliedBy: 'Xero 999999' }] }), { itemIds: [], cwPaymentId: 7 });
    expect(both.action).toEqual({ kind: 'none' });
    expect(both.notes.map((n) => n.code)).toEqual(['cw_payment_not_ours']);
    // A person recorded exactly what Xero holds: nothing to do, nothing to tell.
    expect(decidePayment(paid(50), cw({ payments: [theirs] }), none)).toMatchObject({ action: { kind: 'none' }, notes: [] });
  });

  it('which record is ours: the ledger\'s, else one carrying our reference', () => {
    const a = { id: 1, amount: new Decimal(1), date: null, appliedBy: 'Xero 111111' };
    const b = { id: 2, amount: new Decimal(1), date: null, appliedBy: 'jsmith' };
    expect(ourPaymentRecord([a, b], 2)).toBe(b);
    expect(ourPaymentRecord([a, b], null)).toBe(a);
    expect(ourPaymentRecord([b], null)).toBeUndefined();
    expect(ourPaymentRecord([a], 5)).toBeUndefined(); // the one we wrote was removed by a person; this one is not known to be ours
  });

  it('Xero cash beyond ConnectWise\'s open balance → a person, not a refused write', () => {
    const d = decidePayment(paid(900), cw({ total: new Decimal('1000'), credits: new Decimal('200') }), none);
    expect(d.action).toEqual({ kind: 'none' });
    expect(d.notes.map((n) => n.code)).toEqual(['exceeds_cw_balance']);
  });

  it('credits: only what Xero applies beyond ConnectWise\'s own credits is reported, and they are not cash', () => {
    const withCredit = (amount: number) => xeroPaidFrom(xeroInvoice({ creditNotes: [{ creditNoteID: 'cn-1', creditNoteNumber: 'CN-9', appliedAmount: amount }] }));
    expect(decidePayment(withCredit(50), cw({ credits: new Decimal(50) }), none).notes).toEqual([]);
    const more = decidePayment(withCredit(80), cw({ credits: new Decimal(50) }), none);
    expect(more.notes.map((n) => n.code)).toEqual(['credit_note_allocation']);
    expect(more.notes[0]!.message).toContain('CN-9');
    expect(more.action).toEqual({ kind: 'none' });
  });

  it('a voided Xero invoice: our record removed, and a person told to credit ConnectWise\'s invoice', () => {
    const d = decidePayment(xeroPaidFrom(xeroInvoice({ status: 'VOIDED' })), cw({ payments: [ours('10')] }), { itemIds: [`p:${P1}`], cwPaymentId: 7 });
    expect(d.action).toEqual({ kind: 'delete', paymentId: 7 });
    expect(d.notes.map((n) => n.code)).toEqual(['xero_document_void']);
    expect(decidePayment(xeroPaidFrom(xeroInvoice({ status: 'VOIDED' })), cw(), none)).toMatchObject({ action: { kind: 'none' }, notes: [] });
  });
});
