// The CHILD side of the ConnectWise Hosted API as a small typed promise API
// (see shared/reference/connectwise-hosted-api.md):
//  - every message is a JSON string posted to the parent with the CW origin as targetOrigin;
//  - we announce `ready`, adopt the `MessageFrameID` the parent answers with and
//    add `frameID` to every message afterwards;
//  - requests go out as `hosted_request`; a response is matched by its lower-cased
//    name, so at most one request of a name is pending at a time;
//  - every event is acknowledged (success, or failure with errors; an event we
//    have no handler for is acknowledged with success);
//  - any message whose origin is not the configured CW origin is ignored.
import { eventMessage, frameIdMessage, memberAuthentication, responseMessage, screenEventData, type Check, type MemberAuth, type ScreenEventData } from './messages.js';

export type { MemberAuth, ScreenEventData } from './messages.js';

/** Where we post: the parent window (or a fake in tests). */
export interface MessageTarget {
  postMessage(message: string, targetOrigin: string): void;
}
/** Where messages arrive: our own window (or a fake in tests). */
export interface MessageSource {
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

export interface HostedBridgeOptions {
  /** The ConnectWise origin, e.g. https://na.myconnectwise.net. */
  cwOrigin: string;
  /** Defaults to window.parent. */
  target?: MessageTarget;
  /** Defaults to window. */
  source?: MessageSource;
  /** How long a request waits for its response. */
  requestTimeoutMs?: number;
  /** How long `ready` waits for a MessageFrameID before going on without one (the parent "may" send it). */
  frameIdGraceMs?: number;
}

export type BeforeSaveResult = { ok: true } | { ok: false; errors: string[] };

export interface HostedBridge {
  /** Resolves once the parent gave us a frame id (or the grace period passed). */
  ready: Promise<void>;
  getMemberAuthentication(): Promise<MemberAuth>;
  /** Screen loaded or refreshed. A handler registered late still gets the last load. */
  onLoad(handler: (data: ScreenEventData) => void | Promise<void>): () => void;
  onBeforeSave(handler: (data: ScreenEventData) => BeforeSaveResult | Promise<BeforeSaveResult>): () => void;
  onBeforeBack(handler: (data: ScreenEventData) => void | Promise<void>): () => void;
  refreshScreen(): Promise<void>;
  setDirty(dirty: boolean): Promise<void>;
  openScreen(args: { newTab: boolean; screen: string; id: number | string }): Promise<void>;
  /** The frame id ConnectWise gave us, if any. */
  readonly frameId: string | undefined;
  dispose(): void;
}

export class HostedBridgeError extends Error {}

type Pending = { resolve: (data: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> };
type EventHandler = (data: ScreenEventData) => unknown;

/** "onLoad" -> "load", "beforeSave"/"onBeforeSave" -> "beforesave". */
function eventKey(name: string): string {
  return name.toLowerCase().replace(/^on/, '');
}

export function createHostedBridge(opts: HostedBridgeOptions): HostedBridge {
  const cwOrigin = new URL(opts.cwOrigin).origin;
  const target: MessageTarget = opts.target ?? (window.parent as unknown as MessageTarget);
  const source: MessageSource = opts.source ?? (window as unknown as MessageSource);
  const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  const graceMs = opts.frameIdGraceMs ?? 1_000;

  let frameId: string | undefined;
  let disposed = false;
  const pending = new Map<string, Pending>();
  const handlers = new Map<string, EventHandler>();
  let lastLoad: ScreenEventData | undefined;

  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const graceTimer = setTimeout(() => markReady(), graceMs);

  function post(message: Record<string, unknown>): void {
    if (disposed) return;
    const withFrame = frameId !== undefined ? { ...message, frameID: frameId } : message;
    target.postMessage(JSON.stringify(withFrame), cwOrigin);
  }

  async function ack(event: string, id: number | string, outcome: { ok: true } | { ok: false; errors: string[] }): Promise<void> {
    await ready;
    post(outcome.ok ? { event, _id: id, result: 'success' } : { event, _id: id, result: 'failure', errors: outcome.errors });
  }

  async function dispatch(name: string, id: number | string, rawData: unknown): Promise<void> {
    const key = eventKey(name);
    const parsed = screenEventData(rawData ?? {});
    const data: ScreenEventData = parsed.ok ? parsed.value : { screen: '' };
    if (key === 'load') lastLoad = data;
    const handler = handlers.get(key);
    if (!handler) return ack(name, id, { ok: true });
    try {
      const r = (await handler(data)) as BeforeSaveResult | undefined;
      if (r && r.ok === false) return ack(name, id, { ok: false, errors: r.errors.length ? r.errors : ['Refused'] });
      return ack(name, id, { ok: true });
    } catch (err) {
      return ack(name, id, { ok: false, errors: [err instanceof Error ? err.message : String(err)] });
    }
  }

  const listener = (e: MessageEvent) => {
    if (disposed) return;
    // Only ConnectWise may talk to us.
    if (e.origin !== cwOrigin) return;
    if (typeof e.data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(e.data);
    } catch {
      return;
    }
    const fid = frameIdMessage(msg);
    if (fid !== undefined) {
      frameId = fid;
      clearTimeout(graceTimer);
      markReady();
      return;
    }
    const ev = eventMessage(msg);
    if (ev) {
      void dispatch(ev.event, ev._id, ev.data);
      return;
    }
    const res = responseMessage(msg);
    if (res) {
      const key = res.response.toLowerCase();
      const p = pending.get(key);
      if (!p) return;
      pending.delete(key);
      clearTimeout(p.timer);
      p.resolve(res.data);
    }
  };
  source.addEventListener('message', listener);
  post({ message: 'ready' });

  /** A request ConnectWise answers with data: wait for the response matched by lower-cased name. */
  // One request of a name at a time: a second caller shares the one in flight.
  const inflight = new Map<string, Promise<unknown>>();
  function ask<T>(name: string, schema: Check<T>): Promise<T> {
    const key = name.toLowerCase();
    const existing = inflight.get(key);
    if (existing) return existing as Promise<T>;
    const p = askOnce(name, key, schema).finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  }

  async function askOnce<T>(name: string, key: string, schema: Check<T>): Promise<T> {
    await ready;
    if (disposed) throw new HostedBridgeError('The ConnectWise connection was closed.');
    const answered = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(key);
        reject(new HostedBridgeError(`ConnectWise did not answer ${name} within ${Math.round(requestTimeoutMs / 1000)} s. Close and reopen this screen.`));
      }, requestTimeoutMs);
      pending.set(key, { resolve, reject, timer });
    });
    post({ hosted_request: name });
    const data = await answered;
    const parsed = schema(data);
    if (!parsed.ok) throw new HostedBridgeError(`ConnectWise answered ${name} without a valid ${parsed.field}.`);
    return parsed.value;
  }

  /** A request with no answer (setDirty, openScreen, refreshScreen): posted once we are ready. */
  async function tell(name: string, args?: Record<string, unknown>): Promise<void> {
    await ready;
    if (disposed) throw new HostedBridgeError('The ConnectWise connection was closed.');
    post(args ? { hosted_request: name, args } : { hosted_request: name });
  }

  function register(key: string, handler: EventHandler): () => void {
    handlers.set(key, handler);
    return () => {
      if (handlers.get(key) === handler) handlers.delete(key);
    };
  }

  return {
    ready,
    get frameId() {
      return frameId;
    },
    async getMemberAuthentication() {
      return ask('getMemberAuthentication', memberAuthentication);
    },
    onLoad(handler) {
      const off = register('load', handler);
      // The load may have come before the app registered: replay it once.
      if (lastLoad) void Promise.resolve().then(() => handler(lastLoad as ScreenEventData));
      return off;
    },
    onBeforeSave(handler) {
      return register(eventKey('beforeSave'), handler);
    },
    onBeforeBack(handler) {
      return register(eventKey('beforeBack'), handler);
    },
    async refreshScreen() {
      await tell('refreshScreen');
    },
    async setDirty(dirty) {
      await tell('setDirty', { dirty });
    },
    async openScreen(args) {
      await tell('openScreen', { newTab: args.newTab, screen: args.screen, id: args.id });
    },
    dispose() {
      disposed = true;
      clearTimeout(graceTimer);
      source.removeEventListener('message', listener);
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new HostedBridgeError('The ConnectWise connection was closed.'));
      }
      pending.clear();
      markReady();
    },
  };
}
