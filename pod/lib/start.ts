// The start of every pod surface, before any of its UI: reads the injected
// config, opens the Hosted API bridge to ConnectWise and signs in (issue 12:
// the sign-in is the first paint's critical path). No Preact here: an entry
// calls startPod first thing, so the handshake with ConnectWise and the sign-in
// run while the surface's UI code is still arriving (the page preloads it,
// scripts/first-paint-preload.ts), then hands the start to bootPod (boot.tsx).
import { createHostedBridge, type HostedBridge } from '../bridge/index.js';
import type { PodConfig } from '../../shared/api.js';
import { readPodConfig } from './config.js';
import { startPodSession, type PodSession } from './session.js';
import { createApi, type Api } from './api.js';

export interface PodContext {
  config: PodConfig;
  bridge: HostedBridge;
  session: PodSession;
  api: Api;
}

export interface PodStart {
  started: Promise<PodContext>;
  /** Resolves once the sign-in has gone to our server (or the start failed): the moment to load the UI. */
  signingIn: Promise<void>;
  dispose(): void;
}

/**
 * Reads the config, opens the bridge and signs in, at once. `first`: the GET paths the surface reads
 * first, answered with the sign-in (pod/lib/session.ts) — only once ConnectWise has verified the member.
 */
export function startPod(first?: readonly string[]): PodStart {
  let bridge: HostedBridge | undefined;
  let memberAuth: Promise<unknown> = Promise.resolve();
  const started = (async () => {
    const config = readPodConfig();
    bridge = createHostedBridge({ cwOrigin: config.cwOrigin });
    const session = startPodSession(bridge, config, first);
    // The same request the sign-in is waiting on (the bridge shares a request in flight): once it is
    // answered, the sign-in's POST has been sent, its continuation having run first.
    memberAuth = bridge.getMemberAuthentication();
    return { config, bridge, session: await session, api: createApi(config, await session) };
  })();
  started.catch(() => undefined); // shown by the Shell once it mounts (boot.tsx)
  // Evaluating the UI takes the main thread, which in a browser that runs ConnectWise's page in the same
  // process also answers the handshake: it waits until the sign-in is on its way (it arrives while our server answers).
  const signingIn = Promise.race([memberAuth, started]).then(
    () => undefined,
    () => undefined,
  );
  return { started, signingIn, dispose: () => bridge?.dispose() };
}

/**
 * Loads the surface's UI (a dynamic import the page preloads) and boots it, once `start` has sent the
 * sign-in (if given); a failed load is said in words, without the UI.
 */
export function loadSurface(load: () => Promise<unknown>, start?: PodStart): void {
  (start ? start.signingIn.then(load) : load()).catch((err: unknown) => {
    const root = document.getElementById('app');
    if (root) root.textContent = `This pod could not load (${err instanceof Error ? err.message : String(err)}). Check your connection and reopen this screen.`;
  });
}
