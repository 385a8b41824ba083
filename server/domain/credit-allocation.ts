// A CW credit memo that ConnectWise applied to invoices is allocated to the
// same invoices in Xero. CW shows an application as a payment record whose
// `credit` is the memo and whose `invoice` is the invoice it was applied to.
import type { CwInvoice, CwPayment } from '../../shared/cw-types.js';
import { toYmd } from './dates.js';
import { type Dec, fromCw, sum, toFixed } from './money.js';
import { type ProblemList, WHERE } from './problems.js';

export interface AllocationPlan {
  /** The Xero invoice number (with prefix) of the invoice CW applied the memo to. */
  invoiceNumber: string;
  amount: string;
  date?: string;
}

export function planAllocations(
  memo: CwInvoice,
  applications: readonly CwPayment[],
  invoiceNumberPrefix: string,
  creditTotal: Dec,
  problems: ProblemList,
): AllocationPlan[] {
  const plans: AllocationPlan[] = [];
  const amounts: Dec[] = [];
  for (const [i, p] of applications.entries()) {
    if (memo.id !== undefined && p.credit?.id != null && p.credit.id !== memo.id) continue;
    const target = p.invoice?.identifier?.trim();
    if (!target) continue;
    let amount: Dec;
    try {
      amount = fromCw(p.amount, null).abs();
    } catch {
      problems.blocking({
        code: 'allocation-amount-invalid',
        message: 'A credit application in ConnectWise has no valid amount.',
        where: WHERE.cwInvoice,
        area: 'connectwise',
        field: `creditApplications[${i}].amount`,
      });
      continue;
    }
    const date = toYmd(p.paymentDate);
    amounts.push(amount);
    plans.push({ invoiceNumber: `${invoiceNumberPrefix}${target}`, amount: toFixed(amount), ...(date ? { date } : {}) });
  }
  if (sum(amounts).greaterThan(creditTotal)) {
    problems.blocking({
      code: 'allocation-exceeds-credit',
      message: 'ConnectWise applies more of this credit memo than its total.',
      where: WHERE.cwInvoice,
      area: 'connectwise',
      field: 'creditApplications',
    });
  }
  return plans;
}
