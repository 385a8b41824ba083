// The batch pod's Expenses tab over HTTP (issue 10): ConnectWise's unposted
// expenses grouped by report with readiness (ready, held until approved with
// the reason, in Xero already), and runs of reports through the same run
// tables and engine as invoice runs: every ready report at once, read back
// from Xero with xero-node to the cent and exactly once; "Retry failed" after
// Xero refused a bill; Cancel while a run is in Xero's contact step; only
// admins start, retry or cancel an expense run.
import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { batchRunView, type BatchRunView } from '../../shared/api.js';
import { batchExpensesResponse, expenseReportView, type BatchExpenseRow } from '../../shared/expense-api.js';
import { XeroRefused } from '../../server/engine/errors.js';
import type { XeroEnginePort } from '../../server/engine/ports.js';
import { atRestText } from '../support/at-rest.js';
import { setEngineFaults } from '../support/engine-faults.js';
import { http } from '../support/stack.js';
import { AU_ORG, signIn, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;
let admin: string;

const list = async (token = admin) => {
  const r = await http(`${s.server.url}/api/batch/expenses`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return batchExpensesResponse.parse(r.body);
};
const row = (rows: BatchExpenseRow[], id: number) => rows.find((r) => r.reportId === id);
const tabView = async (id: number) => {
  const r = await http(`${s.server.url}/api/expenses/reports/${id}/sync`, { token: admin });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return expenseReportView.parse(r.body);
};
const start = (json: unknown, token = admin) => http(`${s.server.url}/api/batch/runs`, { token, json });
const runOf = async (id: string, token = admin): Promise<BatchRunView> => {
  const r = await http(`${s.server.url}/api/batch/runs/${id}?limit=1000`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return batchRunView.parse(r.body);
};
/** Polls the run until it has stopped (a bound, not a count: the machine may be busy). */
const settled = async (id: string): Promise<BatchRunView> => {
  const until = Date.now() + 60_000;
  for (;;) {
    const v = await runOf(id);
    if (v.status === 'done' || v.status === 'cancelled') return v;
    if (Date.now() > until) throw new Error(`run ${id} still ${v.status}: ${JSON.stringify(v.counts)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};
/** Xero's bills (ACCPAY) under a number, not deleted. */
const bills = async (number: string) => {
  const api = await s.xeroApi(AU_ORG);
  const r = await api.getInvoices(AU_ORG, undefined, undefined, undefined, undefined, [number]);
  return (r.body.invoices ?? []).filter((i) => i.invoiceNumber === number && String(i.status) !== 'DELETED' && String(i.type) === 'ACCPAY');
};
const billCredits = async (number: string) => {
  const api = await s.xeroApi(AU_ORG);
  const r = await api.getCreditNotes(AU_ORG, undefined, `CreditNoteNumber=="${number}"`);
  return (r.body.creditNotes ?? []).filter((n) => n.creditNoteNumber === number && String(n.status) !== 'DELETED');
};
const approve = async (reportId: number, approvalType: 'Tier1Update' | 'Tier2Update') => s.cwPost(`expense/reports/${reportId}/approve`, { approvalType });
const money = (v: unknown) => new Decimal(String(v ?? 0)).toFixed(2);

beforeAll(async () => {
  s = await startSyncStack();
  admin = await signIn(s, 'admin');
  // As tests/expenses/expense-push.test.ts: the card clearing account for ConnectWise's offset account 091, and Wise-Pay for tech's Company Visa.
  const r = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { invoiceMapping: { accountMap: { '091': '805' } }, expenses: { wisePay: true, wisePayAccounts: { tech: { '2': '091' } }, inputTaxMap: { NZGST: 'BASEXCLUDED' } } } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}, 60_000);
afterAll(async () => {
  await s?.close();
});
beforeEach(() => setEngineFaults(s.server.deps, undefined));

describe('the Expenses tab of the batch pod over HTTP', () => {
  it('lists unposted expenses by report: member, dates, entries, totals per currency, and readiness with the reason', async () => {
    const l = await list();
    // 2002 waits for approval and 2003 for its second tier: ConnectWise does not list them as unposted.
    expect(l.items.map((r) => r.reportId)).toEqual([2001, 2004, 2005]);
    expect([l.mayRun, l.whoCanRun]).toEqual([true, null]);
    const r2001 = row(l.items, 2001)!;
    expect(r2001).toMatchObject({ member: { identifier: 'tech' }, status: 'ApprovedByTierTwo', dateStart: '2026-04-27', dateEnd: '2026-05-10', entryCount: 5, readiness: 'ready', problem: null });
    expect(r2001.member.name).not.toBe('');
    // ConnectWise's entries: 55.00 + 38.50 + 129.80 + 24.00 in AUD, the Auckland hotel in NZD.
    expect(r2001.totals).toEqual([
      { currency: 'AUD', total: '247.30' },
      { currency: 'NZD', total: '210.00' },
    ]);
    expect(row(l.items, 2005)).toMatchObject({ readiness: 'ready', entryCount: 2, totals: [{ currency: 'AUD', total: '170.00' }] });
    // On a ticket that bills unapproved expenses: in ConnectWise's unposted list before approval, held all the
    // same, and it says why and where.
    const held = row(l.items, 2004)!;
    expect(held).toMatchObject({ readiness: 'held', entryCount: 1, member: { identifier: 'admin' }, problem: { code: 'expense-not-approved' } });
    expect(held.problem!.message).toMatch(/not approved yet \(Open\)/);
    expect(held.problem!.where).toMatch(/Expense approvals/);
    expect(held.totals).toEqual([{ currency: 'AUD', total: '14.20' }]);
  });

  it('a member who may not push sees the list but may not start, retry or cancel an expense run', async () => {
    const technician = await signIn(s, 'tech'); // a Technician may not push (permission.ts)
    const l = await list(technician);
    expect(l.mayRun).toBe(false);
    expect(l.whoCanRun).toMatch(/Finance/);
    const r = await start({ kind: 'expense', all: true }, technician);
    expect(r.status, JSON.stringify(r.body)).toBe(403);
    expect(r.body.error.code).toBe('not_allowed_to_push');
    expect(await bills('ER-2001-AUD')).toEqual([]);
  });

  it('refuses a bad request naming the field', async () => {
    for (const [json, field] of [
      [{ kind: 'expense' }, 'reportIds'],
      [{ kind: 'expense', reportIds: [] }, 'reportIds'],
      [{ kind: 'expense', reportIds: ['x'] }, 'reportIds.0'],
      [{ kind: 'expense', reportIds: [2001], all: true }, 'reportIds'],
      [{ kind: 'expense', glEntryIds: [1] }, 'body'],
      [{ kind: 'receipt', all: true }, 'kind'],
    ] as const) {
      const r = await start(json);
      expect(r.status, JSON.stringify(json)).toBe(400);
      expect(r.body.error.field, JSON.stringify(r.body)).toBe(field);
    }
    const gone = await start({ kind: 'expense', reportIds: [2002] });
    expect(gone.status).toBe(409);
    expect(gone.body.error.field).toBe('reportIds');
  });

  it('"Sync all ready" pushes each ready report once: its bills in Xero to the cent, the Wise-Pay payment once, the held ones untouched', async () => {
    const preview2001 = await tabView(2001);
    const preview2005 = await tabView(2005);
    const r = await start({ kind: 'expense', all: true });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const started = batchRunView.parse(r.body);
    expect(started.kind).toBe('expense');
    expect(started.items.map((i) => i.cwInvoiceId).sort()).toEqual([2001, 2005]);

    const v = await settled(started.id);
    expect(v.status).toBe('done');
    expect(v.counts).toEqual({ total: 2, done: 2, failed: 0, remaining: 0, cancelled: 0 });
    const item2001 = v.items.find((i) => i.cwInvoiceId === 2001)!;
    expect(item2001.state).toBe('synced');
    expect(item2001.documents!.map((d) => d.number).sort()).toEqual(['ER-2001-AUD', 'ER-2001-NZD']);
    for (const d of item2001.documents!) expect(d.url).toMatch(/\/AccountsPayable\/View\.aspx\?InvoiceID=[0-9a-f-]{36}$/);
    const item2005 = v.items.find((i) => i.cwInvoiceId === 2005)!;
    expect(item2005.documents!.map((d) => d.number)).toEqual(['ER-2005']);
    expect(item2005.xero!.url).toMatch(/\/AccountsPayable\/ViewCreditNote\.aspx\?creditNoteID=/);

    // Xero holds each bill exactly once, to the cent of what the report's tab previewed.
    for (const b of preview2001.bills) {
      const found = await bills(b.number);
      expect(found.length, b.number).toBe(1);
      expect(money(found[0]!.total), b.number).toBe(b.total);
      expect(money(found[0]!.subTotal), b.number).toBe(b.subtotal);
      expect(money(found[0]!.totalTax), b.number).toBe(b.tax);
      expect(String(found[0]!.currencyCode)).toBe(b.currency);
      expect(money(found[0]!.amountDue), b.number).toBe(b.amountDue);
    }
    const aud = (await bills('ER-2001-AUD'))[0]!;
    const full = (await (await s.xeroApi(AU_ORG)).getInvoice(AU_ORG, aud.invoiceID!)).body.invoices![0]!;
    const payments = (full.payments ?? []).filter((p) => String(p.status ?? 'AUTHORISED') !== 'DELETED');
    expect(payments.map((p) => money(p.amount))).toEqual([preview2001.bills.find((b) => b.number === 'ER-2001-AUD')!.payments[0]!.amount]);
    const credit = await billCredits('ER-2005');
    expect(credit.map((n) => [String(n.type), money(n.total)])).toEqual([['ACCPAYCREDIT', new Decimal(preview2005.bills[0]!.total).abs().toFixed(2)]]);
    // Held reports were not pushed.
    expect(await bills('ER-2003')).toEqual([]);
    expect(await bills('ER-2004')).toEqual([]);

    // ConnectWise posted the pushed reports: the list no longer has them; the held ones stay.
    expect((await list()).items.map((x) => [x.reportId, x.readiness])).toEqual([[2004, 'held']]);
    // The run's rows keep ids, states and codes: no amounts, names or line text.
    const rows = await s.server.deps.db.k.selectFrom('bulk_run_items').selectAll().where('run_id', '=', started.id).execute();
    const text = atRestText(rows);
    for (const secret of ['247.30', '210.00', '129.80', 'Taxi', 'Harbour Dental', preview2001.report.member.name]) expect(text).not.toContain(secret);
    // The latest expense run is this one; the invoices tab's latest is not an expense run.
    const latest = await http(`${s.server.url}/api/batch/runs/latest?kind=expense`, { token: admin });
    expect(latest.body.run.id).toBe(started.id);
    const latestInvoices = await http(`${s.server.url}/api/batch/runs/latest`, { token: admin });
    expect(latestInvoices.body.run).toBeNull();
  }, 90_000);

  it('a held report selected anyway is reported held by its run, not pushed', async () => {
    const r = await start({ kind: 'expense', reportIds: [2004] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const v = await settled(batchRunView.parse(r.body).id);
    expect(v.status).toBe('done');
    expect(v.counts).toMatchObject({ total: 1, done: 0, failed: 1 });
    expect(v.items[0]).toMatchObject({ cwInvoiceId: 2004, state: 'needs_attention', problem: { code: 'expense-not-approved' }, xero: null });
    expect(v.items[0]!.problem!.where).toMatch(/Expense approvals/);
    expect(await bills('ER-2004')).toEqual([]);
  }, 60_000);

  it('"Retry failed" after Xero refused a bill pushes it once', async () => {
    await approve(2003, 'Tier2Update');
    const before = await list();
    expect(row(before.items, 2003)?.readiness).toBe('ready');
    const preview = await tabView(2003);
    let refusals = 1;
    setEngineFaults(s.server.deps, {
      xero: (port: XeroEnginePort): XeroEnginePort => ({
        ...port,
        createDocuments: async (...a) => {
          if (refusals-- > 0) throw new XeroRefused(400, { Message: 'A validation exception occurred', Elements: [{ ValidationErrors: [{ Message: 'The simulated refusal of this bill' }] }] }, 'bill create');
          return port.createDocuments(...a);
        },
      }),
    });
    const r = await start({ kind: 'expense', reportIds: [2003] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const id = batchRunView.parse(r.body).id;
    const failed = await settled(id);
    expect(failed.counts).toMatchObject({ total: 1, done: 0, failed: 1 });
    const item = failed.items[0]!;
    expect(item.state).toBe('needs_attention');
    expect(item.problem?.code).toBe('xero_validation');
    // Xero's own words while this server holds them, led by the bill's number.
    expect(item.problem?.message).toMatch(/^ER-2003: .*simulated refusal/);
    expect(await bills('ER-2003')).toEqual([]);
    // Stored: the code and a fixed sentence, never Xero's words.
    const stored = await s.server.deps.db.k.selectFrom('bulk_run_items').select(['error_code', 'error_message']).where('run_id', '=', id).execute();
    expect(stored[0]!.error_code).toBe('xero_validation');
    expect(stored[0]!.error_message).not.toMatch(/simulated/);

    // Only an admin retries an expense run.
    const technician = await signIn(s, 'tech'); // a Technician may not push (permission.ts)
    expect((await http(`${s.server.url}/api/batch/runs/${id}/retry`, { method: 'POST', token: technician, json: {} })).status).toBe(403);
    const retried = await http(`${s.server.url}/api/batch/runs/${id}/retry`, { method: 'POST', token: admin, json: {} });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    const done = await settled(id);
    expect(done.status).toBe('done');
    expect(done.counts).toEqual({ total: 1, done: 1, failed: 0, remaining: 0, cancelled: 0 });
    expect(done.items[0]!.documents!.map((d) => d.number)).toEqual(['ER-2003']);
    const found = await bills('ER-2003');
    expect(found.length).toBe(1);
    expect(money(found[0]!.total)).toBe(preview.bills[0]!.total);
  }, 90_000);

  it('Cancel stops a run before its bills are made: the reports not yet pushed are cancelled, nothing half-written', async () => {
    // Two more reports become ready: 2002 (pending) and 2004 (open, on a ticket that bills unapproved expenses).
    await approve(2002, 'Tier1Update');
    await approve(2002, 'Tier2Update');
    await s.cwPost('expense/reports/2004/submit', {});
    await approve(2004, 'Tier1Update');
    await approve(2004, 'Tier2Update');
    const l = await list();
    expect(l.items.map((x) => [x.reportId, x.readiness])).toEqual([
      [2002, 'ready'],
      [2004, 'ready'],
    ]);
    // The run waits in Xero's contact step until the test lets it go.
    let reached!: () => void;
    const inContacts = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    setEngineFaults(s.server.deps, {
      xero: (port: XeroEnginePort): XeroEnginePort => ({
        ...port,
        getContacts: async (...a) => {
          reached();
          await gate;
          return port.getContacts(...a);
        },
        findContactCandidates: async (...a) => {
          reached();
          await gate;
          return port.findContactCandidates(...a);
        },
      }),
    });
    const r = await start({ kind: 'expense', all: true });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const id = batchRunView.parse(r.body).id;
    await inContacts;
    const technician = await signIn(s, 'tech'); // a Technician may not push (permission.ts)
    expect((await http(`${s.server.url}/api/batch/runs/${id}/cancel`, { method: 'POST', token: technician, json: {} })).status).toBe(403);
    const cancelling = await http(`${s.server.url}/api/batch/runs/${id}/cancel`, { method: 'POST', token: admin, json: {} });
    expect(cancelling.status, JSON.stringify(cancelling.body)).toBe(200);
    expect(batchRunView.parse(cancelling.body).status).toBe('cancelling');
    release();
    const v = await settled(id);
    expect(v.status).toBe('cancelled');
    expect(v.counts).toEqual({ total: 2, done: 0, failed: 0, remaining: 0, cancelled: 2 });
    expect(await bills('ER-2002')).toEqual([]);
    expect(await bills('ER-2004')).toEqual([]);
    // Still unposted and ready: a later run pushes them.
    setEngineFaults(s.server.deps, undefined);
    const again = await start({ kind: 'expense', reportIds: [2002, 2004] });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const done = await settled(batchRunView.parse(again.body).id);
    expect(done.counts).toMatchObject({ total: 2, done: 2 });
    expect((await bills('ER-2002')).length).toBe(1);
    expect((await bills('ER-2004')).length).toBe(1);
  }, 90_000);
});
