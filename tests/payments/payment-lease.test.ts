// A payment-sync run that died (its instance killed mid-run) holds the
// tenant's turn only until its lease lapses: 30 s, not the 5 minutes it was —
// the fault matrix (bench/faults.ts) found "already running" answered to every
// click for minutes after a kill.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentStack, type PaymentStack } from './helpers.js';
import { acquireRunLease } from '../../server/payments/run-lease.js';
import { PAYMENT_LEASE_MS } from '../../server/payments/payment-sync.js';

let s: PaymentStack;
let xeroInvoiceId: string;
beforeAll(async () => {
  s = await startPaymentStack();
  xeroInvoiceId = (await s.push(1009)).xeroInvoiceId;
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe("a dead payment run's turn", () => {
  it('lapses within the lease: a click after it syncs (one payment record)', async () => {
    const deps = s.stack.server.deps;
    await s.pay(xeroInvoiceId, '100.00', '2026-05-05');
    // A run that took the tenant's turn and was killed: never renewed, never released.
    expect(await acquireRunLease(deps.db, 'democo', 'invoice:killed-run', deps.now(), PAYMENT_LEASE_MS)).toBe(true);
    const realNow = deps.now;
    try {
      // The lease's own clock moves past it (the click itself waits in real time, up to 25 s).
      deps.now = () => new Date(realNow().getTime() + PAYMENT_LEASE_MS + 1_000);
      const r = await s.syncInvoice(1009);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ busy: false, updated: 1, errors: [] });
    } finally {
      deps.now = realNow;
    }
    expect(s.cwPayments(1009)).toMatchObject([{ type: 'Payment', amount: 100 }]);
  });
});
