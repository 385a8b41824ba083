// Many ConnectWise invoices prepared at once, for the batch list's readiness
// column and for a bulk step: ONE export call for all the GL entries, `id in
// (…)` reads (200 ids a call) for their invoices, companies and contacts, and the
// organisation's Xero facts from the per-organisation cache. The mapping is
// the same pure code as a single push (mapInvoice, mapContact,
// toPreparedDocument). Nothing here is stored: it holds names and amounts.
import type { CwCompany, CwContact, CwGLExportCustomer, CwGLExportTransaction, CwInvoice } from '../../shared/cw-types.js';
import type { ContactMappingInput } from '../domain/contact-mapping.js';
import { mapContact } from '../domain/contact-mapping.js';
import { isCreditMemo, mapInvoice, type InvoiceMappingResult } from '../domain/invoice-mapping.js';
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import type { XeroRefs } from '../domain/xero-refs.js';
import { toPreparedRecord } from '../sync/prepare-invoice.js';
import type { PreparedRecord as EngineRecord } from '../engine/ports.js';
import type { Problem } from '../engine/problems.js';
import type { CwBulkReader } from './cw-bulk-reader.js';
import { applicationsOf, type CreditedInvoice } from '../sync/cw-invoice-source.js';
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
  /**
   * What the caller expects the invoices to say (the unposted list's rows say it): their bill-to companies,
   * and those of the credit memos among them. Their reads start beside the invoices'; a company the invoices
   * name beyond these is read once they are in. Only what the invoices themselves say is used.
   */
  expected?: { companyIds: number[]; memoCompanyIds: number[] };
  /** Reads `orgOf` needs that are still going (the organisations' Xero facts): awaited beside ConnectWise's, before mapping. */
  orgsRead?: Promise<unknown>;
  /** The records' export when they are no longer unposted (a run's tie-out re-exports its batches); the unposted export when absent. */
  exported?: { transactions: CwGLExportTransaction[]; customers: CwGLExportCustomer[] };
}

export async function prepareMany(cw: CwBulkReader, input: PrepareManyInput): Promise<PreparedRecord[]> {
  const { refs } = input;
  const companyIdOf = (i: CwInvoice | undefined) => i?.billToCompany?.id ?? i?.company?.id ?? undefined;
  // Each read starts as soon as what it needs is known (issue 12: the batch pod's counts wait for the last):
  // the export, the invoices, the companies and the memos' credited invoices the caller expects, side by side;
  // a company or memo the invoices name beyond those once the invoices are in; the companies' contacts once
  // the companies are in; the cost-of-sale context once the export says an invoice has cost of sale.
  const exportRead = input.exported ? Promise.resolve(input.exported) : cw.exportFor(refs.map((r) => r.glEntryId));
  const invoicesRead = cw.invoices(refs.map((r) => r.cwInvoiceId));
  const expected = [...new Set(input.expected?.companyIds ?? [])];
  const expectedRead = expected.length ? cw.companies(expected) : Promise.resolve([]);
  const companiesRead = Promise.all([invoicesRead, expectedRead]).then(async ([invoiceList, got]) => {
    const named = new Set(invoiceList.map(companyIdOf).filter((x): x is number => x != null));
    const asked = new Set(expected);
    const more = [...named].filter((id) => !asked.has(id));
    const all = more.length ? [...got, ...(await cw.companies(more))] : got;
    return new Map(all.filter((c) => named.has(c.id!)).map((c) => [c.id!, c] as const));
  });
  const contactsRead = companiesRead.then(async (companies) => {
    const contactIds = [...companies.values()].flatMap((c) => [c.billingContact?.id, c.defaultContact?.id]).filter((x): x is number => x != null);
    return new Map((await cw.contacts(contactIds)).map((c) => [c.id!, c] as const));
  });
  // Credit memos: where ConnectWise applied each, by the rule a single push reads it with, so a run allocates
  // what the dialog's preview promised; each bill-to company's credited invoices read once for all its memos.
  const credited = new Map<number, Promise<CreditedInvoice[]>>();
  const creditedOf = (companyId: number) => {
    let read = credited.get(companyId);
    if (!read) credited.set(companyId, (read = cw.creditedInvoices(companyId)));
    return read;
  };
  for (const id of new Set(input.expected?.memoCompanyIds ?? [])) creditedOf(id).catch(() => undefined); // thrown where a memo awaits it; unused if the invoices say otherwise
  const applicationsRead = invoicesRead.then(async (invoiceList) => {
    const memos = invoiceList.flatMap((i) => {
      const companyId = companyIdOf(i);
      return i.type === 'CreditMemo' && companyId != null ? [{ id: i.id!, companyId }] : [];
    });
    return new Map(await Promise.all(memos.map(async (m) => [m.id, applicationsOf(m.id, await creditedOf(m.companyId))] as const)));
  });
  const cogsRead = exportRead.then((exp) => (exp.transactions.some((t) => hasCostOfSale(t)) ? input.costOfSale() : undefined));
  const [exp, invoiceList, companies, contacts, applications, cogs] = await Promise.all([exportRead, invoicesRead, companiesRead, contactsRead, applicationsRead, cogsRead, input.orgsRead]);
  const txByInvoice = new Map<number, CwGLExportTransaction>();
  for (const t of exp.transactions) if (t.id != null) txByInvoice.set(t.id, t);
  const invoices = new Map(invoiceList.map((i) => [i.id!, i] as const));
  const customers = new Map<number, CwGLExportCustomer>();
  for (const c of exp.customers) if (c.company?.id != null) customers.set(c.company.id, c);

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
