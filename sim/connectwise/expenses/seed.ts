// Expense seed for the demo and the tests (deterministic). Dates are calendar
// dates in the server's time zone (system/info serverTimeZone,
// Australia/Sydney, UTC+10 for these dates); ConnectWise sends an entry's date
// as the UTC instant of that local midnight, so 4 May is 2026-05-03T14:00:00Z.
//
// Reports (members tech = 3, admin = 1; entries → GL entry ids 7000 + n):
//   2001 tech  27 Apr – 10 May, ApprovedByTierTwo: spans the week boundary of
//              Mon 4 May; reimbursable (ticket, agreement cover), a company
//              Visa non-reimbursable, a personal expense on the Visa, and a
//              reimbursable hotel in NZD
//   2002 tech  7 – 10 May, PendingApproval: a later report in the week of 4 May
//   2003 admin 4 – 8 May, ApprovedByTierOne: held while the second tier is on
//   2004 admin 4 – 8 May, Open: on ticket 3102 (bills unapproved expenses), so it
//              reaches the unposted list before approval
//   2005 tech  11 – 17 May, ApprovedByTierTwo: a personal flight upgrade on the
//              Visa larger than the reimbursable parking: nets below zero
import type { SimExpenseEntry, SimExpenseReport, SimExpenseState } from './model.js';

/** The instant of local midnight in Sydney (UTC+10 in April–May 2026) for a calendar date. */
export function sydneyMidnight(ymd: string): string {
  const t = Date.parse(`${ymd}T00:00:00Z`) - 10 * 3600_000;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const gold = { id: 81, name: 'Managed Services - Gold', type: 'Managed Services' };

export function seedExpenses(): SimExpenseState {
  let n = 0;
  const entry = (
    reportId: number,
    date: string,
    typeId: number,
    paymentTypeId: number,
    classificationId: number,
    amount: string,
    tax: [number, string] | null,
    companyId: number,
    notes: string,
    extra: Partial<SimExpenseEntry> = {},
  ): SimExpenseEntry => {
    n++;
    return {
      id: 8000 + n,
      glEntryId: 7000 + n,
      reportId,
      typeId,
      paymentTypeId,
      classificationId,
      amount,
      taxes: tax ? [{ typeId: tax[0], amount: tax[1] }] : [],
      date: sydneyMidnight(date),
      currencyCode: 'AUD',
      locationId: 1,
      companyId,
      billableOption: 'DoNotBill',
      notes,
      ...extra,
    };
  };
  const report = (id: number, member: string, dateStart: string, dateEnd: string, status: SimExpenseReport['status'], period: number): SimExpenseReport => ({
    id,
    member,
    year: 2026,
    period,
    dateStart,
    dateEnd,
    dueDate: dateEnd,
    status,
    updatedAt: `${dateEnd}T08:00:00Z`,
  });

  return {
    setup: { secondTierApproval: true, accountsPayable: '800', expenseTax: '820' },
    classifications: [
      { id: 1, name: 'Reimbursable', key: 'Reimbursable', companyFlag: false, employeeFlag: true },
      { id: 2, name: 'Non-Reimbursable', key: 'NonReimbursable', companyFlag: true, employeeFlag: false },
      { id: 3, name: 'Personal', key: 'Personal', companyFlag: true, employeeFlag: true },
    ],
    types: [
      { id: 1, name: 'Travel', amountCaption: 'Amount', glAccount: '493', billExpenses: 'Billable', mileageFlag: false },
      { id: 2, name: 'Meals', amountCaption: 'Amount', glAccount: '420', billExpenses: 'DoNotBill', mileageFlag: false },
      { id: 3, name: 'Mileage', amountCaption: 'Kilometres', glAccount: '449', billExpenses: 'Billable', mileageFlag: true, reimbursementRate: 0.88 },
      { id: 4, name: 'Office Supplies', amountCaption: 'Amount', glAccount: '453', billExpenses: 'DoNotBill', mileageFlag: false },
      { id: 5, name: 'Accommodation', amountCaption: 'Amount', glAccount: '493', billExpenses: 'Billable', mileageFlag: false },
      { id: 6, name: 'Phone & Internet', amountCaption: 'Amount', glAccount: '489', billExpenses: 'DoNotBill', mileageFlag: false },
    ],
    paymentTypes: [
      { id: 1, name: 'Cash / own card', classificationId: 1, companyFlag: false, defaultFlag: true },
      { id: 2, name: 'Company Visa', classificationId: 2, companyFlag: true, defaultFlag: false, offsetAccount: '091' },
    ],
    taxTypes: [
      { id: 1, name: 'GST', ratePercent: '10' },
      { id: 2, name: 'NZGST', ratePercent: '15' },
      { id: 3, name: 'GST Free', ratePercent: '0' },
    ],
    tickets: [
      { id: 3101, summary: 'Printer queue failing at reception', companyId: 250, billUnapproved: false },
      { id: 3102, summary: 'Switch replacement, volunteer centre', companyId: 252, billUnapproved: true },
      { id: 3103, summary: 'Server room upgrade, Queen Street', companyId: 253, billUnapproved: false },
    ],
    projects: [{ id: 410, name: 'Wi-Fi survey', companyId: 250 }],
    reports: [
      report(2001, 'tech', '2026-04-27', '2026-05-10', 'ApprovedByTierTwo', 9),
      report(2002, 'tech', '2026-05-07', '2026-05-10', 'PendingApproval', 10),
      report(2003, 'admin', '2026-05-04', '2026-05-08', 'ApprovedByTierOne', 10),
      report(2004, 'admin', '2026-05-04', '2026-05-08', 'Open', 10),
      report(2005, 'tech', '2026-05-11', '2026-05-17', 'ApprovedByTierTwo', 11),
    ],
    entries: [
      entry(2001, '2026-04-30', 1, 1, 1, '55.00', [1, '5.00'], 250, 'Taxi to Harbour Dental for the printer call', { chargeTo: { type: 'ServiceTicket', id: 3101 }, ticketId: 3101, billableOption: 'Billable' }),
      entry(2001, '2026-05-01', 2, 1, 1, '38.50', [1, '3.50'], 250, 'Lunch on site during the Gold review', { agreement: gold, agreementAmount: '38.50' }),
      entry(2001, '2026-05-04', 4, 2, 2, '129.80', [1, '11.80'], 251, 'Cables and adapters for the Parramatta depot'),
      entry(2001, '2026-05-05', 2, 2, 3, '24.00', null, 250, 'Personal coffee order on the company card, to be repaid'),
      entry(2001, '2026-05-06', 5, 1, 1, '210.00', [2, '27.39'], 253, 'Hotel in Auckland, one night (server room upgrade)', { currencyCode: 'NZD', locationId: 2, chargeTo: { type: 'ServiceTicket', id: 3103 }, ticketId: 3103, billableOption: 'Billable' }),
      entry(2002, '2026-05-07', 3, 1, 1, '68.20', [1, '6.20'], 256, 'Drive to Sunrise Physiotherapy, 77.5 km'),
      entry(2002, '2026-05-08', 6, 1, 1, '45.00', [1, '4.09'], 250, 'Mobile data top-up while on call'),
      entry(2003, '2026-05-05', 2, 1, 1, '86.90', [1, '7.90'], 250, 'Dinner with the Wi-Fi survey team', { chargeTo: { type: 'ProjectTicket', id: 410 }, projectId: 410 }),
      entry(2004, '2026-05-06', 1, 1, 1, '14.20', [1, '1.29'], 252, 'Parking at the volunteer centre', { chargeTo: { type: 'ServiceTicket', id: 3102 }, ticketId: 3102, billableOption: 'Billable' }),
      entry(2005, '2026-05-12', 1, 2, 3, '150.00', null, 250, 'Personal seat upgrade on the company card, to be repaid'),
      entry(2005, '2026-05-13', 1, 1, 1, '20.00', [1, '1.82'], 250, 'Airport parking'),
    ],
  };
}
