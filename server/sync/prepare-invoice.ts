// Everything the dialog and a push need about one ConnectWise invoice, read
// live (nothing of it is stored): the invoice, the Xero organisation its
// billing location books into, its GLExport transaction, the customer and
// contacts, the organisation's accounts/tax/items, and from those (purely)
// the mapped Xero document, the contact, the preview, and the PreparedRecord
// the engine pushes (server/engine).
//
// For bulk runs: `prepareInvoice` is the whole read for one invoice;
// `toPreparedRecord` is the I/O-free part, used with mapping results computed
// from one export of many invoices (server/bulk/prepare-many.ts).
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import type { CwClient } from '../cw/client.js';
import { summarizeInvoice, type CwInvoiceForSummary } from '../cw/invoices.js';
import { type ContactMappingInput, type ContactMappingResult, mapContact } from '../domain/contact-mapping.js';
import { type InvoiceMappingResult, isCreditMemo, mapInvoice } from '../domain/invoice-mapping.js';
import { buildPreview, type DocumentPreview } from '../domain/preview.js';
import type { XeroRefs } from '../domain/xero-refs.js';
import type { XeroCreditNotePayload, XeroInvoicePayload } from '../domain/xero-wire.js';
import { loadTenantSettings } from '../settings.js';
import type { InvoiceSummary } from '../../shared/api.js';
import { exportUnposted, findUnpostedGlEntry, readInvoice, readInvoiceRecords, reexportBatch, type CwInvoiceExport } from './cw-invoice-source.js';
import { findBatchesByPrefix } from '../engine/cw-port.js';
import { NeedsAttention, XeroUnavailable } from '../engine/errors.js';
import { batchIdentifierOf } from '../engine/executor.js';
import { invoiceKind, kindEntry } from '../engine/kinds.js';
import { Ledger } from '../engine/ledger.js';
import { orgFacts, type OrgFacts } from '../engine/org-facts.js';
import type { PreparedRecord } from '../engine/ports.js';
import { blockingProblems, type Problem } from '../engine/problems.js';
import { WHERE } from '../engine/where.js';
import { locationResolver } from '../xero/location-map.js';
import { costOfSaleSource, hasCostOfSale, prepareCostOfSale, withCostOfSale, type CostOfSale } from '../procurement/cost-of-sale.js';

export interface InvoicePreparation {
  invoice: InvoiceSummary;
  /** The Xero organisation the billing location maps to (null: not mapped). */
  organisation: { xeroTenantId: string; name: string } | null;
  /** Where the invoice's GL entry stands in ConnectWise's Accounting Interface. */
  glSource: 'unposted' | 'our_batch' | 'posted_elsewhere';
  /** Our batch holding it, when glSource is our_batch. */
  cwBatchId?: number;
  mapping?: InvoiceMappingResult;
  contact?: ContactMappingResult;
  preview?: DocumentPreview;
  /** The organisation's tax rates (when it answered), to name taxes as Xero does (reconcile). */
  taxRates?: XeroRefs['taxRates'];
  /** Present when the invoice could be mapped; carries the blocking problems (if any) the push refuses on. */
  prepared?: PreparedRecord;
  /** Its cost-of-sale journal (inventory parts), pushed with it. */
  costOfSale?: CostOfSale;
  /** Every blocking reason, in words with where to fix it. */
  problems: Problem[];
  /** The ConnectWise client of this unit of work (a push reuses it). */
  cw: CwClient;
}

/** The document's number as Xero will carry it. */
export function documentNumber(mapping: InvoiceMappingResult): string {
  return mapping.kind === 'creditNote' ? (mapping.document as XeroCreditNotePayload).CreditNoteNumber : (mapping.document as XeroInvoicePayload).InvoiceNumber;
}

/**
 * Pure: a mapped invoice and its contact → the engine's record. `extra` adds
 * blocking problems found outside the mapping (e.g. posted elsewhere).
 */
export function toPreparedRecord(args: {
  cwInvoiceId: number | string;
  xeroTenantId: string;
  mapping: InvoiceMappingResult;
  contactInput: Omit<ContactMappingInput, 'existing'>;
  contact: ContactMappingResult;
  extraProblems?: Problem[];
}): PreparedRecord {
  const { mapping, contactInput } = args;
  const company = contactInput.company;
  return {
    kind: kindEntry(mapping.kind),
    cwRecordId: String(args.cwInvoiceId),
    number: documentNumber(mapping),
    glEntryIds: mapping.glEntryIds,
    xeroTenantId: args.xeroTenantId,
    contentHash: mapping.contentHash,
    problems: [...blockingProblems(mapping.problems, args.contact.problems), ...(args.extraProblems ?? [])],
    unitdp: mapping.unitdp,
    total: mapping.totals.xeroTotal,
    currency: mapping.document.CurrencyCode,
    contact: {
      cwCompanyId: String(company.id),
      match: { identifier: company.identifier, name: company.name ?? '', ...(company.accountNumber ? { accountNumber: company.accountNumber } : {}) },
      map: (existing) => mapContact(existing ? { ...contactInput, existing } : contactInput),
    },
    document: mapping.document,
    itemsToCreate: mapping.itemsToCreate,
    allocations: mapping.allocations,
  };
}

/** Which export of the invoice to map: its own while unposted, our batch's once we posted it. */
async function exportOf(
  deps: AppDeps,
  tenantId: string,
  cw: CwClient,
  invoice: Awaited<ReturnType<typeof readInvoice>>,
  unposted: Promise<CwInvoiceExport | undefined>,
): Promise<{ glSource: InvoicePreparation['glSource']; cwBatchId?: number; exp?: CwInvoiceExport }> {
  const exp = await unposted;
  if (exp) return { glSource: 'unposted', exp };
  // Posted. Ours if the ledger has the batch, or (ledger lost, or a crash
  // before the ledger write) ConnectWise has a batch with our identifier for it.
  const row = await new Ledger(deps.db, deps.now).get({ tenantId, kind: 'invoice', cwRecordId: String(invoice.id) });
  let batchId = row?.cw_batch_id ?? undefined;
  if (batchId == null) batchId = (await findBatchesByPrefix(cw, `${invoiceKind.source.batchPrefix}${invoice.id}-`))[0]?.id;
  if (batchId == null) return { glSource: 'posted_elsewhere' };
  return { glSource: 'our_batch', cwBatchId: batchId, exp: await reexportBatch(cw, invoice, batchId) };
}

/** A read started ahead of its need: its failure is thrown where it is awaited, never left unhandled if it is not. */
function ahead<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** A Xero connection that needs a person (not connected, needs reconnecting, refused) is a problem to show, not a failure. */
function asProblem(err: unknown): Problem | undefined {
  if (err instanceof ApiError && err.status < 500) return { code: err.code, message: err.message, where: WHERE.settingsXero };
  if (err instanceof NeedsAttention) return { code: err.code, message: err.message, ...(err.where ? { where: err.where } : {}) };
  return undefined;
}

export async function prepareInvoice(deps: AppDeps, tenantId: string, cwInvoiceId: number): Promise<InvoicePreparation> {
  const cw = await cwClientForTenant(deps, tenantId);
  // Reads that need nothing of each other go side by side: the invoice, its
  // unposted GL entry and then its export (both by the invoice's id alone), the
  // location map and the settings; once the invoice names its customer and
  // location, the customer's records and the organisation's facts.
  const invoiceRead = ahead(readInvoice(cw, cwInvoiceId));
  const unposted = ahead(
    findUnpostedGlEntry(cw, cwInvoiceId).then((glEntryId) =>
      glEntryId === undefined
        ? undefined
        : exportUnposted(cw, invoiceRead, glEntryId, batchIdentifierOf({ kind: invoiceKind, cwRecordId: String(cwInvoiceId), glEntryIds: [String(glEntryId)] })),
    ),
  );
  const settingsRead = ahead(loadTenantSettings(deps.db, tenantId));
  const resolverRead = ahead(locationResolver(deps, tenantId));
  const invoice = await invoiceRead;
  const summary = summarizeInvoice(invoice as CwInvoiceForSummary);
  const problems: Problem[] = [];

  const org = (await resolverRead)(invoice.locationId, (invoice as { location?: { name?: string } }).location?.name);
  const xeroTenantId = org.ok ? org.xeroTenantId : undefined;
  if (!org.ok) problems.push(org.problem);
  // Only what a mapped invoice needs: an unmapped one shows its problem without them.
  const recordsRead = xeroTenantId ? ahead(readInvoiceRecords(cw, invoice)) : undefined;
  const factsRead = xeroTenantId ? ahead(orgFacts(deps, tenantId, xeroTenantId)) : undefined;

  const { glSource, cwBatchId, exp } = await exportOf(deps, tenantId, cw, invoice, unposted);
  const base = { invoice: summary, glSource, ...(cwBatchId != null ? { cwBatchId } : {}), cw };
  if (glSource === 'posted_elsewhere') {
    problems.push({
      code: 'cw_posted_elsewhere',
      message: `ConnectWise has already posted invoice ${invoice.invoiceNumber} in an accounting batch that CW–Xero Sync did not make, so it may already be in your accounts. Check that batch before syncing it by hand.`,
      where: 'ConnectWise › Finance › Accounting Interface › Batches',
    });
  }

  let organisation: InvoicePreparation['organisation'] = null;
  let facts: OrgFacts | undefined;
  if (xeroTenantId && factsRead) {
    try {
      facts = await factsRead;
      organisation = { xeroTenantId, name: facts.name };
    } catch (err) {
      if (err instanceof XeroUnavailable) throw err;
      const p = asProblem(err);
      if (!p) throw err;
      problems.push(p);
    }
  }
  if (!exp || !facts || !xeroTenantId || !recordsRead) return { ...base, organisation, problems };

  const records = await recordsRead;
  const tenantSettings = await settingsRead;
  const settings = tenantSettings.invoiceMapping;
  const mapping = mapInvoice({
    transaction: exp.transaction,
    ...(exp.customer ? { customer: exp.customer } : {}),
    invoice: records.invoice,
    company: records.company,
    ...(records.billingContact ? { billingContact: records.billingContact } : {}),
    ...(records.primaryContact ? { primaryContact: records.primaryContact } : {}),
    ...(isCreditMemo({ invoice: records.invoice, transaction: exp.transaction }) ? { creditApplications: records.creditApplications } : {}),
    settings,
    xeroRefs: facts.refs,
    xeroTenantId,
  });
  const contactInput: Omit<ContactMappingInput, 'existing'> = {
    company: records.company,
    ...(exp.customer ? { customer: exp.customer } : {}),
    ...(records.billingContact ? { billingContact: records.billingContact } : {}),
    ...(records.primaryContact ? { primaryContact: records.primaryContact } : {}),
    invoice: records.invoice,
    settings,
  };
  const contact = mapContact(contactInput);
  const costOfSale = hasCostOfSale(exp.transaction)
    ? prepareCostOfSale(await costOfSaleSource(cw, tenantSettings)(), { cwInvoiceId, transaction: exp.transaction, xeroTenantId, refs: facts.refs, postedInOurBatch: glSource === 'our_batch', trackingSources: { location: records.invoice.locationId, department: records.invoice.departmentId } })
    : undefined;
  const prepared = withCostOfSale({ ...toPreparedRecord({ cwInvoiceId, xeroTenantId, mapping, contactInput, contact, extraProblems: problems }), ...(glSource === 'our_batch' ? { postedInOurBatch: true } : {}) }, costOfSale);
  return {
    ...base,
    organisation,
    mapping,
    contact,
    preview: buildPreview(mapping, contact.contact.Name, facts.refs),
    taxRates: facts.refs.taxRates,
    prepared,
    ...(costOfSale ? { costOfSale } : {}),
    problems: prepared.problems,
  };
}
