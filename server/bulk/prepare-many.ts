// Many ConnectWise invoices prepared at once, for the batch list's readiness
// column and for a bulk step: ONE export call for all the GL entries, `id in
// (…)` reads (200 ids a call) for their invoices, companies and contacts, and the
// organisation's Xero facts from the per-organisation cache. The mapping is
// the same pure code as a single push (mapInvoice, mapContact,
// toPreparedDocument). Nothing here is stored: it holds names and amounts.
import type { CwCompany, CwContact, CwGLExportCustomer, CwGLExportTransaction, CwInvoice, CwPayment } from '../../shared/cw-types.js';
import type { ContactMappingInput } from '../domain/contact-mapping.js';
import { mapContact } from '../domain/contact-mapping.js';
import { isCreditMemo, mapInvoice, type InvoiceMappingResult } from '../domain/invoice-mapping.js';
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import type { XeroRefs } from '../domain/xero-refs.js';
import { toPreparedRecord } from '../sync/prepare-invoice.js';
import type { PreparedRecord as EngineRecord } from '../engine/ports.js';
import type { Problem } from '../engine/problems.js';
import type { CwBulkReader } from './cw-bulk-reader.js';
import { hasCostOfSale, prepareCostOfSale, withCostOfSale, type CostOfSaleContext } from '../procurement/cost-of-sale.js';

export interface RecordRef {
  cwInvoiceId: number;
  glEntryId: number;
}

export type PreparedRecord =
  | {
      ref: RecordRef;
      ok: true;
      prepared: EngineRecord;
      /** Its cost-of-sale journal, pushed beside it (the invoice waits for it). */
      costOfSale?: EngineRecord;
      /** What it was made from and how its lines map (the month-end tie-out reads them; in memory only). */
      source: { transaction: CwGLExportTransaction; mapping: InvoiceMappingResult };
    }
  | { ref: RecordRef; ok: false; problems: Problem[]; notUnposted?: boolean };

export interface PrepareManyInput {
  refs: RecordRef[];
  /** The organisation a record books into and its facts, or why it cannot be said. */
  orgOf: (ref: RecordRef) => { xeroTenantId: string; refs: XeroRefs } | Problem;
  settings: InvoiceMappingSettings;
  /** Warehouses and procurement settings, read only if an invoice has cost of sale (cost-of-sale.ts costOfSaleSource). */
  costOfSale: () => Promise<CostOfSaleContext>;
  /** The records' export when they are no longer unposted (a run's tie-out re-exports its batches); the unposted export when absent. */
  exported?: { transactions: CwGLExportTransaction[]; customers: CwGLExportCustomer[] };
}

/**
 * Credit memos: where ConnectWise applied each (a payment of type Credit on
 * the invoice it was applied to), read exactly as a single push reads it, so a
 * run allocates what the dialog's preview promised.
 */
async function creditApplicationsFor(cw: CwBulkReader, memos: CwInvoice[], companyIdOf: (i: CwInvoice) => number | undefined): Promise<Map<number, CwPayment[]>> {
  const out = new Map<number, CwPayment[]>();
  for (const memo of memos) {
    const companyId = companyIdOf(memo);
    out.set(memo.id!, companyId == null ? [] : await cw.creditApplications(memo as CwInvoice & { id: number }, companyId));
  }
  return out;
}

export async function prepareMany(cw: CwBulkReader, input: PrepareManyInput): Promise<PreparedRecord[]> {
  const { refs } = input;
  // The export and the invoices do not depend on each other: asked side by side.
  const [exp, invoiceList] = await Promise.all([input.exported ?? cw.exportFor(refs.map((r) => r.glEntryId)), cw.invoices(refs.map((r) => r.cwInvoiceId))]);
  const txByInvoice = new Map<number, CwGLExportTransaction>();
  for (const t of exp.transactions) if (t.id != null) txByInvoice.set(t.id, t);
  const invoices = new Map(invoiceList.map((i) => [i.id!, i] as const));
  const companyIdOf = (i: CwInvoice | undefined) => i?.billToCompany?.id ?? i?.company?.id ?? undefined;
  const companies = new Map(
    (await cw.companies([...invoices.values()].map(companyIdOf).filter((x): x is number => x != null))).map((c) => [c.id!, c] as const),
  );
  const contactIds = [...companies.values()].flatMap((c) => [c.billingContact?.id, c.defaultContact?.id]).filter((x): x is number => x != null);
  const contacts = new Map((await cw.contacts(contactIds)).map((c) => [c.id!, c] as const));
  const customers = new Map<number, CwGLExportCustomer>();
  for (const c of exp.customers) if (c.company?.id != null) customers.set(c.company.id, c);
  const memos = [...invoices.values()].filter((i) => i.type === 'CreditMemo');
  const applications = memos.length ? await creditApplicationsFor(cw, memos, companyIdOf) : new Map<number, CwPayment[]>();
  const cogs = exp.transactions.some((t) => hasCostOfSale(t)) ? await input.costOfSale() : undefined;

  return refs.map((ref): PreparedRecord => {
    const invoice = invoices.get(ref.cwInvoiceId);
    const tx = txByInvoice.get(ref.cwInvoiceId);
    if (!invoice || !tx) {
      return {
        ref,
        ok: false,
        notUnposted: true,
        problems: [{ code: 'cw_not_unposted', message: 'ConnectWise no longer lists this invoice as unposted (it was posted or deleted since the list was read).', where: 'ConnectWise › Finance › Accounting Interface' }],
      };
    }
    const org = input.orgOf(ref);
    if (!('xeroTenantId' in org)) return { ref, ok: false, problems: [org] };
    const company = companies.get(companyIdOf(invoice) ?? -1) as CwCompany | undefined;
    if (!company) {
      return { ref, ok: false, problems: [{ code: 'cw_company_missing', message: 'ConnectWise did not return the bill-to company of this invoice.', where: 'ConnectWise › Companies' }] };
    }
    const billingContact = contacts.get(company.billingContact?.id ?? -1) as CwContact | undefined;
    const primaryContact = contacts.get(company.defaultContact?.id ?? -1) as CwContact | undefined;
    const customer = customers.get(company.id!);
    const mapping = mapInvoice({
      transaction: tx,
      ...(customer ? { customer } : {}),
      invoice,
      company,
      ...(billingContact ? { billingContact } : {}),
      ...(primaryContact ? { primaryContact } : {}),
      ...(isCreditMemo({ invoice, transaction: tx }) ? { creditApplications: applications.get(invoice.id!) ?? [] } : {}),
      settings: input.settings,
      xeroRefs: org.refs,
      xeroTenantId: org.xeroTenantId,
    });
    const contactInput: Omit<ContactMappingInput, 'existing'> = {
      company,
      ...(customer ? { customer } : {}),
      ...(billingContact ? { billingContact } : {}),
      ...(primaryContact ? { primaryContact } : {}),
      invoice,
      settings: input.settings,
    };
    const journal = cogs ? prepareCostOfSale(cogs, { cwInvoiceId: ref.cwInvoiceId, transaction: tx, xeroTenantId: org.xeroTenantId, refs: org.refs, trackingSources: { location: invoice.locationId, department: invoice.departmentId } }) : undefined;
    const prepared = withCostOfSale(toPreparedRecord({ cwInvoiceId: ref.cwInvoiceId, xeroTenantId: org.xeroTenantId, mapping, contactInput, contact: mapContact(contactInput) }), journal);
    return prepared.problems.length ? { ref, ok: false, problems: prepared.problems } : { ref, ok: true, prepared, ...(journal ? { costOfSale: journal.prepared } : {}), source: { transaction: tx, mapping } };
  });
}
