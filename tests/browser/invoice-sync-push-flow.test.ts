// The push as the invoice dialog runs it (pod/invoice/push-flow.ts), with a
// recording fake of ConnectWise's Hosted API and of our server: the dirty flag
// brackets the push, the screen is refreshed after it whatever happened, a
// 'busy' answer is followed by polling every second until the other push is
// over, and a host that refuses its requests never stops the push.
import { describe, expect, it } from 'vitest';
import { invoiceSyncView, type InvoiceSyncView, type PushResponse, type SyncChip } from '../../shared/api.js';
import { runPushFlow, type PushFlowDeps } from '../../pod/invoice/push-flow.js';

function view(chip: SyncChip, headline = `chip ${chip}`): InvoiceSyncView {
  return invoiceSyncView.parse({
    invoice: { id: 1002, invoiceNumber: 'INV-1002', type: 'Standard', status: 'Sent', customer: { id: 251, name: 'Customer' }, date: '2026-02-10', dueDate: null, total: '10.00', balance: null, currency: 'AUD' },
    chip,
    headline,
    organisation: null,
    preview: null,
    problems: [],
    xero: null,
    ledger: null,
    canPush: chip === 'ready' || chip === 'changed',
    pushLabel: 'Push to Xero',
  });
}

function harness(opts: { push: () => Promise<PushResponse>; views?: InvoiceSyncView[]; hostRefuses?: boolean; maxPolls?: number }) {
  const calls: string[] = [];
  const sleeps: number[] = [];
  const seen: SyncChip[] = [];
  const views = [...(opts.views ?? [])];
  const host = (name: string) => async () => {
    calls.push(name);
    if (opts.hostRefuses) throw new Error('host refused');
  };
  const deps: PushFlowDeps = {
    push: async () => {
      calls.push('push');
      return opts.push();
    },
    fetchView: async () => {
      calls.push('fetchView');
      const v = views.shift();
      if (!v) throw new Error('no more views');
      return v;
    },
    setDirty: (d) => host(`setDirty:${d}`)(),
    refreshScreen: host('refreshScreen'),
    onView: (v) => seen.push(v.chip),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    pollIntervalMs: 1000,
    ...(opts.maxPolls !== undefined ? { maxPolls: opts.maxPolls } : {}),
  };
  return { deps, calls, sleeps, seen };
}

describe('runPushFlow', () => {
  it('sets the dirty flag before the push, clears it after, then refreshes the screen', async () => {
    const h = harness({ push: async () => ({ outcome: 'synced', message: 'Pushed as INV-1002.', view: view('synced') }) });
    const r = await runPushFlow(h.deps);
    expect(h.calls).toEqual(['setDirty:true', 'push', 'setDirty:false', 'refreshScreen']);
    expect(r).toMatchObject({ ok: true, outcome: 'synced', message: 'Pushed as INV-1002.' });
    expect(h.seen).toEqual(['synced']);
  });

  it("after 'busy', reads the view every second until the other push is over", async () => {
    const h = harness({
      push: async () => ({ outcome: 'busy', message: 'Another push is running.', view: view('pushing') }),
      views: [view('pushing'), view('pushing'), view('synced', 'In Xero as INV-1002.')],
    });
    const r = await runPushFlow(h.deps);
    expect(h.calls).toEqual(['setDirty:true', 'push', 'fetchView', 'fetchView', 'fetchView', 'setDirty:false', 'refreshScreen']);
    expect(h.sleeps).toEqual([1000, 1000, 1000]);
    expect(h.seen).toEqual(['pushing', 'pushing', 'pushing', 'synced']);
    expect(r.ok && r.view.chip).toBe('synced');
    expect(r.message).toMatch(/that push has finished\. In Xero as INV-1002\./);
  });

  it('stops waiting after maxPolls and says the other push is still running', async () => {
    const h = harness({ push: async () => ({ outcome: 'busy', message: 'busy', view: view('pushing') }), views: [view('pushing'), view('pushing')], maxPolls: 2 });
    const r = await runPushFlow(h.deps);
    expect(h.calls.filter((c) => c === 'fetchView')).toHaveLength(2);
    expect(r.message).toMatch(/still running/);
    expect(h.calls.slice(-2)).toEqual(['setDirty:false', 'refreshScreen']);
  });

  it('a failed push still clears the dirty flag and refreshes, and reports the error in words', async () => {
    const h = harness({
      push: async () => {
        throw new Error('Xero is not answering; nothing was sent. Try again in a minute.');
      },
    });
    const r = await runPushFlow(h.deps);
    expect(r).toEqual({ ok: false, message: 'Xero is not answering; nothing was sent. Try again in a minute.' });
    expect(h.calls).toEqual(['setDirty:true', 'push', 'setDirty:false', 'refreshScreen']);
  });

  it('a host that refuses setDirty and refreshScreen does not stop the push or hide its outcome', async () => {
    const h = harness({ hostRefuses: true, push: async () => ({ outcome: 'needs_attention', message: 'GL 4990 is unknown.', view: view('needs_attention') }) });
    const r = await runPushFlow(h.deps);
    expect(h.calls).toEqual(['setDirty:true', 'push', 'setDirty:false', 'refreshScreen']);
    expect(r).toMatchObject({ ok: true, outcome: 'needs_attention', message: 'GL 4990 is unknown.' });
  });
});
