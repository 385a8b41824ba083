// Exception alerts as ConnectWise tickets (issue 13), over HTTP against both
// simulators: a bulk run leaving records needing attention opens ONE ticket on
// the board chosen in settings listing them (ConnectWise id, kind, the fix); a
// run with a different set updates that ticket (no second one); fixing them
// closes it. Alerts off → no ticket. ConnectWise refusing (403) fails nothing:
// the run finishes, its panel answers, the Alerts card says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/stack.js';
import { signIn, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;
let admin: string;
beforeAll(async () => {
  s = await startSyncStack({ serverEnv: { PAYMENT_SCHEDULE_TICK_SECONDS: '0' } });
  admin = await signIn(s, 'admin');
}, 60_000);
afterAll(async () => s?.close());

const tickets = () => s.cwSim.state.service.tickets;
const notesOf = (id: number) => s.cwSim.state.service.notes.filter((n) => n.ticketId === id);

/** The API member's security role without Service Desk (the simulator's permissions), or with it again. */
async function denyService(deny: boolean) {
  const r = await http(`${s.cw.url}/__sim/permissions`, { json: { deny: deny ? ['service'] : [] } });
  expect(r.status).toBe(200);
}

async function putSettings(json: unknown) {
  const r = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** A bulk run of these GL entries, to its end; the alert follows within the run's last step. */
async function run(glEntryIds: number[]) {
  const started = await http(`${s.server.url}/api/batch/runs`, { token: s.token, json: { glEntryIds } });
  expect(started.status).toBe(201);
  let view = started.body;
  for (let i = 0; i < 300 && view.status !== 'done'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    view = (await http(`${s.server.url}/api/batch/runs/${started.body.id}`, { token: s.token })).body;
  }
  expect(view.status).toBe('done');
  return view;
}

/** Waits (bounded) until the Alerts card's ticket says `until`. */
async function alertStatus(until: (b: any) => boolean) {
  let b: any;
  for (let i = 0; i < 100; i++) {
    const r = await http(`${s.server.url}/api/settings/alerts`, { token: admin });
    expect(r.status).toBe(200);
    b = r.body;
    if (until(b)) return b;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`alert status never matched: ${JSON.stringify(b)}`);
}

describe('exception alert ticket', () => {
  it('alerts off (the default): a run leaving a record needing attention opens no ticket', async () => {
    const v = await run([5008]);
    expect(v.items[0].state).toBe('needs_attention');
    const st = await alertStatus(() => true);
    expect(st.boardId).toBeNull();
    expect(st.ticket).toMatchObject({ id: null, state: 'none' });
    expect(tickets()).toHaveLength(0);
  });

  it('the Alerts card lists active boards; admins only; a bad board id is a 400 naming the field', async () => {
    const st = await alertStatus(() => true);
    expect(st.boards).toEqual([{ id: 2, name: 'Finance Admin' }, { id: 1, name: 'Help Desk' }]);
    expect((await http(`${s.server.url}/api/settings/alerts`, { token: s.token })).status).toBe(403);
    const bad = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { alerts: { boardId: 'two' } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/alerts\.boardId|boardId/);
    // A board ConnectWise does not have, or an inactive one, is refused before it is saved.
    for (const [boardId, words] of [
      [999, /no service board 999/],
      [3, /"Old Projects" is inactive/],
    ] as const) {
      const refused = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { alerts: { boardId } } });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { field: 'alerts.boardId' } });
      expect((refused.body as { error: { message: string } }).error.message).toMatch(words);
    }
    expect((await alertStatus(() => true)).boardId).toBeNull();
  });

  it('ConnectWise refusing (403): the run finishes and its panel answers; the Alerts card says why', async () => {
    await putSettings({ alerts: { boardId: 2 } });
    await denyService(true);
    try {
      const v = await run([5008]);
      expect(v.items[0].state).toBe('needs_attention');
      const again = await http(`${s.server.url}/api/batch/runs/${v.id}`, { token: s.token });
      expect(again.status).toBe(200);
      const st = await alertStatus((b) => b.ticket.refused);
      expect(st.ticket.lastOutcome).toMatch(/403.*Service Desk/);
      expect(st.boardsError).toMatch(/403/);
      expect(tickets()).toHaveLength(0);
    } finally {
      await denyService(false);
    }
  });

  it('opens one ticket on the chosen board listing the record and the fix, updates it for a new set, closes it when fixed', async () => {
    await run([5008]);
    let st = await alertStatus((b) => b.ticket.state === 'open');
    expect(st.ticket).toMatchObject({ state: 'open', records: 1, refused: false });
    expect(tickets()).toHaveLength(1);
    const t = tickets()[0]!;
    expect(st.ticket.id).toBe(t.id);
    expect(t).toMatchObject({ summary: 'CW–Xero Sync: 1 record needs attention', board: { id: 2 }, status: { name: 'New' }, company: { identifier: 'DemoCo' }, closedFlag: false });
    const first = notesOf(t.id)[0]!.text!;
    expect(first).toMatch(/- Invoice 1008: A line books to a GL account the Xero organisation does not have/);
    expect(first).toMatch(/Fix in: /);

    // A different set: 1002 no longer adds up with units to 2 places.
    await putSettings({ invoiceMapping: { unitDecimalPlaces: 2 } });
    await run([5008, 5002]);
    st = await alertStatus((b) => b.ticket.records === 2);
    expect(tickets()).toHaveLength(1);
    expect(tickets()[0]).toMatchObject({ id: t.id, summary: 'CW–Xero Sync: 2 records need attention', closedFlag: false });
    const latest = notesOf(t.id).at(-1)!.text!;
    expect(latest).toMatch(/- Invoice 1008: /);
    expect(latest).toMatch(/- Invoice 1002: /);
    expect(latest.split('\n').filter((l) => l.startsWith('- ')).join('\n')).not.toMatch(/\d+\.\d{2}/); // the problems' stored words: no amounts

    // The same set again: nothing new on the ticket.
    const notesBefore = notesOf(t.id).length;
    await run([5008, 5002]);
    st = await alertStatus((b) => /unchanged/.test(b.ticket.lastOutcome ?? ''));
    expect(notesOf(t.id)).toHaveLength(notesBefore);

    // Fixed: units back to 4 places, GL 4990 mapped to Sales. The next run finds none and closes the ticket.
    await putSettings({ invoiceMapping: { unitDecimalPlaces: 4, accountMap: { '4990': '200' } } });
    const fixed = await run([5008, 5002]);
    expect(fixed.items.map((i: { state: string }) => i.state)).toEqual(['synced', 'synced']);
    st = await alertStatus((b) => b.ticket.state === 'closed');
    expect(st.ticket).toMatchObject({ id: t.id, state: 'closed', records: 0 });
    expect(tickets()).toHaveLength(1);
    expect(tickets()[0]).toMatchObject({ status: { id: 23, name: 'Closed' }, closedFlag: true, closedBy: 'APIMember' });
    expect(notesOf(t.id).at(-1)).toMatchObject({ resolutionFlag: true });

    // At rest: the ticket id, state and a hash — none of the ticket's words.
    const row = await s.server.deps.db.k.selectFrom('alert_tickets').selectAll().where('tenant_id', '=', 'democo').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ ticket_id: t.id, board_id: 2, state: 'closed', listed_hash: null });
    expect(JSON.stringify(row)).not.toMatch(/GL account|1008|1002/);
  });
});
