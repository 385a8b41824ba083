// ConnectWise reads for many records at once: every list paged at up to 1000
// per page (CwClient.list), ids fetched with one `id in (…)` condition per
// page rather than one call per record, and the GL export asked for once for
// a whole set of GL entries. Every call goes through the tenant's ConnectWise
// limiter (cw-limiter.ts) so a month-end run never floods ConnectWise.
import { z } from 'zod';
import type { CwClient } from '../cw/client.js';
import type {
  CwCompany,
  CwContact,
  CwGLExport,
  CwGLExportCustomer,
  CwGLExportTransaction,
  CwInvoice,
  CwUnpostedInvoice,
} from '../../shared/cw-types.js';
import { cwLimiterFor } from './cw-limiter.js';
import { readCreditedInvoices, readInvoicePayments, type CreditedInvoice } from '../sync/cw-invoice-source.js';

const ref = z.object({ id: z.number().int().nullish(), identifier: z.string().nullish(), name: z.string().nullish() }).loose();

/** The fields of an unposted invoice the batch list and the run use; the rest passes through untouched. */
export const unpostedSchema = z
  .object({
    id: z.number().int(),
    billingLogId: z.number().int().nullish(),
    locationId: z.number().int().nullish(),
    invoiceNumber: z.string().nullish(),
    invoiceDate: z.string().nullish(),
    invoiceType: z.string().nullish(),
    company: ref.nullish(),
    billToCompany: ref.nullish(),
    currency: z.object({ currencyCode: z.string().nullish() }).loose().nullish(),
    total: z.number().nullish(),
  })
  .loose();

const recordWithId = z.object({ id: z.number().int() }).loose();
const exportSchema = z
  .object({
    transactions: z.array(z.object({ id: z.number().int().nullish(), glEntryIds: z.string().nullish(), documentNumber: z.string().nullish() }).loose()).nullish(),
    customers: z.array(z.object({ company: ref.nullish() }).loose()).nullish(),
  })
  .loose();

export interface UnpostedFilter {
  locationId?: number | undefined;
  /** YYYY-MM-DD: invoices dated up to and including this day. */
  throughDate?: string | undefined;
  invoiceType?: string | undefined;
}

/** ConnectWise `conditions` for the filter; values are validated by the route's zod schema first. */
export function unpostedConditions(f: UnpostedFilter): string | undefined {
  const parts: string[] = [];
  if (f.locationId !== undefined) parts.push(`locationId=${f.locationId}`);
  if (f.throughDate) parts.push(`invoiceDate<=[${f.throughDate}T23:59:59Z]`);
  if (f.invoiceType) parts.push(`invoiceType="${f.invoiceType.replace(/"/g, '')}"`);
  return parts.length ? parts.join(' and ') : undefined;
}

export class CwBulkReader {
  private readonly limit: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Calls made through this reader (the benchmark counts them). */
  calls = 0;

  constructor(
    private readonly cw: CwClient,
    tenantId: string,
  ) {
    const limiter = cwLimiterFor(tenantId);
    this.limit = (fn) => {
      this.calls++;
      return limiter.schedule(fn);
    };
  }

  /** One page of unposted invoices (ConnectWise paging: 1-based, ≤ 1000 a page) and the total count. */
  async unpostedPage(filter: UnpostedFilter, page: number, pageSize: number): Promise<{ items: CwUnpostedInvoice[]; total: number }> {
    const conditions = unpostedConditions(filter);
    const q = { ...(conditions ? { conditions } : {}), orderBy: 'id asc' };
    const [items, count] = await Promise.all([
      this.limit(() => this.cw.get('finance/accounting/unpostedinvoices', z.array(unpostedSchema), { query: { ...q, page, pageSize: Math.min(pageSize, 1000) } })),
      this.limit(() => this.cw.get('finance/accounting/unpostedinvoices/count', z.object({ count: z.number().int() }), { query: conditions ? { conditions } : {} })),
    ]);
    return { items: items as unknown as CwUnpostedInvoice[], total: count.count };
  }

  /** Unposted invoices by GL entry id (still unposted = not yet in a ConnectWise batch). */
  async unpostedByGlEntry(glEntryIds: number[]): Promise<CwUnpostedInvoice[]> {
    return (await this.byIds('finance/accounting/unpostedinvoices', glEntryIds, unpostedSchema)) as unknown as CwUnpostedInvoice[];
  }

  /** One export call for all the given GL entries: their transactions and customers. */
  async exportFor(glEntryIds: number[]): Promise<{ transactions: CwGLExportTransaction[]; customers: CwGLExportCustomer[] }> {
    if (glEntryIds.length === 0) return { transactions: [], customers: [] };
    const body = { exportInvoicesFlag: true, includedInvoiceIds: glEntryIds, summarizeInvoices: 'Default' };
    const exp = await this.limit(() => this.cw.post('finance/accounting/export', body, exportSchema, { what: 'accounting export' }));
    const full = exp as unknown as CwGLExport;
    return { transactions: full.transactions ?? [], customers: full.customers ?? [] };
  }

  /** The exports of accounting batches we closed, read again (one call per batch, side by side; the limiter paces them). */
  async batchExports(batchIds: number[]): Promise<{ transactions: CwGLExportTransaction[]; customers: CwGLExportCustomer[] }> {
    const all = await Promise.all(
      [...new Set(batchIds)].map((id) => this.limit(() => this.cw.post(`finance/accounting/batches/${id}/export`, {}, exportSchema, { what: `accounting batch ${id}` }))),
    );
    const full = all as unknown as CwGLExport[];
    return { transactions: full.flatMap((e) => e.transactions ?? []), customers: full.flatMap((e) => e.customers ?? []) };
  }

  async invoices(ids: number[]): Promise<CwInvoice[]> {
    return (await this.byIds('finance/invoices', ids, recordWithId)) as unknown as CwInvoice[];
  }

  async companies(ids: number[]): Promise<CwCompany[]> {
    return (await this.byIds('company/companies', ids, recordWithId)) as unknown as CwCompany[];
  }

  async contacts(ids: number[]): Promise<CwContact[]> {
    return (await this.byIds('company/contacts', ids, recordWithId)) as unknown as CwContact[];
  }

  /**
   * A bill-to company's credited invoices and their payments: where its credit
   * memos were applied (cw-invoice-source.ts applicationsOf picks a memo's,
   * the rule a single push reads them with). The payments are read side by
   * side (the limiter paces them).
   */
  async creditedInvoices(companyId: number): Promise<CreditedInvoice[]> {
    const invoices = await this.limit(() => readCreditedInvoices(this.cw, companyId));
    return Promise.all(invoices.map(async (i): Promise<CreditedInvoice> => ({ id: i.id, payments: await this.limit(() => readInvoicePayments(this.cw, i.id)) })));
  }

  /** Records by id, one call per 200 ids (a `conditions` string stays well under URL limits), the calls side by side (the limiter paces them). */
  private async byIds<S extends z.ZodType>(path: string, ids: number[], schema: S): Promise<z.infer<S>[]> {
    const unique = [...new Set(ids)];
    const parts: number[][] = [];
    for (let i = 0; i < unique.length; i += 200) parts.push(unique.slice(i, i + 200));
    const pages = await Promise.all(parts.map((part) => this.limit(() => this.cw.list(path, schema, { query: { conditions: `id in (${part.join(',')})` } }))));
    return pages.flat();
  }
}
