// Exception alerts (issue 13): when a scheduled or bulk sync leaves records
// needing a person, ONE ConnectWise service ticket per tenant, on the board
// chosen in settings (Alerts), lists them — ConnectWise id, document kind, and
// what to fix in the problems' own stored words (engine/problems.ts) — and
// closes itself when a later run or scan finds none. No email server.
//
// refreshAlert() is the one entry: called after a bulk run's step that ends
// the run (bulk/worker.ts runOrgStep) and after the schedule's scan of a tenant
// (payments/payment-schedule.ts). It never throws and never fails the run:
// a ConnectWise refusal (say 403, no Service Desk rights) is stored as the
// ticket's last outcome, which the Alerts card shows.
//
// What "needing attention" is, tenant-wide at that moment:
//   - the latest finished bulk run of each kind (invoices, expense reports,
//     procurement): its records left needs_attention or failed;
//   - the payment schedule: payment_ledger rows in needs_attention / error;
//   - the expense auto-push: expense ledger rows in needs_attention / failed
//     written after the latest expense run finished (that run lists its own).
// Nothing of the ticket's text is stored here: only the ticket id, board,
// state, how many records and a hash of the listed set (ids and codes).
//
// ConnectWise calls: POST service/tickets (summary, board, company = the
// site's own company by its login company id, initialDescription = the list);
// when the set changes, PATCH the summary (and board) as JSON Patch and add a
// note with the new list; when none are left, a resolution note and PATCH the
// status to the board's first closed status (service/boards/{id}/statuses
// closedStatus=true). A ticket closed or deleted by a person is not reopened:
// the next set opens a new one.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { CwError, type CwClient } from '../cw/client.js';
import { ApiError } from '../http/errors.js';
import { cwClientForTenant } from '../cw/tenant-client.js';
import { storedProblem } from '../engine/problems.js';
import { loadTenantSettings } from '../settings.js';
import type { AlertStatusView } from '../../shared/alert-settings.js';

export interface AlertRecord {
  /** The document kind in ConnectWise's words, e.g. "Invoice", "Purchase order". */
  kind: string;
  /** The ConnectWise id (or GL entry for an inventory transaction). */
  id: string;
  code: string;
  message: string;
  where?: string;
}

export type AlertOutcome = 'off' | 'none' | 'opened' | 'updated' | 'unchanged' | 'closed' | 'refused' | 'busy';

const LEASE_MS = 60_000;
/** The ticket lists at most this many records (and says how many more). */
export const ALERT_LIST_LIMIT = 200;
const SUMMARY_PREFIX = 'CW–Xero Sync';

const ATTENTION = ['needs_attention', 'failed'];

function runItemRecord(runKind: string, cwRecordId: string): Pick<AlertRecord, 'kind' | 'id'> {
  if (runKind === 'expense') return { kind: 'Expense report', id: cwRecordId };
  if (runKind === 'procurement') {
    if (cwRecordId.startsWith('po:')) return { kind: 'Purchase order', id: cwRecordId.slice(3) };
    if (cwRecordId.startsWith('adj-')) return { kind: 'Inventory adjustment (GL entry)', id: cwRecordId.slice(4) };
    if (cwRecordId.startsWith('xfer-')) return { kind: 'Inventory transfer (GL entry)', id: cwRecordId.slice(5) };
    return { kind: 'Procurement record', id: cwRecordId };
  }
  return { kind: 'Invoice', id: cwRecordId };
}

/** The tenant's records needing a person now, in a stable order. */
export async function recordsNeedingAttention(deps: Pick<AppDeps, 'db'>, tenantId: string): Promise<AlertRecord[]> {
  const out: AlertRecord[] = [];
  const k = deps.db.k;
  let expenseRunFinished: string | null = null;
  for (const kind of ['invoice', 'expense', 'procurement'] as const) {
    const run = await k
      .selectFrom('bulk_runs')
      .select(['id', 'finished_at'])
      .where('tenant_id', '=', tenantId)
      .where('record_kind', '=', kind)
      .where('status', 'in', ['done', 'cancelled'])
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!run) continue;
    if (kind === 'expense') expenseRunFinished = run.finished_at;
    const items = await k.selectFrom('bulk_run_items').select(['cw_record_id', 'error_code', 'error_message', 'where_to_fix']).where('run_id', '=', run.id).where('state', 'in', ATTENTION).orderBy('seq').execute();
    for (const i of items) {
      const p = storedProblem(i.error_code ?? 'needs_attention', i.error_message, i.where_to_fix);
      out.push({ ...runItemRecord(kind, i.cw_record_id), code: p.code, message: p.message, ...(p.where ? { where: p.where } : {}) });
    }
  }
  const payments = await k.selectFrom('payment_ledger').select(['cw_invoice_id', 'attention_code', 'message']).where('tenant_id', '=', tenantId).where('state', 'in', ['needs_attention', 'error']).orderBy('cw_invoice_id').execute();
  for (const p of payments) {
    const sp = storedProblem(p.attention_code ?? 'payment_needs_attention', p.message ?? 'The payment from Xero could not be brought to ConnectWise.');
    out.push({ kind: 'Payment of invoice', id: p.cw_invoice_id, code: sp.code, message: sp.message, ...(sp.where ? { where: sp.where } : {}) });
  }
  let scanned = k.selectFrom('sync_ledger').select(['cw_record_id', 'error_code', 'error_message']).where('tenant_id', '=', tenantId).where('record_kind', '=', 'expense').where('state', 'in', ATTENTION);
  if (expenseRunFinished) scanned = scanned.where('updated_at', '>', expenseRunFinished);
  for (const r of await scanned.orderBy('cw_record_id').execute()) {
    const sp = storedProblem(r.error_code ?? 'needs_attention', r.error_message);
    out.push({ kind: 'Expense bill', id: r.cw_record_id, code: sp.code, message: sp.message, ...(sp.where ? { where: sp.where } : {}) });
  }
  return out;
}

/** Which records and codes (not the words): changes when the set a person must work through changes. */
export function listedHash(records: readonly AlertRecord[]): string {
  const keys = records.map((r) => `${r.kind}\u0000${r.id}\u0000${r.code}`).sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex');
}

const plural = (n: number) => (n === 1 ? '1 record needs attention' : `${n} records need attention`);

export function ticketSummary(n: number): string {
  return `${SUMMARY_PREFIX}: ${plural(n)}`;
}

/** The ticket's text: one line a record, ConnectWise id and kind, what to fix and where. */
export function ticketText(records: readonly AlertRecord[], at: Date): string {
  const lines = records.slice(0, ALERT_LIST_LIMIT).map((r) => `- ${r.kind} ${r.id}: ${r.message}${r.where ? ` Fix in: ${r.where}.` : ''}`);
  const more = records.length > ALERT_LIST_LIMIT ? [`…and ${records.length - ALERT_LIST_LIMIT} more (see the batch pod's runs).`] : [];
  return [
    `${SUMMARY_PREFIX} found ${plural(records.length)} after its last run or scan (${at.toISOString()}).`,
    'Each line is a ConnectWise record and what to fix. This ticket is updated as the set changes and closes itself when a later run finds none.',
    '',
    ...lines,
    ...more,
  ].join('\n');
}

const ticketSchema = z.object({ id: z.number().int(), closedFlag: z.boolean().nullish(), board: z.object({ id: z.number().int() }).loose().nullish() }).loose();
const statusSchema = z.object({ id: z.number().int(), name: z.string().optional(), closedStatus: z.boolean().nullish(), inactive: z.boolean().nullish() }).loose();
const boardSchema = z.object({ id: z.number().int(), name: z.string(), inactiveFlag: z.boolean().nullish() }).loose();

type Row = { ticket_id: number | null; board_id: number | null; state: string; listed_hash: string | null };

async function claim(deps: AppDeps, tenantId: string): Promise<boolean> {
  const now = deps.now();
  await deps.db.k
    .insertInto('alert_tickets')
    .values({ tenant_id: tenantId, state: 'none', listed_count: 0, refused: 0, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('tenant_id').doNothing())
    .execute();
  for (let i = 0; i < 20; i++) {
    const at = deps.now();
    const r = await deps.db.k
      .updateTable('alert_tickets')
      .set({ lease_until: new Date(at.getTime() + LEASE_MS).toISOString() })
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at.toISOString())]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) return true;
    await new Promise((res) => setTimeout(res, 250));
  }
  return false;
}

async function closedStatusOf(cw: CwClient, boardId: number): Promise<number> {
  const statuses = await cw.list(`service/boards/${boardId}/statuses`, statusSchema, { query: { conditions: 'closedStatus=true', orderBy: 'sortOrder asc' }, maxPages: 2 });
  const s = statuses.find((x) => !x.inactive);
  if (!s) throw new CwError(409, 'alert_no_closed_status', `ConnectWise board ${boardId} has no closed status to close the alert ticket with.`, 200);
  return s.id;
}

/** Opens, updates or closes the tenant's alert ticket to match the records needing attention now. Never throws. */
export async function refreshAlert(deps: AppDeps, tenantId: string): Promise<AlertOutcome> {
  let boardId: number | null;
  try {
    boardId = (await loadTenantSettings(deps.db, tenantId)).alerts.boardId;
  } catch {
    return 'none';
  }
  if (boardId === null) return 'off';
  try {
    if (!(await claim(deps, tenantId))) return 'busy';
  } catch {
    return 'busy';
  }
  const store = async (set: Partial<Row> & { listed_count?: number; last_outcome: string; refused?: number }) => {
    const at = deps.now().toISOString();
    await deps.db.k.updateTable('alert_tickets').set({ ...set, refused: set.refused ?? 0, checked_at: at, updated_at: at, lease_until: null }).where('tenant_id', '=', tenantId).execute();
  };
  try {
    const row = (await deps.db.k.selectFrom('alert_tickets').select(['ticket_id', 'board_id', 'state', 'listed_hash']).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()) as Row;
    const records = await recordsNeedingAttention(deps, tenantId);
    const hash = listedHash(records);
    const cw = await cwClientForTenant(deps, tenantId);
    // The ticket we opened, if it is still open in ConnectWise (a person may have closed or deleted it).
    let open: z.infer<typeof ticketSchema> | null = null;
    if (row.state === 'open' && row.ticket_id !== null) {
      try {
        open = await cw.get(`service/tickets/${row.ticket_id}`, ticketSchema, { what: `alert ticket ${row.ticket_id}` });
      } catch (err) {
        if (!(err instanceof CwError && err.cwStatus === 404)) throw err;
      }
      if (open?.closedFlag) open = null;
    }
    if (records.length === 0) {
      if (!open) {
        await store({ state: row.state === 'open' ? 'closed' : row.state, listed_hash: null, listed_count: 0, last_outcome: row.state === 'open' ? `Ticket #${row.ticket_id} was closed in ConnectWise; nothing needs attention now.` : 'Nothing needs attention.' });
        return 'none';
      }
      const closedStatus = await closedStatusOf(cw, open.board?.id ?? row.board_id ?? boardId);
      await cw.post(`service/tickets/${open.id}/notes`, { text: `${SUMMARY_PREFIX}: every record listed here is fixed (${deps.now().toISOString()}). Closing.`, resolutionFlag: true }, z.unknown());
      await cw.patch(`service/tickets/${open.id}`, [{ op: 'replace', path: 'status', value: { id: closedStatus } }], ticketSchema);
      await store({ state: 'closed', listed_hash: null, listed_count: 0, last_outcome: `Closed ticket #${open.id}: nothing needs attention.` });
      return 'closed';
    }
    if (open) {
      if (row.listed_hash === hash && (open.board?.id ?? row.board_id) === boardId) {
        await store({ last_outcome: `Ticket #${open.id} lists ${records.length} record${records.length === 1 ? '' : 's'}; unchanged.`, listed_count: records.length });
        return 'unchanged';
      }
      const ops: { op: 'replace'; path: string; value: unknown }[] = [{ op: 'replace', path: 'summary', value: ticketSummary(records.length) }];
      if (open.board?.id !== boardId) ops.push({ op: 'replace', path: 'board', value: { id: boardId } });
      await cw.patch(`service/tickets/${open.id}`, ops, ticketSchema);
      await cw.post(`service/tickets/${open.id}/notes`, { text: ticketText(records, deps.now()), detailDescriptionFlag: true }, z.unknown());
      await store({ board_id: boardId, listed_hash: hash, listed_count: records.length, last_outcome: `Updated ticket #${open.id}: now ${records.length} record${records.length === 1 ? '' : 's'}.` });
      return 'updated';
    }
    const created = await cw.post(
      'service/tickets',
      { summary: ticketSummary(records.length), board: { id: boardId }, company: { identifier: tenantId }, recordType: 'ServiceTicket', initialDescription: ticketText(records, deps.now()) },
      ticketSchema,
    );
    await store({ ticket_id: created.id, board_id: boardId, state: 'open', listed_hash: hash, listed_count: records.length, last_outcome: `Opened ticket #${created.id} listing ${records.length} record${records.length === 1 ? '' : 's'}.` });
    return 'opened';
  } catch (err) {
    const words =
      err instanceof CwError
        ? err.cwStatus === 403
          ? 'ConnectWise refused the alert ticket (403): give the API member Service Desk › Service Tickets (add, edit, inquire) in its security role.'
          : `ConnectWise did not take the alert ticket (${err.cwStatus || 'no answer'}): ${err.message}`.slice(0, 400)
        : 'The alert ticket could not be updated (internal error); the next run or scan tries again.';
    if (deps.config.logLevel !== 'silent') console.warn(`[alerts] tenant ${tenantId}: ${words.slice(0, 200)}`);
    await store({ last_outcome: words, refused: 1 }).catch(() => undefined);
    return 'refused';
  }
}

/** The Alerts card: the chosen board, the boards to choose from (live from ConnectWise) and the ticket's state. */
/**
 * Settings' check of the board an admin chose, before it is saved: ConnectWise
 * has it and it is active (an alert ticket could not be opened on any other).
 */
export async function requireAlertBoard(deps: AppDeps, tenantId: string, boardId: number): Promise<void> {
  const field = 'alerts.boardId';
  let board: z.infer<typeof boardSchema>;
  try {
    const cw = await cwClientForTenant(deps, tenantId);
    board = await cw.get(`service/boards/${boardId}`, boardSchema, { what: `service board ${boardId}` });
  } catch (err) {
    if (err instanceof CwError && err.cwStatus === 404) throw new ApiError(400, 'invalid_input', `${field}: ConnectWise has no service board ${boardId}; choose one of the boards the Alerts card lists`, field);
    if (err instanceof CwError && err.cwStatus === 403) {
      throw new ApiError(400, 'invalid_input', `${field}: ConnectWise refused to read service board ${boardId} (403); give the API member Service Desk › Service Board access in its security role`, field);
    }
    throw new ApiError(503, 'cw_unavailable', `${field}: the board cannot be checked now, as ConnectWise did not answer; try again`, field);
  }
  if (board.inactiveFlag) throw new ApiError(400, 'invalid_input', `${field}: the service board "${board.name}" is inactive in ConnectWise; choose an active board`, field);
}

export async function alertStatus(deps: AppDeps, tenantId: string): Promise<AlertStatusView> {
  const settings = await loadTenantSettings(deps.db, tenantId);
  const row = await deps.db.k.selectFrom('alert_tickets').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
  let boards: AlertStatusView['boards'] = [];
  let boardsError: string | undefined;
  try {
    const cw = await cwClientForTenant(deps, tenantId);
    boards = (await cw.list('service/boards', boardSchema, { query: { conditions: 'inactiveFlag=false', orderBy: 'name asc', fields: 'id,name,inactiveFlag' }, maxPages: 5 })).map((b) => ({ id: b.id, name: b.name }));
  } catch (err) {
    boardsError =
      err instanceof CwError && err.cwStatus === 403
        ? 'ConnectWise refused to list service boards (403): give the API member Service Desk › Service Board access in its security role.'
        : 'ConnectWise did not list the service boards; try again.';
  }
  const state = row?.state === 'open' || row?.state === 'closed' ? row.state : 'none';
  return {
    boardId: settings.alerts.boardId,
    boards,
    ...(boardsError ? { boardsError } : {}),
    ticket: {
      id: row?.ticket_id ?? null,
      state,
      records: state === 'open' ? (row?.listed_count ?? 0) : 0,
      lastOutcome: row?.last_outcome ?? null,
      lastCheckedAt: row?.checked_at ?? null,
      refused: row?.refused === 1,
    },
  };
}
