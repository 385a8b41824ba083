// Reads what the mapping needs about one invoice from the tenant's
// ConnectWise: the invoice, its bill-to company and contacts, the credit
// applications of a credit memo, and its GLExport transaction (from the
// Accounting Interface: unposted → export; already in our batch → re-export).
// Every response is checked with zod (loosely: ConnectWise adds fields freely)
// and then typed with ConnectWise's published models.
import { z } from 'zod';
import type { CwClient } from '../cw/client.js';
import type { CwCompany, CwContact, CwGLExportCustomer, CwGLExportTransaction, CwInvoice, CwPayment } from '../../shared/cw-types.js';

const ref = z.object({ id: z.number().int().nullish(), identifier: z.string().nullish(), name: z.string().nullish() }).loose();

const invoiceSchema = z
  .object({ id: z.number().int(), invoiceNumber: z.string(), type: z.string().nullish(), locationId: z.number().int().nullish(), billToCompany: ref.nullish(), company: ref.nullish() })
  .loose();
const companySchema = z
  .object({ id: z.number().int(), identifier: z.string().min(1), name: z.string().nullish(), billingContact: ref.nullish(), defaultContact: ref.nullish() })
  .loose();
const contactSchema = z.object({ id: z.number().int() }).loose();
const paymentSchema = z.object({ id: z.number().int().nullish(), type: z.string().nullish(), credit: ref.nullish(), invoice: ref.nullish(), amount: z.number().nullish() }).loose();
const unpostedSchema = z.object({ id: z.number().int(), billingLogId: z.number().int().nullish(), invoiceNumber: z.string().nullish() }).loose();
const exportSchema = z
  .object({
    transactions: z.array(z.object({ id: z.number().int().nullish(), documentNumber: z.string().nullish(), glEntryIds: z.string().nullish(), detail: z.array(z.object({}).loose()).nullish() }).loose()).nullish(),
    customers: z.array(z.object({ company: ref.nullish() }).loose()).nullish(),
  })
  .loose();

export interface CwInvoiceRecords {
  invoice: CwInvoice;
  company: CwCompany;
  billingContact?: CwContact;
  primaryContact?: CwContact;
  /** Credit memos: ConnectWise's records applying this memo to invoices. */
  creditApplications: CwPayment[];
}

export interface CwInvoiceExport {
  transaction: CwGLExportTransaction;
  customer?: CwGLExportCustomer;
}

export async function readInvoice(cw: CwClient, invoiceId: number): Promise<CwInvoice & { id: number; invoiceNumber: string }> {
  return (await cw.get(`finance/invoices/${invoiceId}`, invoiceSchema, { what: `invoice ${invoiceId}` })) as CwInvoice & { id: number; invoiceNumber: string };
}

async function readContact(cw: CwClient, id: number | null | undefined): Promise<CwContact | undefined> {
  if (id == null) return undefined;
  return (await cw.get(`company/contacts/${id}`, contactSchema, { what: `contact ${id}` })) as CwContact;
}

export function isCreditMemoRecord(invoice: CwInvoice): boolean {
  return invoice.type === 'CreditMemo';
}

/**
 * Where ConnectWise applied a credit memo: a payment record of type Credit on
 * the invoice it was applied to, whose `credit` names the memo. Those invoices
 * are the bill-to company's with credits.
 */
export async function readCreditApplications(cw: CwClient, memo: CwInvoice & { id: number }, companyId: number): Promise<CwPayment[]> {
  const credited: CreditedInvoice[] = [];
  for (const inv of await readCreditedInvoices(cw, companyId)) {
    if (inv.id !== memo.id) credited.push({ id: inv.id, payments: await readInvoicePayments(cw, inv.id) });
  }
  return applicationsOf(memo.id, credited);
}

/** One of the bill-to company's invoices with credits, and its payment records. */
export interface CreditedInvoice {
  id: number;
  payments: readonly CwPayment[];
}

/** The bill-to company's invoices with credits: where its memos may have been applied. */
export async function readCreditedInvoices(cw: CwClient, companyId: number): Promise<{ id: number }[]> {
  return cw.list('finance/invoices', invoiceSchema.pick({ id: true }).loose(), {
    query: { conditions: `billToCompany/id=${companyId} and credits>0`, fields: 'id' },
    maxPages: 5,
  });
}

/** An invoice's payment records. */
export async function readInvoicePayments(cw: CwClient, invoiceId: number): Promise<CwPayment[]> {
  return (await cw.list(`finance/invoices/${invoiceId}/payments`, paymentSchema, { maxPages: 2 })) as CwPayment[];
}

/** A memo's applications among its bill-to company's credited invoices: their payments whose `credit` names it (never the memo's own). */
export function applicationsOf(memoId: number, credited: readonly CreditedInvoice[]): CwPayment[] {
  return credited.filter((c) => c.id !== memoId).flatMap((c) => c.payments.filter((p) => p.credit?.id === memoId));
}

export async function readInvoiceRecords(cw: CwClient, invoice: CwInvoice & { id: number }): Promise<CwInvoiceRecords> {
  const companyId = invoice.billToCompany?.id ?? invoice.company?.id;
  if (companyId == null) throw new Error(`invoice ${invoice.id} names no bill-to company`);
  // A memo's credit applications need only the company's id, the contacts the company: side by side.
  const credits: Promise<CwPayment[]> = isCreditMemoRecord(invoice) ? readCreditApplications(cw, invoice, companyId) : Promise.resolve([]);
  credits.catch(() => undefined); // thrown below where awaited, never left unhandled
  const company = (await cw.get(`company/companies/${companyId}`, companySchema, { what: `company ${companyId}` })) as CwCompany;
  const billingId = company.billingContact?.id;
  const primaryId = company.defaultContact?.id;
  const [billingContact, primaryContact, creditApplications] = await Promise.all([
    readContact(cw, billingId),
    primaryId === billingId ? undefined : readContact(cw, primaryId),
    credits,
  ]);
  return {
    invoice,
    company,
    ...(billingContact ? { billingContact } : {}),
    ...(primaryId === billingId ? (billingContact ? { primaryContact: billingContact } : {}) : primaryContact ? { primaryContact } : {}),
    creditApplications,
  };
}

/** The invoice's GL entry while it is unposted (finance/accounting/unpostedinvoices), else undefined. */
export async function findUnpostedGlEntry(cw: CwClient, invoiceId: number): Promise<number | undefined> {
  const rows = await cw.get('finance/accounting/unpostedinvoices', z.array(unpostedSchema), {
    query: { conditions: `billingLogId=${invoiceId}`, pageSize: 10 },
    what: 'unposted invoices',
  });
  return rows.find((r) => r.billingLogId === invoiceId)?.id;
}

function pickTransaction(body: z.infer<typeof exportSchema>, invoice: CwInvoice & { id: number; invoiceNumber: string }, companyId: number | undefined, what: string): CwInvoiceExport {
  const tx = (body.transactions ?? []).find((t) => t.id === invoice.id || t.documentNumber === invoice.invoiceNumber);
  if (!tx) throw new Error(`ConnectWise's ${what} does not contain invoice ${invoice.invoiceNumber}`);
  const customer = (body.customers ?? []).find((c) => c.company?.id === companyId);
  return { transaction: tx as CwGLExportTransaction, ...(customer ? { customer: customer as CwGLExportCustomer } : {}) };
}

/**
 * POST finance/accounting/export for exactly this GL entry (nothing is posted by an export).
 * The invoice may still be being read: the export needs only the GL entry, the invoice picks its transaction.
 */
export async function exportUnposted(
  cw: CwClient,
  invoice: (CwInvoice & { id: number; invoiceNumber: string }) | Promise<CwInvoice & { id: number; invoiceNumber: string }>,
  glEntryId: number,
  batchIdentifier: string,
): Promise<CwInvoiceExport> {
  const [body, inv] = await Promise.all([
    cw.post(
      'finance/accounting/export',
      // Default = the lines as ConnectWise's accounting setup summarises them (never one per time entry).
      { batchIdentifier, exportInvoicesFlag: true, includedInvoiceIds: [glEntryId], summarizeInvoices: 'Default' },
      exportSchema,
      { what: `the export of GL entry ${glEntryId}` },
    ),
    invoice,
  ]);
  return pickTransaction(body, inv, inv.billToCompany?.id ?? inv.company?.id ?? undefined, 'export');
}

/** POST finance/accounting/batches/{id}/export: the export of a batch we closed, read again (for "changed since sync"). */
export async function reexportBatch(cw: CwClient, invoice: CwInvoice & { id: number; invoiceNumber: string }, batchId: number): Promise<CwInvoiceExport> {
  const body = await cw.post(`finance/accounting/batches/${batchId}/export`, {}, exportSchema, { what: `accounting batch ${batchId}` });
  return pickTransaction(body, invoice, invoice.billToCompany?.id ?? invoice.company?.id ?? undefined, `batch ${batchId}`);
}
