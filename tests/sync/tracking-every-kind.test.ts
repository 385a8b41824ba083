// Xero tracking on every line of every document kind, through the one engine
// over HTTP, read back from the Xero simulator with xero-node: invoices, credit
// notes, cost-of-sale journals, expense bills, purchase bills and inventory
// journals each carry the option the organisation's rules map the ConnectWise
// billing location to. A value with no mapped option blocks, naming the fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualJournal } from 'xero-node';
import { batchRunView, type BatchRunView } from '../../shared/api.js';
import { trackingChoicesResponse } from '../../shared/tracking-choices.js';
import { http } from '../support/stack.js';
import { AU_ORG, NZ_ORG, signIn, startSyncStack, xeroCreditNotesByNumber, xeroInvoicesByNumber, type SyncStack } from './helpers.js';

let s: SyncStack;
let admin: string;

const region = (options: Record<string, string>) => [{ source: 'location', categoryName: 'Region', options }];
const putSettings = async (json: unknown) => {
  const r = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};
const SYDNEY = [{ name: 'Region', option: 'Sydney' }];
const tracked = (lines: { tracking?: { name?: string; option?: string }[] }[] | undefined) => (lines ?? []).map((l) => (l.tracking ?? []).map((t) => ({ name: t.name, option: t.option })));

async function journals(reference: string, org = AU_ORG): Promise<ManualJournal[]> {
  const api = await s.xeroApi(org);
  const r = await api.getManualJournals(org, undefined, `Narration.Contains("[${reference}]")`);
  const out: ManualJournal[] = [];
  for (const j of (r.body.manualJournals ?? []).filter((x) => String(x.status) !== 'DELETED')) out.push((await api.getManualJournal(org, j.manualJournalID!)).body.manualJournals![0]!);
  return out;
}
async function bill(org: string, number: string) {
  const api = await s.xeroApi(org);
  const found = (await api.getInvoices(org, undefined, undefined, undefined, undefined, [number])).body.invoices ?? [];
  const one = found.filter((i) => String(i.type) === 'ACCPAY' && String(i.status) !== 'DELETED');
  expect(one, number).toHaveLength(1);
  return (await api.getInvoice(org, one[0]!.invoiceID!)).body.invoices![0]!;
}

beforeAll(async () => {
  s = await startSyncStack();
  admin = await signIn(s, 'admin');
  // Each organisation its own rule: billing location → its "Region" option.
  await putSettings({
    invoiceMapping: { accountMap: { '091': '805' }, trackingByOrganisation: { [AU_ORG]: region({ '1': 'Sydney' }), [NZ_ORG]: region({ '2': 'Auckland' }) } },
    expenses: { wisePay: true, wisePayAccounts: { tech: { '2': '091' } }, inputTaxMap: { NZGST: 'BASEXCLUDED' } },
  });
}, 60_000);
afterAll(async () => {
  await s?.close();
});

describe('tracking on every line of every document kind', () => {
  it('an invoice and its cost-of-sale journal (Sydney → AU organisation)', async () => {
    const p = await s.push(1002);
    expect(p.body.outcome, JSON.stringify(p.body)).toBe('synced');
    const api = await s.xeroApi(AU_ORG);
    const inv = (await api.getInvoice(AU_ORG, (await xeroInvoicesByNumber(api, AU_ORG, 'INV-1002'))[0]!.invoiceID!)).body.invoices![0]!;
    expect(inv.lineItems!.length).toBeGreaterThan(1);
    expect(tracked(inv.lineItems)).toEqual(inv.lineItems!.map(() => SYDNEY));
    const [cogs] = await journals('cwx:cogs:5002');
    expect(cogs!.journalLines!.length).toBe(6);
    expect(tracked(cogs!.journalLines)).toEqual(cogs!.journalLines!.map(() => SYDNEY));
  });

  it('a credit note', async () => {
    const p = await s.push(1004);
    expect(p.body.outcome, JSON.stringify(p.body)).toBe('synced');
    const api = await s.xeroApi(AU_ORG);
    const note = (await api.getCreditNote(AU_ORG, (await xeroCreditNotesByNumber(api, AU_ORG, 'CM-1004'))[0]!.creditNoteID!)).body.creditNotes![0]!;
    expect(tracked(note.lineItems)).toEqual(note.lineItems!.map(() => SYDNEY));
  });

  it('the other organisation uses its own rule (Auckland → NZ organisation)', async () => {
    const p = await s.push(1006);
    expect(p.body.outcome, JSON.stringify(p.body)).toBe('synced');
    const api = await s.xeroApi(NZ_ORG);
    const inv = (await api.getInvoice(NZ_ORG, (await xeroInvoicesByNumber(api, NZ_ORG, 'INV-1006'))[0]!.invoiceID!)).body.invoices![0]!;
    expect(tracked(inv.lineItems)).toEqual(inv.lineItems!.map(() => [{ name: 'Region', option: 'Auckland' }]));
  });

  it('an expense bill', async () => {
    const r = await http(`${s.server.url}/api/expenses/reports/2001/push`, { method: 'POST', token: admin });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const b = await bill(AU_ORG, 'ER-2001-AUD');
    expect(b.lineItems!.length).toBeGreaterThan(1);
    expect(tracked(b.lineItems)).toEqual(b.lineItems!.map(() => SYDNEY));
  });

  it('a purchase bill, freight line included', async () => {
    const r = await http(`${s.server.url}/api/purchaseorders/3001/push`, { method: 'POST', token: admin });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const b = await bill(AU_ORG, 'IM-558812');
    expect(b.lineItems).toHaveLength(4);
    expect(tracked(b.lineItems)).toEqual(b.lineItems!.map(() => SYDNEY));
  });

  it('inventory adjustment and transfer journals', async () => {
    const started = await http(`${s.server.url}/api/batch/runs`, { token: admin, json: { kind: 'procurement', keys: ['adj-7201', 'xfer-7301'] } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const until = Date.now() + 60_000;
    let v: BatchRunView;
    for (;;) {
      v = batchRunView.parse((await http(`${s.server.url}/api/batch/runs/${started.body.id}?limit=1000`, { token: admin })).body);
      if (v.status === 'done' || v.status === 'cancelled') break;
      if (Date.now() > until) throw new Error(`run still ${v.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(v.counts, JSON.stringify(v.items)).toMatchObject({ total: 2, done: 2 });
    for (const ref of ['cwx:adj:7201', 'cwx:xfer:7301']) {
      const [j] = await journals(ref);
      expect(j!.journalLines!.length, ref).toBe(2);
      expect(tracked(j!.journalLines), ref).toEqual([SYDNEY, SYDNEY]);
    }
  });
});

describe('a value with no mapped option', () => {
  it('blocks the push, naming the value and where to map it; nothing is created', async () => {
    await putSettings({ invoiceMapping: { trackingByOrganisation: { [AU_ORG]: region({ '2': 'Sydney' }), [NZ_ORG]: region({ '2': 'Auckland' }) } } });
    const v = await s.view(1003);
    expect(v.body.canPush).toBe(false);
    const problem = (v.body.problems as { code: string; message: string; where?: string }[]).find((p) => p.code === 'tracking-unmapped');
    expect(problem?.message).toMatch(/billing location "1".*"Region"/);
    expect(problem?.where).toMatch(/Tracking/);
    const p = await s.push(1003);
    expect(p.body.outcome).toBe('needs_attention');
    const api = await s.xeroApi(AU_ORG);
    expect(await xeroInvoicesByNumber(api, AU_ORG, 'INV-1003')).toHaveLength(0);
  });
});

describe('options created from the settings', () => {
  it('lists each organisation’s categories and ConnectWise’s locations; an admin creates a missing option through xero-node, and lines can use it at once', async () => {
    const r = await http(`${s.server.url}/api/settings/tracking-choices`, { token: admin });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const choices = trackingChoicesResponse.parse(r.body);
    expect(choices.locations).toEqual([{ id: 1, name: 'Sydney' }, { id: 2, name: 'Auckland' }]);
    const au = choices.organisations.find((o) => o.xeroTenantId === AU_ORG)!;
    const regionCat = au.categories.find((c) => c.name === 'Region')!;
    expect(regionCat.options.map((o) => o.name)).toEqual(['Sydney', 'Melbourne', 'Brisbane']);

    const created = await http(`${s.server.url}/api/settings/tracking-options`, { token: admin, json: { xeroTenantId: AU_ORG, categoryId: regionCat.id, name: 'Darwin' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.option).toEqual({ name: 'Darwin', status: 'ACTIVE' });
    const api = await s.xeroApi(AU_ORG);
    const cats = (await api.getTrackingCategories(AU_ORG)).body.trackingCategories!;
    expect(cats.find((c) => c.name === 'Region')!.options!.map((o) => o.name)).toContain('Darwin');
    expect(cats).toHaveLength(2);

    await putSettings({ invoiceMapping: { trackingByOrganisation: { [AU_ORG]: region({ '1': 'Darwin' }), [NZ_ORG]: region({ '2': 'Auckland' }) } } });
    const p = await s.push(1005);
    expect(p.body.outcome, JSON.stringify(p.body)).toBe('synced');
    const inv = (await api.getInvoice(AU_ORG, (await xeroInvoicesByNumber(api, AU_ORG, 'INV-1005'))[0]!.invoiceID!)).body.invoices![0]!;
    expect(tracked(inv.lineItems)).toEqual(inv.lineItems!.map(() => [{ name: 'Region', option: 'Darwin' }]));
  });

  it('refuses a name the category has (any case), bad input naming the field, and a member who is not an admin', async () => {
    const au = trackingChoicesResponse.parse((await http(`${s.server.url}/api/settings/tracking-choices`, { token: admin })).body).organisations.find((o) => o.xeroTenantId === AU_ORG)!;
    const categoryId = au.categories.find((c) => c.name === 'Region')!.id;
    const post = (json: unknown, token = admin) => http(`${s.server.url}/api/settings/tracking-options`, { token, json });
    const dup = await post({ xeroTenantId: AU_ORG, categoryId, name: 'sydney' });
    expect([dup.status, dup.body.error?.field]).toEqual([400, 'name']);
    expect(dup.body.error?.message).toMatch(/already has an option/);
    const empty = await post({ xeroTenantId: AU_ORG, categoryId, name: ' ' });
    expect([empty.status, empty.body.error?.field]).toEqual([400, 'name']);
    const otherOrg = await post({ xeroTenantId: 'not-ours', categoryId, name: 'Hobart' });
    expect([otherOrg.status, otherOrg.body.error?.field]).toEqual([400, 'xeroTenantId']);
    const wrongCategory = await post({ xeroTenantId: NZ_ORG, categoryId, name: 'Hobart' });
    expect([wrongCategory.status, wrongCategory.body.error?.field]).toEqual([400, 'categoryId']);
    const tech = await signIn(s, 'tech');
    expect((await post({ xeroTenantId: AU_ORG, categoryId, name: 'Hobart' }, tech)).status).toBe(403);
    const api = await s.xeroApi(AU_ORG);
    const names = (await api.getTrackingCategories(AU_ORG)).body.trackingCategories!.find((c) => c.name === 'Region')!.options!.map((o) => o.name);
    expect(names.filter((n) => n?.toLowerCase() === 'sydney')).toHaveLength(1);
    expect(names).not.toContain('Hobart');
  });
});
