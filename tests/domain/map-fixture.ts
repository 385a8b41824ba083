// Runs the invoice mapping on a fixture with the given settings (defaults otherwise).
import { type InvoiceMappingResult, mapInvoice } from '../../server/domain/invoice-mapping.js';
import { type InvoiceMappingSettingsInput, parseInvoiceMappingSettings } from '../../shared/invoice-settings.js';
import type { XeroRefs } from '../../server/domain/xero-refs.js';
import type { CwInvoiceFixture } from './fixtures/cw-invoices.js';
import { auOrg, nzOrg } from './fixtures/xero-orgs.js';

export function mapFixture(
  f: CwInvoiceFixture,
  settings: InvoiceMappingSettingsInput = {},
  refs?: XeroRefs,
): InvoiceMappingResult {
  return mapInvoice({
    transaction: structuredClone(f.transaction),
    customer: f.customer,
    invoice: f.invoice,
    company: f.company,
    ...(f.creditApplications ? { creditApplications: f.creditApplications } : {}),
    settings: parseInvoiceMappingSettings(settings),
    xeroRefs: refs ?? (f.org === 'AU' ? auOrg : nzOrg),
  });
}

export function problemCodes(r: InvoiceMappingResult): string[] {
  return r.problems.map((p) => p.code);
}
