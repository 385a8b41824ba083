// finance/glAccounts, finance/glCaptions and finance/taxCodes in ConnectWise's
// shapes, consistent with what the demo's invoices and accounting export carry
// (accounts, GL classes); locations name their country.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CwGLExport } from '../../shared/cw-types.js';
import { startSim, type Sim } from './helpers.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

describe('finance/glAccounts', () => {
  it('maps every account the accounting export of all unposted invoices books into, with its GL type', async () => {
    const unposted = (await sim.get('/finance/accounting/unpostedinvoices?pageSize=100&fields=id')).json as { id: number }[];
    const r = await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: unposted.map((u) => u.id) });
    expect(r.status).toBe(200);
    const exp = r.json as CwGLExport;
    const used = new Set<string>();
    for (const t of exp.transactions ?? []) {
      used.add(t.accountNumber ?? '');
      for (const d of t.detail ?? []) if (d.accountNumber) used.add(d.accountNumber);
    }
    const accounts = (await sim.get('/finance/glAccounts?pageSize=1000')).json as { glType: string; segment1: string; mappedType: { name: string }; mappedRecord: { id: number; name: string } }[];
    const mapped = new Set(accounts.map((a) => a.segment1));
    for (const a of used) expect(mapped.has(a), a).toBe(true);
    expect([...used].sort()).toEqual(['200', '210', '220', '230', '4990', '610', '820']);
    const typesOf = (n: string) => [...new Set(accounts.filter((a) => a.segment1 === n).map((a) => a.glType))];
    expect(typesOf('200')).toEqual(['R']);
    expect(typesOf('210')).toEqual(['RP']);
    expect(typesOf('4990')).toEqual(['RP']);
    expect(typesOf('220')).toEqual(['RA']);
    expect(typesOf('230')).toEqual(['RE']);
    expect(typesOf('610')).toEqual(['AR']);
    expect(typesOf('820')).toEqual(['ST']);
    expect(accounts.find((a) => a.segment1 === '4990')).toMatchObject({ mappedType: { name: 'Product' }, mappedRecord: { id: 708, name: 'LEGACY-HW' } });
  });

  it('takes conditions, fields, paging, count and a record by id, as the other collections', async () => {
    const rev = (await sim.get('/finance/glAccounts?conditions=glType="RP"&fields=segment1,glType')).json;
    expect(rev).toEqual([
      { segment1: '210', glType: 'RP' },
      { segment1: '210', glType: 'RP' },
      { segment1: '4990', glType: 'RP' },
    ]);
    const count = (await sim.get('/finance/glAccounts/count')).json.count as number;
    expect(count).toBeGreaterThan(10);
    const page = await sim.get('/finance/glAccounts?pageSize=5&page=2');
    expect(page.json).toHaveLength(5);
    expect(page.json[0].id).toBe(6);
    expect((await sim.get('/finance/glAccounts/1')).json).toMatchObject({ id: 1, glType: 'AR', segment1: '610', mappedRecord: { name: 'Sydney' } });
    expect((await sim.get('/finance/glAccounts/99999')).status).toBe(404);
  });
});

describe('finance/glCaptions and the GL class', () => {
  it('segment2 is a Class: each location’s AR and product revenue mappings carry the class its invoices export as glClass', async () => {
    expect((await sim.get('/finance/glCaptions')).json).toEqual([expect.objectContaining({ id: 1, segment1: 'Account', segment1type: 'Account', segment2: 'Class', segment2type: 'Class' })]);
    const classed = (await sim.get('/finance/glAccounts?conditions=segment2!=null&fields=glType,segment2,mappedRecord/name&pageSize=1000')).json as { glType: string; segment2: string; mappedRecord: { name: string } }[];
    expect(classed.map((a) => [a.glType, a.mappedRecord.name, a.segment2])).toEqual([
      ['AR', 'Sydney', 'SYD'],
      ['AR', 'Auckland', 'AKL'],
      ['RP', 'Sydney', 'SYD'],
      ['RP', 'Auckland', 'AKL'],
    ]);
    const glEntry = async (invoiceNumber: string) => ((await sim.get(`/finance/accounting/unpostedinvoices?conditions=invoiceNumber="${invoiceNumber}"`)).json as { id: number }[])[0]!.id;
    for (const [number, cls] of [['INV-1002', 'SYD'], ['INV-1006', 'AKL']] as const) {
      const exp = (await sim.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: [await glEntry(number)] })).json as CwGLExport;
      const t = exp.transactions![0]!;
      expect(t.glClass, number).toBe(cls);
      expect(new Set(t.detail!.map((d) => d.glClass)), number).toEqual(new Set([cls]));
    }
  });
});

describe('finance/taxCodes', () => {
  it('the demo’s tax codes with their percent rates and countries', async () => {
    const r = await sim.get('/finance/taxCodes?fields=id,identifier,description,levelOneRate,levelOneRateType,country');
    expect(r.status).toBe(200);
    expect(r.json).toEqual([
      { id: 1, identifier: 'GST', description: 'Goods and Services Tax (Australia) 10%', levelOneRate: 10, levelOneRateType: 'Percent', country: { id: 14, name: 'Australia' } },
      { id: 2, identifier: 'NZGST', description: 'Goods and Services Tax (New Zealand) 15%', levelOneRate: 15, levelOneRateType: 'Percent', country: { id: 157, name: 'New Zealand' } },
      { id: 3, identifier: 'EXEMPT', description: 'Tax exempt', levelOneRate: 0, levelOneRateType: 'Percent' },
    ]);
    expect((await sim.get('/finance/taxCodes?conditions=identifier="NZGST"&fields=id')).json).toEqual([{ id: 2 }]);
    expect((await sim.get('/finance/taxCodes/count')).json).toEqual({ count: 3 });
    expect((await sim.get('/finance/taxCodes/3')).json).toMatchObject({ identifier: 'EXEMPT', invoiceCaption: 'Tax exempt' });
    expect((await sim.get('/finance/taxCodes/9')).status).toBe(404);
  });
});

describe('system/locations', () => {
  it('name their country (overrideCountry)', async () => {
    expect((await sim.get('/system/locations?fields=name,overrideCountry')).json).toEqual([
      { name: 'Sydney', overrideCountry: { id: 14, name: 'Australia' } },
      { name: 'Auckland', overrideCountry: { id: 157, name: 'New Zealand' } },
    ]);
  });
});
