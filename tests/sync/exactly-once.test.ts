// The crash/retry matrix of a push, over HTTP against the real simulators:
// a crash injected at each step (by wrapping the push's ports), a lost ledger
// row, a double click, two tabs, and retries after Xero 429s and 5xx. Every
// case converges to one Xero document, one closed ConnectWise batch holding
// exactly that GL entry, and one ledger row in state synced.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setEngineFaults } from '../support/engine-faults.js';
import { connectionIdForOrg } from '../../server/xero/connection-store.js';
import { getAccessToken } from '../../server/xero/token-refresh.js';
import type { CwBatchPort, XeroEnginePort } from '../../server/engine/ports.js';
import { AU_ORG, NZ_ORG, cwBatchesHolding, ledgerRows, setXeroFaults, setXeroLimits, signIn, startSyncStack, xeroInvoicesByNumber, type SyncStack } from './helpers.js';

let s: SyncStack;
beforeAll(async () => {
  s = await startSyncStack();
}, 60_000);
afterAll(async () => {
  await s?.close();
});
afterEach(async () => {
  setEngineFaults(s.server.deps, undefined);
  await setXeroFaults(s, { latencyMs: 0, errorRate5xx: 0, failNext: 0, errorPhase: 'before' });
  await setXeroLimits(s, { concurrent: 5, perMinute: 100_000 });
});

class InjectedCrash extends Error {}

/** One Xero invoice, one closed CW batch holding exactly this GL entry, one ledger row, synced. */
async function expectConverged(invoiceId: number, org = AU_ORG) {
  const api = await s.xeroApi(org);
  const docs = await xeroInvoicesByNumber(api, org, `INV-${invoiceId}`);
  expect(docs, 'one Xero invoice').toHaveLength(1);
  const glEntryId = 5000 + (invoiceId - 1000);
  const batches = await cwBatchesHolding(s, glEntryId);
  expect(batches, 'one ConnectWise batch').toHaveLength(1);
  expect(batches[0]!.recordIds).toEqual([glEntryId]);
  const rows = await ledgerRows(s, invoiceId);
  expect(rows, 'one ledger row').toHaveLength(1);
  expect(rows[0]).toMatchObject({ state: 'synced', xero_document_id: docs[0]!.invoiceID, cw_batch_id: batches[0]!.id, lease_owner: null });
  const v = await s.view(invoiceId);
  expect(v.body.chip).toBe('synced');
  return { doc: docs[0]!, batch: batches[0]! };
}

describe('a crash at each step, then a retry', () => {
  it('after the Xero create and before the ConnectWise batch', async () => {
    let crashes = 1;
    setEngineFaults(s.server.deps, {
      cw: (port: CwBatchPort): CwBatchPort => ({
        findBatches: (ids) => {
          if (crashes-- > 0) throw new InjectedCrash('crash before the batch');
          return port.findBatches(ids);
        },
        createBatch: (id, gl, flag) => port.createBatch(id, gl, flag),
      }),
    });
    const first = await s.push(1009);
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe('push_interrupted');
    expect(first.body.error.message).toMatch(/push again/i);
    // Xero has it, ConnectWise does not yet: the dialog says to finish.
    const api = await s.xeroApi(AU_ORG);
    expect(await xeroInvoicesByNumber(api, AU_ORG, 'INV-1009')).toHaveLength(1);
    expect(await cwBatchesHolding(s, 5009)).toHaveLength(0);
    const mid = await s.view(1009);
    expect(mid.body).toMatchObject({ chip: 'ready', canPush: true, pushLabel: 'Re-sync' });
    expect(mid.body.headline).toMatch(/interrupted/);
    const second = await s.push(1009);
    expect(second.body.outcome).toBe('synced');
    await expectConverged(1009);
  });

  it('after the ConnectWise batch and before the ledger write', async () => {
    let crashes = 1;
    setEngineFaults(s.server.deps, {
      cw: (port: CwBatchPort): CwBatchPort => ({
        findBatches: (ids) => port.findBatches(ids),
        createBatch: async (id, gl, flag) => {
          const made = await port.createBatch(id, gl, flag);
          if (crashes-- > 0) throw new InjectedCrash('crash after the batch');
          return made;
        },
      }),
    });
    expect((await s.push(1010)).status).toBe(503);
    // ConnectWise posted it; our ledger never heard. The retry finds our batch by its identifier.
    expect(await cwBatchesHolding(s, 5010)).toHaveLength(1);
    expect((await ledgerRows(s, 1010))[0]?.cw_batch_id).toBeNull();
    const second = await s.push(1010);
    expect(second.body.outcome).toBe('synced');
    await expectConverged(1010, NZ_ORG);
  });

  it('during a contact update (Xero applied it, the answer was lost)', async () => {
    // Northside's first invoice creates its contact; then someone edits the contact in Xero.
    const first = await s.push(1015);
    expect(first.body.outcome).toBe('synced');
    // The outcome says the status in Xero's own words, not its code (issue 12).
    expect(first.body.message).toMatch(/^In Xero as invoice \S+ \(awaiting payment\)\.$/);
    const api = await s.xeroApi(AU_ORG);
    const contactId = (await ledgerRows(s, 1015))[0]!.xero_contact_id!;
    await api.updateContact(AU_ORG, contactId, { contacts: [{ contactID: contactId, emailAddress: 'someone.else@example.com' }] });
    let crashes = 1;
    let updates = 0;
    setEngineFaults(s.server.deps, {
      xero: (port: XeroEnginePort): XeroEnginePort => ({
        ...port,
        saveContacts: async (payloads, key) => {
          updates++;
          const saved = await port.saveContacts(payloads, key);
          if (crashes-- > 0) throw new InjectedCrash('crash during the contact update');
          return saved;
        },
      }),
    });
    expect((await s.push(1005)).status).toBe(503);
    const second = await s.push(1005);
    expect(second.body.outcome, second.body.message).toBe('synced');
    // The retry saw the contact already current and did not write it again.
    expect(updates).toBe(1);
    await expectConverged(1005);
    const contacts = (await api.getContacts(AU_ORG, undefined, 'ContactNumber=="NorthsideTrust"')).body.contacts ?? [];
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.contactID).toBe(contactId);
    expect(contacts[0]!.emailAddress).toBe('finance@northsidetrust.example');
  });

  it('crash inside the document create call itself: a failed attempt leaves no second document', async () => {
    let crashes = 1;
    setEngineFaults(s.server.deps, {
      xero: (port: XeroEnginePort): XeroEnginePort => ({
        ...port,
        createDocuments: async (kind, payloads, unitdp, key) => {
          const made = await port.createDocuments(kind, payloads, unitdp, key);
          if (crashes-- > 0) throw new InjectedCrash('crash after Xero answered the create');
          return made;
        },
      }),
    });
    expect((await s.push(1016)).status).toBe(503);
    expect((await s.push(1016)).body.outcome).toBe('synced');
    await expectConverged(1016);
  });
});

describe('a lost ledger row', () => {
  it('is recovered by looking the number up in Xero and the batch up in ConnectWise, not by creating again', async () => {
    expect((await s.push(1011)).body.outcome).toBe('synced');
    const { doc, batch } = await expectConverged(1011);
    await s.server.deps.db.k.deleteFrom('sync_ledger').where('tenant_id', '=', 'democo').where('cw_record_id', '=', '1011').execute();
    const v = await s.view(1011);
    expect(v.body.chip).toBe('synced');
    expect(v.body.xero.documentId).toBe(doc.invoiceID);
    const again = await s.push(1011);
    expect(again.body.outcome).toBe('synced');
    const after = await expectConverged(1011);
    expect(after.doc.invoiceID).toBe(doc.invoiceID);
    expect(after.batch.id).toBe(batch.id);
  });
});

describe('concurrent pushes', () => {
  it('a double click: one push runs, the other is told it is busy, and the view shows pushing then synced', async () => {
    await setXeroFaults(s, { latencyMs: 150 });
    const [a, b] = await Promise.all([s.push(1013), new Promise((r) => setTimeout(r, 30)).then(() => s.push(1013))]);
    const outcomes = [a.body.outcome, b.body.outcome].sort();
    expect(outcomes).toEqual(['busy', 'synced']);
    const busy = a.body.outcome === 'busy' ? a : b;
    expect(busy.body.message).toMatch(/another click or tab/);
    expect(busy.body.view.chip).toBe('pushing');
    await setXeroFaults(s, { latencyMs: 0 });
    await expectConverged(1013, NZ_ORG);
  });

  it('two tabs (two members) push the same invoice at once', async () => {
    await setXeroFaults(s, { latencyMs: 150 });
    const other = await signIn(s, 'admin');
    const [a, b] = await Promise.all([s.push(1014, s.token), new Promise((r) => setTimeout(r, 30)).then(() => s.push(1014, other))]);
    expect([a.body.outcome, b.body.outcome].sort()).toEqual(['busy', 'synced']);
    await setXeroFaults(s, { latencyMs: 0 });
    await expectConverged(1014, NZ_ORG);
    // A third click afterwards changes nothing.
    expect((await s.push(1014)).body.outcome).toBe('unchanged');
    await expectConverged(1014, NZ_ORG);
  });
});

describe('Xero says "not now"', () => {
  it('429s with Retry-After are waited out and the push completes once', async () => {
    // Fill the organisation's minute, then let the sim clock age those calls to
    // 58 s: Xero refuses with Retry-After of a second or two until they expire.
    const api = await s.xeroApi(AU_ORG);
    for (let i = 0; i < 20; i++) await api.getOrganisations(AU_ORG);
    const clock = await fetch(`${s.xero!.url}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 58 }) });
    expect(clock.status).toBe(200);
    const state = await (await fetch(`${s.xero!.url}/__sim/state`)).json();
    const used = state.organisations.find((o: { tenantId: string }) => o.tenantId === AU_ORG).usage.lastMinute as number;
    expect(used).toBeGreaterThanOrEqual(20);
    // Fewer than the 20 calls just made (older ones age out sooner), more than a push needs.
    await setXeroLimits(s, { perMinute: 15 });
    const token = await getAccessToken(s.server.deps, 'democo', (await connectionIdForOrg(s.server.deps, 'democo', AU_ORG))!);
    const refused = await fetch(`${s.xero!.url}/api.xro/2.0/Organisation`, { headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': AU_ORG } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const started = Date.now();
    const p = await s.push(1012);
    expect(p.body.outcome).toBe('synced');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await expectConverged(1012);
  });

  it('5xx before and after the work (a lost answer) are retried without a second document', async () => {
    // The push's first two Xero calls fail with 500 (nothing done); then the
    // create is done by Xero but its answer is lost (500 after the work).
    await setXeroFaults(s, { failNext: 2, errorPhase: 'before' });
    let creates = 0;
    setEngineFaults(s.server.deps, {
      xero: (port: XeroEnginePort): XeroEnginePort => ({
        ...port,
        createDocuments: async (...args) => {
          creates++;
          if (creates === 1) await setXeroFaults(s, { failNext: 1, errorPhase: 'after' });
          return port.createDocuments(...args);
        },
      }),
    });
    const p = await s.push(1001);
    expect(p.body.outcome).toBe('synced');
    expect(creates).toBe(1);
    const state = await (await fetch(`${s.xero!.url}/__sim/state`)).json();
    expect(state.faults.failNext).toBe(0);
    await expectConverged(1001);
  });
});
