// Where one invoice stands, for the dialog (shared/api.ts invoiceSyncView):
// the chip, a headline in words, the preview, what blocks a push, the live
// Xero counterpart with its link, and the ledger row (ids and states only).
import Decimal from 'decimal.js';
import type { AppDeps } from '../deps.js';
import type { InvoiceSyncView, SyncChip } from '../../shared/api.js';
import { decideContact, decideDocument } from '../engine/decide.js';
import { createKey } from '../engine/executor.js';
import { kindEntry, notEditableWords, type DocumentKindEntry, type XeroDocumentRef } from '../engine/kinds.js';
import { Ledger, type LedgerRow } from '../engine/ledger.js';
import { storedProblem, type Problem } from '../engine/problems.js';
import { xeroTransport } from '../engine/transport.js';
import { createXeroPort } from '../engine/xero-port.js';
import type { InvoicePreparation } from './prepare-invoice.js';
import { costOfSaleView } from '../procurement/cost-of-sale.js';
import { xeroStatusWords } from '../../shared/xero-status.js';

function leaseHeld(row: LedgerRow | undefined, now: Date): boolean {
  return !!row?.lease_owner && !!row.lease_until && row.lease_until > now.toISOString();
}

interface Counterpart {
  kind: DocumentKindEntry;
  /** Our document in Xero (by the ledger, or found after a lost answer). */
  doc?: XeroDocumentRef;
  /** A document under our number that we did not create. */
  taken?: { doc: XeroDocumentRef; problem: Problem };
  /** What the contact step would hit (a name taken, several matches). */
  contactProblem?: Problem;
}

/**
 * What the push will meet in Xero, read (never written): our document by the
 * ledger's id, else whatever carries our number — ours only by our own
 * earlier create — and, for a customer not yet linked, what the contact
 * match would decide. The same decisions as the push (engine/decide.ts).
 */
async function findCounterpart(deps: AppDeps, tenantId: string, prep: InvoicePreparation, row: LedgerRow | undefined, known?: XeroDocumentRef): Promise<Counterpart | undefined> {
  const org = prep.organisation?.xeroTenantId;
  if (!org) return undefined;
  const port = createXeroPort(xeroTransport(deps, tenantId, org), 'person');
  const kind = prep.prepared?.kind ?? kindEntry(prep.invoice.type === 'CreditMemo' ? 'creditNote' : 'invoice');
  if (row?.xero_document_id && row.xero_tenant_id === org) {
    if (known?.id === row.xero_document_id) return { kind, doc: known };
    const doc = (await port.getDocuments(kind, [row.xero_document_id]))[0];
    if (doc && doc.status !== 'DELETED') return { kind, doc };
  }
  const p = prep.prepared;
  if (!p) return { kind };
  const d = decideDocument({ p, row, byNumber: await port.findDocumentsByNumber(kind, [p.number]), createKey: createKey(tenantId, p), contactId: row?.xero_contact_id ?? undefined });
  if (d.action === 'keep' || d.action === 'update') return { kind, doc: d.doc };
  if (d.action === 'refuse' && d.taken) return { kind, taken: { doc: d.taken, problem: d.problem } };
  if (d.action === 'refuse' && d.doc) return { kind, doc: d.doc };
  if (p.contact && p.problems.length === 0) {
    const ledger = new Ledger(deps.db, deps.now);
    const link = (await ledger.contactLinks(tenantId, org, [p.contact.cwCompanyId]))[0];
    if (!link) {
      const m = p.contact.match;
      const candidates = await port.findContactCandidates([{ contactNumber: m.identifier, name: m.name, accountNumber: m.accountNumber }]);
      const c = decideContact({ candidates, match: p.contact, linkOwners: await ledger.contactLinkOwners(tenantId, org) });
      if (c.action === 'refuse') return { kind, contactProblem: c.problem };
    }
  }
  return { kind };
}

/** `known`: the document as Xero just answered a push of this record (not read again). */
export async function buildSyncView(deps: AppDeps, tenantId: string, prep: InvoicePreparation, known?: XeroDocumentRef): Promise<InvoiceSyncView> {
  const recordKind = (prep.prepared?.kind ?? kindEntry('invoice')).recordKind;
  const row = await new Ledger(deps.db, deps.now).get({ tenantId, kind: recordKind, cwRecordId: String(prep.invoice.id) });
  const found = await findCounterpart(deps, tenantId, prep, row, known);
  const costOfSale = prep.costOfSale && prep.organisation ? await costOfSaleView(deps, tenantId, prep.costOfSale) : null;
  const problems: Problem[] = [...prep.problems];
  const doc = found?.doc;
  if (!doc && found?.contactProblem) problems.push(found.contactProblem);
  const kind = found?.kind ?? kindEntry('invoice');
  const kindWord = kind.words.xero;
  const cwWord = kind.words.cw;
  const hash = prep.prepared?.contentHash;
  // Changed since sync: what ConnectWise says now differs from what we last pushed.
  const changed = !!doc && !!hash && !!row?.content_hash && row.content_hash !== hash;
  const interrupted = !!doc && !!row && row.state !== 'synced' && row.state !== 'needs_attention';

  let chip: SyncChip;
  let headline: string;
  if (leaseHeld(row, deps.now())) {
    chip = 'pushing';
    headline = `A push of this ${cwWord} is under way (another click or tab); this view updates when it finishes.`;
  } else if (found?.taken) {
    chip = 'needs_attention';
    headline = `Xero already has ${kindWord} ${found.taken.doc.number}, which CW–Xero Sync did not create: nothing will be written to it.`;
    problems.push(found.taken.problem);
  } else if (doc && kind.xero.isPaid(doc)) {
    chip = 'paid';
    headline = `Xero ${kindWord} ${doc.number} is ${doc.status === 'PAID' ? 'paid' : 'part paid'}; it can no longer be changed from ConnectWise.`;
    if (changed) problems.push({ code: 'xero_not_editable', message: notEditableWords(kind, doc), where: 'Xero' });
  } else if (doc && changed) {
    if (kind.xero.isLocked(doc)) {
      chip = 'needs_attention';
      headline = `The ConnectWise ${cwWord} changed since it was synced, but Xero ${kindWord} ${doc.number} can no longer be changed.`;
      problems.push({ code: 'xero_not_editable', message: notEditableWords(kind, doc), where: 'Xero' });
    } else {
      chip = 'changed';
      headline = `The ConnectWise ${cwWord} changed since it was synced: re-sync to update Xero ${kindWord} ${doc.number}.`;
    }
  } else if (doc && doc.status === 'VOIDED') {
    chip = 'needs_attention';
    headline = `Xero ${kindWord} ${doc.number} was voided in Xero.`;
    problems.push({ code: 'xero_not_editable', message: notEditableWords(kind, doc), where: 'Xero' });
  } else if (doc && interrupted) {
    chip = 'ready';
    headline = `Xero has ${kindWord} ${doc.number}, but the last push was interrupted before ConnectWise recorded it: push again to finish (nothing is created twice).`;
  } else if (doc && row?.state === 'needs_attention' && row.error_message) {
    // The document is in Xero, but a later step (allocation, ConnectWise batch) needs a person.
    chip = 'needs_attention';
    headline = `Xero has ${kindWord} ${doc.number}, but the last push could not finish.`;
    const code = row.error_code ?? 'needs_attention';
    problems.push(storedProblem(code, row.error_message));
  } else if (doc && row?.state === 'synced' && prep.glSource === 'unposted') {
    chip = 'ready';
    headline = `Xero has ${kindWord} ${doc.number}, but ConnectWise no longer holds it in an accounting batch (the batch was deleted): push to post it again (nothing is created twice in Xero).`;
  } else if (doc && costOfSale && costOfSale.state !== 'synced') {
    // Posted before its journal existed, or the journal changed since: the push makes (or updates) it.
    chip = 'ready';
    headline = `Xero has ${kindWord} ${doc.number}, but its cost of sale journal is not in Xero as ConnectWise has it: push to send it (nothing is created twice).`;
  } else if (doc) {
    chip = 'synced';
    headline = `In Xero as ${kindWord} ${doc.number} (${xeroStatusWords(doc.status).toLowerCase()}).`;
  } else if (row?.state === 'needs_attention' && row.error_message && problems.length === 0) {
    chip = 'needs_attention';
    headline = `The last push needs attention before this ${cwWord} can go to Xero.`;
    const code = row.error_code ?? 'needs_attention';
    problems.push(storedProblem(code, row.error_message));
  } else if (problems.length > 0) {
    chip = 'needs_attention';
    headline = problems.length === 1 ? `One thing needs fixing before this ${cwWord} can go to Xero.` : `${problems.length} things need fixing before this ${cwWord} can go to Xero.`;
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
    !found?.taken &&
    !found?.contactProblem &&
    (chip === 'ready' || chip === 'changed' || (chip === 'needs_attention' && (lastPushHit || !doc)) && !problems.some((p) => p.code === 'xero_not_editable'));
  return {
    invoice: prep.invoice,
    chip,
    headline,
    organisation: prep.organisation,
    preview: prep.preview ?? null,
    costOfSale,
    problems: problems.map((p) => ({ code: p.code, message: p.message, ...(p.where ? { where: p.where } : {}) })),
    xero: doc
      ? {
          kind: kind.name as 'invoice' | 'creditNote',
          documentId: doc.id,
          number: doc.number,
          status: doc.status,
          url: kind.xero.url(deps.config.xero.appUrl, doc.id),
          amountPaid: doc.amountPaid,
          amountDue: doc.amountDue,
        }
      : null,
    ledger: row
      ? { state: row.state, syncedAt: row.synced_at, cwBatchId: row.cw_batch_id == null ? null : Number(row.cw_batch_id), error: row.error_message }
      : null,
    taken: found?.taken
      ? {
          documentId: found.taken.doc.id,
          number: found.taken.doc.number,
          status: found.taken.doc.status,
          contactName: found.taken.doc.contact?.name ?? null,
          total: found.taken.doc.total,
          currency: found.taken.doc.currency ?? null,
          url: kind.xero.url(deps.config.xero.appUrl, found.taken.doc.id),
          cwTotal: prep.prepared ? new Decimal(prep.prepared.total).abs().toFixed(2) : '0.00',
          cwCurrency: prep.prepared?.currency ?? '',
        }
      : null,
    canPush,
    pushLabel: doc ? 'Re-sync' : 'Push to Xero',
  };
}
