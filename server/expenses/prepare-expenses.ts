// ConnectWise expense entries → the engine's records: one per Xero bill (or
// bill credit note). Reads ConnectWise (cw-expense-source.ts), maps with the
// pure expense mapping (domain/expense-mapping.ts) and says which bill each
// entry goes to:
//
//   per report (default)   record "r{report}-{CUR}#1": the report's bill
//   Enhanced Expenses      record "m{member}-w{week}-{CUR}#{n}": the member's
//                          week; a later report joins the week's bill while
//                          Xero holds it as a DRAFT (its lines kept as Xero has
//                          them, the new entries' lines added), else makes
//                          bill #n+1 (an approved or paid bill is never edited)
//
// Entries already on one of our bills are never billed again (the ledger's GL
// entry ids). The tab (one report) and the batch run (many) both come here.
import type { AppDeps } from '../deps.js';
import type { CwClient } from '../cw/client.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { contentHash } from '../domain/content-hash.js';
import { decideWeeklyBill, expenseBillStem, expenseRelease, groupExpenseItems, type ExpenseBillGroup, type ExpenseRelease } from '../domain/expense-grouping.js';
import { classificationPosting, readExpenseItems, type ExpenseClassification } from '../domain/expense-items.js';
import { mapExpenseBill, type ExpenseMappingResult } from '../domain/expense-mapping.js';
import { localDate, weekOf } from '../domain/expense-weeks.js';
import { Dec, sum, toFixed } from '../domain/money.js';
import { createXeroPort } from '../engine/xero-port.js';
import { mapMemberContact } from '../domain/member-contact.js';
import type { XeroLineItem } from '../domain/xero-wire.js';
import type { XeroRefs } from '../domain/xero-refs.js';
import { expenseBillKind, expenseCreditKind } from '../engine/kinds.js';
import { Ledger, type LedgerRow } from '../engine/ledger.js';
import type { OrgFacts } from '../engine/org-facts.js';
import type { PreparedRecord } from '../engine/ports.js';
import { blockingProblems, type Problem } from '../engine/problems.js';
import { xeroTransport } from '../engine/transport.js';
import { loadTenantSettings, type TenantSettings } from '../settings.js';
import { getTenant } from '../tenants.js';
import type { CwExpenseEntry, CwUnpostedExpense } from '../../shared/cw-types.js';
import { exportExpenses, readExpenseReport, readMember, readReportEntries, readServerTimeZone, readUnpostedExpenses, type ExpenseMemberRecord, type ExpenseReportRecord } from './cw-expense-source.js';
import { bookingOrganisation } from '../sync/booking-organisation.js';
import { trackingRulesFor } from '../domain/tracking-mapping.js';

/** One bill the entries become, with the mapping's figures for the preview. In memory only. */
export interface ExpenseBillPrep {
  /** The ledger's record id: the bill key and its sequence. */
  recordId: string;
  group: ExpenseBillGroup;
  mapping: ExpenseMappingResult;
  prepared: PreparedRecord;
  /** Enhanced Expenses: the week's draft bill takes these entries (its other lines as Xero holds them). */
  joinsDraft: boolean;
}

export interface ExpenseReportPreparation {
  tenantId: string;
  cw: CwClient;
  report: ExpenseReportRecord;
  member: ExpenseMemberRecord;
  entries: CwExpenseEntry[];
  release: ExpenseRelease;
  organisation: { xeroTenantId: string; name: string } | null;
  /** The organisation's tax rates (empty when it did not answer), for the preview's tax names. */
  taxRates: XeroRefs['taxRates'];
  /** Problems of the whole report (organisation, connection). */
  problems: Problem[];
  bills: ExpenseBillPrep[];
  /** Our ledger rows of the report's bills (for a report already posted: what it became). */
  rows: LedgerRow[];
  howItPosts: { classification: ExpenseClassification; words: string }[];
  settings: TenantSettings;
}

const recordIdOf = (key: string, sequence: number) => `${key}#${sequence}`;
const sequenceOf = (recordId: string) => Number(recordId.slice(recordId.lastIndexOf('#') + 1)) || 1;

/** ConnectWise's "open record" link to an expense entry on the tenant's site (it shows the entry's report). */
export async function expenseRecordUrl(deps: AppDeps, tenantId: string): Promise<(entryId: number | undefined) => string | undefined> {
  const tenant = await getTenant(deps.db, tenantId);
  if (!tenant) return () => undefined;
  return (entryId) =>
    entryId === undefined ? undefined : `${tenant.siteUrl}/v4_6_release/services/system_io/router/openrecord.rails?locale=en_US&companyName=${encodeURIComponent(tenant.id)}&recordType=ExpenseFV&recid=${entryId}`;
}

/** The engine's record for one mapped bill. */
export function toPreparedExpense(args: { mapping: ExpenseMappingResult; recordId: string; member: ExpenseMemberRecord; settings: TenantSettings; xeroTenantId: string; extraProblems?: Problem[] }): PreparedRecord {
  const { mapping, member, settings } = args;
  const contact = mapMemberContact({ member, settings: settings.expenses });
  return {
    kind: mapping.kind === 'bill' ? expenseBillKind : expenseCreditKind,
    cwRecordId: args.recordId,
    number: mapping.number,
    glEntryIds: mapping.glEntryIds,
    xeroTenantId: args.xeroTenantId,
    contentHash: mapping.contentHash,
    problems: [...blockingProblems(mapping.problems, contact.problems), ...(args.extraProblems ?? [])],
    unitdp: mapping.unitdp,
    total: mapping.totals.xeroTotal,
    currency: mapping.document.CurrencyCode,
    contact: {
      // A member is a supplier of its own: its link never collides with a company's.
      cwCompanyId: `member:${member.id}`,
      match: { identifier: contact.contact.ContactNumber, name: contact.contact.Name },
      map: (existing) => mapMemberContact({ member, settings: settings.expenses, ...(existing ? { existing } : {}) }),
    },
    document: mapping.document,
    itemsToCreate: [],
    allocations: [],
    payments: mapping.payments.map((p) => ({
      // The GL entry id in brackets: "[cwx:7003]" is never found inside "[cwx:70031]".
      mark: `[cwx:${p.glEntryId}]`,
      reference: `${mapping.number} ${p.paymentTypeName} [cwx:${p.glEntryId}]`.slice(0, 255),
      accountCode: p.accountCode,
      amount: p.amount,
      date: p.date,
    })),
  };
}

/**
 * A week's draft bill taking further entries: Xero's lines as they stand (an
 * accountant may have edited the draft) less any earlier copy of these
 * entries' lines (a retried push), plus the new entries' lines.
 */
export function joinDraft(draftLines: readonly XeroLineItem[], mapping: ExpenseMappingResult, fresh: readonly string[]): XeroLineItem[] {
  const freshLines = mapping.document.LineItems.filter((_, i) => fresh.includes(mapping.lines[i]!.glEntryId));
  // Each line ends with its entry's mark (expenseLineMark): "… — CW expense entry 8003".
  const markOf = (d: string | undefined) => (d ?? '').slice((d ?? '').lastIndexOf(' — ') + 3);
  const marks = new Set(freshLines.map((l) => markOf(l.Description)));
  return [...draftLines.filter((l) => !marks.has(markOf(l.Description))), ...freshLines];
}

/** Reads a week's draft bill's lines as Xero holds them. */
async function draftLines(deps: AppDeps, tenantId: string, xeroTenantId: string, documentId: string): Promise<XeroLineItem[]> {
  const t = xeroTransport(deps, tenantId, xeroTenantId);
  const r = (await t.call('bill lookup', (a, x) => a.getInvoice(x, documentId), { priority: 'person' })) as { body: { invoices?: { lineItems?: { description?: string; quantity?: number; unitAmount?: number; lineAmount?: number; accountCode?: string; taxType?: string; taxAmount?: number; tracking?: unknown[] }[] }[] } };
  return (r.body.invoices?.[0]?.lineItems ?? []).map((l) => ({
    Description: l.description ?? '',
    Quantity: l.quantity ?? 1,
    UnitAmount: l.unitAmount ?? 0,
    LineAmount: l.lineAmount ?? 0,
    AccountCode: l.accountCode ?? '',
    ...(l.taxType ? { TaxType: l.taxType } : {}),
    ...(l.taxAmount !== undefined ? { TaxAmount: l.taxAmount } : {}),
  })) as XeroLineItem[];
}

/**
 * The bills of these unposted GL entries (one report's, or a run's), mapped
 * and assigned to their bill records. Entries whose report is not released
 * are left out by the caller.
 */
export async function prepareExpenseBills(
  deps: AppDeps,
  tenantId: string,
  args: {
    cw: CwClient;
    unposted: CwUnpostedExpense[];
    entries: CwExpenseEntry[];
    members: ExpenseMemberRecord[];
    settings: TenantSettings;
    xeroTenantId: string;
    facts: OrgFacts;
    timeZone: string;
    /** The link back to ConnectWise for a bill (its first entry's record): the bill's Url in Xero. */
    recordUrl?: (entryId: number | undefined) => string | undefined;
  },
): Promise<ExpenseBillPrep[]> {
  const { settings } = args;
  const glIds = args.unposted.map((u) => u.id).filter((id): id is number => id !== undefined);
  if (glIds.length === 0) return [];
  const expenseBills = await exportExpenses(args.cw, glIds, `cwxs-exp-preview-${contentHash(glIds).slice(0, 12)}`);
  const items = readExpenseItems({ expenseBills, unposted: args.unposted, entries: args.entries, timeZone: args.timeZone });
  // The currencies each report or week has beyond what is unposted now: its entries, and our bills already made.
  const stems = [...new Set(items.map((i) => expenseBillStem(i, settings.expenses)))];
  const made = await new Ledger(deps.db, deps.now).listByPrefixes(tenantId, 'expense', stems.map((st) => `${st}-`));
  const other = new Map<string, string[]>();
  const note = (stem: string, currency: string | undefined) => currency && other.set(stem, [...(other.get(stem) ?? []), currency]);
  for (const r of made) note(r.cw_record_id.replace(/-[A-Z]{3}#\d+$/, ''), /-([A-Z]{3})#\d+$/.exec(r.cw_record_id)?.[1]);
  if (!settings.expenses.enhancedExpenses) for (const e of args.entries) note(`r${e.expenseReport?.id}`, e.currency?.currencyCode?.toUpperCase());
  const groups = groupExpenseItems(items, settings.expenses, other);
  const rows = made.filter((r) => groups.some((g) => r.cw_record_id.startsWith(`${g.key}#`)));
  const out: ExpenseBillPrep[] = [];
  for (const group of groups) {
    const member = args.members.find((m) => m.id === group.memberId) ?? ({ id: group.memberId, identifier: group.memberIdentifier, firstName: '', lastName: '' } as ExpenseMemberRecord);
    const url = args.recordUrl?.(group.items[0]?.entry.id);
    const firstUnposted = args.unposted.find((u) => group.glEntryIds.includes(String(u.id)));
    const tracking = { rules: trackingRulesFor(settings.invoiceMapping, args.xeroTenantId), sources: { location: expenseLocationOf(args.unposted, member), department: firstUnposted?.departmentId } };
    const map = (sequence: number) => mapExpenseBill({ group, member, settings: settings.expenses, accounts: settings.invoiceMapping, xeroRefs: args.facts.refs, sequence, tracking, ...(url ? { url } : {}) });
    const mine = rows.filter((r) => r.cw_record_id.startsWith(`${group.key}#`));
    const idsOf = (r: LedgerRow) => (r.gl_entry_ids ?? '').split(',').filter(Boolean);
    // A bill of ours already holds (some of) these entries: a push that stopped before ConnectWise's batch.
    const holding = mine.find((r) => idsOf(r).some((id) => group.glEntryIds.includes(id)));
    let sequence = holding ? sequenceOf(holding.cw_record_id) : 1;
    let draft: LedgerRow | undefined = holding && idsOf(holding).some((id) => !group.glEntryIds.includes(id)) ? holding : undefined;
    if (!holding && settings.expenses.enhancedExpenses && mine.length) {
      // Where the week's bills stand in Xero now (an accountant may have approved the draft).
      const withDocs = mine.filter((r) => r.xero_document_id);
      const port = createXeroPort(xeroTransport(deps, tenantId, args.xeroTenantId), 'person');
      const status = new Map((withDocs.length ? await port.getDocuments(expenseBillKind, withDocs.map((r) => r.xero_document_id!)) : []).map((d) => [d.id, d.status] as const));
      const existing = mine.map((r) => ({ sequence: sequenceOf(r.cw_record_id), xeroStatus: status.get(r.xero_document_id ?? '') ?? 'NONE', glEntryIds: idsOf(r), row: r }));
      const decision = decideWeeklyBill(existing, group.glEntryIds);
      if (decision.action === 'create') sequence = decision.sequence;
      if (decision.action === 'update') {
        const row = existing.find((e) => e.sequence === decision.sequence)!.row;
        // A draft joins only entries that make the same kind of document (a bill's lines into a bill, a credit
        // note's into a credit note); otherwise the week gets a further document.
        if (row.document_kind === (map(decision.sequence).kind === 'bill' ? expenseBillKind.name : expenseCreditKind.name)) {
          draft = row;
          sequence = decision.sequence;
        } else sequence = Math.max(...existing.map((e) => e.sequence)) + 1;
      }
    }
    const mapping = map(sequence);
    let prepared = toPreparedExpense({ mapping, recordId: recordIdOf(group.key, sequence), member, settings, xeroTenantId: args.xeroTenantId });
    if (draft?.xero_document_id) {
      const lines = joinDraft(await draftLines(deps, tenantId, args.xeroTenantId, draft.xero_document_id), mapping, group.glEntryIds);
      const document = { ...mapping.document, LineItems: lines };
      prepared = {
        ...prepared,
        document,
        glEntryIds: [...new Set([...idsOf(draft), ...group.glEntryIds])].sort((a, b) => Number(a) - Number(b)),
        postGlEntryIds: group.glEntryIds,
        contentHash: contentHash(document),
        total: toFixed(sum(lines.map((l) => new Dec(String(l.LineAmount)).plus(String(l.TaxAmount ?? 0))))),
      };
    }
    out.push({ recordId: prepared.cwRecordId, group, mapping, prepared, joinsDraft: !!draft });
  }
  return out;
}

/** The location a report's expenses book by: its first unposted GL entry's (lowest id), else the member's default location. */
export function expenseLocationOf(unposted: readonly CwUnpostedExpense[], member: Pick<ExpenseMemberRecord, 'defaultLocation'> | undefined): number | undefined {
  const first = [...unposted].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))[0];
  return first?.locationId ?? (member?.defaultLocation as { id?: number } | null | undefined)?.id ?? undefined;
}

/** The ledger prefixes of a report's bills, pushed or not: by report, or (Enhanced Expenses) by the member's weeks of its entries. */
export function reportBillPrefixes(reportId: number, memberId: number, entries: readonly CwExpenseEntry[], settings: TenantSettings, timeZone: string): string[] {
  if (!settings.expenses.enhancedExpenses) return [`r${reportId}-`];
  const weeks = [...new Set(entries.map((e) => localDate(e.date, timeZone)).filter((d): d is string => !!d).map((d) => weekOf(d, settings.expenses.weekStart).start))];
  return weeks.map((w) => `m${memberId}-w${w}-`);
}

/** Everything the tab shows and pushes for one expense report. */
export async function prepareExpenseReport(deps: AppDeps, tenantId: string, reportId: number): Promise<ExpenseReportPreparation> {
  const cw = await cwClientForTenant(deps, tenantId);
  const [report, entries, settings, timeZone] = await Promise.all([readExpenseReport(cw, reportId), readReportEntries(cw, reportId), loadTenantSettings(deps.db, tenantId), readServerTimeZone(cw)]);
  const member = await readMember(cw, report.member.id!);
  const unposted = await readUnpostedExpenses(cw, entries.map((e) => e.id!));
  const release = expenseRelease(report.status, settings.expenses.secondTierApproval);
  const { organisation, facts, problems } = await bookingOrganisation(deps, tenantId, expenseLocationOf(unposted, member));
  // Only a released report's entries go to Xero (a ticket may let unapproved ones into the unposted list).
  const bills = facts && organisation && release.released ? await prepareExpenseBills(deps, tenantId, { cw, unposted, entries, members: [member], settings, xeroTenantId: organisation.xeroTenantId, facts, timeZone, recordUrl: await expenseRecordUrl(deps, tenantId) }) : [];
  for (const b of bills) b.prepared.problems.push(...problems);
  // Our bills of this report, pushed or not (its entries may all be posted by now): by report, or by the member's weeks.
  const unpostedIds = new Set(unposted.map((u) => String(u.id)));
  const rows = (await new Ledger(deps.db, deps.now).listByPrefixes(tenantId, 'expense', reportBillPrefixes(reportId, member.id, entries, settings, timeZone))).filter(
    // While the report has unposted entries, a week's documents are this report's when they hold (or will hold) them.
    (r) => !settings.expenses.enhancedExpenses || unpostedIds.size === 0 || bills.some((b) => b.recordId === r.cw_record_id) || (r.gl_entry_ids ?? '').split(',').some((id) => unpostedIds.has(id)),
  );
  const classifications = [...new Set(bills.flatMap((b) => b.mapping.postings.map((p) => p.classification)))];
  return {
    tenantId,
    cw,
    report,
    member,
    entries,
    release,
    organisation,
    taxRates: facts?.refs.taxRates ?? [],
    problems,
    bills,
    rows,
    howItPosts: (classifications.length ? classifications : (['Reimbursable', 'NonReimbursable', 'Personal'] as const)).map((c) => ({ classification: c, words: classificationPosting(c, settings.expenses.wisePay) })),
    settings,
  };
}

