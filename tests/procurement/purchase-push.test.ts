// Purchase orders → Xero bills through the one engine, over HTTP: the pod's
// view and push against both simulators, read back from Xero with xero-node.
// A full PO with freight to the cent, a partial receipt over two packing slips
// (two bills, a re-run bills nothing twice), a drop-shipped line, a warehouse
// without a Xero account (problems, nothing written), a bill of ours that the
// plan no longer makes (its receipts are not billed again), a push whose answer
// was lost after Xero made the bill converging on one bill, and a member who
// may not push.
import Decimal from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { purchaseOrderView, purchasePushResponse } from '../../shared/purchase-api.js';
import type { CwBatchPort, XeroEnginePort } from '../../server/engine/ports.js';
import type { SimPoLine } from '../../sim/connectwise/procurement/model.js';
import { setEngineFaults } from '../support/engine-faults.js';
import { http } from '../support/stack.js';
import { AU_ORG, NZ_ORG, signIn, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;
let admin: string;

const view = async (id: number, token = admin) => {
  const r = await http(`${s.server.url}/api/purchaseorders/${id}/sync`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return purchaseOrderView.parse(r.body);
};
const push = (id: number, token = admin) => http(`${s.server.url}/api/purchaseorders/${id}/push`, { method: 'POST', token });
const pushed = async (id: number) => {
  const r = await push(id);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return purchasePushResponse.parse(r.body);
};
const settings = async (procurement: Record<string, unknown>) => {
  const r = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { procurement } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};
/** Xero's bills (ACCPAY, not deleted) under this number, read in full. */
const bills = async (org: string, number: string) => {
  const api = await s.xeroApi(org);
  const r = await api.getInvoices(org, undefined, undefined, undefined, undefined, [number]);
  const found = (r.body.invoices ?? []).filter((i) => i.invoiceNumber === number && String(i.status) !== 'DELETED' && String(i.type) === 'ACCPAY');
  // unitdp=4: unit costs to four places, as the bills were sent.
  return Promise.all(found.map(async (i) => (await api.getInvoice(org, i.invoiceID!, 4)).body.invoices![0]!));
};
const money = (v: unknown) => new Decimal(String(v ?? 0)).toFixed(2);
const unpostedIds = async () => ((await s.cwGet('finance/accounting/unpostedprocurement?pageSize=1000')) as { id: number }[]).map((u) => u.id);
const poLine = (poId: number, lineId: number): SimPoLine => s.cwSim.state.procurement.purchaseOrders.find((p) => p.id === poId)!.lines.find((l) => l.id === lineId)!;

beforeAll(async () => {
  s = await startSyncStack();
  admin = await signIn(s, 'admin');
}, 60_000);
afterAll(async () => {
  await s?.close();
});
beforeEach(() => setEngineFaults(s.server.deps, undefined));

describe('the purchase-order pod over HTTP', () => {
  it('a member who may not push sees the preview read-only and is refused by the server', async () => {
    const tech = await signIn(s, 'tech');
    const v = await view(3001, tech);
    expect([v.mayPush, v.canPush]).toEqual([false, false]);
    expect(v.whoCanPush).toMatch(/Finance/);
    expect(v.bills).toHaveLength(1);
    const r = await push(3001, tech);
    expect(r.status).toBe(403);
    expect(await bills(AU_ORG, 'IM-558812')).toEqual([]);
  });

  it('a full PO on one packing slip: one bill to the cent, parts on the warehouse account, freight on its own line', async () => {
    const v = await view(3001);
    expect(v.receipts.map((r) => [r.packingSlip, r.readiness, r.lineNumbers])).toEqual([['PS-1001', 'ready', [1, 2, 3]]]);
    const b = v.bills[0]!;
    expect([b.number, b.supplier, b.date, b.dueDate, b.reference]).toEqual(['IM-558812', 'Ingram Micro Australia Pty Ltd', '2026-04-03', '2026-05-03', 'PO 3001 (2026-03-30), packing slip PS-1001']);
    expect(b.lines.map((l) => [l.kind, l.productCode, l.unit, l.quantity, l.unitPrice, l.amount, l.account, l.tax, l.warehouse])).toEqual([
      ['product', 'DELL-LAT5450', 'Each', '5', '1420.00', '7100.00', '630', 'GST on Expenses 10%', 'Sydney Warehouse'],
      ['product', 'CAT6-3M', 'Each', '40', '2.4375', '97.50', '630', 'GST on Expenses 10%', 'Sydney Warehouse'],
      ['product', 'M365-BP', 'Licence/Month', '12', '29.04', '348.48', '310', 'GST on Expenses 10%', null],
      ['freight', null, null, '1', '45.00', '45.00', '425', 'GST on Expenses 10%', null],
    ]);
    // The unit once, in its column (Xero receives it in the description).
    expect(b.lines.some((l) => l.unit && l.description.includes(`(${l.unit})`))).toBe(false);
    expect([b.subtotal, b.tax, b.total, b.connectwiseTotal, b.difference, b.totalsAgree]).toEqual(['7590.98', '759.10', '8350.08', '8350.08', '0.00', true]);
    expect(v.canPush).toBe(true);

    const res = await pushed(3001);
    expect(res.outcome, res.message).toBe('synced');
    const [bill, ...more] = await bills(AU_ORG, 'IM-558812');
    expect(more).toEqual([]);
    expect([String(bill!.status), money(bill!.subTotal), money(bill!.totalTax), money(bill!.total)]).toEqual(['AUTHORISED', '7590.98', '759.10', '8350.08']);
    expect(bill!.lineItems!.map((l) => [l.accountCode, String(l.taxType), money(l.lineAmount), money(l.taxAmount)])).toEqual([
      ['630', 'INPUT', '7100.00', '710.00'],
      ['630', 'INPUT', '97.50', '9.75'],
      ['310', 'INPUT', '348.48', '34.85'],
      ['425', 'INPUT', '45.00', '4.50'],
    ]);
    expect(bill!.lineItems![1]!.unitAmount).toBe(2.4375);
    expect(bill!.reference).toBe('PO 3001 (2026-03-30), packing slip PS-1001');
    // The vendor is the supplier contact, with its details.
    const contact = (await (await s.xeroApi(AU_ORG)).getContact(AU_ORG, bill!.contact!.contactID!)).body.contacts![0]!;
    expect([contact.name, contact.contactNumber, contact.emailAddress]).toEqual(['Ingram Micro Australia Pty Ltd', 'IngramAU', 'ar.au@ingram.example']);
    // ConnectWise posted the receipts.
    expect((await unpostedIds()).filter((id) => id >= 7101 && id <= 7103)).toEqual([]);

    const after = await view(3001);
    expect([after.chip, after.receipts[0]!.readiness, after.bills[0]!.xero?.number, after.bills[0]!.xero?.status, after.bills[0]!.total]).toEqual(['synced', 'billed', 'IM-558812', 'AUTHORISED', '8350.08']);
    expect(after.bills[0]!.xero?.url).toMatch(/^https?:\/\//);
    // Pushing again writes nothing.
    expect((await pushed(3001)).outcome).toBe('unchanged');
    expect(await bills(AU_ORG, 'IM-558812')).toHaveLength(1);
  });

  it('a partial receipt over two packing slips: a bill per delivery as it arrives, none twice', async () => {
    // The second delivery (line 3, the rest cloned from line 1) has not arrived yet.
    const line3 = poLine(3002, 32003);
    const arrival = { receivedStatus: line3.receivedStatus, receivedQuantity: line3.receivedQuantity, packingSlip: line3.packingSlip, dateReceived: line3.dateReceived, glEntryId: line3.glEntryId };
    Object.assign(line3, { receivedStatus: 'Waiting', receivedQuantity: '0', packingSlip: '' });
    delete line3.dateReceived;
    delete line3.glEntryId;

    const first = await view(3002);
    expect(first.receipts.map((r) => [r.packingSlip, r.readiness])).toEqual([['PS-2001', 'ready']]);
    expect(first.bills.map((b) => [b.packingSlips, b.total, b.lines.map((l) => l.account)])).toEqual([[['PS-2001'], '504.90', ['630', '631']]]);
    expect((await pushed(3002)).outcome).toBe('synced');
    expect((await bills(AU_ORG, 'DD-20931')).map((b) => money(b.total))).toEqual(['504.90']);
    expect((await pushed(3002)).outcome).toBe('unchanged');

    // The second delivery arrives: a second bill, with the freight that came with it.
    Object.assign(line3, arrival);
    const second = await view(3002);
    expect(second.receipts.map((r) => [r.packingSlip, r.readiness])).toEqual([['PS-2001', 'billed'], ['PS-2002', 'ready']]);
    const ready = second.bills.filter((b) => b.chip === 'ready');
    expect(ready.map((b) => [b.packingSlips, b.total, b.connectwiseTotal])).toEqual([[['PS-2002'], '471.35', '471.35']]);
    expect(ready[0]!.lines.map((l) => [l.kind, l.account, l.amount])).toEqual([['product', '630', '410.00'], ['freight', '425', '18.50']]);
    expect((await pushed(3002)).outcome).toBe('synced');
    expect((await pushed(3002)).outcome).toBe('unchanged');
    const both = await bills(AU_ORG, 'DD-20931');
    expect(both.map((b) => money(b.total)).sort()).toEqual(['471.35', '504.90']);
    expect(both.map((b) => b.reference).sort()).toEqual(['PO 3002 (2026-03-31), packing slip PS-2001', 'PO 3002 (2026-03-31), packing slip PS-2002']);
    const done = await view(3002);
    expect([done.chip, done.receipts.map((r) => r.readiness), done.bills.map((b) => b.xero?.status)]).toEqual(['synced', ['billed', 'billed'], ['AUTHORISED', 'AUTHORISED']]);
    expect((await unpostedIds()).filter((id) => id >= 7104 && id <= 7106)).toEqual([]);
  });

  it('a drop-shipped line books to purchases, never stock; a push whose answer was lost after Xero made the bill converges on one bill', async () => {
    const v = await view(3003);
    expect(v.purchaseOrder.dropShipTo).toBeTruthy();
    expect(v.lines.map((l) => [l.dropShipped, l.warehouse])).toEqual([[true, null]]);
    expect(v.bills[0]!.lines.map((l) => [l.account, l.quantity, l.unitPrice, l.amount, l.warehouse])).toEqual([['310', '2', '1395.50', '2791.00', null]]);
    expect(v.bills[0]!.total).toBe('3070.10');

    class Crash extends Error {}
    let crashes = 1;
    setEngineFaults(s.server.deps, {
      xero: (port: XeroEnginePort): XeroEnginePort => ({
        ...port,
        createDocuments: async (...a) => {
          const made = await port.createDocuments(...a);
          if (crashes-- > 0) throw new Crash('answer lost after the bill was made');
          return made;
        },
      }),
    });
    expect((await push(3003)).status).toBe(503);
    setEngineFaults(s.server.deps, undefined);
    const res = await pushed(3003);
    expect(res.outcome, res.message).toBe('synced');
    const made = await bills(AU_ORG, 'IM-559030');
    expect(made.map((b) => [money(b.total), b.lineItems!.map((l) => l.accountCode)])).toEqual([['3070.10', ['310']]]);
    expect((await unpostedIds()).includes(7107)).toBe(false);
  });

  it('a PO waiting on a line is held without part shipments; a warehouse without a Xero account: the problem says where to fix it and nothing is written; once mapped, the bill goes (numbered by its PO without a vendor invoice)', async () => {
    // Without part shipments the PO waits for its back-ordered line: PS-4001 is held, no bill yet.
    await settings({ partShipments: false });
    const held = await view(3004);
    expect([held.bills, held.waitingLines, held.receipts.map((r) => [r.packingSlip, r.readiness])]).toEqual([[], [2], [['PS-4001', 'held']]]);
    expect(held.receipts[0]!.message).toMatch(/line 2 is received or cancelled/);
    expect(held.headline).toMatch(/^Waiting for line 2/);
    expect((await pushed(3004)).outcome).toBe('unchanged');
    expect(await bills(AU_ORG, 'PO 3004 / PS-4001')).toEqual([]);

    await settings({ partShipments: true, warehouseAccounts: { '2': '632' } });
    const v = await view(3004);
    const b = v.bills[0]!;
    expect(b.chip).toBe('needs_attention');
    expect(b.problems.filter((p) => p.severity === 'blocking').map((p) => [p.fixWhere, p.line])).toEqual([['CW–Xero Sync settings › Purchase orders › Warehouse accounts', 1]]);
    expect(b.problems.find((p) => p.severity === 'blocking')!.text).toMatch(/632.*warehouse 2/);
    expect(v.canPush).toBe(false);
    // Line 2 is still back-ordered: with part shipments PS-4001 is billed now.
    expect(v.lines.map((l) => l.receivedStatus)).toEqual(['FullyReceived', 'Waiting']);
    expect((await pushed(3004)).outcome).toBe('needs_attention');
    expect(await bills(AU_ORG, 'PO 3004 / PS-4001')).toEqual([]);

    await settings({ warehouseAccounts: { '2': '631' } });
    const fixed = await view(3004);
    expect([fixed.bills[0]!.number, fixed.bills[0]!.chip, fixed.bills[0]!.lines.map((l) => l.account)]).toEqual(['PO 3004 / PS-4001', 'ready', ['631']]);
    expect(fixed.bills[0]!.problems.map((p) => p.severity)).toEqual(['warning']);
    expect((await pushed(3004)).outcome).toBe('synced');
    expect((await bills(AU_ORG, 'PO 3004 / PS-4001')).map((x) => money(x.total))).toEqual(['53.63']);
    const after = await view(3004);
    expect([after.chip, after.waitingLines, after.headline]).toEqual(['synced', [2], 'In Xero as bill PO 3004 / PS-4001. Line 2 is still to arrive.']);
  });

  it("a bill of ours that the plan no longer makes (part shipments switched off before ConnectWise's batch) keeps its receipts off every new bill", async () => {
    await settings({ warehouseAccounts: {} });
    class Crash extends Error {}
    setEngineFaults(s.server.deps, {
      cw: (port: CwBatchPort): CwBatchPort => ({
        ...port,
        createBatch: async () => {
          throw new Crash('ConnectWise went away before the batch');
        },
      }),
    });
    expect((await push(3005)).status).toBe(503);
    setEngineFaults(s.server.deps, undefined);
    expect(await bills(NZ_ORG, 'EX-7781')).toHaveLength(1);

    await settings({ partShipments: false });
    const v = await view(3005);
    expect(v.problems.map((p) => p.code)).toEqual(['receipts-changed-since-bill']);
    expect(v.bills.map((b) => [b.key, b.xero?.number])).toEqual([['po:3005:ps:7109', 'EX-7781']]);
    await pushed(3005);
    expect(await bills(NZ_ORG, 'EX-7781')).toHaveLength(1);

    // Back to part shipments: the same bill is finished, ConnectWise posts it, still one bill.
    await settings({ partShipments: true });
    const res = await pushed(3005);
    expect(res.outcome, res.message).toBe('synced');
    const [bill, ...more] = await bills(NZ_ORG, 'EX-7781');
    expect(more).toEqual([]);
    expect([String(bill!.currencyCode), money(bill!.total), bill!.lineItems!.map((l) => String(l.taxType))]).toEqual(['NZD', '55.20', ['INPUT2']]);
    expect((await unpostedIds()).includes(7109)).toBe(false);
  });

  it('bad ids are a 400 naming the field; a PO ConnectWise does not have is a 4xx in words', async () => {
    const r = await http(`${s.server.url}/api/purchaseorders/abc/sync`, { token: admin });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/id/);
    const missing = await http(`${s.server.url}/api/purchaseorders/99999/sync`, { token: admin });
    expect([missing.status, missing.body.error?.code]).toEqual([404, 'cw_not_found']);
    expect(missing.body.error.message).toMatch(/purchase order 99999/);
  });
});
