// The two things the invoice dialog asks for: where an invoice stands
// (GET /api/invoices/:id/sync) and "push it now" (POST /api/invoices/:id/push).
// Each push request is its own lease owner, so a double click or a second tab
// gets 'busy' and the pod polls the view. Every push leaves an audit row with
// ids, the outcome and problem codes or an error message — never amounts or names.
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import type { Session } from '../session.js';
import type { InvoiceSyncView, PushResponse } from '../../shared/api.js';
import { createCwPushPort } from './cw-batch-port.js';
import { pushInvoice, type PushOutcome } from './invoice-push.js';
import { buildSyncView } from './invoice-sync-view.js';
import { Ledger } from './ledger.js';
import { prepareInvoice } from './prepare-invoice.js';
import { wrapPushPorts } from './push-hooks.js';
import { createXeroPushPort } from './xero-push-port.js';
import { forgetOrgFacts } from './xero-org-refs.js';
import { XeroUnavailable } from './xero-org-client.js';

/** Xero busy or down past our retries: a 503 in words rather than a failure. */
function unavailable(err: unknown): never {
  if (err instanceof XeroUnavailable) throw new ApiError(503, 'xero_unavailable', `Xero is not answering right now (${err.message}).`);
  throw err;
}

export async function invoiceSyncView(deps: AppDeps, tenantId: string, cwInvoiceId: number): Promise<InvoiceSyncView> {
  try {
    return await buildSyncView(deps, tenantId, await prepareInvoice(deps, tenantId, cwInvoiceId));
  } catch (err) {
    return unavailable(err);
  }
}

async function audit(deps: AppDeps, d: { tenantId: string; memberId: string; subject: string; outcome: string; message?: string | null }): Promise<void> {
  await deps.db.k
    .insertInto('audit_log')
    .values({ tenant_id: d.tenantId, action: 'invoice.push', member_id: d.memberId, subject: d.subject, outcome: d.outcome, message: d.message ?? null, at: deps.now().toISOString() })
    .execute();
}

export async function pushInvoiceNow(deps: AppDeps, session: Session, cwInvoiceId: number): Promise<PushResponse> {
  const tenantId = session.tenantId;
  const prep = await prepareInvoice(deps, tenantId, cwInvoiceId).catch(unavailable);
  const subject = `invoice:${cwInvoiceId}`;
  if (!prep.prepared || !prep.xero || prep.problems.length > 0) {
    // Store the problems' codes: their messages may name a rounding difference.
    await audit(deps, { tenantId, memberId: session.memberIdentifier, subject, outcome: 'needs_attention', message: prep.problems.map((p) => p.code).join(',') || null });
    return {
      outcome: 'needs_attention',
      message: prep.problems[0]?.message ?? 'This invoice cannot be pushed yet.',
      view: await buildSyncView(deps, tenantId, prep).catch(unavailable),
    };
  }
  const ports = wrapPushPorts(deps, { xero: createXeroPushPort(prep.xero), cw: createCwPushPort(prep.cw) });
  let outcome: PushOutcome;
  try {
    outcome = await pushInvoice(tenantId, prep.prepared, { ledger: new Ledger(deps.db, deps.now), ...ports, leaseOwner: randomUUID() });
  } catch (err) {
    // Only our own words are stored: a library's message can quote the value it choked on.
    const message = err instanceof ApiError ? err.message : `push interrupted (${err instanceof Error ? err.name : 'unknown failure'})`;
    await audit(deps, { tenantId, memberId: session.memberIdentifier, subject, outcome: 'interrupted', message });
    if (err instanceof ApiError) throw err;
    // The ledger row keeps the last completed step; pushing again resumes there.
    throw new ApiError(503, 'push_interrupted', 'The push to Xero was interrupted before it finished. Nothing is duplicated by trying again: push again to finish it.');
  } finally {
    if (prep.prepared.itemsToCreate.length > 0) forgetOrgFacts(deps, tenantId, prep.prepared.xeroTenantId);
  }
  const ids = [subject, outcome.xeroDocumentId ? `xero:${outcome.xeroDocumentId}` : null, outcome.cwBatchId != null ? `cwbatch:${outcome.cwBatchId}` : null].filter(Boolean).join(' ');
  await audit(deps, {
    tenantId,
    memberId: session.memberIdentifier,
    subject: ids,
    outcome: outcome.state,
    message: outcome.state === 'needs_attention' ? outcome.problems.map((p) => p.code).join(',') : null,
  });
  // The preparation was read before the push: once synced, ConnectWise holds the record in our batch.
  const after = outcome.cwBatchId != null && (outcome.state === 'synced' || outcome.state === 'unchanged') ? { ...prep, glSource: 'our_batch' as const, cwBatchId: outcome.cwBatchId } : prep;
  return { outcome: outcome.state, message: outcome.message, view: await buildSyncView(deps, tenantId, after).catch(unavailable) };
}
