// A Xero call that goes unanswered is given up after the transport's call
// timeout and treated as "no answer" (xero-node sets no timeout of its own, so
// a held connection used to hang a push, and keep renewing its lease, for ever).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XeroTransport, XERO_LIMITS } from '../../server/engine/transport.js';
import { XeroUnavailable } from '../../server/engine/errors.js';
import type { XeroSim } from '../../sim/xero/index.js';
import { AU_ORG, setXeroFaults, startSyncStack, type SyncStack } from './helpers.js';

let s: SyncStack;
beforeAll(async () => {
  s = await startSyncStack();
}, 60_000);
afterAll(async () => {
  await s?.close();
});
const xeroSim = () => s.xero!.sim as XeroSim;

describe('the Xero call timeout', () => {
  it('gives up on a held answer, retries a read once per back-off step, then says Xero is not answering', async () => {
    const transport = new XeroTransport(s.server.deps, 'democo', AU_ORG, XERO_LIMITS, { person: [50], run: [] }, 300);
    const read = () => transport.call('organisation', (api, tenant) => api.getOrganisations(tenant), { priority: 'person' });
    expect((await read()).body.organisations?.[0]?.organisationID).toBe(AU_ORG);

    await setXeroFaults(s, { timeoutRate: 1, timeoutMs: 5_000, errorPhase: 'after' });
    const heldBefore = xeroSim().ctx.injected.timeout;
    const t0 = Date.now();
    try {
      await expect(read()).rejects.toBeInstanceOf(XeroUnavailable);
    } finally {
      await setXeroFaults(s, { timeoutRate: 0 });
    }
    // Two tries of 300 ms and a 50 ms pause, not the simulator's 5 s hold (bounds: the machine may be busy).
    expect(Date.now() - t0).toBeLessThan(4_000);
    expect(xeroSim().ctx.injected.timeout - heldBefore).toBe(2);
    expect((await read()).body.organisations?.[0]?.organisationID).toBe(AU_ORG);
  });

  it('a create is never sent again by the transport after a held answer: the engine looks first', async () => {
    const transport = new XeroTransport(s.server.deps, 'democo', AU_ORG, XERO_LIMITS, { person: [50, 50], run: [] }, 300);
    await setXeroFaults(s, { timeoutRate: 1, timeoutMs: 1_000, errorPhase: 'after' });
    const heldBefore = xeroSim().ctx.injected.timeout;
    try {
      await expect(
        transport.call('new contacts', (api, tenant) => api.createContacts(tenant, { contacts: [{ name: 'Held Answer Pty Ltd' }] }), { priority: 'person', retryServerErrors: false }),
      ).rejects.toBeInstanceOf(XeroUnavailable);
    } finally {
      await setXeroFaults(s, { timeoutRate: 0 });
    }
    expect(xeroSim().ctx.injected.timeout - heldBefore).toBe(1);
    const named = [...xeroSim().ctx.orgs.get(AU_ORG)!.contacts.values()].filter((c) => c.Name === 'Held Answer Pty Ltd');
    expect(named).toHaveLength(1);
  });
});
