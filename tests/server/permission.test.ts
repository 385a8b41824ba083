// Who may push to Xero and run syncs (issue 12): the admins, the Finance role by
// default, and whom the settings name — decided by the server on every route
// that writes to Xero or ConnectWise, never only hidden in the pod. Others see
// the same views read-only, with a sentence saying who can push.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceSyncView } from '../../shared/api.js';
import { http } from '../support/stack.js';
import { signIn, startSyncStack, type SyncStack } from '../sync/helpers.js';

let s: SyncStack;
let admin: string;
let accountant: string;
let tech: string;

/** Every route that pushes or syncs, with a body a member who may push would send. */
const WRITES: { what: string; method: string; path: string; json?: unknown }[] = [
  { what: 'invoice push', method: 'POST', path: '/api/invoices/1002/push' },
  { what: 'payments of an invoice', method: 'POST', path: '/api/invoices/1002/payments/sync' },
  { what: 'payments of the tenant', method: 'POST', path: '/api/payments/sync' },
  { what: 'invoice run', method: 'POST', path: '/api/batch/runs', json: { all: true } },
  { what: 'expense run', method: 'POST', path: '/api/batch/runs', json: { kind: 'expense', all: true } },
  { what: 'procurement run', method: 'POST', path: '/api/batch/runs', json: { kind: 'procurement', all: true } },
  { what: 'expense report push', method: 'POST', path: '/api/expenses/reports/2001/push' },
  { what: 'purchase order push', method: 'POST', path: '/api/purchaseorders/3001/push' },
];

const call = (token: string, w: (typeof WRITES)[number]) => http(`${s.server.url}${w.path}`, { method: w.method, token, ...(w.json ? { json: w.json } : {}) });

beforeAll(async () => {
  s = await startSyncStack();
  admin = await signIn(s, 'admin');
  accountant = await signIn(s, 'accountant');
  tech = await signIn(s, 'tech');
}, 60_000);
afterAll(async () => {
  await s?.close();
});

describe('who may push', () => {
  it('a Technician is refused on every route that pushes or syncs, in words naming who can; nothing is written', async () => {
    for (const w of WRITES) {
      const r = await call(tech, w);
      expect(r.status, `${w.what}: ${JSON.stringify(r.body)}`).toBe(403);
      expect(r.body.error.code, w.what).toBe('not_allowed_to_push');
      expect(r.body.error.message, w.what).toMatch(/Admin.*Finance|Finance.*Admin/);
    }
    const rows = await s.server.deps.db.k.selectFrom('sync_ledger').select('cw_record_id').execute();
    expect(rows).toEqual([]);
  });

  it('the Technician sees the invoice read-only, with who can push', async () => {
    const r = await http(`${s.server.url}/api/invoices/1002/sync`, { token: tech });
    const v = invoiceSyncView.parse(r.body);
    expect([v.mayPush, v.canPush]).toEqual([false, false]);
    expect(v.whoCanPush).toMatch(/Finance/);
    const a = invoiceSyncView.parse((await http(`${s.server.url}/api/invoices/1002/sync`, { token: accountant })).body);
    expect([a.mayPush, a.canPush, a.whoCanPush]).toEqual([true, true, null]);
  });

  it('the Finance role pushes by default; taken off the list it is refused; a member named in the settings may push', async () => {
    expect((await s.push(1002, accountant)).status).toBe(200);
    const put = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { pushers: { securityRoles: [], memberIdentifiers: ['tech'] } } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const refused = await s.push(1002, accountant);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/tech/);
    expect((await s.push(1002, tech)).status).toBe(200);
    // Admins always may.
    expect((await s.push(1002, admin)).status).toBe(200);
    // Only admins change who may push.
    expect((await http(`${s.server.url}/api/settings`, { method: 'PUT', token: tech, json: { pushers: { securityRoles: ['Technician'] } } })).status).toBe(403);
    const back = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { pushers: { securityRoles: ['Finance'], memberIdentifiers: [] } } });
    expect(back.status).toBe(200);
  });

  it('a bad pushers setting is a 400 naming the field', async () => {
    const r = await http(`${s.server.url}/api/settings`, { method: 'PUT', token: admin, json: { pushers: { memberIdentifiers: ['no spaces allowed'] } } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/pushers\.memberIdentifiers/);
  });
});
