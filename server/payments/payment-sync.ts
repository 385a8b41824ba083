// A payment-sync run for one tenant: for its sales invoices that have a Xero
// document (synced, or a later re-push Xero refused: the document is still
// there), brings the ConnectWise payment record we wrote to the cash Xero
// says was paid — up or down —, exactly once, and reports to a person what it
// must not change by itself.
//
// Exactly-once:
//   - one run per tenant at a time (run-lease.ts; across instances);
//   - each invoice's CW record is compared with Xero's cash BEFORE writing, so
//     a retry, a second run, or a run after a crash between the CW write and
//     the ledger write finds ConnectWise already holding Xero's amount and only
//     records the ledger;
//   - the ledger keeps which ConnectWise record is ours and which Xero
//     payments make up its amount.
// Each invoice checked counts once: updated, already in step, needs a
// person, or failed (an update that also needs a person counts in both).
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import type { CwClient } from '../cw/client.js';
import { XeroNotFound, XeroUnavailable, NeedsAttention } from '../engine/errors.js';
import { xeroTransport, type XeroTransport } from '../engine/transport.js';
import { acquireRunLease, releaseRunLease, waitForRunLease } from './run-lease.js';
import { itemIdsOf, PaymentLedger, type PaymentLedgerRow, type WatermarkSource } from './payment-ledger.js';
import { readInvoicesPaid, scanChanges } from './xero-payment-reads.js';
import { Ledger } from '../engine/ledger.js';
import { createCwPayment, deleteCwPayment, readCwInvoicePayments, updateCwPayment } from './cw-invoice-payment.js';
import { decidePayment } from './payment-decision.js';
import { paymentContentHash } from './payment-hash.js';
import type { XeroPaid } from './xero-invoice-payments.js';

export interface InvoiceNote {
  cwInvoiceId: number;
  invoiceNumber: string;
  /** What the record is in Xero, so the note names it ("Credit note CN-…", not "Invoice …"). */
  document: 'invoice' | 'creditNote';
  message: string;
}

export interface PaymentRunResult {
  /** True when another run held the tenant's lease and this one did not run. */
  busy: boolean;
  /** Invoices this run took up (each is then updated, unchanged, needs a person, or failed). */
  checked: number;
  /** ConnectWise's payment record created, changed (up or down) or removed. */
  updated: number;
  /** Already in step: nothing written, nothing for a person. */
  unchanged: number;
  needsAttention: InvoiceNote[];
  errors: InvoiceNote[];
  /** The run in one sentence. */
  message: string;
}

export interface PaymentRunOptions {
  /** Only this ConnectWise invoice (the dialog's "Sync payments"). */
  cwInvoiceId?: number;
  /** How long to wait for a run already going (0 for the schedule: it skips). */
  waitMs?: number;
  trigger: 'invoice' | 'tenant' | 'schedule';
}

/**
 * The tenant's turn lasts this long unless renewed; a run renews it every third of it
 * while it works, so a run that died (a killed instance) frees the turn within this —
 * a click then waits it out (CLICK_WAIT_MS) instead of hearing "already running" for minutes.
 */
export const PAYMENT_LEASE_MS = 30_000;
const LEASE_MS = PAYMENT_LEASE_MS;

interface SyncedInvoice {
  cwInvoiceId: number;
  xeroTenantId: string;
  xeroInvoiceId: string;
  xeroNumber: string;
  document: InvoiceNote['document'];
}

async function syncedInvoices(deps: AppDeps, tenantId: string, cwInvoiceId?: number): Promise<SyncedInvoice[]> {
  const rows = await new Ledger(deps.db, deps.now).withXeroDocuments(tenantId, 'invoice', cwInvoiceId === undefined ? undefined : [String(cwInvoiceId)]);
  return rows
    .filter((r) => /^\d+$/.test(r.cw_record_id))
    .map((r) => ({ cwInvoiceId: Number(r.cw_record_id), xeroTenantId: r.xero_tenant_id!, xeroInvoiceId: r.xero_document_id!, xeroNumber: r.xero_number ?? '', document: r.document_kind === 'creditNote' ? 'creditNote' : 'invoice' }));
}

function summary(r: Omit<PaymentRunResult, 'message'>): string {
  if (r.busy) return 'A payment sync for your company is already running (the schedule or another person started it); try again in a minute.';
  if (r.checked === 0) return 'No payment changed in Xero since the last sync.';
  // Only the counts that happened: one invoice reads "Checked 1 invoice, 1 needs a person."
  const parts = [`Checked ${r.checked} invoice${r.checked === 1 ? '' : 's'}`];
  if (r.updated) parts.push(`${r.updated} updated in ConnectWise`);
  if (r.unchanged) parts.push(`${r.unchanged} already in step`);
  if (r.needsAttention.length) parts.push(`${r.needsAttention.length} need${r.needsAttention.length === 1 ? 's' : ''} a person`);
  if (r.errors.length) parts.push(`${r.errors.length} failed (tried again on the next sync)`);
  return parts.join(', ') + '.';
}

function errorText(err: unknown): string {
  // Our own errors are written in words without accounting data; an unknown
  // error's text is never passed on (it might carry some).
  if (err instanceof ApiError || err instanceof NeedsAttention || err instanceof XeroUnavailable || err instanceof XeroNotFound) return err.message;
  return 'The check was interrupted; it will be retried on the next sync.';
}

export async function runPaymentSync(deps: AppDeps, tenantId: string, opts: PaymentRunOptions): Promise<PaymentRunResult> {
  const owner = `${opts.trigger}:${randomUUID()}`;
  const base = { busy: false, checked: 0, updated: 0, unchanged: 0, needsAttention: [] as InvoiceNote[], errors: [] as InvoiceNote[] };
  const targets = await syncedInvoices(deps, tenantId, opts.cwInvoiceId);
  if (opts.cwInvoiceId !== undefined && targets.length === 0) {
    throw new ApiError(409, 'not_synced', 'This invoice is not in Xero yet: push it first, then its payments can be synced.');
  }
  const got = opts.waitMs ? await waitForRunLease(deps.db, tenantId, owner, deps.now, LEASE_MS, opts.waitMs) : await acquireRunLease(deps.db, tenantId, owner, deps.now(), LEASE_MS);
  if (!got) {
    const r = { ...base, busy: true };
    return { ...r, message: summary(r) };
  }
  const result = base;
  let leaseLost = false;
  const heartbeat = setInterval(() => {
    void acquireRunLease(deps.db, tenantId, owner, deps.now(), LEASE_MS)
      .then((held) => void (held || (leaseLost = true)))
      .catch(() => undefined);
  }, LEASE_MS / 3);
  heartbeat.unref?.();
  try {
    const ledger = new PaymentLedger(deps.db, deps.now);
    const previous = new Map((await ledger.listForTenant(tenantId)).map((r) => [r.cw_invoice_id, r]));
    const byOrg = new Map<string, SyncedInvoice[]>();
    for (const t of targets) byOrg.set(t.xeroTenantId, [...(byOrg.get(t.xeroTenantId) ?? []), t]);
    const cw = await cwClientForTenant(deps, tenantId);
    for (const [org, invoices] of byOrg) {
      await acquireRunLease(deps.db, tenantId, owner, deps.now(), LEASE_MS); // renew
      await syncOrg(deps, { tenantId, owner, org, invoices, previous, ledger, cw, single: opts.cwInvoiceId !== undefined, leaseLost: () => leaseLost }, result);
    }
  } finally {
    clearInterval(heartbeat);
    const r = { ...result };
    await releaseRunLease(deps.db, tenantId, owner, `checked ${r.checked}, updated ${r.updated}, attention ${r.needsAttention.length}, errors ${r.errors.length}`, deps.now());
  }
  return { ...result, message: summary(result) };
}

interface OrgRun {
  tenantId: string;
  /** This run's lease owner (renewed as the run goes on). */
  owner: string;
  org: string;
  invoices: SyncedInvoice[];
  previous: Map<string, PaymentLedgerRow>;
  ledger: PaymentLedger;
  cw: CwClient;
  single: boolean;
  /** True once another run took the tenant's turn (ours lapsed): stop before the next invoice. */
  leaseLost: () => boolean;
}

/** Which invoices of this organisation to look at: changed in Xero, never checked, or still needing a person. */
function candidatesOf(run: OrgRun, touched: Set<string>, touchedOverpayments: Set<string>): SyncedInvoice[] {
  return run.invoices.filter((inv) => {
    const prev = run.previous.get(String(inv.cwInvoiceId));
    if (!prev || prev.xero_invoice_id.toLowerCase() !== inv.xeroInvoiceId.toLowerCase()) return true;
    if (prev.state === 'needs_attention' || prev.state === 'error') return true;
    if (touched.has(inv.xeroInvoiceId.toLowerCase())) return true;
    return itemIdsOf(prev).some((id) => id.startsWith('o:') && touchedOverpayments.has(id.slice(2).toLowerCase()));
  });
}

async function syncOrg(deps: AppDeps, run: OrgRun, result: Omit<PaymentRunResult, 'message'>): Promise<void> {
  let x: XeroTransport;
  let candidates = run.invoices;
  let next: Partial<Record<WatermarkSource, Date>> = {};
  try {
    x = xeroTransport(deps, run.tenantId, run.org);
    if (!run.single) {
      const since = {
        payments: await run.ledger.watermark(run.tenantId, run.org, 'payments'),
        overpayments: await run.ledger.watermark(run.tenantId, run.org, 'overpayments'),
        creditnotes: await run.ledger.watermark(run.tenantId, run.org, 'creditnotes'),
      };
      const scan = await scanChanges(x, since);
      next = scan.next;
      candidates = candidatesOf(run, scan.touchedInvoices, scan.touchedOverpayments);
    }
  } catch (err) {
    result.checked += run.invoices.length;
    for (const inv of run.invoices) result.errors.push({ cwInvoiceId: inv.cwInvoiceId, invoiceNumber: inv.xeroNumber, document: inv.document, message: `Could not read Xero: ${errorText(err)}` });
    return;
  }
  if (candidates.length === 0) {
    await saveWatermarks(run, next);
    return;
  }
  let paid: Map<string, XeroPaid>;
  try {
    paid = (await readInvoicesPaid(x, candidates.map((c) => c.xeroInvoiceId))).paid;
  } catch (err) {
    result.checked += candidates.length;
    for (const inv of candidates) result.errors.push({ cwInvoiceId: inv.cwInvoiceId, invoiceNumber: inv.xeroNumber, document: inv.document, message: `Could not read Xero: ${errorText(err)}` });
    return;
  }
  const errorsBefore = result.errors.length;
  for (const [i, inv] of candidates.entries()) {
    // A long run keeps its lease: another instance must not start on this tenant meanwhile.
    if (run.leaseLost() || (i > 0 && i % 25 === 0 && !(await acquireRunLease(deps.db, run.tenantId, run.owner, deps.now(), LEASE_MS)))) {
      result.checked++;
      result.errors.push({ cwInvoiceId: inv.cwInvoiceId, invoiceNumber: inv.xeroNumber, document: inv.document, message: 'This run took so long that another run took over; it checks the rest.' });
      return;
    }
    result.checked++;
    try {
      await syncOne(deps, run, inv, paid.get(inv.xeroInvoiceId.toLowerCase()), result);
    } catch (err) {
      const message = errorText(err);
      result.errors.push({ cwInvoiceId: inv.cwInvoiceId, invoiceNumber: inv.xeroNumber, document: inv.document, message });
      await run.ledger
        .write({
          tenantId: run.tenantId,
          cwInvoiceId: String(inv.cwInvoiceId),
          xeroTenantId: run.org,
          xeroInvoiceId: inv.xeroInvoiceId,
          itemIds: itemIdsOf(run.previous.get(String(inv.cwInvoiceId))),
          cwPaymentId: run.previous.get(String(inv.cwInvoiceId))?.cw_payment_id ?? null,
          contentHash: run.previous.get(String(inv.cwInvoiceId))?.content_hash ?? null,
          state: 'error',
          attentionCode: null,
          message,
        })
        .catch(() => undefined);
    }
  }
  // Invoices that failed are re-checked next run whatever the watermark says
  // (state 'error'); the watermark moves only when every check was recorded.
  if (result.errors.length === errorsBefore) await saveWatermarks(run, next);
}

async function saveWatermarks(run: OrgRun, next: Partial<Record<WatermarkSource, Date>>): Promise<void> {
  for (const [source, at] of Object.entries(next) as [WatermarkSource, Date][]) await run.ledger.setWatermark(run.tenantId, run.org, source, at);
}

async function syncOne(deps: AppDeps, run: OrgRun, inv: SyncedInvoice, xero: XeroPaid | undefined, result: Omit<PaymentRunResult, 'message'>): Promise<void> {
  const key = String(inv.cwInvoiceId);
  const prev = run.previous.get(key);
  const sameDocument = !!prev && prev.xero_invoice_id.toLowerCase() === inv.xeroInvoiceId.toLowerCase();
  const write = (w: { itemIds: string[]; cwPaymentId: number | null; hash: string | null; state: 'in_step' | 'needs_attention' | 'skipped'; code: string | null; message: string | null }) =>
    run.ledger.write({
      tenantId: run.tenantId,
      cwInvoiceId: key,
      xeroTenantId: run.org,
      xeroInvoiceId: inv.xeroInvoiceId,
      itemIds: w.itemIds,
      cwPaymentId: w.cwPaymentId,
      contentHash: w.hash,
      state: w.state,
      attentionCode: w.code,
      message: w.message,
    });

  if (!xero || xero.type !== 'ACCREC') {
    const message = 'Xero has no sales invoice with this id (a credit note, or deleted in Xero): nothing to sync.';
    // The record we wrote stays ours (never forgotten), though nothing is synced to it now.
    await write({ itemIds: [], cwPaymentId: prev?.cw_payment_id ?? null, hash: null, state: 'skipped', code: 'not_a_sales_invoice', message });
    result.unchanged++;
    return;
  }
  const cw = await readCwInvoicePayments(run.cw, inv.cwInvoiceId);
  // The record we wrote stays ours even when the invoice was re-created in Xero; the Xero items are the old document's.
  const decision = decidePayment(xero, cw, { itemIds: sameDocument ? itemIdsOf(prev) : [], cwPaymentId: prev?.cw_payment_id ?? null });
  let cwPaymentId = decision.ours?.id ?? null;
  const a = decision.action;
  if (a.kind === 'create') cwPaymentId = await createCwPayment(run.cw, inv.cwInvoiceId, { amount: a.amount, date: a.date, appliedBy: a.appliedBy });
  else if (a.kind === 'update') await updateCwPayment(run.cw, inv.cwInvoiceId, a.paymentId, { amount: a.amount, date: a.date, appliedBy: a.appliedBy });
  else if (a.kind === 'delete') await deleteCwPayment(run.cw, inv.cwInvoiceId, a.paymentId);
  const attention = decision.notes.length > 0;
  if (a.kind !== 'none') {
    result.updated++;
    await deps.faults?.afterCwPaymentWrite?.(inv.cwInvoiceId);
    const outcome = a.kind === 'create' ? 'created' : a.kind === 'delete' ? 'removed' : 'updated';
    await deps.db.k
      .insertInto('audit_log')
      .values({ tenant_id: run.tenantId, action: 'payment.synced', member_id: null, subject: `invoice:${inv.cwInvoiceId}`, outcome, message: null, at: deps.now().toISOString() })
      .execute();
  } else if (!attention) {
    result.unchanged++;
  }
  if (attention) result.needsAttention.push({ cwInvoiceId: inv.cwInvoiceId, invoiceNumber: cw.invoiceNumber, document: inv.document, message: decision.notes.map((n) => n.message).join(' ') });
  await write({
    itemIds: decision.itemIds,
    cwPaymentId,
    hash: decision.ours ? paymentContentHash(deps.keys.secretsKey, run.tenantId, key, decision.itemIds, decision.ours.amount, decision.ours.date) : null,
    state: attention ? 'needs_attention' : 'in_step',
    code: attention ? decision.notes.map((n) => n.code).join(',') : null,
    message: attention ? decision.notes.map((n) => n.storedMessage).join(' ') : null,
  });
}
