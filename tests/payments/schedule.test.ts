// The payment schedule runs once per tenant per interval even with two server
// instances on one PostgreSQL database; the interval comes from the tenant's
// settings; with no tenant connected to Xero a tick does nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { http, type TestStack } from '../support/stack.js';
import { connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { PG_URL, freshDb } from '../support/db.js';
import { openDb, type Db } from '../../server/db/index.js';
import { startPaymentSchedule, type PaymentSchedule } from '../../server/payments/payment-schedule.js';
import { accountingApiFor } from '../../server/xero/accounting.js';
import { registerTenant, DEFAULT_CW_CLIENT_ID } from '../../server/tenants.js';
import type { AppDeps } from '../../server/deps.js';
import { startCwSim } from '../../sim/connectwise/index.js';
import { startXeroSim } from '../../sim/xero/index.js';
import { AU_ORG } from './helpers.js';
import { fakeDistDir, registerTestTenant, startInstance, type ServerInstance } from '../xero-connect/harness.js';

let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
let cw: Awaited<ReturnType<typeof startCwSim>>;
let xero: Awaited<ReturnType<typeof startXeroSim>>;
let db1: Db & { drop(): Promise<void>; schema?: string };
let db2: Db;
let one: ServerInstance;
let two: ServerInstance;
/** What the shared test helpers need of a stack: our server's URL and the ConnectWise simulator. */
let stack: TestStack;

beforeAll(async () => {
  cw = await startCwSim({ port: 0, companyId: 'democo', publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });
  xero = await startXeroSim({ port: 0, host: '127.0.0.1' });
  // Two server instances over one PostgreSQL schema, as two processes would share one database.
  db1 = await freshDb('postgres');
  db2 = await openDb({ databaseUrl: PG_URL, pgSchema: db1.schema! });
  const rootKey = new Uint8Array(randomBytes(32));
  const distDir = fakeDistDir();
  one = await startInstance(db1, rootKey, xero.url, clock, distDir);
  two = await startInstance(db2, rootKey, xero.url, clock, distDir);
  await registerTenant(one.deps, { companyId: 'democo', siteUrl: cw.url, clientId: DEFAULT_CW_CLIENT_ID, publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });
  stack = { server: { url: one.url, deps: one.deps }, cwSim: cw.sim } as unknown as TestStack;
  await connectDemoTenantToXero(stack);
}, 120_000);

afterAll(async () => {
  await two?.close();
  await one?.close();
  await db2?.close();
  await db1?.drop();
  await xero?.close();
  await cw?.close();
});

describe('payment schedule', () => {
  it('runs once per tenant per interval across two instances, at the interval in settings', async () => {
    const token = await signIn(stack, 'accountant');
    const push = await http(`${stack.server.url}/api/invoices/1009/push`, { method: 'POST', token, json: {} });
    expect(push.body.outcome, JSON.stringify(push.body)).toBe('synced');
    const api = (await accountingApiFor(one.deps, 'democo', AU_ORG)).api;
    await api.createPayment(AU_ORG, { invoice: { invoiceID: push.body.view.xero.documentId }, account: { code: '090' }, amount: 12.34, date: '2026-05-10' });
    // A 5-minute interval in the tenant's settings (the schedule reads paymentSyncIntervalMinutes).
    await one.deps.db.k
      .insertInto('tenant_settings')
      .values({ tenant_id: 'democo', settings_json: JSON.stringify({ paymentSyncIntervalMinutes: 5 }), updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ settings_json: JSON.stringify({ paymentSyncIntervalMinutes: 5 }) }))
      .execute();

    const runs: string[] = [];
    const schedules: PaymentSchedule[] = [one.deps, two.deps].map((deps, i) =>
      startPaymentSchedule(deps as AppDeps, { tickMs: 0, onRun: (tenant) => runs.push(`${i}:${tenant}`) }),
    );
    const tickBoth = async () => (await Promise.all(schedules.map((s) => s.tick()))).reduce((a, b) => a + b, 0);
    try {
      // First sight of the tenant: due one interval from now, no burst at start.
      expect(await tickBoth()).toBe(0);
      expect(cw.sim.state.payments.filter((p) => p.invoiceId === 1009)).toHaveLength(0);

      offsetMs += 4 * 60_000;
      expect(await tickBoth()).toBe(0); // 4 minutes: not yet

      offsetMs += 60_000 + 1_000;
      expect(await tickBoth()).toBe(1); // 5 minutes: exactly one instance runs it
      const paid = cw.sim.state.payments.filter((p) => p.invoiceId === 1009);
      expect(paid).toHaveLength(1);
      expect(paid[0]!.amount).toBe(12.34);
      expect(await tickBoth()).toBe(0);

      offsetMs += 5 * 60_000;
      // Both instances ticking twice at once (a tick joins the one already going in its instance).
      await Promise.all([tickBoth(), tickBoth()]);
      expect(runs).toHaveLength(2);
    } finally {
      for (const s of schedules) s.stop();
    }
  });

  it('the timer in each instance fires the run once', async () => {
    const runs: number[] = [];
    const schedules = [one.deps, two.deps].map((deps, i) => startPaymentSchedule(deps as AppDeps, { tickMs: 50, onRun: () => runs.push(i) }));
    try {
      offsetMs += 5 * 60_000 + 1_000;
      // Until the first run (a bound, not a time: a tick reads the database, slow on a busy machine), then
      // 20 more ticks of both timers: none of them may start a second run.
      await vi.waitFor(() => expect(runs.length).toBeGreaterThan(0), { timeout: 15_000, interval: 50 });
      await new Promise((r) => setTimeout(r, 1_000));
      expect(runs).toHaveLength(1);
    } finally {
      for (const s of schedules) s.stop();
    }
  });

  it('does nothing when no tenant is connected to Xero', async () => {
    const db = await freshDb('sqlite');
    try {
      await registerTestTenant(db, 'lonely');
      const deps = { ...one.deps, db } as AppDeps;
      const s = startPaymentSchedule(deps, { tickMs: 0 });
      expect(await s.tick()).toBe(0);
      expect(await db.k.selectFrom('payment_sync_tenants').selectAll().execute()).toEqual([]);
      s.stop();
    } finally {
      await db.drop();
    }
  });
});
