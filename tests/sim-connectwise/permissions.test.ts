// The ConnectWise simulator's "the API member lacks a permission" control
// (issue 13 onboarding): a denied area is a 403 in ConnectWise's error shape,
// for that area only (and only the methods named), for the API member only;
// bad input is a 400; a reset grants everything again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startSim, type Sim } from './helpers.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const deny = (body: unknown) => fetch(`${sim.url}/__sim/permissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /__sim/permissions', () => {
  it('makes an area a 403 for the API member, and only that area', async () => {
    expect((await deny({ deny: ['finance/invoices'] })).status).toBe(200);
    const refused = await sim.get('/finance/invoices?pageSize=1');
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: 'Forbidden' });
    expect(refused.json.message).toMatch(/finance\/invoices/);
    expect((await sim.get('/finance/invoices/1002')).status).toBe(403);
    expect((await sim.get('/company/companies?pageSize=1')).status).toBe(200);
    expect((await sim.get('/finance/accounting/batches?pageSize=1')).status).toBe(200);
    // A signed-in member's own credentials are not the API member's role.
    const hash = sim.sim.issueMemberHash('admin');
    expect((await sim.get('/finance/invoices?pageSize=1', { authorization: basic('democo+admin', hash) })).status).toBe(200);
  });

  it('denies only the methods named', async () => {
    await deny({ deny: ['system/connectwisehostedsetups'], methods: ['POST'] });
    expect((await sim.get('/system/connectwisehostedsetups')).status).toBe(200);
    const post = await sim.post('/system/connectwisehostedsetups', { screenId: 7, description: 'x', type: 'Pod', url: 'https://a.example/p' });
    expect(post.status).toBe(403);
    expect(sim.sim.state.hostedSetups).toEqual([]);
  });

  it('answers bad input with a 400, and a reset or an empty list grants all again', async () => {
    expect((await deny({ deny: 'finance' })).status).toBe(400);
    expect((await deny({ deny: ['../x'] })).status).toBe(400);
    await deny({ deny: ['finance'] });
    expect((await sim.get('/finance/invoices?pageSize=1')).status).toBe(403);
    sim.sim.reset();
    expect((await sim.get('/finance/invoices?pageSize=1')).status).toBe(200);
    await deny({ deny: ['finance'] });
    await deny({ deny: [] });
    expect((await sim.get('/finance/invoices?pageSize=1')).status).toBe(200);
  });
});
