// The reconcile diff, pure, on the mapping fixtures: ConnectWise as mapped vs
// a Xero document built from the same mapping and then changed the way real
// drift happens. Every amount asserted to the cent.
import { describe, expect, it } from 'vitest';
import { reconcile, type ReconcileCwSide, type ReconcileXeroSide } from '../../server/domain/reconcile.js';
import type { InvoiceMappingResult } from '../../server/domain/invoice-mapping.js';
import { productInvoice, roundingInvoice, standardTimeBilling } from '../domain/fixtures/cw-invoices.js';
import { mapFixture } from '../domain/map-fixture.js';
import { auOrg } from '../domain/fixtures/xero-orgs.js';

function cwSide(r: InvoiceMappingResult, over: Partial<ReconcileCwSide> = {}): ReconcileCwSide {
  return { invoiceNumber: 'INV-1002', mapping: r, contactName: 'Acme Pty Ltd', status: 'New', paid: '0.00', credits: '0.00', balance: r.totals.cwTotal, ...over };
}

/** Xero holding exactly what the mapping sent. */
function xeroAsMapped(r: InvoiceMappingResult, over: Partial<ReconcileXeroSide> = {}): ReconcileXeroSide {
  const doc = r.document as { InvoiceNumber: string; Date: string; DueDate?: string };
  return {
    documentId: 'x-1',
    number: doc.InvoiceNumber,
    date: doc.Date,
    dueDate: doc.DueDate ?? null,
    contactName: 'Acme Pty Ltd',
    status: 'AUTHORISED',
    lines: r.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitAmount: l.unitAmount, lineAmount: l.lineAmount, accountCode: l.accountCode, taxType: l.taxType ?? null, taxAmount: l.taxAmount })),
    subTotal: r.totals.xeroSubtotal,
    totalTax: r.totals.xeroTax,
    total: r.totals.xeroTotal,
    paidInCash: '0.00',
    credited: '0.00',
    amountDue: r.totals.xeroTotal,
    ...over,
  };
}

const row = (res: ReturnType<typeof reconcile>, key: string) => res.rows.find((r) => r.key === key)!;

describe('reconcile (pure)', () => {
  const product = mapFixture(productInvoice);

  it('agrees field by field when Xero holds what was sent (ConnectWise total 580.80)', () => {
    const res = reconcile(cwSide(product), xeroAsMapped(product));
    expect(res.differences).toBe(0);
    expect(res.summary).toBe('ConnectWise and Xero agree.');
    expect(res.fixes).toEqual([]);
    expect(res.explanations).toEqual([]);
    expect(row(res, 'total')).toMatchObject({ cw: 'AUD 580.80', xero: 'AUD 580.80', same: true, note: null });
    // No noise where nothing differs: no "0.00 more … expected", no "rounding line (0.00)".
    expect(res.rows.filter((r) => r.note !== null)).toEqual([]);
    expect(res.rows.map((r) => r.key)).toEqual(
      expect.arrayContaining(['number', 'date', 'dueDate', 'contact', 'line1.description', 'line2.quantity', 'line3.unitAmount', 'line3.amount', 'line3.account', 'line3.tax', 'tax', 'subtotal', 'total', 'status', 'amountPaid', 'amountDue']),
    );
  });

  it('names a changed quantity and the total it moves, and offers a re-sync', () => {
    const x = xeroAsMapped(product);
    // Xero has 2 licences where ConnectWise now bills 3 (33.3333 each): line 66.67, tax 6.67.
    x.lines[1] = { ...x.lines[1]!, quantity: '2', lineAmount: '66.67', taxAmount: '6.67' };
    x.subTotal = '494.67';
    x.totalTax = '49.47';
    x.total = '544.14';
    const res = reconcile(cwSide(product), x);
    expect(row(res, 'line2.quantity')).toMatchObject({ cw: '3', xero: '2', same: false, note: 'Line 2 quantity: ConnectWise 3, Xero 2' });
    expect(row(res, 'line2.amount')).toMatchObject({ cw: '100.00', xero: '66.67', same: false });
    expect(row(res, 'total')).toMatchObject({ cw: 'AUD 580.80', xero: 'AUD 544.14', same: false, note: 'Xero total is AUD 36.66 lower: line 2 differs.' });
    expect(res.fixes.map((f) => f.action)).toEqual(['resync']);
    expect(res.summary).toMatch(/^\d+ differences: Line 2 quantity: ConnectWise 3, Xero 2$/);
  });

  it('explains a 0.01 total difference as rounding on the line the mapping blames', () => {
    const r = mapFixture(roundingInvoice);
    expect(r.totals).toMatchObject({ cwTotal: '98.79', xeroTotal: '98.80', cwTax: '8.98', xeroTax: '8.99' });
    const res = reconcile(cwSide(r, { invoiceNumber: 'INV-1040' }), xeroAsMapped(r));
    expect(row(res, 'total')).toMatchObject({ cw: 'AUD 98.79', xero: 'AUD 98.80', same: false, note: 'Xero total is AUD 0.01 higher: rounding on line 3.' });
    // Tax is what Xero computes per line, as the mapping said: expected, explained, not a drift.
    expect(row(res, 'tax')).toMatchObject({ cw: 'AUD 8.98', xero: 'AUD 8.99', same: true, note: 'Xero computes tax per line, AUD 0.01 more than ConnectWise; expected.' });
  });

  it('a cent of tax more on one line in Xero is named as rounding on that line', () => {
    const x = xeroAsMapped(product);
    x.lines[2] = { ...x.lines[2]!, taxAmount: '5.01' }; // 50.00 × 10 % = 5.00 as mapped
    x.totalTax = '52.81';
    x.total = '580.81';
    const res = reconcile(cwSide(product), x);
    expect(row(res, 'total').note).toBe('Xero total is AUD 0.01 higher: rounding on line 3.');
    expect(row(res, 'line3.tax')).toMatchObject({ cw: 'OUTPUT · 5.00', xero: 'OUTPUT · 5.01', same: false });
    // With the organisation's tax rates, Xero's names with the rate (compared by code all the same).
    const named = reconcile(cwSide(product, { taxRates: auOrg.taxRates }), x);
    expect(row(named, 'line3.tax')).toMatchObject({ cw: 'GST on Income 10% · 5.00', xero: 'GST on Income 10% · 5.01', same: false });
  });

  it('paid in Xero but not in ConnectWise → "Sync payments"', () => {
    const res = reconcile(cwSide(product), xeroAsMapped(product, { paidInCash: '500.00', amountDue: '80.80' }));
    expect(row(res, 'amountPaid')).toMatchObject({ cw: 'AUD 0.00', xero: 'AUD 500.00', same: false, note: 'Paid in Xero AUD 500.00 but ConnectWise shows AUD 0.00.' });
    expect(row(res, 'amountDue')).toMatchObject({ cw: 'AUD 580.80', xero: 'AUD 80.80', same: false, note: 'Xero amount due is AUD 500.00 lower.' });
    expect(res.fixes.map((f) => f.action)).toEqual(['pull_payments']);
  });

  it('a paid Xero invoice that drifted cannot be re-synced: says why and what to do', () => {
    const x = xeroAsMapped(product, { status: 'PAID', paidInCash: '580.80', amountDue: '0.00' });
    x.lines[0] = { ...x.lines[0]!, description: 'Cat6 cable (old text)' };
    const res = reconcile(cwSide(product, { paid: '580.80', balance: '0.00' }), x);
    expect(row(res, 'line1.description').same).toBe(false);
    // Xero's words for its status, never the code.
    expect(row(res, 'status')).toMatchObject({ same: true, xero: 'Paid' });
    expect(res.fixes).toEqual([]);
    expect(res.explanations[0]).toMatch(/Xero does not edit a paid document/);
  });

  it('ConnectWise shows more paid than Xero (a reversal): "Sync payments" lowers ours; a payment entered by hand is for a person', () => {
    const res = reconcile(cwSide(product, { paid: '100.00', balance: '480.80' }), xeroAsMapped(product));
    expect(row(res, 'amountPaid')).toMatchObject({ cw: 'AUD 100.00', xero: 'AUD 0.00', same: false });
    expect(row(res, 'amountPaid').note).toMatch(/deleted or reversed in Xero/);
    expect(res.fixes.map((f) => f.action)).toEqual(['pull_payments']);
    expect(res.explanations.join(' ')).toMatch(/entered in ConnectWise by hand is never changed/);
  });

  it('a credit note applied in Xero is for a person in ConnectWise', () => {
    const res = reconcile(cwSide(product), xeroAsMapped(product, { credited: '55.00', amountDue: '525.80' }));
    expect(row(res, 'credits')).toMatchObject({ cw: 'AUD 0.00', xero: 'AUD 55.00', same: false, note: 'Xero applies AUD 55.00 more credit than ConnectWise.' });
    expect(res.explanations.join(' ')).toMatch(/apply the matching credit memo to this invoice in ConnectWise by hand/);
  });

  it('a line Xero lacks, and the contact compared without case', () => {
    const r = mapFixture(standardTimeBilling);
    const x = xeroAsMapped(r, { contactName: 'ACME PTY LTD' });
    const dropped = x.lines.pop()!;
    const res = reconcile(cwSide(r), x);
    expect(row(res, 'contact').same).toBe(true);
    const n = r.lines.length;
    expect(row(res, `line${n}`)).toMatchObject({ cw: dropped.description, xero: null, same: false, note: `Line ${n} ("${dropped.description}") is not in Xero.` });
    const renamed = reconcile(cwSide(r), xeroAsMapped(r, { contactName: 'Acme Holdings' }));
    expect(row(renamed, 'contact')).toMatchObject({ same: false, note: 'Contact: ConnectWise Acme Pty Ltd, Xero Acme Holdings' });
  });

  it('is pure: the same input gives the same output and is not changed', () => {
    const cw = cwSide(product);
    const x = xeroAsMapped(product, { paidInCash: '10.00' });
    const before = JSON.stringify([cw, x]);
    expect(reconcile(cw, x)).toEqual(reconcile(cw, x));
    expect(JSON.stringify([cw, x])).toBe(before);
  });

  it('says a voided or approved Xero invoice in Xero\'s words, never the code', () => {
    const voided = reconcile(cwSide(product), xeroAsMapped(product, { status: 'VOIDED' }));
    expect(row(voided, 'status')).toMatchObject({ same: false, xero: 'Voided', note: "The Xero invoice is voided but ConnectWise's is still open." });
    const open = reconcile(cwSide(product), xeroAsMapped(product));
    expect(row(open, 'status').xero).toBe('Awaiting payment');
    for (const r of [...voided.rows, ...open.rows]) expect(`${r.xero ?? ''} ${r.note ?? ''}`).not.toMatch(/AUTHORISED|VOIDED/);
  });
});
