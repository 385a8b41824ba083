// Wise-Pay: a company-paid expense is paid in Xero from the account its payment
// type is linked to for that member (member → payment type → Xero bank or
// credit-card account), so the card statement reconciles line by line. One
// payment per company-paid entry, dated the day spent, for its amount to the
// cent; the engine applies each exactly once (its GL entry id keys it).
import type { ExpenseSettings, WisePayMatrix } from '../../shared/expense-settings.js';
import { WHERE_EXPENSE, type ExpenseItem } from './expense-items.js';
import { toFixed } from './money.js';
import { type MappingProblem, type ProblemList, WHERE } from './problems.js';
import { type XeroRefs, findAccount } from './xero-refs.js';

export interface ExpensePayment {
  /** The expense entry's GL entry id: the payment's identity. */
  glEntryId: string;
  /** Xero bank or credit-card account code the payment is made from. */
  accountCode: string;
  /** Positive, to the cent. */
  amount: string;
  /** YYYY-MM-DD: the day the card was charged. */
  date: string;
  paymentTypeId: number | null;
  paymentTypeName: string;
}

/** The Xero account linked to this member's payment type, if any (member identifiers compare case-insensitively). */
export function wisePayAccount(matrix: WisePayMatrix, memberIdentifier: string, paymentTypeId: number | null): string | undefined {
  if (paymentTypeId === null) return undefined;
  const row = Object.entries(matrix).find(([m]) => m.toLowerCase() === memberIdentifier.toLowerCase())?.[1];
  return row?.[String(paymentTypeId)];
}

/** Why an account cannot take a Wise-Pay payment, or null when it can (an active bank or credit-card account). */
export function wisePayAccountProblem(refs: XeroRefs, code: string): string | null {
  const account = findAccount(refs, code);
  if (!account) return `Xero has no account ${code}`;
  if (account.Status !== 'ACTIVE') return `Xero account ${code} is ${account.Status.toLowerCase()}`;
  if (account.Type !== 'BANK') return `Xero account ${code} is not a bank or credit-card account`;
  return null;
}

/** Checks the whole matrix against the organisation's accounts (the settings pod, before saving). */
export function checkWisePayMatrix(matrix: WisePayMatrix, refs: XeroRefs): MappingProblem[] {
  const out: MappingProblem[] = [];
  for (const [member, row] of Object.entries(matrix)) {
    for (const [paymentType, code] of Object.entries(row)) {
      const why = wisePayAccountProblem(refs, code);
      if (why) {
        out.push({
          code: 'wise-pay-account-invalid',
          message: `Wise-Pay links member ${member}'s payment type ${paymentType} to an account payments cannot come from: ${why}.`,
          where: WHERE_EXPENSE.settingsWisePay,
          area: 'settings',
          field: `wisePayAccounts.${member}.${paymentType}`,
          severity: 'blocking',
        });
      }
    }
  }
  return out;
}

/**
 * The payments of a bill's company-paid (non-reimbursable) entries, or the
 * readiness problem of an entry whose member has no account for its payment type.
 */
export function planWisePayments(
  items: readonly ExpenseItem[],
  settings: Pick<ExpenseSettings, 'wisePayAccounts'>,
  refs: XeroRefs,
  problems: ProblemList,
  lineOf: (glEntryId: string) => number,
): ExpensePayment[] {
  const payments: ExpensePayment[] = [];
  for (const i of items) {
    if (i.classification !== 'NonReimbursable') continue;
    const field = `wisePayAccounts.${i.memberIdentifier}.${i.paymentType.id ?? ''}`;
    const code = wisePayAccount(settings.wisePayAccounts, i.memberIdentifier, i.paymentType.id);
    if (!code) {
      problems.blocking({
        code: 'wise-pay-unmapped',
        message: `Wise-Pay has no Xero account for member ${i.memberIdentifier} paying by "${i.paymentType.name}"; link one, or the company-paid expense would sit on the bill as owed to the member.`,
        where: WHERE_EXPENSE.settingsWisePay,
        area: 'settings',
        field,
        line: lineOf(i.glEntryId),
      });
      continue;
    }
    const why = wisePayAccountProblem(refs, code);
    if (why) {
      problems.blocking({
        code: 'wise-pay-account-invalid',
        message: `Wise-Pay pays "${i.paymentType.name}" expenses of member ${i.memberIdentifier} from account ${code}, but ${why}.`,
        where: `${WHERE_EXPENSE.settingsWisePay} (or ${WHERE.xeroAccounts})`,
        area: 'settings',
        field,
        line: lineOf(i.glEntryId),
      });
      continue;
    }
    payments.push({
      glEntryId: i.glEntryId,
      accountCode: code,
      amount: toFixed(i.gross),
      date: i.date,
      paymentTypeId: i.paymentType.id,
      paymentTypeName: i.paymentType.name,
    });
  }
  return payments;
}

