// The month-end tie-out of a selection of unposted invoices (issue 12): each
// invoice prepared exactly as a run prepares it (prepareMany), then totalled
// by the pure monthEndTieOut. Invoices needing attention are left out — a run
// does not push them — and named. Nothing is stored.
import type { AppDeps } from '../deps.js';
import type { Session } from '../session.js';
import { ApiError } from '../http/errors.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { loadTenantSettings } from '../settings.js';
import { locationResolver } from '../xero/location-map.js';
import { costOfSaleSource } from '../procurement/cost-of-sale.js';
import { monthEndTieOut, type TieOutRecord } from '../domain/month-end-tieout.js';
import { taxRateWords } from '../domain/xero-refs.js';
import type { CwUnpostedInvoice } from '../../shared/cw-types.js';
import type { BatchTieOutResponse } from '../../shared/api.js';
import { CwBulkReader, type UnpostedFilter } from './cw-bulk-reader.js';
import { prepareMany } from './prepare-many.js';
import { factsByOrg, orgForMapping } from './service.js';

export interface TieOutSelection {
  glEntryIds?: number[] | undefined;
  all?: boolean | undefined;
  filter?: UnpostedFilter | undefined;
}

/** The selected unposted invoices, read again from ConnectWise (a page of 1000 at a time for "all"). */
async function selected(cw: CwBulkReader, sel: TieOutSelection): Promise<CwUnpostedInvoice[]> {
  if (!sel.all) return cw.unpostedByGlEntry(sel.glEntryIds ?? []);
  const out: CwUnpostedInvoice[] = [];
  for (let page = 1; ; page++) {
    const { items } = await cw.unpostedPage(sel.filter ?? {}, page, 1000);
    out.push(...items);
    if (items.length < 1000) return out;
  }
}

export async function tieOutSelection(deps: AppDeps, session: Pick<Session, 'tenantId'>, sel: TieOutSelection): Promise<BatchTieOutResponse> {
  const { tenantId } = session;
  const cwClient = await cwClientForTenant(deps, tenantId);
  const cw = new CwBulkReader(cwClient, tenantId);
  const items = await selected(cw, sel);
  if (items.length === 0) throw new ApiError(400, 'nothing_selected', 'glEntryIds: no unposted invoices match the selection.', 'glEntryIds');
  const resolve = await locationResolver(deps, tenantId);
  const byGl = new Map(items.map((u) => [u.id!, u] as const));
  const orgOfRow = (u: CwUnpostedInvoice) => resolve(u.locationId, (u as { locationName?: string }).locationName);
  const facts = await factsByOrg(deps, tenantId, items.map(orgOfRow).flatMap((r) => (r.ok ? [r.xeroTenantId] : [])));
  const settings = await loadTenantSettings(deps.db, tenantId);
  const prepared = await prepareMany(cw, {
    refs: items.map((u) => ({ cwInvoiceId: u.billingLogId!, glEntryId: u.id! })),
    orgOf: (ref) => {
      const r = orgOfRow(byGl.get(ref.glEntryId)!);
      if (!r.ok) return r.problem;
      return orgForMapping(facts, r.xeroTenantId);
    },
    settings: settings.invoiceMapping,
    costOfSale: costOfSaleSource(cwClient, settings),
  });
  const records: TieOutRecord[] = [];
  const leftOut: BatchTieOutResponse['leftOut'] = [];
  prepared.forEach((p, i) => {
    const u = items[i]!;
    const number = u.invoiceNumber ?? String(u.billingLogId);
    if (!p.ok) {
      leftOut.push({ number, reason: p.problems[0]?.message ?? 'needs attention' });
      return;
    }
    const f = facts.get(p.prepared.xeroTenantId);
    const org = f && !('code' in f) ? f : undefined;
    const { mapping, transaction } = p.source;
    records.push({
      number,
      organisation: org?.name ?? p.prepared.xeroTenantId,
      currency: mapping.document.CurrencyCode,
      kind: mapping.kind,
      lineAmountTypes: mapping.document.LineAmountTypes,
      transaction,
      lines: mapping.lines,
      ...(org ? { taxName: (taxType: string | undefined, pct: string) => (taxType ? taxRateWords(org.refs, taxType, pct) : `No tax ${pct}%`) } : {}),
    });
  });
  return { ...monthEndTieOut(records), leftOut };
}
