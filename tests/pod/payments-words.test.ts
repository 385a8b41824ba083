// The payments button names each document a payment note is about as Xero calls it.
import { describe, expect, it } from 'vitest';
import { noteSubject } from '../../pod/batch/PaymentsButton.js';

describe('payment notes', () => {
  it('say "Invoice …" for an invoice and "Credit note …" for a credit note, never "Invoice CN-…"', () => {
    expect(noteSubject({ document: 'invoice', invoiceNumber: 'INV-0042' })).toBe('Invoice INV-0042');
    expect(noteSubject({ document: 'creditNote', invoiceNumber: 'CN-0007' })).toBe('Credit note CN-0007');
  });
});
