// The batch pod's Purchase orders tab (issue 11): GET /api/batch/procurement
// lists ConnectWise's unposted procurement — purchase orders whose receipts
// become Xero bills, adjustments and transfers that become manual journals —
// with readiness; POST /api/batch/runs with kind 'procurement' runs them
// through the same run tables and engine as invoices and expense reports.
// Never stored: built live from ConnectWise, the ledger and the mappings.
import { z } from 'zod';
import { decimalString, syncProblem } from './api.js';

/**
 * ready to push; held (a PO billed whole once its waiting lines arrive, part
 * shipments off); needs attention (the first blocking problem); in Xero
 * already (ConnectWise still lists it).
 */
export const batchProcurementReadiness = z.enum(['ready', 'held', 'needs_attention', 'synced']);
export type BatchProcurementReadiness = z.infer<typeof batchProcurementReadiness>;

/** A run takes these keys: `po:{purchase order id}`, `adj-{GL entry id}`, `xfer-{GL entry id}`. */
export const PROCUREMENT_KEY = /^(po:[1-9][0-9]{0,9}|adj-[1-9][0-9]{0,17}|xfer-[1-9][0-9]{0,17})$/;

export const batchProcurementRow = z.object({
  /** What a run takes (and how a run's items name it). */
  key: z.string(),
  kind: z.enum(['purchaseOrder', 'adjustment', 'transfer']),
  /** Its first unposted GL entry (a run's item is known by it). */
  glEntryId: z.number().int(),
  /** "PO 3002", "Write-off: ADJ-0001", "Transfer 1: DELL-LAT5450 × 2". */
  title: z.string(),
  /** The vendor, or what the journal moves between. */
  party: z.string(),
  date: z.string().nullable(),
  /** Receipts, packing slips and the bills they make; or the journal's accounts. */
  detail: z.string(),
  /** Unposted GL entries behind it. */
  entryCount: z.number().int(),
  /** What goes to Xero: the bills' totals, or the journal's debits. */
  total: decimalString,
  currency: z.string(),
  /** Xero documents it makes now. */
  documents: z.number().int(),
  readiness: batchProcurementReadiness,
  problem: syncProblem.nullable(),
});
export type BatchProcurementRow = z.infer<typeof batchProcurementRow>;

export const batchProcurementResponse = z.object({
  items: z.array(batchProcurementRow),
  total: z.number().int(),
  /** Starting, retrying and cancelling procurement runs is for CW–Xero Sync admins (as pushing one PO is). */
  mayRun: z.boolean(),
  whoCanRun: z.string().nullable(),
});
export type BatchProcurementResponse = z.infer<typeof batchProcurementResponse>;

const keyItem = z.string({ message: 'keys: expected "po:{id}", "adj-{GL entry}" or "xfer-{GL entry}"' }).regex(PROCUREMENT_KEY, 'keys: expected "po:{id}", "adj-{GL entry}" or "xfer-{GL entry}"');

/** POST /api/batch/runs with kind 'procurement': the selected rows (their keys), or every ready one. */
export const batchProcurementRunRequest = z
  .object({
    kind: z.literal('procurement'),
    keys: z.array(keyItem).min(1, 'keys: select at least one purchase order or inventory transaction').max(5000, 'keys: at most 5000 in one run').optional(),
    all: z.literal(true, { message: 'all: expected true (every ready row)' }).optional(),
  })
  .strict()
  .refine((b) => !!b.keys !== !!b.all, { message: 'keys: give the selected keys, or all: true', path: ['keys'] });
export type BatchProcurementRunRequest = z.input<typeof batchProcurementRunRequest>;
