// Reads one ConnectWise invoice and reduces it to the summary the pod shows.
// Amounts become decimal strings: JSON numbers from ConnectWise carry at most a
// few decimals, and String(n) gives back exactly the digits that were sent.
import Decimal from 'decimal.js';
import { z } from 'zod';
import type { CwClient } from './client.js';
import type { InvoiceSummary } from '../../shared/api.js';

const ref = z.object({ id: z.number().int().nullish(), identifier: z.string().nullish(), name: z.string().nullish() }).loose();

export const cwInvoiceSchema = z
  .object({
    id: z.number().int(),
    invoiceNumber: z.string(),
    type: z.string().nullish(),
    status: ref.nullish(),
    company: ref.nullish(),
    date: z.string().nullish(),
    dueDate: z.string().nullish(),
    total: z.number().nullish(),
    balance: z.number().nullish(),
    currency: z
      .object({ currencyCode: z.string().nullish(), currencyIdentifier: z.string().nullish(), numberOfDecimals: z.number().int().nullish() })
      .loose()
      .nullish(),
  })
  .loose();
export type CwInvoiceForSummary = z.infer<typeof cwInvoiceSchema>;

export function decimalText(n: number, decimals: number): string {
  return new Decimal(String(n)).toFixed(decimals);
}

function day(d: string | null | undefined): string | null {
  return d ? d.slice(0, 10) : null;
}

export function summarizeInvoice(inv: CwInvoiceForSummary): InvoiceSummary {
  const decimals = inv.currency?.numberOfDecimals ?? 2;
  return {
    id: inv.id,
    invoiceNumber: inv.invoiceNumber,
    type: inv.type ?? 'Standard',
    status: inv.status?.name ?? null,
    customer: { id: inv.company?.id ?? null, name: inv.company?.name ?? inv.company?.identifier ?? '(no company)' },
    date: day(inv.date),
    dueDate: day(inv.dueDate),
    total: decimalText(inv.total ?? 0, decimals),
    balance: inv.balance === null || inv.balance === undefined ? null : decimalText(inv.balance, decimals),
    currency: inv.currency?.currencyCode ?? inv.currency?.currencyIdentifier ?? '',
  };
}

export async function readInvoiceSummary(cw: CwClient, invoiceId: number): Promise<InvoiceSummary> {
  const inv = await cw.get(`finance/invoices/${invoiceId}`, cwInvoiceSchema, { what: `invoice ${invoiceId}` });
  return summarizeInvoice(inv);
}
