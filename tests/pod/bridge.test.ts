// The child side of the Hosted API against a fake parent window: message
// shapes, frame id adoption, response matching, acknowledgements, origin
// filtering, validation and timeouts.
import { afterEach, describe, expect, it } from 'vitest';
import { createHostedBridge, type HostedBridge, type MessageTarget } from '../../pod/bridge/index.js';

const CW = 'https://cw.example.com';

/** A fake parent: records what the child posts; `send` delivers to the child as from `origin`. */
function fakeParent() {
  const posted: { data: Record<string, unknown>; targetOrigin: string }[] = [];
  const child = new EventTarget();
  const target: MessageTarget = { postMessage: (message, targetOrigin) => posted.push({ data: JSON.parse(message), targetOrigin }) };
  return {
    posted,
    target,
    source: child as unknown as Parameters<typeof createHostedBridge>[0]['source'] & object,
    send(msg: unknown, origin = CW) {
      child.dispatchEvent(new MessageEvent('message', { data: typeof msg === 'string' ? msg : JSON.stringify(msg), origin }));
    },
    /** Waits until the child has posted n messages. */
    async until(n: number) {
      for (let i = 0; i < 200 && posted.length < n; i++) await new Promise((r) => setTimeout(r, 5));
      expect(posted.length).toBeGreaterThanOrEqual(n);
    },
  };
}

let bridge: HostedBridge | undefined;
afterEach(() => bridge?.dispose());

const auth = { site: 'cw.example.com', companyid: 'acme', memberid: 'ana', memberHash: 'h1', memberEmail: 'a@x', memberContext: 'ctx' };

describe('hosted bridge (child side)', () => {
  it('announces ready as a JSON string to the CW origin, then adds the frame id to every message', async () => {
    const p = fakeParent();
    bridge = createHostedBridge({ cwOrigin: CW + '/some/path', target: p.target, source: p.source });
    expect(p.posted).toEqual([{ data: { message: 'ready' }, targetOrigin: CW }]);
    p.send({ MessageFrameID: 'frame-7' });
    await bridge.ready;
    expect(bridge.frameId).toBe('frame-7');
    await bridge.setDirty(true);
    expect(p.posted[1]).toEqual({ data: { hosted_request: 'setDirty', args: { dirty: true }, frameID: 'frame-7' }, targetOrigin: CW });
    await bridge.openScreen({ newTab: true, screen: 'company', id: 250 });
    expect(p.posted[2]?.data).toEqual({ hosted_request: 'openScreen', args: { newTab: true, screen: 'company', id: 250 }, frameID: 'frame-7' });
    await bridge.refreshScreen();
    expect(p.posted[3]?.data).toEqual({ hosted_request: 'refreshScreen', frameID: 'frame-7' });
  });

  it('matches getMemberAuthentication by its lower-cased response name and validates the data', async () => {
    const p = fakeParent();
    bridge = createHostedBridge({ cwOrigin: CW, target: p.target, source: p.source });
    p.send({ MessageFrameID: 'f1' });
    const a = bridge.getMemberAuthentication();
    const shared = bridge.getMemberAuthentication(); // a second caller shares the request in flight
    await p.until(2);
    expect(p.posted[1]?.data).toEqual({ hosted_request: 'getMemberAuthentication', frameID: 'f1' });
    expect(p.posted).toHaveLength(2);
    p.send({ response: 'somethingelse', data: {} });
    p.send({ response: 'getmemberauthentication', data: auth });
    await expect(a).resolves.toMatchObject({ companyid: 'acme', memberid: 'ana', memberHash: 'h1' });
    await expect(shared).resolves.toMatchObject({ memberid: 'ana' });
  });

  it('ignores messages from any origin but the CW origin', async () => {
    const p = fakeParent();
    bridge = createHostedBridge({ cwOrigin: CW, target: p.target, source: p.source, requestTimeoutMs: 300 });
    p.send({ MessageFrameID: 'evil' }, 'https://evil.example');
    p.send({ MessageFrameID: 'f1' });
    await bridge.ready;
    expect(bridge.frameId).toBe('f1');
    const a = bridge.getMemberAuthentication();
    await p.until(2);
    p.send({ response: 'getmemberauthentication', data: { ...auth, memberid: 'mallory' } }, 'https://evil.example');
    p.send({ event: 'onLoad', _id: 9, data: { screen: 'invoice', id: 1 } }, 'https://evil.example');
    await expect(a).rejects.toThrow(/did not answer getMemberAuthentication/);
    expect(p.posted.filter((m) => m.data.event)).toEqual([]);
  });

  it('refuses a malformed member authentication with a clear error', async () => {
    const p = fakeParent();
    bridge = createHostedBridge({ cwOrigin: CW, target: p.target, source: p.source });
    p.send({ MessageFrameID: 'f1' });
    const a = bridge.getMemberAuthentication();
    await p.until(2);
    p.send({ response: 'getmemberauthentication', data: { ...auth, memberHash: '' } });
    await expect(a).rejects.toThrow(/without a valid memberHash/);
  });

  it('times out a request the parent never answers', async () => {
    const p = fakeParent();
    bridge = createHostedBridge({ cwOrigin: CW, target: p.target, source: p.source, requestTimeoutMs: 50, frameIdGraceMs: 10 });
    await expect(bridge.getMemberAuthentication()).rejects.toThrow(/ConnectWise did not answer getMemberAuthentication/);
    // without a frame id the request still went out, just without frameID
    expect(p.posted[1]?.data).toEqual({ hosted_request: 'getMemberAuthentication' });
  });

  it('acknowledges events: handled onLoad success, unhandled success, failing beforeSave with errors', async () => {
    const p = fakeParent();
    bridge = createHostedBridge({ cwOrigin: CW, target: p.target, source: p.source });
    p.send({ MessageFrameID: 'f2' });
    await bridge.ready;
    const loads: unknown[] = [];
    bridge.onLoad((d) => void loads.push(d));
    bridge.onBeforeSave(() => ({ ok: false, errors: ['Push to Xero first'] }));
    p.send({ event: 'onLoad', _id: 1, data: { screen: 'invoice', id: 42, hostedAs: 'pod' } });
    p.send({ event: 'beforeBack', _id: 2, data: { screen: 'invoice', id: 42 } });
    p.send({ event: 'beforeSave', _id: 3, data: { screen: 'invoice', id: 42 } });
    await p.until(4);
    const acks = p.posted.slice(1).map((m) => m.data);
    expect(acks).toContainEqual({ event: 'onLoad', _id: 1, result: 'success', frameID: 'f2' });
    expect(acks).toContainEqual({ event: 'beforeBack', _id: 2, result: 'success', frameID: 'f2' });
    expect(acks).toContainEqual({ event: 'beforeSave', _id: 3, result: 'failure', errors: ['Push to Xero first'], frameID: 'f2' });
    expect(loads).toEqual([{ screen: 'invoice', id: 42, hostedAs: 'pod' }]);
  });

  it('acks a handler that throws as a failure, and replays the last load to a late handler', async () => {
    const p = fakeParent();
    bridge = createHostedBridge({ cwOrigin: CW, target: p.target, source: p.source });
    p.send({ MessageFrameID: 'f3' });
    p.send({ event: 'onLoad', _id: 5, data: { screen: 'invoice', id: 7 } });
    await p.until(2);
    expect(p.posted[1]?.data).toEqual({ event: 'onLoad', _id: 5, result: 'success', frameID: 'f3' });
    const late = await new Promise((resolve) => bridge!.onLoad(resolve));
    expect(late).toEqual({ screen: 'invoice', id: 7 });
    bridge.onBeforeBack(() => {
      throw new Error('still saving');
    });
    p.send({ event: 'beforeBack', _id: 6, data: { screen: 'invoice', id: 7 } });
    await p.until(3);
    expect(p.posted[2]?.data).toEqual({ event: 'beforeBack', _id: 6, result: 'failure', errors: ['still saving'], frameID: 'f3' });
  });

  it('ignores non-JSON and non-string messages and stops listening after dispose', async () => {
    const p = fakeParent();
    bridge = createHostedBridge({ cwOrigin: CW, target: p.target, source: p.source });
    p.send('not json {');
    (p.source as unknown as EventTarget).dispatchEvent(new MessageEvent('message', { data: { event: 'onLoad', _id: 1 }, origin: CW }));
    p.send({ MessageFrameID: 'f4' });
    await bridge.ready;
    bridge.dispose();
    p.send({ event: 'onLoad', _id: 2, data: { screen: 'invoice', id: 1 } });
    await new Promise((r) => setTimeout(r, 30));
    expect(p.posted).toHaveLength(1);
  });
});
