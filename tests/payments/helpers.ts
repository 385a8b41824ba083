// A full stack for payment-sync tests: both simulators, our server (schedule
// timer off unless a test starts one), the demo tenant connected to Xero with
// locations mapped, invoices pushed through the real push route, and
// payments made through the Xero simulator's API with xero-node.
import { expect } from 'vitest';
import type { AccountingApi } from 'xero-node';
import { startStack, http, type TestStack } from '../support/stack.js';
import { AU_ORG, connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { accountingApiFor } from '../../server/xero/accounting.js';

export { AU_ORG, NZ_ORG } from '../support/connect-xero.js';

export interface PaymentStack {
  stack: TestStack;
  token: string;
  url: string;
  xero(org?: string): Promise<AccountingApi>;
  push(invoiceId: number): Promise<{ xeroInvoiceId: string; number: string }>;
  syncInvoice(invoiceId: number): Promise<{ status: number; body: any }>;
  syncAll(): Promise<{ status: number; body: any }>;
  /** ConnectWise's payment records of an invoice, straight from the simulator's state. */
  cwPayments(invoiceId: number): { id: number; type: string; amount: number; paymentDate: string; appliedBy?: string }[];
  pay(xeroInvoiceId: string, amount: string, date: string, org?: string): Promise<string>;
  reversePayment(paymentId: string, org?: string): Promise<void>;
  /** A payment record a person enters in ConnectWise itself (its screens take more than one per invoice; the API does not). */
  cwPaymentByHand(invoiceId: number, amount: number, date: string, appliedBy: string): number;
  close(): Promise<void>;
}

export async function startPaymentStack(serverEnv: Record<string, string> = {}): Promise<PaymentStack> {
  const stack = await startStack({ serverEnv: { PAYMENT_SCHEDULE_TICK_SECONDS: '0', ...serverEnv } });
  await connectDemoTenantToXero(stack);
  // These tests are about payments, not Xero's per-minute limit (tests/sim-xero covers it).
  await fetch(`${stack.xero!.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limits: { perMinute: 5000 } }) });
  const token = await signIn(stack, 'accountant');
  const url = stack.server.url;
  const xero = async (org = AU_ORG) => (await accountingApiFor(stack.server.deps, 'democo', org)).api;
  return {
    stack,
    token,
    url,
    xero,
    async push(invoiceId) {
      const r = await http(`${url}/api/invoices/${invoiceId}/push`, { method: 'POST', token, json: {} });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.outcome, JSON.stringify(r.body)).toBe('synced');
      return { xeroInvoiceId: r.body.view.xero.documentId as string, number: r.body.view.xero.number as string };
    },
    syncInvoice: (invoiceId) => http(`${url}/api/invoices/${invoiceId}/payments/sync`, { method: 'POST', token, json: {} }),
    syncAll: () => http(`${url}/api/payments/sync`, { method: 'POST', token, json: {} }),
    cwPayments(invoiceId) {
      return (stack.cwSim.state.payments as unknown as { invoiceId: number; id: number; type: string; amount: number; paymentDate: string; appliedBy?: string }[])
        .filter((p) => p.invoiceId === invoiceId)
        .map(({ id, type, amount, paymentDate, appliedBy }) => ({ id, type, amount, paymentDate, ...(appliedBy ? { appliedBy } : {}) }));
    },
    async pay(xeroInvoiceId, amount, date, org = AU_ORG) {
      const api = await xero(org);
      const r = await api.createPayment(org, { invoice: { invoiceID: xeroInvoiceId }, account: { code: '090' }, amount: Number(amount), date });
      const id = r.body.payments?.[0]?.paymentID;
      if (!id) throw new Error('no payment created');
      return id;
    },
    async reversePayment(paymentId, org = AU_ORG) {
      const api = await xero(org);
      await api.deletePayment(org, paymentId, { status: 'DELETED' });
    },
    cwPaymentByHand(invoiceId, amount, date, appliedBy) {
      const st = stack.cwSim.state;
      const inv = st.invoices.find((i) => i.id === invoiceId)!;
      const id = st.nextId.payment++;
      st.payments.push({ id, invoiceId, type: 'Payment', invoice: { id: invoiceId, identifier: inv.invoiceNumber }, amount, paymentDate: `${date}T00:00:00Z`, appliedBy });
      return id;
    },
    close: () => stack.close(),
  };
}
