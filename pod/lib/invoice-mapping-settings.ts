// The invoice-mapping part of GET/PUT /api/settings (`settings.invoiceMapping`)
// as the settings pod edits it. The schema is the server's own
// (shared/invoice-settings.ts: pure zod, no I/O), so the pod can never
// disagree with it about a field or a default.
import { z } from 'zod';
import { settingsResponse, tenantSettingsView } from '../../shared/api.js';
import { invoiceMappingSettingsSchema, type InvoiceMappingSettings } from '../../shared/invoice-settings.js';

export { invoiceMappingSettingsSchema, type InvoiceMappingSettings };

/** GET/PUT /api/settings with the invoice mapping (absent from a server that does not carry it yet). */
export const settingsWithInvoiceMapping = settingsResponse.extend({
  settings: tenantSettingsView.extend({ invoiceMapping: invoiceMappingSettingsSchema.optional() }),
});
export type SettingsWithInvoiceMapping = z.infer<typeof settingsWithInvoiceMapping>;

export interface CodeRow {
  from: string;
  to: string;
}

/** What the form edits; everything else of the stored settings (tracking, …) is sent back unchanged. */
export interface InvoiceMappingDraft {
  status: InvoiceMappingSettings['status'];
  lineAmountTypes: InvoiceMappingSettings['lineAmountTypes'];
  invoiceNumberPrefix: string;
  createMissingItems: boolean;
  includeUnitOfMeasure: boolean;
  allowRoundingLine: boolean;
  roundingAccountCode: string;
  roundingAllowance: string;
  contactAccountNumber: boolean;
  accountRows: CodeRow[];
  taxRows: CodeRow[];
}

export function rowsOf(map: Record<string, string>): CodeRow[] {
  return Object.entries(map)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([from, to]) => ({ from, to }));
}

export function draftFromSettings(s: InvoiceMappingSettings): InvoiceMappingDraft {
  return {
    status: s.status,
    lineAmountTypes: s.lineAmountTypes,
    invoiceNumberPrefix: s.invoiceNumberPrefix,
    createMissingItems: s.createMissingItems,
    includeUnitOfMeasure: s.includeUnitOfMeasure,
    allowRoundingLine: s.allowRoundingLine,
    roundingAccountCode: s.roundingAccountCode,
    roundingAllowance: s.roundingAllowance,
    contactAccountNumber: s.contactAccountNumber,
    accountRows: rowsOf(s.accountMap),
    taxRows: rowsOf(s.taxMap),
  };
}

/** A form problem the pod can see before asking the server: which field, and what. */
export interface DraftError {
  field: string;
  text: string;
}

/** Rows → map. Blank rows are dropped; half-filled or repeated rows are refused (naming the row). */
export function mapOf(rows: CodeRow[], field: string, fromLabel: string): { ok: true; map: Record<string, string> } | { ok: false; error: DraftError } {
  const out: Record<string, string> = {};
  for (const [i, r] of rows.entries()) {
    const from = r.from.trim();
    const to = r.to.trim();
    if (!from && !to) continue;
    if (!from || !to) return { ok: false, error: { field, text: `Row ${i + 1}: fill in both codes, or clear the row.` } };
    if (Object.hasOwn(out, from)) return { ok: false, error: { field, text: `Row ${i + 1}: ${fromLabel} ${from} is mapped twice.` } };
    out[from] = to;
  }
  return { ok: true, map: out };
}

/** The PUT body's `invoiceMapping`: the stored settings with the form's fields applied. */
export function settingsFromDraft(
  base: InvoiceMappingSettings,
  d: InvoiceMappingDraft,
): { ok: true; settings: InvoiceMappingSettings } | { ok: false; error: DraftError } {
  const accountMap = mapOf(d.accountRows, 'invoiceMapping.accountMap', 'ConnectWise GL account');
  if (!accountMap.ok) return accountMap;
  const taxMap = mapOf(d.taxRows, 'invoiceMapping.taxMap', 'ConnectWise tax code');
  if (!taxMap.ok) return taxMap;
  if (d.allowRoundingLine && !d.roundingAccountCode.trim()) {
    return { ok: false, error: { field: 'invoiceMapping.roundingAccountCode', text: 'Choose the Xero account a rounding line books to.' } };
  }
  const settings: InvoiceMappingSettings = {
    ...base,
    status: d.status,
    lineAmountTypes: d.lineAmountTypes,
    invoiceNumberPrefix: d.invoiceNumberPrefix.trim(),
    createMissingItems: d.createMissingItems,
    includeUnitOfMeasure: d.includeUnitOfMeasure,
    allowRoundingLine: d.allowRoundingLine,
    roundingAccountCode: d.roundingAccountCode.trim(),
    roundingAllowance: d.roundingAllowance.trim(),
    contactAccountNumber: d.contactAccountNumber,
    accountMap: accountMap.map,
    taxMap: taxMap.map,
  };
  return { ok: true, settings };
}
