// Audit and settings transfer (issue 13), shared by the server and the pods:
// a record's sync history, the tenant's activity list, settings versions, and
// settings export / import. Ids, codes and outcomes only — never amounts,
// names or line text.
import { z } from 'zod';

/** The records whose dialog shows a history: `GET /api/history/:kind/:id`. */
export const HISTORY_KINDS = ['invoice', 'expensereport', 'purchaseorder'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export const historyParams = z.object({
  kind: z.enum(HISTORY_KINDS),
  id: z.string().regex(/^\d{1,15}$/, 'expected a ConnectWise record id (a number)').transform(Number),
});

/** One id an audit row names, as stored: `xero:<id>` → {label: 'xero', id}. */
export const auditRef = z.object({ label: z.string(), id: z.string() });

export const historyEntry = z.object({
  at: z.string(),
  /** invoice.push, expense.push, purchase.push, payment.synced, or <kind>.run for a bulk run's record. */
  action: z.string(),
  /** The ConnectWise member identifier ('schedule' for the schedule), or null. */
  member: z.string().nullable(),
  outcome: z.string(),
  refs: z.array(auditRef),
  /** Problem codes (never their words). */
  codes: z.array(z.string()),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

export const recordHistoryResponse = z.object({
  entries: z.array(historyEntry),
  /** The Xero documents the entries name, as the ledger knows them now: id → number and state. */
  documents: z.array(z.object({ xeroDocumentId: z.string(), number: z.string().nullable(), documentKind: z.string().nullable(), state: z.string() })),
});
export type RecordHistoryResponse = z.infer<typeof recordHistoryResponse>;

const day = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d$/, 'expected a date as YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00.000Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'expected a date that exists, as YYYY-MM-DD');

/** Filters of `GET /api/activity` and `GET /api/activity.csv` (query parameters). */
export const activityQuery = z
  .object({
    /** The area of the action: invoice, expense, purchase, payment, session, settings … */
    kind: z.string().regex(/^[a-z_]{1,30}$/, 'expected a kind such as invoice or settings').optional(),
    outcome: z.string().regex(/^[a-z_]{1,30}$/, 'expected an outcome such as synced or needs_attention').optional(),
    member: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'expected a ConnectWise member identifier').optional(),
    from: day.optional(),
    to: day.optional(),
    before: z.string().regex(/^\d{1,15}$/, 'expected the id the previous page ended at').transform(Number).optional(),
    limit: z.string().regex(/^\d{1,3}$/, 'expected a number from 1 to 200').transform(Number).pipe(z.number().int().min(1, 'expected a number from 1 to 200').max(200, 'expected a number from 1 to 200')).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });
export type ActivityQuery = z.infer<typeof activityQuery>;

/** One row of the activity list: a history entry with the audit row's id (the page cursor). */
export const activityItem = historyEntry.extend({ id: z.number() });
export type ActivityItem = z.infer<typeof activityItem>;

export const activityResponse = z.object({ items: z.array(activityItem), nextBefore: z.number().nullable() });
export type ActivityResponse = z.infer<typeof activityResponse>;

export const settingsVersion = z.object({ id: z.number(), at: z.string(), memberId: z.string().nullable(), source: z.string(), changedPaths: z.array(z.string()) });
export const settingsVersionsResponse = z.object({ items: z.array(settingsVersion), nextBefore: z.number().nullable() });
export type SettingsVersionsResponse = z.infer<typeof settingsVersionsResponse>;

/** The export file's format name: an import checks it first. */
export const SETTINGS_EXPORT_FORMAT = 'cw-xero-sync-settings';

/** `POST /api/settings/import` (with `?dryRun=1`, nothing is written). */
export const settingsImportResponse = z.object({
  dryRun: z.boolean(),
  /** The paths of the fields the import changes (or would change). */
  changedPaths: z.array(z.string()),
});
export type SettingsImportResponse = z.infer<typeof settingsImportResponse>;
