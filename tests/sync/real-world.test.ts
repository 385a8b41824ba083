// Issue 9 over HTTP with what real ConnectWise databases hold (the simulator's
// "real-world" scenario): products with ids longer than Xero's 30-character
// item code, companies sharing a name, companies without contacts, a product
// with no GL account, a credit memo for a returned part. Each rule is decided
// once, the same way on the dialog's push and in a run.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../bulk/harness.js';
import { waitForRun } from '../bulk/checks.js';
import { AU_ORG, startSyncStack, xeroCreditNotesByNumber, xeroInvoicesByNumber, type SyncStack } from './helpers.js';

let s: SyncStack;
beforeAll(async () => {
  s = await startSyncStack();
  const r = await fetch(`${s.cw.url}/__sim/scenario`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ preset: 'real-world' }) });
  expect(r.status).toBe(200);
}, 60_000);
afterAll(async () => s?.close());

const gl = (invoiceId: number) => 5000 + (invoiceId - 1000);

async function run(glEntryIds: number[]) {
  const r = await api(s.server.url, s.token, 'POST', '/api/batch/runs', { glEntryIds });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return waitForRun(s.server.url, s.token, r.body.id, (v) => v.status === 'done', 60_000);
}

const codesOf = (v: { problems: { code: string }[] }) => v.problems.map((p) => p.code);

it('a run pushes long product ids as distinct item codes, and a credit memo for a returned part keeps its own words and is allocated', async () => {
  const v = await run([gl(1105), gl(1101)]);
  expect(v.counts, JSON.stringify(v.items)).toMatchObject({ total: 2, done: 2, failed: 0 });
  const x = await s.xeroApi(AU_ORG);
  const [inv] = await xeroInvoicesByNumber(x, AU_ORG, 'INV-1101');
  const full = (await x.getInvoice(AU_ORG, inv!.invoiceID!)).body.invoices![0]!;
  const codes = (full.lineItems ?? []).map((l) => l.itemCode).filter((c): c is string => !!c);
  expect(codes).toHaveLength(2);
  expect(new Set(codes).size).toBe(2);
  for (const c of codes) expect(c.length).toBeLessThanOrEqual(30);
  // The dialog's preview (what a single push sends) names the very same items: one rule on both paths.
  const v1101 = await s.view(1101);
  expect(v1101.body.preview.lines.map((l: { itemCode: string | null }) => l.itemCode).filter(Boolean)).toEqual(codes);
  const [note] = await xeroCreditNotesByNumber(x, AU_ORG, 'CM-1105');
  const cn = (await x.getCreditNote(AU_ORG, note!.creditNoteID!)).body.creditNotes![0]!;
  expect(cn.lineItems?.[0]?.description).toMatch(/^Returned: HPE 800 W PSU \(serial 5WQ81C\)/);
  expect(cn.allocations?.map((a) => a.invoice?.invoiceID)).toEqual([inv!.invoiceID]);
});

it("a customer whose name is another ConnectWise company's Xero contact needs attention, the same on both paths", async () => {
  // 1101's company (HarbourDentalNth) now owns the Xero contact "Harbour Dental Group"; the seed's HarbourDental shares the name.
  const v = await s.view(1001);
  expect(v.body.chip).toBe('needs_attention');
  expect(codesOf(v.body)).toContain('contact-name-taken');
  const p = await s.push(1001);
  expect(p.body.outcome).toBe('needs_attention');
  expect(p.body.view.problems[0].code).toBe('contact-name-taken');
  // Two new Coastal Veterinary Clinics in one run: decided one after the other, as two pushes would be —
  // the first gets the name, the second is refused (not a Xero refusal of a duplicate name).
  const r = await run([gl(1102), gl(1103)]);
  const byId = new Map(r.items.map((i: { cwInvoiceId: number }) => [i.cwInvoiceId, i]));
  expect(byId.get(1102)).toMatchObject({ state: 'synced' });
  expect(byId.get(1103)).toMatchObject({ state: 'needs_attention', problem: { code: 'contact-name-taken' } });
  expect(codesOf((await s.view(1103)).body)).toContain('contact-name-taken');
  const x = await s.xeroApi(AU_ORG);
  expect((await x.getContacts(AU_ORG, undefined, 'Name=="Coastal Veterinary Clinic"')).body.contacts).toHaveLength(1);
});

it('a product whose GL mapping has no account blocks with the same problem in the dialog and the run, and nothing reaches Xero', async () => {
  const v = await s.view(1104);
  expect(v.body.chip).toBe('needs_attention');
  const code = v.body.problems[0].code;
  const r = await run([gl(1104)]);
  expect(r.items[0]).toMatchObject({ state: 'needs_attention', problem: { code } });
  expect(await xeroInvoicesByNumber(await s.xeroApi(AU_ORG), AU_ORG, 'INV-1104')).toHaveLength(0);
});
