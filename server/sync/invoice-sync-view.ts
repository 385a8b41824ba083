// Where one invoice stands, for the dialog (shared/api.ts invoiceSyncView):
// the chip, a headline in words, the preview, what blocks a push, the live
// Xero counterpart with its link, and the ledger row (ids and states only).
import Decimal from 'decimal.js';
import type { AppDeps } from '../deps.js';
import type { InvoiceSyncView, SyncChip } from '../../shared/api.js';
import { isLockedInXero, notEditableWords, type DocumentKind, type Problem, type XeroDocumentRef } from './invoice-push.js';
import { Ledger, type LedgerRow } from './ledger.js';
import type { InvoicePreparation } from './prepare-invoice.js';
import { createXeroPushPort } from './xero-push-port.js';

/** The document in Xero's web app (the Xero simulator's page in the demo and tests). */
export function xeroDocumentUrl(appUrl: string, kind: DocumentKind, id: string): string {
  return kind === 'invoice'
    ? `${appUrl}/AccountsReceivable/View.aspx?InvoiceID=${encodeURIComponent(id)}`
    : `${appUrl}/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=${encodeURIComponent(id)}`;
}

/** Where a person fixes what the last push ran into (the ledger keeps the code, not the place). */
const WHERE_BY_CODE: Record<string, string> = {
  'contact-name-taken': 'Xero › Contacts (or ConnectWise › Companies)',
  'contact-ambiguous': 'Xero › Contacts',
  xero_not_editable: 'Xero',
  xero_validation: 'Xero',
  xero_conflict: 'Xero',
  xero_unauthorised: 'Sync settings › Xero',
  cw_already_posted: 'ConnectWise › Finance › Accounting Interface › Batches',
  allocation_target_missing: 'ConnectWise › Finance › Invoices',
};

/**
 * Paid by the customer. A credit note Xero marks PAID because our allocation
 * used it up is synced, not paid; one refunded (payments) is paid.
 */
function isPaid(kind: DocumentKind, doc: XeroDocumentRef): boolean {
  if (!new Decimal(doc.amountPaid).isZero()) return true;
  return kind === 'invoice' && doc.status === 'PAID';
}

function leaseHeld(row: LedgerRow | undefined, now: Date): boolean {
  return !!row?.lease_owner && !!row.lease_until && row.lease_until > now.toISOString();
}

/** The Xero counterpart: by the ledger's id, else (lost ledger row) by number. */
async function findCounterpart(prep: InvoicePreparation, row: LedgerRow | undefined): Promise<{ kind: DocumentKind; doc: XeroDocumentRef } | undefined> {
  if (!prep.xero) return undefined;
  const port = createXeroPushPort(prep.xero);
  const kind: DocumentKind = prep.prepared?.kind ?? (prep.invoice.type === 'CreditMemo' ? 'creditNote' : 'invoice');
  if (row?.xero_document_id && row.xero_tenant_id === prep.xero.xeroTenantId) {
    const doc = await port.getDocument(kind, row.xero_document_id);
    if (doc && doc.status !== 'DELETED') return { kind, doc };
  }
  if (prep.prepared) {
    const doc = await port.findDocumentByNumber(kind, prep.prepared.number);
    if (doc) return { kind, doc };
  }
  return undefined;
}

export async function buildSyncView(deps: AppDeps, tenantId: string, prep: InvoicePreparation): Promise<InvoiceSyncView> {
  const row = await new Ledger(deps.db, deps.now).get({ tenantId, kind: 'invoice', cwRecordId: String(prep.invoice.id) });
  const found = await findCounterpart(prep, row);
  const problems: Problem[] = [...prep.problems];
  const doc = found?.doc;
  const kindWord = found?.kind === 'creditNote' ? 'credit note' : 'invoice';
  const hash = prep.prepared?.contentHash;
  // Changed since sync: what ConnectWise says now differs from what we last pushed.
  const changed = !!doc && !!hash && !!row?.content_hash && row.content_hash !== hash;
  const interrupted = !!doc && !!row && row.state !== 'synced' && row.state !== 'needs_attention';

  let chip: SyncChip;
  let headline: string;
  if (leaseHeld(row, deps.now())) {
    chip = 'pushing';
    headline = 'A push of this invoice is under way (another click or tab); this view updates when it finishes.';
  } else if (doc && isPaid(found!.kind, doc)) {
    chip = 'paid';
    headline = `Xero ${kindWord} ${doc.number} is ${doc.status === 'PAID' ? 'paid' : 'part paid'}; it can no longer be changed from ConnectWise.`;
    if (changed) problems.push({ code: 'xero_not_editable', message: notEditableWords(found!.kind, doc), where: 'Xero' });
  } else if (doc && changed) {
    if (isLockedInXero(doc, found!.kind)) {
      chip = 'needs_attention';
      headline = `The ConnectWise invoice changed since it was synced, but Xero ${kindWord} ${doc.number} can no longer be changed.`;
      problems.push({ code: 'xero_not_editable', message: notEditableWords(found!.kind, doc), where: 'Xero' });
    } else {
      chip = 'changed';
      headline = `The ConnectWise invoice changed since it was synced: re-sync to update Xero ${kindWord} ${doc.number}.`;
    }
  } else if (doc && doc.status === 'VOIDED') {
    chip = 'needs_attention';
    headline = `Xero ${kindWord} ${doc.number} was voided in Xero.`;
    problems.push({ code: 'xero_not_editable', message: notEditableWords(found!.kind, doc), where: 'Xero' });
  } else if (doc && interrupted) {
    chip = 'ready';
    headline = `Xero has ${kindWord} ${doc.number}, but the last push was interrupted before ConnectWise recorded it: push again to finish (nothing is created twice).`;
  } else if (doc && row?.state === 'needs_attention' && row.error_message) {
    // The document is in Xero, but a later step (allocation, ConnectWise batch) needs a person.
    chip = 'needs_attention';
    headline = `Xero has ${kindWord} ${doc.number}, but the last push could not finish.`;
    const code = row.error_code ?? 'needs_attention';
    problems.push({ code, message: row.error_message, ...(WHERE_BY_CODE[code] ? { where: WHERE_BY_CODE[code] } : {}) });
  } else if (doc && row?.state === 'synced' && prep.glSource === 'unposted') {
    chip = 'ready';
    headline = `Xero has ${kindWord} ${doc.number}, but ConnectWise no longer holds it in an accounting batch (the batch was deleted): push to post it again (nothing is created twice in Xero).`;
  } else if (doc) {
    chip = 'synced';
    headline = `In Xero as ${kindWord} ${doc.number} (${doc.status}).`;
  } else if (row?.state === 'needs_attention' && row.error_message && problems.length === 0) {
    chip = 'needs_attention';
    headline = 'The last push needs attention before this invoice can go to Xero.';
    const code = row.error_code ?? 'needs_attention';
    problems.push({ code, message: row.error_message, ...(WHERE_BY_CODE[code] ? { where: WHERE_BY_CODE[code] } : {}) });
  } else if (problems.length > 0) {
    chip = 'needs_attention';
    headline = problems.length === 1 ? 'One thing needs fixing before this invoice can go to Xero.' : `${problems.length} things need fixing before this invoice can go to Xero.`;
  } else {
    chip = 'ready';
    headline = `Ready to push to ${prep.organisation?.name ?? 'Xero'}.`;
  }

  // A push may go when nothing in ConnectWise or the settings blocks it and Xero
  // would take it: new, interrupted, changed, or retrying what the last push hit.
  const lastPushHit = row?.state === 'needs_attention' && row.error_code !== 'xero_not_editable';
  const canPush =
    !!prep.prepared &&
    prep.problems.length === 0 &&
    (chip === 'ready' || chip === 'changed' || (chip === 'needs_attention' && (lastPushHit || !doc)) && !problems.some((p) => p.code === 'xero_not_editable'));
  return {
    invoice: prep.invoice,
    chip,
    headline,
    organisation: prep.organisation,
    preview: prep.preview ?? null,
    problems: problems.map((p) => ({ code: p.code, message: p.message, ...(p.where ? { where: p.where } : {}) })),
    xero: doc
      ? {
          kind: found!.kind,
          documentId: doc.id,
          number: doc.number,
          status: doc.status,
          url: xeroDocumentUrl(deps.config.xero.appUrl, found!.kind, doc.id),
          amountPaid: doc.amountPaid,
          amountDue: doc.amountDue,
        }
      : null,
    ledger: row
      ? { state: row.state, syncedAt: row.synced_at, cwBatchId: row.cw_batch_id == null ? null : Number(row.cw_batch_id), error: row.error_message }
      : null,
    canPush,
    pushLabel: doc ? 'Re-sync' : 'Push to Xero',
  };
}
