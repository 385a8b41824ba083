// The two things the invoice dialog asks for: where an invoice stands
// (GET /api/invoices/:id/sync) and "push it now" (POST /api/invoices/:id/push).
// Each push request is its own lease owner, so a double click or a second tab
// gets 'busy' and the pod polls the view. Every push leaves an audit row with
// ids, the outcome and problem codes or an error message — never amounts or names.
import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import type { AppDeps } from '../deps.js';
import { ApiError, unavailable } from '../http/errors.js';
import type { Session } from '../session.js';
import type { InvoiceSyncView, PushResponse } from '../../shared/api.js';
import type { RecordOutcome } from '../engine/executor.js';
import { Ledger } from '../engine/ledger.js';
import { pushRecords } from '../engine/push.js';
import { xeroTransport } from '../engine/transport.js';
import { createXeroPort } from '../engine/xero-port.js';
import { buildSyncView } from './invoice-sync-view.js';
import { prepareInvoice } from './prepare-invoice.js';
import { invoicePushOutcome } from '../procurement/cost-of-sale.js';
import { auditPush, pushInterrupted } from './audited-push.js';

export async function invoiceSyncView(deps: AppDeps, tenantId: string, cwInvoiceId: number): Promise<InvoiceSyncView> {
  try {
    return await buildSyncView(deps, tenantId, await prepareInvoice(deps, tenantId, cwInvoiceId));
  } catch (err) {
    return unavailable(err);
  }
}

export async function pushInvoiceNow(deps: AppDeps, session: Session, cwInvoiceId: number): Promise<PushResponse> {
  const tenantId = session.tenantId;
  const prep = await prepareInvoice(deps, tenantId, cwInvoiceId).catch(unavailable);
  const subject = `invoice:${cwInvoiceId}`;
  if (!prep.prepared || !prep.organisation || prep.problems.length > 0) {
    // Store the problems' codes: their messages may name a rounding difference.
    await auditPush(deps, { action: 'invoice.push', tenantId, memberId: session.memberIdentifier, subject, outcome: 'needs_attention', message: prep.problems.map((p) => p.code).join(',') || null });
    return {
      outcome: 'needs_attention',
      message: prep.problems[0]?.message ?? 'This invoice cannot be pushed yet.',
      view: await buildSyncView(deps, tenantId, prep).catch(unavailable),
    };
  }
  let outcome: RecordOutcome;
  let journal: RecordOutcome | undefined;
  try {
    // A person's push: a run of one (with its cost-of-sale journal, if any), ahead of any run work queued for the organisation.
    const records = [prep.prepared, ...(prep.costOfSale ? [prep.costOfSale.prepared] : [])];
    const outcomes = await pushRecords(deps, tenantId, prep.prepared.xeroTenantId, prep.cw, records, { priority: 'person', leaseOwner: randomUUID() });
    outcome = outcomes.find((o) => o.cwRecordId === prep.prepared!.cwRecordId)!;
    journal = prep.costOfSale ? outcomes.find((o) => o.cwRecordId === prep.costOfSale!.prepared.cwRecordId) : undefined;
  } catch (err) {
    // Only our own words are stored: a library's message can quote the value it choked on.
    const message = err instanceof ApiError ? err.message : `push interrupted (${err instanceof Error ? err.name : 'unknown failure'})`;
    await auditPush(deps, { action: 'invoice.push', tenantId, memberId: session.memberIdentifier, subject, outcome: 'interrupted', message });
    // The ledger row keeps the last completed step; pushing again resumes there.
    pushInterrupted(err, 'record');
  }
  const said = invoicePushOutcome(outcome, journal);
  const ids = [subject, outcome.xero?.id ? `xero:${outcome.xero.id}` : null, outcome.cwBatchId != null ? `cwbatch:${outcome.cwBatchId}` : null, journal?.xero?.id ? `journal:${journal.xero.id}` : null].filter(Boolean).join(' ');
  const codes = [...outcome.problems, ...(journal?.problems ?? [])].map((p) => p.code);
  await auditPush(deps, { action: 'invoice.push',
    tenantId,
    memberId: session.memberIdentifier,
    subject: ids,
    outcome: said.state,
    message: said.state === 'needs_attention' ? [...new Set(codes)].join(',') || null : null,
  });
  // The preparation was read before the push: once synced, ConnectWise holds the record in our batch.
  const after = outcome.cwBatchId != null && (outcome.state === 'synced' || outcome.state === 'unchanged') ? { ...prep, glSource: 'our_batch' as const, cwBatchId: outcome.cwBatchId } : prep;
  const state = said.state === 'xero_created' ? 'synced' : said.state;
  return { outcome: state, message: said.message, view: await buildSyncView(deps, tenantId, after, outcome.document).catch(unavailable) };
}

/**
 * "Link to this Xero invoice": an admin says a Xero document that carries this
 * record's number truly is this record (e.g. migrated from another system).
 * Refused unless Xero's document is for this customer's contact and has
 * ConnectWise's total; then the ledger names it as ours, and the next push
 * updates it (or finds it unchanged) like any document we created.
 */
export async function linkInvoiceToXero(deps: AppDeps, session: Session, cwInvoiceId: number, xeroDocumentId: string): Promise<InvoiceSyncView> {
  if (!session.isAdmin) throw new ApiError(403, 'admin_only', 'Only a CW–Xero Sync admin can link a record to an existing Xero document.');
  const tenantId = session.tenantId;
  const prep = await prepareInvoice(deps, tenantId, cwInvoiceId).catch(unavailable);
  const p = prep.prepared;
  if (!p || !prep.organisation) throw new ApiError(409, 'not_ready', prep.problems[0]?.message ?? 'This record cannot be linked until it can be mapped.');
  const port = createXeroPort(xeroTransport(deps, tenantId, p.xeroTenantId), 'person');
  const doc = (await port.getDocuments(p.kind, [xeroDocumentId]).catch(unavailable))[0];
  if (!doc || doc.status === 'DELETED' || doc.number !== p.number) {
    throw new ApiError(404, 'xero_document_not_found', `xeroDocumentId: Xero has no ${p.kind.words.xero} ${p.number} with that id in ${prep.organisation.name}.`, 'xeroDocumentId');
  }
  const ledger = new Ledger(deps.db, deps.now);
  const key = { tenantId, kind: p.kind.recordKind, cwRecordId: p.cwRecordId };
  const existing = await ledger.get(key);
  if (existing?.xero_document_id && existing.xero_tenant_id === p.xeroTenantId && existing.xero_document_id !== doc.id) {
    throw new ApiError(409, 'already_linked', `This ${p.kind.words.cw} is already in Xero as ${existing.xero_number ?? 'another document'}; it cannot be linked to a second one.`);
  }
  if (!new Decimal(doc.total).eq(new Decimal(p.total).abs())) {
    throw new ApiError(409, 'link_total_differs', `Xero's ${p.kind.words.xero} ${doc.number} totals ${doc.total}, ConnectWise's ${p.kind.words.cw} ${new Decimal(p.total).abs().toFixed(2)}: they are not the same document, so it was not linked.`);
  }
  const m = p.contact?.match;
  const sameContact = !m || (doc.contact?.number ?? '').toLowerCase() === m.identifier.toLowerCase() || (doc.contact?.name ?? '').toLowerCase() === m.name.toLowerCase();
  if (!sameContact) {
    throw new ApiError(409, 'link_contact_differs', `Xero's ${p.kind.words.xero} ${doc.number} is for ${doc.contact?.name ?? 'another contact'}, not this ConnectWise customer: they are not the same document, so it was not linked.`);
  }
  const owner = randomUUID();
  if (!(await ledger.acquire(key, owner))) throw new ApiError(409, 'busy', 'This record is being pushed right now; try again in a moment.');
  try {
    await ledger.linked(key, { documentKind: p.kind.name, xeroTenantId: p.xeroTenantId, doc, glEntryIds: p.glEntryIds });
    if (doc.contact?.id && p.contact) await ledger.contactBound(key, doc.contact.id);
  } finally {
    await ledger.release(key, owner);
  }
  await auditPush(deps, { action: 'invoice.push', tenantId, memberId: session.memberIdentifier, subject: `invoice:${cwInvoiceId} xero:${doc.id}`, outcome: 'linked' });
  return buildSyncView(deps, tenantId, prep).catch(unavailable);
}
