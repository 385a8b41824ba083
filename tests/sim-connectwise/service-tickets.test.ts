// The ConnectWise simulator's service desk: boards with statuses, tickets
// (POST, GET with conditions and paging, PATCH as JSON Patch) and notes, as the
// exception alerts use them; a member without Service Desk rights gets 403.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type Sim } from './helpers.js';

let sim: Sim;
const clock = new Date('2026-05-04T09:00:00Z');
beforeAll(async () => {
  sim = await startSim({ now: () => clock });
});
beforeEach(() => sim.sim.reset());
afterAll(() => sim.close());

const newTicket = (over: Record<string, unknown> = {}) => ({ summary: 'CW–Xero Sync: 2 records need attention', board: { id: 2 }, company: { identifier: 'democo' }, initialDescription: 'Invoice 1008: map GL account 4990', ...over });

describe('service boards and statuses', () => {
  it('lists boards with conditions and each board\'s statuses, one closed', async () => {
    const active = await sim.get(`/service/boards?conditions=${encodeURIComponent('inactiveFlag=false')}&fields=id,name`);
    expect(active.json).toEqual([{ id: 1, name: 'Help Desk' }, { id: 2, name: 'Finance Admin' }]);
    const st = await sim.get('/service/boards/2/statuses?orderBy=sortOrder');
    expect(st.json.map((s: { name: string }) => s.name)).toEqual(['New', 'Waiting on Finance', 'Closed']);
    const closed = await sim.get(`/service/boards/1/statuses?conditions=${encodeURIComponent('closedStatus=true')}&fields=id`);
    expect(closed.json).toEqual([{ id: 13 }, { id: 14 }]);
    expect((await sim.get('/service/boards/9/statuses')).status).toBe(404);
  });
});

describe('service tickets', () => {
  it('POST opens a ticket on the board\'s default status; the description becomes its first note', async () => {
    const r = await sim.post('/service/tickets', newTicket());
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ id: 90001, summary: 'CW–Xero Sync: 2 records need attention', recordType: 'ServiceTicket', board: { id: 2, name: 'Finance Admin' }, status: { id: 21, name: 'New' }, company: { id: 19300, identifier: 'DemoCo' }, closedFlag: false });
    expect(r.json.initialDescription).toBeUndefined();
    const notes = await sim.get('/service/tickets/90001/notes');
    expect(notes.json).toMatchObject([{ ticketId: 90001, text: 'Invoice 1008: map GL account 4990', detailDescriptionFlag: true }]);
    expect((await sim.get('/service/tickets/90001')).json.summary).toBe('CW–Xero Sync: 2 records need attention');
  });

  it('refuses what ConnectWise refuses, naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ summary: '' }, /summary/],
      [{ summary: 'x'.repeat(101) }, /summary.*100/],
      [{ board: undefined }, /board/],
      [{ board: { id: 77 } }, /board 77/],
      [{ board: { id: 3 } }, /inactive/],
      [{ company: undefined }, /company/],
      [{ company: { id: 1 } }, /company 1/],
      [{ status: { id: 13 } }, /status 13 is not a status of board Finance Admin/],
    ];
    for (const [over, msg] of cases) {
      const r = await sim.post('/service/tickets', newTicket(over));
      expect(r.status, JSON.stringify(over)).toBe(400);
      expect(r.json.message).toMatch(msg);
    }
    expect((await sim.get('/service/tickets/count')).json).toEqual({ count: 0 });
  });

  it('PATCH as JSON Patch: summary, then a closed status closes it, then reopening clears the close', async () => {
    const id = (await sim.post('/service/tickets', newTicket())).json.id;
    const p1 = await sim.call('PATCH', `/service/tickets/${id}`, [{ op: 'replace', path: '/summary', value: 'CW–Xero Sync: 1 record needs attention' }]);
    expect(p1.status).toBe(200);
    expect(p1.json).toMatchObject({ summary: 'CW–Xero Sync: 1 record needs attention', status: { id: 21 }, closedFlag: false });
    const p2 = await sim.call('PATCH', `/service/tickets/${id}`, [{ op: 'replace', path: 'status', value: { id: 23 } }]);
    expect(p2.json).toMatchObject({ status: { id: 23, name: 'Closed' }, closedFlag: true, closedBy: 'APIMember', closedDate: '2026-05-04T09:00:00.000Z' });
    const open = await sim.get(`/service/tickets?conditions=${encodeURIComponent('closedFlag=false and board/id=2')}`);
    expect(open.json).toEqual([]);
    const p3 = await sim.call('PATCH', `/service/tickets/${id}`, [{ op: 'replace', path: 'status', value: { name: 'new' } }]);
    expect(p3.json.closedFlag).toBe(false);
    expect(p3.json.closedDate).toBeUndefined();
    const bad = await sim.call('PATCH', `/service/tickets/${id}`, [{ op: 'replace', path: 'closedDate', value: 'x' }]);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/closedDate.*cannot be patched/);
    expect((await sim.call('PATCH', `/service/tickets/${id}`, [{ op: 'replace', path: 'status', value: { id: 14 } }])).status).toBe(400);
    expect((await sim.call('PATCH', '/service/tickets/5', [{ op: 'replace', path: 'summary', value: 'x' }])).status).toBe(404);
  });

  it('lists page with a Link header; notes need text and a flag', async () => {
    for (let i = 0; i < 3; i++) await sim.post('/service/tickets', newTicket({ summary: `t${i}` }));
    const p1 = await sim.get('/service/tickets?pageSize=2&orderBy=id desc&fields=id,summary');
    expect(p1.json).toEqual([{ id: 90003, summary: 't2' }, { id: 90002, summary: 't1' }]);
    expect(p1.headers.get('link')).toMatch(/page=2.*rel="next"/);
    const n = await sim.post('/service/tickets/90001/notes', { text: 'Now 1 record.', detailDescriptionFlag: true });
    expect(n.status).toBe(201);
    expect((await sim.post('/service/tickets/90001/notes', { text: 'x' })).json.message).toMatch(/detailDescriptionFlag/);
    expect((await sim.post('/service/tickets/90001/notes', { detailDescriptionFlag: true })).json.message).toMatch(/text/);
    expect((await sim.get('/service/tickets/90001/notes/count')).json).toEqual({ count: 2 });
  });

  it('an API member without Service Desk rights gets 403 everywhere under service/', async () => {
    const off = await fetch(`${sim.url}/__sim/permissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deny: ['service'] }) });
    expect(off.status).toBe(200);
    expect((await sim.get('/service/boards')).status).toBe(403);
    expect((await sim.post('/service/tickets', newTicket())).status).toBe(403);
    expect((await sim.get('/system/info')).status).toBe(200);
    sim.sim.reset();
    expect((await sim.get('/service/boards')).status).toBe(200);
  });
});
