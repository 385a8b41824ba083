// The per-invoice decision, pure: ConnectWise is brought up to Xero's cash,
// never down; credits and voids go to a person; the reference names the
// Xero payments within ConnectWise's 30 characters.
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { decidePayment } from '../../server/payments/payment-decision.js';
import { paymentReference, xeroPaidFrom } from '../../server/payments/xero-invoice-payments.js';
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
  return { invoiceId: 1, invoiceNumber: 'INV-1', type: 'Standard', total: new Decimal('1000.00'), payment: undefined, credits: new Decimal(0), ...over };
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
  });
});

describe('decidePayment', () => {
  const paid = (amount: number, id = P1, date = '2026-05-10') => xeroPaidFrom(xeroInvoice({ payments: [{ paymentID: id, date, amount }] }));

  it('no ConnectWise payment yet → create it with Xero\'s cash and date', () => {
    const d = decidePayment(paid(250.5), cw(), []);
    expect(d.action).toMatchObject({ kind: 'create', date: '2026-05-10', appliedBy: 'Xero 111111' });
    expect(d.action.kind === 'create' && d.action.amount.toFixed(2)).toBe('250.50');
    expect(d.itemIds).toEqual([`p:${P1}`]);
    expect(d.notes).toEqual([]);
  });

  it('ConnectWise below Xero → update the one record', () => {
    const d = decidePayment(paid(400), cw({ payment: { id: 7, amount: new Decimal('250.50'), date: '2026-05-01', appliedBy: 'Xero x' } }), [`p:${P2}`]);
    expect(d.action).toMatchObject({ kind: 'update', paymentId: 7 });
    expect(d.action.kind === 'update' && d.action.amount.toFixed(2)).toBe('400.00');
  });

  it('same amount and date → nothing to write, the ledger learns the ids (recovery after a crash)', () => {
    const d = decidePayment(paid(400), cw({ payment: { id: 7, amount: new Decimal('400'), date: '2026-05-10', appliedBy: null } }), []);
    expect(d.action).toEqual({ kind: 'none' });
    expect(d.itemIds).toEqual([`p:${P1}`]);
  });

  it('same amount, later date (a payment replaced by another) → date updated', () => {
    const d = decidePayment(paid(400, P2, '2026-05-12'), cw({ payment: { id: 7, amount: new Decimal('400'), date: '2026-05-10', appliedBy: null } }), [`p:${P1}`]);
    expect(d.action).toMatchObject({ kind: 'update', date: '2026-05-12', appliedBy: 'Xero 222222' });
  });

  it('Xero below ConnectWise → a person, naming the payment that went; ConnectWise untouched', () => {
    const d = decidePayment(paid(100), cw({ payment: { id: 7, amount: new Decimal('400'), date: '2026-05-10', appliedBy: null } }), [`p:${P1}`, `p:${P2}`]);
    expect(d.action).toEqual({ kind: 'none' });
    expect(d.itemIds).toEqual([`p:${P1}`, `p:${P2}`]);
    expect(d.notes.map((n) => n.code)).toEqual(['xero_below_cw']);
    expect(d.notes[0]!.message).toContain('Xero payment 22222222 was deleted or reversed');
    expect(d.notes[0]!.message).toContain('Paid in Xero: 100.00; ConnectWise shows 400.00.');
    expect(d.notes[0]!.storedMessage).not.toMatch(/\d+\.\d{2}/);
  });

  it('Xero cash beyond ConnectWise\'s open balance → a person, not a refused write', () => {
    const d = decidePayment(paid(900), cw({ total: new Decimal('1000'), credits: new Decimal('200') }), []);
    expect(d.action).toEqual({ kind: 'none' });
    expect(d.notes.map((n) => n.code)).toEqual(['exceeds_cw_balance']);
  });

  it('credits: only what Xero applies beyond ConnectWise\'s own credits is reported', () => {
    const withCredit = (amount: number) => xeroPaidFrom(xeroInvoice({ creditNotes: [{ creditNoteID: 'cn-1', creditNoteNumber: 'CN-9', appliedAmount: amount }] }));
    expect(decidePayment(withCredit(50), cw({ credits: new Decimal(50) }), []).notes).toEqual([]);
    const more = decidePayment(withCredit(80), cw({ credits: new Decimal(50) }), []);
    expect(more.notes.map((n) => n.code)).toEqual(['credit_note_allocation']);
    expect(more.notes[0]!.message).toContain('CN-9');
  });

  it('a voided Xero invoice with a ConnectWise payment → a person', () => {
    const d = decidePayment(xeroPaidFrom(xeroInvoice({ status: 'VOIDED' })), cw({ payment: { id: 7, amount: new Decimal('10'), date: '2026-05-10', appliedBy: null } }), [`p:${P1}`]);
    expect(d.action).toEqual({ kind: 'none' });
    expect(d.notes.map((n) => n.code)).toEqual(['xero_document_void']);
  });
});
