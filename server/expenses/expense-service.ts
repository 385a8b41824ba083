// The expense tab's two requests: where an expense report stands and the bills
// it becomes (GET /api/expenses/reports/:id/sync), and "push it now"
// (POST /api/expenses/reports/:id/push) — a run of the report's bills through
// the one engine. Every push leaves an audit row of ids, outcome and codes.
import type { AppDeps } from '../deps.js';
import { unavailable } from '../http/errors.js';
import type { Session } from '../session.js';
import type { ExpenseBillView, ExpensePushResponse, ExpenseReportView } from '../../shared/expense-api.js';
import type { SyncChip } from '../../shared/api.js';
import { XeroUnavailable } from '../engine/errors.js';
import type { RecordOutcome } from '../engine/executor.js';
import { kindEntry, type XeroDocumentRef } from '../engine/kinds.js';
import type { LedgerRow } from '../engine/ledger.js';
import { storedProblem } from '../engine/problems.js';
import type { TenantSettings } from '../settings.js';
import { xeroTransport } from '../engine/transport.js';
import { createXeroPort } from '../engine/xero-port.js';
import { memberName } from '../domain/member-contact.js';
import { taxRateWords } from '../domain/xero-refs.js';
import { prepareExpenseReport, type ExpenseBillPrep, type ExpenseReportPreparation } from './prepare-expenses.js';
import { mayPush, requirePusher, whoCanPush as whoCanPushWords } from '../permission.js';
import { loadTenantSettings } from '../settings.js';
import { auditedPush, pushInterrupted, summarisePush } from '../sync/audited-push.js';

/** Our bills of the report as Xero holds them now (one read per kind). */
export async function xeroDocuments(deps: AppDeps, tenantId: string, rows: LedgerRow[]): Promise<Map<string, XeroDocumentRef>> {
  const out = new Map<string, XeroDocumentRef>();
  const withDocs = rows.filter((r) => r.xero_document_id && r.xero_tenant_id && r.document_kind);
  const byOrgKind = new Map<string, LedgerRow[]>();
  for (const r of withDocs) byOrgKind.set(`${r.xero_tenant_id}\u0000${r.document_kind}`, [...(byOrgKind.get(`${r.xero_tenant_id}\u0000${r.document_kind}`) ?? []), r]);
  for (const [key, list] of byOrgKind) {
    const [org, kind] = key.split('\u0000') as [string, string];
    const port = createXeroPort(xeroTransport(deps, tenantId, org), 'person');
    for (const d of await port.getDocuments(kindEntry(kind), list.map((r) => r.xero_document_id!))) out.set(d.id, d);
  }
  return out;
}

function chipOf(row: LedgerRow | undefined, prep: ExpenseBillPrep | undefined, doc: XeroDocumentRef | undefined, now: Date): SyncChip {
  if (row?.lease_until && new Date(row.lease_until) > now) return 'pushing';
  if (row?.state === 'needs_attention') return 'needs_attention';
  if (row?.state === 'synced') {
    if (doc && kindEntry(row.document_kind ?? 'expenseBill').xero.isPaid(doc)) return 'paid';
    return prep && row.content_hash !== prep.prepared.contentHash && !prep.joinsDraft ? 'changed' : 'synced';
  }
  if (prep && prep.prepared.problems.length) return 'needs_attention';
  return 'ready';
}

function billView(p: ExpenseReportPreparation, appUrl: string, now: Date, prep: ExpenseBillPrep | undefined, row: LedgerRow | undefined, doc: XeroDocumentRef | undefined): ExpenseBillView {
  const kind = kindEntry(row?.document_kind ?? (prep?.prepared.kind.name ?? 'expenseBill'));
  const m = prep?.mapping;
  const madePayments = doc?.payments ?? [];
  const xero = doc ? { documentId: doc.id, number: doc.number, status: doc.status, url: kind.xero.url(appUrl, doc.id), amountPaid: doc.amountPaid, amountDue: doc.amountDue } : row?.xero_document_id ? { documentId: row.xero_document_id, number: row.xero_number ?? '', status: row.xero_status ?? '', url: kind.xero.url(appUrl, row.xero_document_id), amountPaid: null, amountDue: null } : null;
  const lastProblem = row?.state === 'needs_attention' && row.error_code ? storedProblem(row.error_code, row.error_message).message : null;
  const chip = chipOf(row, prep, doc, now);
  const docStatus = (prep?.prepared.document.Status ?? 'AUTHORISED') as string;
  return {
    key: prep?.recordId ?? row!.cw_record_id,
    documentKind: kind.name === 'expenseCredit' ? 'billCredit' : 'bill',
    number: prep?.prepared.number ?? row?.xero_number ?? '',
    contactName: memberName(p.member),
    date: prep?.prepared.document.Date ?? doc?.date ?? '',
    dueDate: (prep?.prepared.document as { DueDate?: string } | undefined)?.DueDate || null,
    currency: prep?.prepared.currency ?? doc?.currency ?? '',
    status: docStatus,
    week: prep?.group.week ? `${prep.group.week.start} – ${prep.group.week.end}` : null,
    reportIds: prep?.group.reportIds ?? [p.report.id],
    lines: (m?.lines ?? []).map((l) => ({ lineNumber: l.lineNumber, date: l.date, classification: l.classification, description: l.description, account: l.accountCode, tax: l.taxType ? taxRateWords(p, l.taxType, l.taxRatePercent) : '', amount: l.lineAmount, taxAmount: l.taxAmount })),
    subtotal: m?.totals.xeroSubtotal ?? '0.00',
    tax: m?.totals.xeroTax ?? '0.00',
    total: m?.totals.xeroTotal ?? doc?.total ?? '0.00',
    connectwiseTotal: m?.totals.cwTotal ?? doc?.total ?? '0.00',
    totalsAgree: m ? m.totals.difference === '0.00' : true,
    payments: (m?.payments ?? []).map((pay) => ({
      glEntryId: pay.glEntryId,
      account: pay.accountCode,
      amount: pay.amount,
      date: pay.date,
      paymentType: pay.paymentTypeName,
      state: madePayments.some((x) => x.reference.includes(`[cwx:${pay.glEntryId}]`)) ? ('applied' as const) : docStatus === 'AUTHORISED' ? ('planned' as const) : ('waiting_approval' as const),
    })),
    amountDue: m?.totals.xeroAmountDue ?? doc?.amountDue ?? '0.00',
    problems: (m?.problems ?? []).map((x) => ({ severity: x.severity, text: x.message, fixWhere: x.where ?? '', line: x.line ?? null })),
    ready: !!prep && prep.prepared.problems.length === 0,
    chip,
    xero,
    lastProblem,
  };
}

export async function buildExpenseView(deps: AppDeps, session: Pick<Session, 'isAdmin' | 'memberIdentifier' | 'securityRoleName'>, p: ExpenseReportPreparation): Promise<ExpenseReportView> {
  const now = deps.now();
  const rows = [...p.rows];
  // Xero's current status and payments of our bills (the view still shows the ledger's when Xero is not answering).
  const live = await xeroDocuments(deps, p.tenantId, rows).catch((err) => {
    if (err instanceof XeroUnavailable) return new Map<string, XeroDocumentRef>();
    throw err;
  });
  const appUrl = deps.config.xero.appUrl;
  const seen = new Set<string>();
  const bills: ExpenseBillView[] = [];
  for (const b of p.bills) {
    const row = rows.find((r) => r.cw_record_id === b.recordId);
    seen.add(b.recordId);
    bills.push(billView(p, appUrl, now, b, row, row?.xero_document_id ? live.get(row.xero_document_id) : undefined));
  }
  for (const row of rows) if (!seen.has(row.cw_record_id) && row.xero_document_id) bills.push(billView(p, appUrl, now, undefined, row, live.get(row.xero_document_id)));
  const problems = [...p.problems, ...(p.release.released ? [] : [storedProblem(p.release.code, p.release.message)])];
  const ready = bills.filter((b) => b.chip === 'ready' || b.chip === 'changed' || b.chip === 'needs_attention');
  const allSynced = bills.length > 0 && bills.every((b) => b.chip === 'synced' || b.chip === 'paid');
  const chip: SyncChip = bills.some((b) => b.chip === 'pushing') ? 'pushing' : problems.length || bills.some((b) => b.chip === 'needs_attention') ? 'needs_attention' : allSynced ? 'synced' : bills.some((b) => b.chip === 'changed') ? 'changed' : 'ready';
  const may = mayPush(p.settings, session);
  const whoCanPush = may ? null : whoCanPushWords(p.settings);
  const headline = !p.release.released
    ? p.release.message
    : problems.length
      ? problems[0]!.message
      : bills.length === 0
        ? 'Nothing of this report is waiting to go to Xero.'
        : allSynced
          ? `In Xero as ${bills.map((b) => `${b.documentKind === 'billCredit' ? 'bill credit note' : 'bill'} ${b.xero?.number ?? b.number}`).join(', ')}.`
          : bills.some((b) => b.chip === 'needs_attention')
            ? 'Some of this report needs attention before it can go to Xero.'
            : `Ready: ${bills.length === 1 ? 'one Xero bill' : `${bills.length} Xero bills`}.`;
  return {
    report: {
      id: p.report.id,
      member: { identifier: p.member.identifier, name: memberName(p.member) },
      status: p.report.status ?? '',
      dateStart: p.report.dateStart?.slice(0, 10) ?? null,
      dateEnd: p.report.dateEnd?.slice(0, 10) ?? null,
      entryCount: p.entries.length,
    },
    release: { released: p.release.released, message: p.release.released ? null : p.release.message },
    chip,
    headline,
    organisation: p.organisation,
    bills,
    problems,
    howItPosts: p.howItPosts,
    mayPush: may,
    whoCanPush,
    canPush: may && p.release.released && p.problems.length === 0 && p.bills.some((b) => b.prepared.problems.length === 0) && ready.length > 0,
    pushLabel: bills.some((b) => b.xero) ? 'Re-sync' : 'Push to Xero',
    autoPush: p.settings.expenses.autoPushApproved,
  };
}

export async function expenseReportView(deps: AppDeps, session: Session, reportId: number): Promise<ExpenseReportView> {
  try {
    return await buildExpenseView(deps, session, await prepareExpenseReport(deps, session.tenantId, reportId));
  } catch (err) {
    return unavailable(err);
  }
}

/**
 * Pushes the report's released bills through the engine (a person's push: ahead of queued run work).
 * `memberId` is who pushed ('schedule' for the scheduled scan).
 */
export async function pushExpenseBills(deps: AppDeps, tenantId: string, memberId: string, p: ExpenseReportPreparation): Promise<RecordOutcome[]> {
  const records = p.bills.map((b) => b.prepared);
  if (!p.organisation || records.length === 0) return [];
  return auditedPush(deps, { tenantId, action: 'expense.push', memberId, subject: `expensereport:${p.report.id}`, xeroTenantId: p.organisation.xeroTenantId, cw: p.cw, records, label: 'bill' });
}

export async function pushExpenseReportNow(deps: AppDeps, session: Session, reportId: number): Promise<ExpensePushResponse> {
  requirePusher(await loadTenantSettings(deps.db, session.tenantId), session);
  const p = await prepareExpenseReport(deps, session.tenantId, reportId).catch(unavailable);
  if (!p.release.released || !p.organisation || p.bills.length === 0) {
    const view = await buildExpenseView(deps, session, p).catch(unavailable);
    // Everything of the report already in Xero and posted: nothing to do, and nothing wrong.
    const done = p.release.released && view.bills.length > 0 && view.bills.every((b) => b.chip === 'synced' || b.chip === 'paid');
    return done ? { outcome: 'unchanged', message: 'Already in Xero and posted in ConnectWise; nothing of this report is waiting.', view } : { outcome: 'needs_attention', message: view.headline, view };
  }
  const outcomes = await pushExpenseBills(deps, session.tenantId, session.memberIdentifier, p).catch((err: unknown) => pushInterrupted(err, 'report'));
  const view = await buildExpenseView(deps, session, await prepareExpenseReport(deps, session.tenantId, reportId).catch(unavailable)).catch(unavailable);
  const { outcome, message } = summarisePush(outcomes, 'This report is being pushed right now (another click or tab, or the scheduled push); the result appears in a moment.');
  return { outcome, message, view };
}
