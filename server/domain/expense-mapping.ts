// The expense mapping: the ConnectWise expense entries of one bill key
// (expense-grouping.ts: a report and currency, or with Enhanced Expenses a
// member, week and currency) → the Xero bill that holds them, its Wise-Pay
// payments, and the member as the supplier contact. Pure: no I/O, no clock.
//
//   ACCPAY bill            ← what the company owes the member (≥ 0)
//   ACCPAYCREDIT credit    ← entries that net below zero (personal expenses
//                            owed back exceed what is owed to the member)
//
// Never an expense claim. A bill's identity travels in its InvoiceNumber
// (ER-{report} / EXP-{member}-{week}) and Url (Xero's Reference is for sales);
// a credit note has only its CreditNoteNumber. One line per entry — date,
// amount, the member's notes, and the charge-to (client, ticket, project,
// agreement cover) in the description — on the account ConnectWise's GL
// mapping names (through the account map), with Xero's purchase (input) tax
// rate and ConnectWise's tax amount, so the bill equals ConnectWise's to the
// cent. How each classification posts: expense-items.ts (classificationPosting).
import type { CwMember } from '../../shared/cw-types.js';
import type { ExpenseSettings } from '../../shared/expense-settings.js';
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { mapAccountCode } from './account-mapping.js';
import { contentHash } from './content-hash.js';
import { addDays } from './dates.js';
import { expenseBillNumber, type ExpenseBillGroup, groupExpenseItems } from './expense-grouping.js';
import { type ExpenseClassification, type ExpenseItem, type ReadExpenseItemsInput, WHERE_EXPENSE, classificationPosting, readExpenseItems } from './expense-items.js';
import { mapMemberContact } from './member-contact.js';
import { Dec, ZERO, round2, sum, toFixed, toWireNumber } from './money.js';
import { type MappingProblem, ProblemList, WHERE, isBlocking } from './problems.js';
import { TaxMapper } from './tax-mapping.js';
import { type RecordTracking, lineTracking } from './tracking-mapping.js';
import { type ExpensePayment, planWisePayments } from './wise-pay.js';
import { type XeroRefs, currencyEnabled, findAccount, findTaxRate, taxRatePercent } from './xero-refs.js';
import type { XeroBillCreditPayload, XeroBillPayload, XeroContactPayload, XeroLineItem } from './xero-wire.js';

export interface ExpenseMappingInput {
  group: ExpenseBillGroup;
  /** GET system/members/{id} of the group's member. */
  member: CwMember;
  settings: ExpenseSettings;
  /** The invoice settings' account map (ConnectWise's chart → Xero's) and tax map (used where its Xero rate applies to purchases). */
  accounts: Pick<InvoiceMappingSettings, 'accountMap' | 'taxMap'>;
  xeroRefs: XeroRefs;
  /** 2, 3 … for a further bill of a week whose earlier bill Xero has approved (decideWeeklyBill). */
  sequence?: number;
  /** Xero's Url on the bill: the way back to ConnectWise (e.g. the report's screen). */
  url?: string;
  /** The organisation's tracking rules and the bill's location (tracking-mapping.ts). */
  tracking?: RecordTracking;
}

export type ExpenseLineKind = 'expense' | 'offset' | 'personal';

/** One line of the bill, with the figures the preview shows. Decimal strings, document sign. */
export interface ExpenseMappedLine {
  lineNumber: number;
  kind: ExpenseLineKind;
  glEntryId: string;
  classification: ExpenseClassification;
  date: string;
  description: string;
  quantity: string;
  unitAmount: string;
  lineAmount: string;
  accountCode: string;
  taxType?: string;
  taxRatePercent: string;
  taxAmount: string;
}

export interface ExpenseTotals {
  /** What ConnectWise says the company owes the member for these entries (document sign). */
  cwTotal: string;
  /** The tax in ConnectWise's amounts. */
  cwTax: string;
  xeroSubtotal: string;
  xeroTax: string;
  xeroTotal: string;
  /** Wise-Pay payments applied to the bill. */
  paymentsTotal: string;
  /** xeroTotal − paymentsTotal: what stays owed to the member (or by the member, on a credit note). */
  xeroAmountDue: string;
  /** xeroAmountDue − cwTotal: "0.00" when they agree. */
  difference: string;
  taxDifference: string;
}

export interface ExpenseMappingResult {
  kind: 'bill' | 'billCredit';
  /** The bill key (expense-grouping.ts) and the number it carries. */
  key: string;
  number: string;
  /** The payload for PUT Invoices (ACCPAY) / PUT CreditNotes (ACCPAYCREDIT); bind the ContactID with `withContactId`. */
  document: XeroBillPayload | XeroBillCreditPayload;
  /** The member as a supplier contact (create or update before the bill). */
  contact: XeroContactPayload;
  unitdp: 2;
  problems: MappingProblem[];
  ready: boolean;
  totals: ExpenseTotals;
  lines: ExpenseMappedLine[];
  /** Wise-Pay: payments to apply once the bill exists and is approved. */
  payments: ExpensePayment[];
  /** How each classification on the bill posts, in words. */
  postings: { classification: ExpenseClassification; words: string }[];
  glEntryIds: string[];
  /** SHA-256 of the canonical document (before the ContactID is bound). */
  contentHash: string;
}

const DESCRIPTION_MAX = 4000;

interface WorkLine {
  kind: ExpenseLineKind;
  item: ExpenseItem;
  description: string;
  /** ConnectWise's sign: + owed to the member. */
  amount: Dec;
  tax: Dec;
  accountCode: string;
  taxType?: string;
  ratePercent: Dec;
}

function money(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : toFixed(new Dec(String(v)));
}

/** The line's words: date, type, notes, then where it was charged and how it was paid. */
export function expenseLineDescription(item: ExpenseItem, kind: ExpenseLineKind): string {
  const e = item.entry;
  const head = `${item.date} ${e.type?.name ?? 'Expense'}: ${(e.notes ?? '').trim() || '(no notes)'}`;
  const extra = [
    e.company?.name ? `Client: ${e.company.name}` : '',
    e.ticket?.id ? `Ticket #${e.ticket.id}${e.ticket.summary ? ` ${e.ticket.summary}` : ''}` : '',
    e.project?.id ? `Project: ${e.project.name ?? e.project.id}` : '',
    e.agreement?.name ? `Agreement: ${e.agreement.name}${e.agreementAmount ? ` covers ${money(e.agreementAmount)}` : ''}` : '',
  ].filter(Boolean);
  const how =
    kind === 'personal'
      ? `Personal, paid by ${item.paymentType.name || 'the company'}: owed back by the member`
      : kind === 'offset'
        ? `Paid by ${item.paymentType.name || 'the company'}: not owed to the member`
        : item.classification === 'NonReimbursable'
          ? `Company-paid (${item.paymentType.name})`
          : '';
  // The entry's ConnectWise id ends every line: a person finds the entry from Xero, and a week's draft bill taking a
  // later report knows which of its lines are which entry's (expenseLineMark).
  const mark = expenseLineMark(item);
  return `${[head, extra.join(' · '), how].filter(Boolean).join(' — ').slice(0, DESCRIPTION_MAX - mark.length - 3)} — ${mark}`;
}

/** How a bill line names its ConnectWise expense entry (the line's identity on a bill that grows). */
export function expenseLineMark(item: Pick<ExpenseItem, 'entry'>): string {
  return `CW expense entry ${item.entry.id ?? '?'}`;
}

/** Tax rates Xero lets a bill use. */
function forPurchases(rate: XeroRefs['taxRates'][number]): boolean {
  return rate.Status === 'ACTIVE' && (rate.CanApplyToExpenses === true || (rate.CanApplyToExpenses === undefined && rate.CanApplyToRevenue !== true));
}

/**
 * The purchase tax rate ConnectWise's tax implies: the percentage whose tax on
 * the net amount is ConnectWise's to the cent (a receipt's tax is worked back
 * from its total, so a cent's difference is allowed when only one rate fits).
 */
export function impliedTaxRate(net: Dec, tax: Dec, refs: XeroRefs): Dec | null {
  if (tax.isZero()) return ZERO;
  const percents: Dec[] = [];
  for (const r of refs.taxRates.filter(forPurchases)) {
    const p = taxRatePercent(r);
    if (p && !p.isZero() && !percents.some((q) => q.equals(p))) percents.push(p);
  }
  const off = (p: Dec) => round2(net.times(p).dividedBy(100)).minus(tax).abs();
  const exact = percents.filter((p) => off(p).isZero());
  if (exact.length === 1) return exact[0]!;
  const near = percents.filter((p) => off(p).lessThanOrEqualTo('0.01'));
  return near.length === 1 ? near[0]! : null;
}

/** The tax map for bills: the invoice map's entries whose Xero rate applies to purchases, then the expense map. */
function purchaseTaxMap(invoiceMap: Record<string, string>, inputMap: Record<string, string>, refs: XeroRefs): Record<string, string> {
  const usable = Object.entries(invoiceMap).filter(([, t]) => {
    const rate = findTaxRate(refs, t);
    return rate ? forPurchases(rate) : false;
  });
  return { ...Object.fromEntries(usable), ...inputMap };
}

export function mapExpenseBill(input: ExpenseMappingInput): ExpenseMappingResult {
  const { group, settings, xeroRefs: refs } = input;
  const problems = new ProblemList();
  for (const i of group.items) for (const p of i.problems) problems.add(p);

  if (input.member.id !== undefined && group.memberId && input.member.id !== group.memberId) {
    problems.blocking({
      code: 'member-mismatch',
      message: `The bill's entries belong to member ${group.memberIdentifier}, not ${input.member.identifier}.`,
      where: WHERE_EXPENSE.cwReport,
      area: 'connectwise',
      field: 'member',
    });
  }
  if (group.items.length === 0) {
    problems.blocking({ code: 'no-lines', message: 'The bill has no expense entries.', where: WHERE_EXPENSE.cwReport, area: 'connectwise', field: 'group.items' });
  }
  if (!currencyEnabled(refs, group.currency)) {
    problems.blocking({
      code: 'currency-not-enabled',
      message: `Expenses in ${group.currency} need that currency enabled in the Xero organisation (base ${refs.baseCurrency}).`,
      where: WHERE.xeroCurrencies,
      area: 'xero',
      field: 'group.currency',
    });
  }

  const tax = new TaxMapper(
    { taxMap: purchaseTaxMap(input.accounts.taxMap, settings.inputTaxMap, refs), nonTaxableTaxType: settings.nonTaxableInputTaxType },
    refs,
    problems,
    { side: 'expenses', where: { settings: WHERE_EXPENSE.settingsExpenseTax, record: WHERE_EXPENSE.cwReport } },
  );

  const work: WorkLine[] = [];
  const lineOf = (gl: string) => work.findIndex((w) => w.item.glEntryId === gl) + 1;
  const account = (cwAccount: string | undefined, field: string, line: number): string => {
    const code = mapAccountCode(cwAccount, input.accounts, refs, problems, { field, line });
    if (code && findAccount(refs, code)?.Type === 'BANK') {
      problems.blocking({
        code: 'expense-line-bank-account',
        message: `ConnectWise GL account ${cwAccount} is Xero bank account ${code}, which a bill line cannot use; map it to a clearing account${field.endsWith('offset') ? ', or turn on Wise-Pay for company-paid expenses' : ''}.`,
        where: `${WHERE.settingsAccounts} (or ${WHERE_EXPENSE.settingsWisePay})`,
        area: 'settings',
        field: `${field}#${cwAccount ?? ''}`,
        line,
      });
      return code;
    }
    return code ?? '';
  };
  const zeroTax = (field: string, line: number) => tax.resolve({ taxCode: null, taxable: false, cwRatePercent: null, field, line });

  for (const item of group.items) {
    const at = `items[${item.glEntryId}]`;
    if (item.classification !== 'Personal' && item.expense) {
      const line = work.length + 1;
      const net = item.expense.total;
      if (!net.plus(item.tax).equals(item.gross)) {
        problems.blocking({
          code: 'cw-export-inconsistent',
          message: `ConnectWise's export splits GL entry ${item.glEntryId} into an expense and tax that do not add up to the entry's amount; re-export it.`,
          where: WHERE_EXPENSE.cwReport,
          area: 'connectwise',
          field: `${at}.expense`,
          line,
        });
      }
      const answer = tax.resolve({
        taxCode: item.entry.taxes?.[0]?.type?.name?.trim() || null,
        taxable: !item.tax.isZero(),
        cwRatePercent: impliedTaxRate(net, item.tax, refs),
        field: `${at}.tax`,
        line,
      });
      // A 0% rate for tax ConnectWise recorded (foreign GST, say): not claimable here, so it stays in the expense.
      const unclaimable = answer !== null && answer.ratePercent.isZero() && !item.tax.isZero();
      if (unclaimable) {
        problems.warning({
          code: 'expense-tax-not-claimable',
          message: `The ${toFixed(item.tax)} ${item.entry.taxes?.[0]?.type?.name ?? 'tax'} in this expense is not claimable under Xero tax type ${answer.taxType}; the line carries it in the amount.`,
          where: WHERE_EXPENSE.settingsExpenseTax,
          area: 'settings',
          field: `${at}.tax`,
          line,
        });
      }
      work.push({
        kind: 'expense',
        item,
        description: expenseLineDescription(item, 'expense'),
        amount: unclaimable ? item.gross : net,
        tax: unclaimable ? ZERO : item.tax,
        accountCode: account(item.expense.accountNumber, `${at}.expense`, line),
        ...(answer ? { taxType: answer.taxType } : {}),
        ratePercent: answer?.ratePercent ?? ZERO,
      });
    }
    const offsetLine = item.classification === 'Personal' || (item.classification === 'NonReimbursable' && !settings.wisePay);
    if (offsetLine && item.offset) {
      const line = work.length + 1;
      const kind: ExpenseLineKind = item.classification === 'Personal' ? 'personal' : 'offset';
      const answer = zeroTax(`${at}.offset`, line);
      work.push({
        kind,
        item,
        description: expenseLineDescription(item, kind),
        amount: item.offset.total,
        tax: ZERO,
        accountCode: account(item.offset.accountNumber, `${at}.offset`, line),
        ...(answer ? { taxType: answer.taxType } : {}),
        ratePercent: answer?.ratePercent ?? ZERO,
      });
    }
  }

  const payments = settings.wisePay ? planWisePayments(group.items, settings, refs, problems, lineOf) : [];

  // ConnectWise's sign: + owed to the member. Below zero the member owes: a credit note.
  const xeroTotal = sum(work.map((w) => w.amount.plus(w.tax)));
  const credit = xeroTotal.isNegative();
  const sign = credit ? -1 : 1;
  const paid = sum(payments.map((p) => new Dec(p.amount)));
  const cwOwed = sum(group.items.map((i) => i.owed));
  const amountDue = xeroTotal.minus(paid);
  const difference = amountDue.minus(cwOwed);
  if (!difference.isZero() && !isBlocking(problems.items)) {
    problems.blocking({
      code: 'total-mismatch',
      message: `The bill would leave ${toFixed(difference.abs())} ${difference.isPositive() ? 'more' : 'less'} owed to the member than ConnectWise says.`,
      where: WHERE_EXPENSE.cwReport,
      area: 'connectwise',
      field: 'group.total',
    });
  }
  if (payments.length > 0 && (credit || paid.greaterThan(xeroTotal))) {
    problems.blocking({
      code: 'wise-pay-exceeds-bill',
      message: `The company-paid expenses (${toFixed(paid)}) are more than this bill's total (${toFixed(xeroTotal)}), because personal expenses owed back reduce it; Xero cannot pay a bill beyond its total. Settle the personal expenses with the member first, or turn Wise-Pay off to post the company-paid expenses through the clearing account.`,
      where: WHERE_EXPENSE.settingsWisePay,
      area: 'settings',
      field: 'settings.wisePay',
    });
  }
  if (payments.length > 0 && settings.billStatus !== 'AUTHORISED') {
    problems.warning({
      code: 'wise-pay-needs-approval',
      message: 'Xero pays only approved bills; this one stays a draft, so its Wise-Pay payments wait until it is approved in Xero.',
      where: WHERE_EXPENSE.settingsExpenses,
      area: 'settings',
      field: 'settings.billStatus',
    });
  }

  const date = group.items.map((i) => i.date).filter(Boolean).sort().at(-1) ?? '';
  const number = expenseBillNumber(group, settings.billNumberPrefix, input.sequence ?? 1);
  const lineItems: XeroLineItem[] = work.map((w, n) => {
    const amount = w.amount.times(sign);
    const tracking = lineTracking(input.tracking, { location: w.item.entry.locationId, department: w.item.entry.businessUnitId }, refs, problems, { field: `items[${w.item.glEntryId}]`, line: n + 1 });
    return {
      Description: w.description,
      Quantity: 1,
      UnitAmount: toWireNumber(amount),
      LineAmount: toWireNumber(amount),
      AccountCode: w.accountCode,
      ...(w.taxType ? { TaxType: w.taxType } : {}),
      // ConnectWise's tax from the receipt, so the bill's total is ConnectWise's to the cent.
      TaxAmount: toWireNumber(w.tax.times(sign)),
      ...(tracking ? { Tracking: tracking } : {}),
    };
  });
  const contactRef = { ContactNumber: mapMemberContact({ member: input.member, settings }).contact.ContactNumber };
  const common = {
    Contact: contactRef,
    Date: date,
    LineAmountTypes: 'Exclusive' as const,
    CurrencyCode: group.currency,
    Status: settings.billStatus,
    LineItems: lineItems,
  };
  const document: XeroBillPayload | XeroBillCreditPayload = credit
    ? ({ Type: 'ACCPAYCREDIT', CreditNoteNumber: number, ...common } satisfies XeroBillCreditPayload)
    : ({ Type: 'ACCPAY', InvoiceNumber: number, DueDate: date ? addDays(date, settings.dueDays) : '', ...(input.url ? { Url: input.url } : {}), ...common } satisfies XeroBillPayload);

  const cwTax = sum(group.items.map((i) => i.tax));
  const xeroTax = sum(work.map((w) => w.tax));
  const classifications = [...new Set(group.items.map((i) => i.classification))];
  return {
    kind: credit ? 'billCredit' : 'bill',
    key: group.key,
    number,
    document,
    contact: mapMemberContact({ member: input.member, settings }).contact,
    unitdp: 2,
    problems: problems.items,
    ready: !isBlocking(problems.items),
    totals: {
      cwTotal: toFixed(cwOwed.times(sign)),
      cwTax: toFixed(cwTax.times(sign)),
      xeroSubtotal: toFixed(xeroTotal.minus(xeroTax).times(sign)),
      xeroTax: toFixed(xeroTax.times(sign)),
      xeroTotal: toFixed(xeroTotal.times(sign)),
      paymentsTotal: toFixed(paid),
      xeroAmountDue: toFixed(amountDue.times(sign)),
      difference: toFixed(difference.times(sign)),
      taxDifference: toFixed(xeroTax.minus(cwTax).times(sign)),
    },
    lines: work.map((w, n) => ({
      lineNumber: n + 1,
      kind: w.kind,
      glEntryId: w.item.glEntryId,
      classification: w.item.classification,
      date: w.item.date,
      description: w.description,
      quantity: '1',
      unitAmount: toFixed(w.amount.times(sign)),
      lineAmount: toFixed(w.amount.times(sign)),
      accountCode: w.accountCode,
      ...(w.taxType ? { taxType: w.taxType } : {}),
      taxRatePercent: w.ratePercent.toString(),
      taxAmount: toFixed(w.tax.times(sign)),
    })),
    payments,
    postings: classifications.map((c) => ({ classification: c, words: classificationPosting(c, settings.wisePay) })),
    glEntryIds: group.glEntryIds,
    contentHash: contentHash(document),
  };
}

export interface ExpenseExportMappingInput extends ReadExpenseItemsInput {
  /** system/members of the entries' members. */
  members: CwMember[];
  settings: ExpenseSettings;
  accounts: Pick<InvoiceMappingSettings, 'accountMap' | 'taxMap'>;
  xeroRefs: XeroRefs;
  /** Bill key → sequence (a further bill of a week: decideWeeklyBill). */
  sequences?: Record<string, number>;
  /** Report id → Xero Url of its bill(s). */
  urls?: Record<number, string>;
}

/** The whole pipeline: the export read per entry, grouped into bill keys, each key mapped. */
export function mapExpenseExport(input: ExpenseExportMappingInput): ExpenseMappingResult[] {
  const groups = groupExpenseItems(readExpenseItems(input), input.settings);
  return groups.map((group) => {
    const member = input.members.find((m) => m.id === group.memberId) ?? { id: group.memberId, identifier: group.memberIdentifier, firstName: '', lastName: '' };
    const url = input.urls?.[group.reportIds[0] ?? 0];
    return mapExpenseBill({
      group,
      member: member as CwMember,
      settings: input.settings,
      accounts: input.accounts,
      xeroRefs: input.xeroRefs,
      ...(input.sequences?.[group.key] ? { sequence: input.sequences[group.key] } : {}),
      ...(url ? { url } : {}),
    });
  });
}
