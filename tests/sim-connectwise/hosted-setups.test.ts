import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type Sim } from './helpers.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
});

const POD_ORIGIN = 'http://127.0.0.1:8080';
const valid = {
  description: 'Sync to Xero',
  screenId: 7,
  type: 'ToolbarButton',
  url: `${POD_ORIGIN}/pod/invoice.html?tenant=democo&id=[cw_id]&screen=[cw_screen]`,
  origin: POD_ORIGIN,
  toolbarButtonText: 'Sync to Xero',
  toolbarButtonDialogWidth: 900,
  toolbarButtonDialogHeight: 640,
};

describe('hosted screens', () => {
  it('lists the screens our pods use, with ids', async () => {
    const r = await sim.get('/system/connectwisehostedscreens?pageSize=100');
    const byName = Object.fromEntries(r.json.map((s: { screenId: string; id: number }) => [s.screenId, s.id]));
    for (const s of ['invoice', 'accountingbatch', 'purchaseorder', 'expensereport', 'company', 'ticket']) expect(typeof byName[s]).toBe('number');
    expect((await sim.get('/system/connectwisehostedscreens?conditions=screenId="invoice"')).json).toEqual([{ id: 7, screenId: 'invoice', name: 'Invoice' }]);
  });
});

describe('hosted setups CRUD', () => {
  it('creates, reads, lists by condition, patches (JSON Patch) and deletes', async () => {
    const created = await sim.post('/system/connectwisehostedsetups', valid);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ ...valid, id: expect.any(Number), disabledFlag: false, createdBy: 'APIMember' });
    const id = created.json.id;
    expect((await sim.get(`/system/connectwisehostedsetups/${id}`)).json.url).toBe(valid.url);
    await sim.post('/system/connectwisehostedsetups', { description: 'CW–Xero Sync', screenId: 10, type: 'Pod', url: `${POD_ORIGIN}/pod/batch.html`, podHeight: 420 });
    expect((await sim.get('/system/connectwisehostedsetups?conditions=screenId=7')).json).toHaveLength(1);
    expect((await sim.get('/system/connectwisehostedsetups/count')).json).toEqual({ count: 2 });

    const patched = await sim.call('PATCH', `/system/connectwisehostedsetups/${id}`, [
      { op: 'replace', path: '/description', value: 'Xero' },
      { op: 'replace', path: 'disabledFlag', value: true },
    ]);
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id, description: 'Xero', disabledFlag: true, toolbarButtonText: 'Sync to Xero' });

    const badPatch = await sim.call('PATCH', `/system/connectwisehostedsetups/${id}`, [{ op: 'replace', path: 'description', value: 'z'.repeat(51) }]);
    expect(badPatch.status).toBe(400);
    expect(badPatch.json.errors[0].field).toBe('description');
    expect((await sim.get(`/system/connectwisehostedsetups/${id}`)).json.description).toBe('Xero');
    expect((await sim.call('PATCH', `/system/connectwisehostedsetups/${id}`, [{ op: 'replace', path: 'id', value: 5 }])).status).toBe(400);
    expect((await sim.call('PATCH', `/system/connectwisehostedsetups/${id}`, { description: 'x' })).status).toBe(400);

    expect((await sim.call('DELETE', `/system/connectwisehostedsetups/${id}`)).status).toBe(204);
    expect((await sim.get(`/system/connectwisehostedsetups/${id}`)).status).toBe(404);
  });

  it('defaults origin to the url’s origin', async () => {
    const { origin: _o, ...noOrigin } = valid;
    const r = await sim.post('/system/connectwisehostedsetups', noOrigin);
    expect(r.status).toBe(201);
    expect(r.json.origin).toBe(POD_ORIGIN);
  });

  it('refuses invalid setups with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ description: 'd'.repeat(51) }, 'description'],
      [{ description: undefined }, 'description'],
      [{ url: `${POD_ORIGIN}/${'u'.repeat(1020)}` }, 'url'],
      [{ url: 'javascript:alert(1)' }, 'url'],
      [{ type: 'Popup' }, 'type'],
      [{ screenId: 999 }, 'screenId'],
      [{ screenId: 'invoice' }, 'screenId'],
      [{ origin: `${POD_ORIGIN}/pod` }, 'origin'],
      [{ origin: 'http://evil.example' }, 'url'],
      [{ toolbarButtonText: undefined }, 'toolbarButtonText'],
      [{ toolbarButtonText: 't'.repeat(51) }, 'toolbarButtonText'],
      [{ podHeight: 'tall' }, 'podHeight'],
      [{ surprise: true }, 'body'],
    ];
    for (const [change, field] of cases) {
      const body = { ...valid, ...change };
      const r = await sim.post('/system/connectwisehostedsetups', JSON.parse(JSON.stringify(body)));
      expect(r.status, JSON.stringify(change)).toBe(400);
      expect(r.json.code).toBe('InvalidObject');
      expect(r.json.errors[0].field, JSON.stringify(change)).toBe(field);
    }
    expect((await sim.get('/system/connectwisehostedsetups/count')).json.count).toBe(0);
  });
});
