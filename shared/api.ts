// The pod <-> server API: one zod schema per request and response, shared by
// both ends so neither can drift. Money crosses the wire as decimal strings
// ("1234.50"), never as floating-point numbers.
import { z } from 'zod';

/** Our one error shape: `{error: {code, message, field?}}`. */
export const apiErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBody>;

/** A decimal amount as text: optional minus, digits, optional fraction. */
export const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount such as "1234.50"');

// ConnectWise company ids and member identifiers are short words; refusing
// anything else keeps them safe to put in a `conditions` string.
export const cwCompanyId = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be a ConnectWise company id (letters, digits, _ . -)');
export const cwMemberIdentifier = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'must be a ConnectWise member identifier');

// ---- POST /api/session ----------------------------------------------------

/** How many first reads a sign-in may ask to be answered with it. */
export const SESSION_FIRST_MAX = 4;

export const sessionRequest = z.object({
  companyid: cwCompanyId,
  memberid: cwMemberIdentifier,
  memberHash: z.string().min(1, 'is required').max(4096),
  /**
   * The first reads the surface makes (issue 12, first paint): up to four GET paths of our API, answered in the
   * session's answer as that request with the new token would answer it — only once the member is verified.
   */
  first: z
    .array(
      z
        .string()
        .max(300)
        .regex(/^\/api\/(?!session(?:[/?]|$))[A-Za-z0-9/_-]*(\?[A-Za-z0-9_.~%=&+,-]*)?$/, 'must be a GET path of our API, such as "/api/settings"'),
    )
    .max(SESSION_FIRST_MAX, `at most ${SESSION_FIRST_MAX} paths`)
    .optional(),
});
export type SessionRequest = z.infer<typeof sessionRequest>;

/** One of the first reads answered with the session: the path asked, the status and the body that GET answered. */
export const sessionFirstAnswer = z.object({ path: z.string(), status: z.number().int(), body: z.unknown() });
export type SessionFirstAnswer = z.infer<typeof sessionFirstAnswer>;

export const sessionResponse = z.object({
  token: z.string().min(1),
  expiresAt: z.string(),
  member: z.object({ identifier: z.string(), name: z.string() }),
  /** The tenant (ConnectWise company id, lower-cased). */
  tenant: z.string(),
  isAdmin: z.boolean(),
  /** The answers to the request's `first` paths, in its order (absent when it asked none). */
  first: z.array(sessionFirstAnswer).optional(),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

// ---- GET /api/invoices/:id --------------------------------------------------

export const invoiceIdParam = z.object({
  // Digits only: "0x10" or "1e3" is not invoice 16 or 1000.
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'expected a ConnectWise invoice id (a number)')
    .transform(Number)
    .pipe(z.number().int().positive('expected a ConnectWise invoice id (a positive number)')),
});

export const invoiceSummary = z.object({
  id: z.number().int(),
  invoiceNumber: z.string(),
  /** Standard, Agreement, CreditMemo, DownPayment, Miscellaneous, Progress. */
  type: z.string(),
  status: z.string().nullable(),
  customer: z.object({ id: z.number().int().nullable(), name: z.string() }),
  /** yyyy-mm-dd */
  date: z.string().nullable(),
  dueDate: z.string().nullable(),
  total: decimalString,
  balance: decimalString.nullable(),
  currency: z.string(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummary>;

// ---- pod-config (injected into every pod page) ----------------------------

export const podConfig = z.object({
  tenant: z.string().min(1),
  /** The ConnectWise origin the Hosted API talks to. */
  cwOrigin: z.string().url(),
  /** Where the pod reaches our API (our server's public URL). */
  apiBase: z.string().url(),
});
export type PodConfig = z.infer<typeof podConfig>;

// ==== Connect to Xero and settings (issue 3) ================================

// ---- GET/PUT /api/settings ----

export const tenantSettingsView = z.object({
  adminSecurityRoles: z.array(z.string()),
  adminMemberIdentifiers: z.array(z.string()),
  /** How often the server pulls payments from Xero for this tenant (issue 5). */
  paymentSyncIntervalMinutes: z.number().int(),
  /** Who may push and run syncs besides the admins (issue 12; shared/permission-settings.ts). */
  pushers: z.object({ securityRoles: z.array(z.string()), memberIdentifiers: z.array(z.string()) }).optional(),
});
export const settingsResponse = z.object({
  settings: tenantSettingsView,
  /** Whether the signed-in member may change settings. */
  isAdmin: z.boolean(),
  /** Who may change settings, in words (shown to everyone else). */
  whoCanChange: z.string(),
});
export type SettingsResponse = z.infer<typeof settingsResponse>;

// ---- POST /api/xero/connect ----

export const xeroConnectResponse = z.object({
  /** Open in the popup: our /oauth/xero/start, which redirects to Xero's sign-in. */
  url: z.string().url(),
  expiresAt: z.string(),
  /** Posted to `url` from the pod into the popup (form field `startProof`); the URL alone does not start the sign-in. */
  startProof: z.string(),
});
export type XeroConnectResponse = z.infer<typeof xeroConnectResponse>;

// ---- the OAuth popup's report to the settings pod (penpal) ----

export const oauthPopupResult = z.object({
  ok: z.boolean(),
  /** connected | connected_partly (some organisations refused: held by another ConnectWise company) | xero_org_taken | access_denied | state_unknown | state_used | state_expired | state_foreign | … */
  code: z.string(),
  message: z.string(),
  tenant: z.string().nullable(),
  connectionId: z.string().nullable(),
  orgs: z.array(z.object({ xeroTenantId: z.string(), name: z.string() })),
});
export type OauthPopupResult = z.infer<typeof oauthPopupResult>;

// ---- GET /api/xero/status ----

export const xeroOrgView = z.object({
  xeroTenantId: z.string(),
  name: z.string(),
  connectionId: z.string(),
});
export const xeroConnectionView = z.object({
  id: z.string(),
  status: z.enum(['ok', 'needs_reconnect']),
  /** The connection's health in words. */
  health: z.string(),
  lastRefreshAt: z.string().nullable(),
  lastError: z.string().nullable(),
  connectedAt: z.string(),
  connectedBy: z.string().nullable(),
  orgs: z.array(xeroOrgView),
});
export const locationMapping = z.object({
  cwLocationId: z.number().int().positive(),
  xeroTenantId: z.string(),
});
/**
 * A mapping as the settings pod shows it. A mapping is kept when its organisation
 * is disconnected (reconnecting restores it): `organisation` says whether it books
 * anywhere now; `words` says so for a person (empty when connected).
 */
export const locationMapView = locationMapping.extend({
  /** The organisation's name (as last connected); null when it was never known. */
  organisationName: z.string().nullable(),
  organisation: z.enum(['connected', 'needs_reconnect', 'not_connected', 'taken']),
  words: z.string(),
});
export type LocationMapView = z.infer<typeof locationMapView>;
export const xeroStatusResponse = z.object({
  connections: z.array(xeroConnectionView),
  orgs: z.array(xeroOrgView),
  locationMap: z.array(locationMapView),
  needsReconnect: z.boolean(),
  /** Shown by every pod of the tenant when a connection needs reconnecting; null when all is well. */
  banner: z.string().nullable(),
});
export type XeroStatusResponse = z.infer<typeof xeroStatusResponse>;
export type XeroConnectionView = z.infer<typeof xeroConnectionView>;

// ---- PUT /api/xero/location-map ----

export const locationMapRequest = z
  .object({
    /** The whole map: a location left out is unmapped. */
    mappings: z
      .array(
        z
          .object({
            cwLocationId: z.number({ message: 'expected a ConnectWise location id (a number)' }).int().positive(),
            xeroTenantId: z.string().trim().min(1, 'is required').max(64),
          })
          .strict(),
      )
      .max(500),
  })
  .strict();
export type LocationMapRequest = z.infer<typeof locationMapRequest>;

// ---- GET /api/cw/locations ----

export const cwLocationsResponse = z.object({
  locations: z.array(z.object({ id: z.number().int(), name: z.string() })),
});
export type CwLocationsResponse = z.infer<typeof cwLocationsResponse>;

// ---- DELETE /api/xero/connections/:id ----

export const xeroDisconnectResponse = z.object({
  disconnected: z.boolean(),
  /** What could not be done at Xero (the local tokens are deleted regardless), in words. */
  warnings: z.array(z.string()),
});
export type XeroDisconnectResponse = z.infer<typeof xeroDisconnectResponse>;

// ==== Invoice sync (issue 4): GET /api/invoices/:id/sync, POST /api/invoices/:id/push ====

/** What the dialog shows before a push: exactly the Xero document that will land. Never stored. */
export const documentPreview = z.object({
  documentKind: z.string(),
  number: z.string(),
  contactName: z.string(),
  date: z.string(),
  dueDate: z.string().nullable(),
  reference: z.string().nullable(),
  currency: z.string(),
  status: z.string(),
  amountsAre: z.string(),
  lines: z.array(
    z.object({
      lineNumber: z.number().int(),
      description: z.string(),
      itemCode: z.string().nullable(),
      quantity: z.string(),
      unit: z.string().nullable(),
      unitAmount: z.string(),
      amount: z.string(),
      account: z.string(),
      tax: z.string(),
      taxAmount: z.string(),
      isRounding: z.boolean(),
      /** Xero tracking the line carries (category and option names), as the push sends it. */
      tracking: z.array(z.object({ category: z.string(), option: z.string() })),
    }),
  ),
  subtotal: decimalString,
  tax: decimalString,
  total: decimalString,
  connectwiseTotal: decimalString,
  totalsAgree: z.boolean(),
  totalsInWords: z.string(),
  allocations: z.array(z.string()),
  itemsToCreate: z.array(z.string()),
  problems: z.array(z.object({ severity: z.string(), text: z.string(), fixWhere: z.string(), line: z.number().int().nullable() })),
  ready: z.boolean(),
});
export type DocumentPreviewView = z.infer<typeof documentPreview>;

/** A reason a push cannot go ahead, and where a person fixes it. */
export const syncProblem = z.object({ code: z.string(), message: z.string(), where: z.string().optional() });
export type SyncProblem = z.infer<typeof syncProblem>;

/**
 * An invoice's cost of sale (its inventory parts) as the Xero manual journal
 * its push also makes: debit cost of goods sold, credit the warehouse's
 * inventory account, balanced to the cent. Never stored.
 */
export const costOfSaleJournalView = z.object({
  /** Our reference, carried in the Narration in brackets (ids only). */
  reference: z.string(),
  narration: z.string(),
  date: z.string(),
  /** POSTED or DRAFT, as the settings send it. */
  status: z.string(),
  lines: z.array(z.object({ lineNumber: z.number().int(), account: z.string(), description: z.string(), debit: decimalString.nullable(), credit: decimalString.nullable() })),
  debits: decimalString,
  credits: decimalString,
  balanced: z.boolean(),
  /** What holds it (and so its invoice), with where to fix it. */
  problems: z.array(syncProblem),
  /** new: not in Xero; pending: in Xero, its invoice's push not finished; changed: ConnectWise changed since; synced. */
  state: z.enum(['new', 'pending', 'changed', 'synced']),
  xero: z.object({ documentId: z.string(), status: z.string(), url: z.string() }).nullable(),
});
export type CostOfSaleJournalView = z.infer<typeof costOfSaleJournalView>;

/**
 * The chip the dialog shows: Ready / Needs attention / Synced / Changed since
 * sync / Paid, plus "pushing" while another push of this record runs.
 */
export const syncChip = z.enum(['ready', 'needs_attention', 'synced', 'changed', 'paid', 'pushing']);
export type SyncChip = z.infer<typeof syncChip>;

export const invoiceSyncView = z.object({
  invoice: invoiceSummary,
  chip: syncChip,
  /** One sentence saying where this invoice stands. */
  headline: z.string(),
  /** The Xero organisation the invoice's billing location maps to, if any. */
  organisation: z.object({ xeroTenantId: z.string(), name: z.string() }).nullable(),
  preview: documentPreview.nullable(),
  /** The cost-of-sale journal its push also makes, for an invoice with inventory parts. */
  costOfSale: costOfSaleJournalView.nullable().optional(),
  problems: z.array(syncProblem),
  /** The Xero counterpart once synced (from the ledger and a live read of Xero). */
  xero: z
    .object({
      kind: z.enum(['invoice', 'creditNote']),
      documentId: z.string(),
      number: z.string(),
      status: z.string(),
      /** Link to the document in Xero (the simulator's own page in the demo). */
      url: z.string(),
      amountPaid: decimalString.nullable(),
      amountDue: decimalString.nullable(),
    })
    .nullable(),
  ledger: z
    .object({
      state: z.string(),
      syncedAt: z.string().nullable(),
      cwBatchId: z.number().int().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  /**
   * A Xero document under this record's number that CW–Xero Sync did not
   * create: shown beside ConnectWise's, never written. An admin may link it
   * (POST /api/invoices/:id/link) only if it truly is the same document.
   */
  taken: z
    .object({
      documentId: z.string(),
      number: z.string(),
      status: z.string(),
      contactName: z.string().nullable(),
      total: decimalString,
      currency: z.string().nullable(),
      url: z.string(),
      /** ConnectWise's total and currency, for the side-by-side. */
      cwTotal: decimalString,
      cwCurrency: z.string(),
    })
    .nullable()
    .optional(),
  /** True when "Push to Xero" / "Re-sync" may be clicked now. */
  canPush: z.boolean(),
  pushLabel: z.enum(['Push to Xero', 'Re-sync']),
  /** May this member push and sync (issue 12's permission); others see it read-only with who can. */
  mayPush: z.boolean().optional(),
  whoCanPush: z.string().nullable().optional(),
});
export type InvoiceSyncView = z.infer<typeof invoiceSyncView>;

/** POST /api/invoices/:id/link: the Xero document (under the record's number) that truly is this record. */
export const linkInvoiceRequest = z.object({ xeroDocumentId: z.string().uuid('must be a Xero document id') }).strict();

export const pushResponse = z.object({
  outcome: z.enum(['synced', 'unchanged', 'needs_attention', 'busy']),
  message: z.string(),
  view: invoiceSyncView,
});
export type PushResponse = z.infer<typeof pushResponse>;

// ==== Payments and reconcile (issue 5) =======================================
// POST /api/invoices/:id/payments/sync, POST /api/payments/sync, GET /api/invoices/:id/reconcile

/** An invoice of a payment run that a person must look at, or that could not be checked; in words. */
export const paymentInvoiceNote = z.object({
  cwInvoiceId: z.number().int(),
  invoiceNumber: z.string(),
  /** What the record is in Xero: the note names it so ("Credit note …"). */
  document: z.enum(['invoice', 'creditNote']),
  message: z.string(),
});
export type PaymentInvoiceNote = z.infer<typeof paymentInvoiceNote>;

export const paymentRunResult = z.object({
  /** Another run of this tenant was going and this one did not run (message says so). */
  busy: z.boolean(),
  checked: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  needsAttention: z.array(paymentInvoiceNote),
  errors: z.array(paymentInvoiceNote),
  /** The run in one sentence. */
  message: z.string(),
});
export type PaymentRunResult = z.infer<typeof paymentRunResult>;

export const reconcileRow = z.object({
  key: z.string(),
  section: z.enum(['header', 'lines', 'totals', 'payments']),
  field: z.string(),
  cw: z.string().nullable(),
  xero: z.string().nullable(),
  same: z.boolean(),
  note: z.string().nullable(),
});
export type ReconcileRowView = z.infer<typeof reconcileRow>;

export const reconcileView = z.object({
  invoice: z.object({ id: z.number().int(), invoiceNumber: z.string() }),
  /** False when the invoice is not in Xero yet (then rows are empty and summary says why). */
  synced: z.boolean(),
  xero: z.object({ kind: z.enum(['invoice', 'creditNote']), documentId: z.string(), number: z.string(), status: z.string() }).nullable(),
  rows: z.array(reconcileRow),
  differences: z.number().int(),
  /** One-click fixes: resync → POST /api/invoices/:id/push; pull_payments → POST /api/invoices/:id/payments/sync. */
  fixes: z.array(z.object({ action: z.enum(['resync', 'pull_payments']), label: z.string(), why: z.string() })),
  /** Differences no click can fix, and what a person does instead. */
  explanations: z.array(z.string()),
  /** What the last payment sync left for a person on this invoice (no amounts). */
  paymentNotes: z.array(z.string()),
  summary: z.string(),
});
export type ReconcileView = z.infer<typeof reconcileView>;

// ==== Batch sync (issue 6): /api/batch/* =====================================

// ---- GET /api/batch/unposted ----
export const batchUnpostedQuery = z
  .object({
    page: z.coerce.number({ message: 'page: expected a page number' }).int().min(1).default(1),
    pageSize: z.coerce.number({ message: 'pageSize: expected a number' }).int().min(1).max(200).default(50),
    locationId: z.coerce.number({ message: 'locationId: expected a ConnectWise location id' }).int().positive().optional(),
    throughDate: z.iso.date({ message: 'throughDate: expected a date such as 2026-04-30' }).optional(),
    type: z.enum(['Standard', 'Agreement', 'CreditMemo', 'Miscellaneous', 'Progress', 'Deposit'], { message: 'type: expected an invoice type (Standard, Agreement, CreditMemo, …)' }).optional(),
  })
  .strict();
export type BatchUnpostedQuery = z.infer<typeof batchUnpostedQuery>;

export const batchReadiness = z.enum(['ready', 'needs_attention', 'synced']);
export const batchUnpostedRow = z.object({
  cwInvoiceId: z.number().int(),
  glEntryId: z.number().int(),
  invoiceNumber: z.string(),
  date: z.string().nullable(),
  type: z.string(),
  customer: z.string(),
  locationId: z.number().int().nullable(),
  total: decimalString,
  currency: z.string(),
  readiness: batchReadiness,
  /** Why it needs attention, and where to fix it. */
  problem: syncProblem.nullable(),
});
export type BatchUnpostedRow = z.infer<typeof batchUnpostedRow>;

export const batchUnpostedResponse = z.object({
  items: z.array(batchUnpostedRow),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  /** May this member start, retry and cancel runs and sync payments (server/permission.ts); if not, who can. */
  mayRun: z.boolean().optional(),
  whoCanRun: z.string().nullable().optional(),
});
export type BatchUnpostedResponse = z.infer<typeof batchUnpostedResponse>;

// ---- POST /api/batch/runs ----
export const batchFilter = batchUnpostedQuery.pick({ locationId: true, throughDate: true, type: true });
/** What a run pushes: invoices (the default) or expense reports (shared/expense-api.ts batchExpenseRunRequest). */
export const batchRunKind = z.enum(['invoice', 'expense', 'procurement'], { message: 'kind: expected "invoice", "expense" or "procurement"' });
export type BatchRunKind = z.infer<typeof batchRunKind>;
export const batchRunRequest = z
  .object({
    kind: z.literal('invoice', { message: 'kind: expected "invoice", "expense" or "procurement"' }).optional(),
    /** The selected records (GL entry ids of the unposted list), or `all` with the list's filter. */
    glEntryIds: z.array(z.number({ message: 'glEntryIds: expected GL entry ids (numbers)' }).int().positive()).min(1, 'glEntryIds: select at least one invoice').max(5000).optional(),
    all: z.literal(true).optional(),
    filter: batchFilter.strict().optional(),
    /** One ConnectWise batch per record (default) or one for the whole run. */
    batching: z.enum(['record', 'run'], { message: 'batching: expected "record" or "run"' }).default('record'),
  })
  .strict()
  .refine((b) => !!b.glEntryIds !== !!b.all, { message: 'glEntryIds: give the selected GL entry ids, or all: true', path: ['glEntryIds'] });
export type BatchRunRequest = z.input<typeof batchRunRequest>;

// ---- GET /api/batch/runs/:id (and /api/batch/runs/latest) ----
export const batchRunItemState = z.enum(['pending', 'xero_created', 'synced', 'needs_attention', 'failed', 'cancelled']);
const batchRunDocument = z.object({ documentId: z.string(), number: z.string(), url: z.string() });
export const batchRunItem = z.object({
  /** The ConnectWise record: the invoice id, in an expense run the expense report id, in a procurement run its first GL entry. */
  cwInvoiceId: z.number().int(),
  /** A procurement run's record as its tab names it: "po:3002", "adj-7201", "xfer-7301". */
  cwRecordId: z.string().optional(),
  /** Its (first) GL entry id. */
  glEntryId: z.number().int(),
  state: batchRunItemState,
  problem: syncProblem.nullable(),
  /** The (first) Xero document the record became. */
  xero: batchRunDocument.nullable(),
  /** Every Xero document it became, where it can be several (an expense report: one bill per currency or week). */
  documents: z.array(batchRunDocument).optional(),
});
export type BatchRunItem = z.infer<typeof batchRunItem>;

export const batchRunView = z.object({
  id: z.string(),
  kind: batchRunKind.default('invoice'),
  status: z.enum(['running', 'cancelling', 'cancelled', 'waiting_day', 'done']),
  batching: z.enum(['record', 'run']),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: z.object({ total: z.number().int(), done: z.number().int(), failed: z.number().int(), remaining: z.number().int(), cancelled: z.number().int() }),
  /** Non-null while the run waits for Xero's limit (minute or day), in words. */
  waiting: z.object({ reason: z.enum(['xero_minute', 'xero_concurrent', 'xero_day', 'xero_unavailable']), until: z.string(), message: z.string() }).nullable(),
  items: z.array(batchRunItem),
  itemsOffset: z.number().int(),
});
export type BatchRunView = z.infer<typeof batchRunView>;

export const batchRunParam = z.object({ id: z.uuid({ message: 'id: expected a run id' }) });
export const batchRunItemsQuery = z
  .object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
/** GET /api/batch/runs/latest: the latest run of one kind (each tab shows its own). */
export const batchLatestRunQuery = batchRunItemsQuery.extend({ kind: batchRunKind.default('invoice') });

// ---- GET /api/batch/summary (issue 12: the batch pod's month-end state) ----
/** The invoices' part follows the list's filters; expenses and procurement are counted whole. `kind`: count only that kind. */
export const batchSummaryQuery = batchFilter.extend({ kind: batchRunKind.optional() }).strict();
export type BatchSummaryQuery = z.infer<typeof batchSummaryQuery>;
/** One document kind's month-end state, counted over every unposted record (not one page). */
export const batchKindSummary = z.object({
  kind: batchRunKind,
  /** Unposted records ConnectWise lists. */
  total: z.number().int(),
  ready: z.number().int(),
  /** Blocked by a mapping or settings problem (each says why in the full list). */
  attention: z.number().int(),
  /** Held (an expense report not released by its approval, a PO whose lines wait). */
  held: z.number().int(),
  /** Already in Xero while ConnectWise still lists them unposted. */
  inXero: z.number().int(),
  /** Records of this kind synced today (the tenant's ConnectWise calendar day). */
  syncedToday: z.number().int(),
  /** Why this kind could not be counted, in words (the others still are). */
  error: z.string().nullable(),
});
export type BatchKindSummary = z.infer<typeof batchKindSummary>;
export const batchSummaryResponse = z.object({
  kinds: z.array(batchKindSummary),
  /** The calendar day "today" means (YYYY-MM-DD). */
  today: z.string(),
  mayRun: z.boolean(),
  whoCanRun: z.string().nullable(),
});
export type BatchSummaryResponse = z.infer<typeof batchSummaryResponse>;

// ---- POST /api/batch/tieout (issue 12: the month-end tie-out before a run) ----
/** The selection as a run takes it: GL entry ids, or every one matching the list's filters. */
export const batchTieOutRequest = z
  .object({
    glEntryIds: z.array(z.number({ message: 'glEntryIds: expected GL entry ids (numbers)' }).int().positive()).min(1, 'glEntryIds: select at least one invoice').max(5000).optional(),
    all: z.literal(true, { message: 'all: expected true (every matching invoice)' }).optional(),
    filter: batchFilter.strict().optional(),
  })
  .strict()
  .refine((b) => !!b.glEntryIds !== !!b.all, { message: 'glEntryIds: give the selected GL entry ids, or all: true', path: ['glEntryIds'] });
export type BatchTieOutRequest = z.input<typeof batchTieOutRequest>;
const tieOutRow = z.object({ organisation: z.string(), currency: z.string(), label: z.string(), connectwise: decimalString, xero: decimalString, difference: decimalString });
export const batchTieOutResponse = z.object({
  /** Invoices tied out (the ready ones of the selection). */
  records: z.number().int(),
  byOrganisation: z.array(tieOutRow),
  byAccount: z.array(tieOutRow),
  byTaxRate: z.array(tieOutRow),
  differences: z.array(z.string()),
  ties: z.boolean(),
  /** Selected invoices left out (they need attention, so a run does not push them), by number. */
  leftOut: z.array(z.object({ number: z.string(), reason: z.string() })),
});
export type BatchTieOutResponse = z.infer<typeof batchTieOutResponse>;

// ---- GET /api/batch/runs/:id/tieout (issue 12: the tie-out after a run, read back from Xero) ----
export const batchRunTieOutResponse = batchTieOutResponse.extend({
  /** Calls made to Xero to read the run's documents back (50 a call). */
  xeroReads: z.number().int(),
});
export type BatchRunTieOutResponse = z.infer<typeof batchRunTieOutResponse>;
