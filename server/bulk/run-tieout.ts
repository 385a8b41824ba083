// The month-end tie-out after a run (issue 12): for the invoices a run synced,
// totals by organisation and currency, by account and by tax rate as
// ConnectWise's batches state them and as Xero HOLDS them — read back from
// Xero, not taken from our mapping — each difference named. ConnectWise's side
// is the export of the batches we closed, read again (one call per batch;
// "one batch per run" makes that one per organisation); the mapping is made
// again from it only to pair each Xero line with the ConnectWise lines behind
// it. Xero's side: the documents the ledger names, 50 a call through the
// organisation's transport (pacing, limits). Computed on request; nothing is
// stored.
import type { CreditNote, Invoice, LineItem } from 'xero-node';
import type { AppDeps } from '../deps.js';
import type { Session } from '../session.js';
import { ApiError } from '../http/errors.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { loadTenantSettings } from '../settings.js';
import { costOfSaleSource } from '../procurement/cost-of-sale.js';
import { monthEndTieOut, type TieOutRecord } from '../domain/month-end-tieout.js';
import { findTaxRate, taxRatePercent, taxRateWords } from '../domain/xero-refs.js';
import { Ledger, type LedgerRow } from '../engine/ledger.js';
import { xeroTransport } from '../engine/transport.js';
import { chunks, whereText, XERO_BATCH_SIZE } from '../engine/xero-port.js';
import type { BatchRunTieOutResponse } from '../../shared/api.js';
import { CwBulkReader } from './cw-bulk-reader.js';
import { prepareMany } from './prepare-many.js';
import { RunStore } from './run-store.js';
import { factsByOrg, orgForMapping, requireRun } from './service.js';

/** The most records a tie-out reads back: 5000 invoices are at most 100 Xero reads (50 a call) per kind. */
export const RUN_TIEOUT_MAX_RECORDS = 5000;

type XeroDoc = { id: string; status: string; currency: string; lineAmountTypes: TieOutRecord['lineAmountTypes']; lines: LineItem[] };

function lat(v: unknown): TieOutRecord['lineAmountTypes'] {
  const s = String(v ?? 'Exclusive');
  return s === 'Inclusive' || s === 'NoTax' ? s : 'Exclusive';
}

/** The organisation's documents by id, with their lines (a paged list carries them), 50 a call. */
async function readBack(deps: AppDeps, tenantId: string, xeroTenantId: string, invoiceIds: string[], creditNoteIds: string[]): Promise<{ docs: Map<string, XeroDoc>; reads: number }> {
  const t = xeroTransport(deps, tenantId, xeroTenantId);
  const docs = new Map<string, XeroDoc>();
  let reads = 0;
  for (const part of chunks(invoiceIds, XERO_BATCH_SIZE)) {
    reads++;
    const r = (await t.call('tie-out invoice read', (a, x) => a.getInvoices(x, undefined, undefined, undefined, part, undefined, undefined, undefined, 1), { priority: 'person' })) as { body: { invoices?: Invoice[] } };
    for (const i of r.body.invoices ?? []) {
      if (i.invoiceID) docs.set(i.invoiceID.toLowerCase(), { id: i.invoiceID, status: String(i.status ?? ''), currency: String(i.currencyCode ?? ''), lineAmountTypes: lat(i.lineAmountTypes), lines: i.lineItems ?? [] });
    }
  }
  for (const part of chunks(creditNoteIds, XERO_BATCH_SIZE)) {
    reads++;
    const where = part.map((id) => `CreditNoteID==Guid(${whereText(id)})`).join(' OR ');
    const r = (await t.call('tie-out credit note read', (a, x) => a.getCreditNotes(x, undefined, where, undefined, 1), { priority: 'person' })) as { body: { creditNotes?: CreditNote[] } };
    for (const c of r.body.creditNotes ?? []) {
      if (c.creditNoteID) docs.set(c.creditNoteID.toLowerCase(), { id: c.creditNoteID, status: String(c.status ?? ''), currency: String(c.currencyCode ?? ''), lineAmountTypes: lat(c.lineAmountTypes), lines: c.lineItems ?? [] });
    }
  }
  return { docs, reads };
}

export async function tieOutRun(deps: AppDeps, session: Pick<Session, 'tenantId'>, runId: string): Promise<BatchRunTieOutResponse> {
  const { tenantId } = session;
  const run = await requireRun(deps, tenantId, runId);
  if (run.record_kind !== 'invoice') throw new ApiError(400, 'not_an_invoice_run', 'id: the tie-out with Xero is for runs of invoices.', 'id');
  const items = await new RunStore(deps.db, deps.now).items(run.id, 0, RUN_TIEOUT_MAX_RECORDS + 1, ['synced']);
  if (items.length > RUN_TIEOUT_MAX_RECORDS) throw new ApiError(400, 'run_too_large', `id: the tie-out reads back at most ${RUN_TIEOUT_MAX_RECORDS} records; this run synced more.`, 'id');
  const leftOut: BatchRunTieOutResponse['leftOut'] = [];
  const empty = { ...monthEndTieOut([], 'Xero holds'), leftOut, xeroReads: 0 };
  if (items.length === 0) return empty;

  // Which Xero document each record became, and the ConnectWise batch that closed it: the ledger's word.
  const ledger = new Map((await new Ledger(deps.db, deps.now).list(tenantId, 'invoice', items.map((i) => i.cw_record_id))).map((r) => [r.cw_record_id, r] as const));
  const rows: LedgerRow[] = [];
  for (const i of items) {
    const r = ledger.get(i.cw_record_id);
    if (r?.xero_document_id && r.xero_tenant_id && r.cw_batch_id != null) rows.push(r);
    else leftOut.push({ number: i.xero_number ?? i.cw_record_id, reason: 'the sync ledger names no Xero document and ConnectWise batch for it' });
  }
  if (rows.length === 0) return empty;

  const cwClient = await cwClientForTenant(deps, tenantId);
  const cw = new CwBulkReader(cwClient, tenantId);
  const exported = await cw.batchExports(rows.map((r) => Number(r.cw_batch_id)));
  const orgs = [...new Set(rows.map((r) => r.xero_tenant_id!))];
  const facts = await factsByOrg(deps, tenantId, orgs);
  const settings = await loadTenantSettings(deps.db, tenantId);
  const glOf = new Map(items.map((i) => [i.cw_record_id, Number(i.gl_entry_id)] as const));
  const prepared = await prepareMany(cw, {
    refs: rows.map((r) => ({ cwInvoiceId: Number(r.cw_record_id), glEntryId: glOf.get(r.cw_record_id)! })),
    orgOf: (ref) => orgForMapping(facts, ledger.get(String(ref.cwInvoiceId))!.xero_tenant_id!),
    settings: settings.invoiceMapping,
    costOfSale: costOfSaleSource(cwClient, settings),
    exported,
  });

  // Xero's side: every document read back, per organisation, 50 a call.
  const docs = new Map<string, XeroDoc>();
  let xeroReads = 0;
  for (const org of orgs) {
    if (facts.get(org) && 'code' in facts.get(org)!) continue;
    const mine = rows.filter((r) => r.xero_tenant_id === org);
    const ids = (kind: 'creditNote' | 'invoice') => mine.filter((r) => (r.document_kind === 'creditNote') === (kind === 'creditNote')).map((r) => r.xero_document_id!);
    const got = await readBack(deps, tenantId, org, ids('invoice'), ids('creditNote'));
    xeroReads += got.reads;
    for (const [k, v] of got.docs) docs.set(k, v);
  }

  const records: TieOutRecord[] = [];
  prepared.forEach((p, n) => {
    const row = rows[n]!;
    const number = row.xero_number ?? row.cw_record_id;
    const f = facts.get(row.xero_tenant_id!);
    if (!f || 'code' in f) return void leftOut.push({ number, reason: f?.message ?? 'the organisation could not be read' });
    // A mapping that would now refuse (settings changed since) still pairs the lines: only a missing export leaves a record out.
    const source = p.ok ? p.source : undefined;
    if (!source) return void leftOut.push({ number, reason: p.ok ? '' : (p.problems[0]?.message ?? 'ConnectWise did not return its export') });
    const { mapping, transaction } = source;
    const doc = docs.get(row.xero_document_id!.toLowerCase());
    // A document Xero no longer returns, or deleted or voided there, holds nothing: every ConnectWise figure shows as a difference.
    const live = doc && doc.status !== 'DELETED' && doc.status !== 'VOIDED' ? doc : undefined;
    const pct = (l: LineItem, i: number) => {
      const rate = l.taxType ? findTaxRate(f.refs, l.taxType) : undefined;
      return (rate && taxRatePercent(rate)?.toString()) ?? (mapping.lines[i]?.taxType === l.taxType ? mapping.lines[i]?.taxRatePercent : undefined) ?? '0';
    };
    records.push({
      number,
      organisation: f.name,
      currency: live?.currency || mapping.document.CurrencyCode,
      kind: mapping.kind,
      lineAmountTypes: live?.lineAmountTypes ?? mapping.document.LineAmountTypes,
      transaction,
      // Xero's lines in the order we sent them: line i stands beside the ConnectWise lines behind our line i.
      lines: (live?.lines ?? []).map((l, i) => ({
        kind: mapping.lines[i]?.kind ?? 'revenue',
        sources: mapping.lines[i]?.sources ?? [],
        accountCode: l.accountCode ?? '',
        ...(l.taxType ? { taxType: l.taxType } : {}),
        taxRatePercent: pct(l, i),
        lineAmount: String(l.lineAmount ?? 0),
        taxAmount: String(l.taxAmount ?? 0),
      })),
      taxName: (taxType: string | undefined, p: string) => (taxType ? taxRateWords(f.refs, taxType, p) : `No tax ${p}%`),
    });
  });
  return { ...monthEndTieOut(records, 'Xero holds'), leftOut, xeroReads };
}
