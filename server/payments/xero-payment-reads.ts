// The Xero reads of a payment sync, for one organisation, kept few: one paged
// pass over Payments, Overpayments and CreditNotes changed since the
// watermark (If-Modified-Since) tells which sales invoices moved; then those
// invoices are read by id, up to 50 a call. Every call goes through the
// organisation's XeroOrgClient (429 → waits Retry-After; 5xx retried; one
// token renewal).
import type { Allocation, CreditNote, Overpayment, Payment } from 'xero-node';
import type { XeroTransport as XeroOrgClient } from '../engine/transport.js';
import { xeroPaidFrom, type XeroPaid } from './xero-invoice-payments.js';
import type { WatermarkSource } from './payment-ledger.js';

const PAGE_SIZE = 500;
const IDS_PER_CALL = 50;

export interface ScanResult {
  /** Xero InvoiceIDs (lower-case) whose payments, overpayment or credit allocations changed. */
  touchedInvoices: Set<string>;
  /** Overpayments that changed (an allocation removed leaves no invoice id behind, only this). */
  touchedOverpayments: Set<string>;
  /**
   * The next watermark per source: the latest UpdatedDateUTC seen, in Xero's
   * own clock (never ours, which may differ); undefined: nothing new, keep the old one.
   */
  next: Partial<Record<WatermarkSource, Date>>;
  calls: number;
}

type Since = Partial<Record<WatermarkSource, Date | undefined>>;

function later(a: Date | undefined, b: unknown): Date | undefined {
  const d = b instanceof Date ? b : typeof b === 'string' ? new Date(b) : undefined;
  if (!d || Number.isNaN(d.getTime())) return a;
  return !a || d > a ? d : a;
}

function invoiceIdOf(v: unknown): string | undefined {
  const id = (v as { invoiceID?: unknown } | undefined)?.invoiceID;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}

/** Pages through one list endpoint until a short page. */
async function pages<T>(fetchPage: (page: number) => Promise<T[]>, onCall: () => void, pageSize: number): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= 200; page++) {
    onCall();
    const items = await fetchPage(page);
    out.push(...items);
    if (items.length < pageSize) break;
  }
  return out;
}

/** `pageSize`: Xero allows up to 1000; smaller only in tests of paging. */
export async function scanChanges(x: XeroOrgClient, since: Since, pageSize = PAGE_SIZE): Promise<ScanResult> {
  const touchedInvoices = new Set<string>();
  const touchedOverpayments = new Set<string>();
  const next: ScanResult['next'] = {};
  let calls = 0;
  const count = () => void calls++;

  const payments = await pages<Payment>(
    async (page) =>
      (await x.call('payments list', (api, t) => api.getPayments(t, since.payments, 'Invoice.Type=="ACCREC"', 'UpdatedDateUTC ASC', page, pageSize))).body.payments ?? [],
    count,
    pageSize,
  );
  let mark: Date | undefined;
  for (const p of payments) {
    const id = invoiceIdOf(p.invoice);
    if (id) touchedInvoices.add(id);
    mark = later(mark, p.updatedDateUTC);
  }
  if (mark) next.payments = mark;

  const overpayments = await pages<Overpayment>(
    async (page) =>
      (await x.call('overpayments list', (api, t) => api.getOverpayments(t, since.overpayments, 'Type=="RECEIVE-OVERPAYMENT"', 'UpdatedDateUTC ASC', page, undefined, pageSize))).body.overpayments ?? [],
    count,
    pageSize,
  );
  mark = undefined;
  for (const o of overpayments) {
    if (o.overpaymentID) touchedOverpayments.add(o.overpaymentID.toLowerCase());
    for (const a of (o.allocations ?? []) as Allocation[]) {
      const id = invoiceIdOf(a.invoice);
      if (id) touchedInvoices.add(id);
    }
    mark = later(mark, o.updatedDateUTC);
  }
  if (mark) next.overpayments = mark;

  const creditNotes = await pages<CreditNote>(
    async (page) =>
      (await x.call('credit notes list', (api, t) => api.getCreditNotes(t, since.creditnotes, 'Type=="ACCRECCREDIT"', 'UpdatedDateUTC ASC', page, undefined, pageSize))).body.creditNotes ?? [],
    count,
    pageSize,
  );
  mark = undefined;
  for (const cn of creditNotes) {
    for (const a of (cn.allocations ?? []) as Allocation[]) {
      const id = invoiceIdOf(a.invoice);
      if (id) touchedInvoices.add(id);
    }
    mark = later(mark, cn.updatedDateUTC);
  }
  if (mark) next.creditnotes = mark;

  return { touchedInvoices, touchedOverpayments, next, calls };
}

/** Reads sales invoices by id (50 a call); ids Xero does not return are absent from the map. */
export async function readInvoicesPaid(x: XeroOrgClient, ids: string[]): Promise<{ paid: Map<string, XeroPaid>; calls: number }> {
  const paid = new Map<string, XeroPaid>();
  let calls = 0;
  for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
    const chunk = ids.slice(i, i + IDS_PER_CALL);
    calls++;
    const r = await x.call('invoices read', (api, t) => api.getInvoices(t, undefined, undefined, undefined, chunk));
    for (const inv of r.body.invoices ?? []) {
      const p = xeroPaidFrom(inv);
      paid.set(p.xeroInvoiceId.toLowerCase(), p);
    }
  }
  return { paid, calls };
}
