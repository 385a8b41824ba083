// Boots one pod surface: reads the injected config, opens the Hosted API
// bridge to ConnectWise, trades the memberHash for our session, then renders
// the surface with everything it needs. Failures on the way are shown in words.
import { render, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { createHostedBridge, type HostedBridge } from '../bridge/index.js';
import type { PodConfig } from '../../shared/api.js';
import { readPodConfig } from './config.js';
import { startPodSession, type PodSession } from './session.js';
import { createApi, type Api } from './api.js';
import { PodApiError } from './http.js';
import { FixOpenersProvider, fixOpeners } from './fix-link.js';
import { Loading, MessageBox, PodHeader } from './ui.js';
import './styles.css';

export interface PodContext {
  config: PodConfig;
  bridge: HostedBridge;
  session: PodSession;
  api: Api;
}

type State = { phase: 'starting' } | { phase: 'failed'; title: string; detail: string } | { phase: 'ready'; ctx: PodContext };

/** A title and a sentence for whatever went wrong while starting. */
export function describeStartError(err: unknown): { title: string; detail: string } {
  if (err instanceof PodApiError) {
    if (err.code === 'tenant_not_registered') return { title: 'This ConnectWise company is not registered', detail: err.message };
    if (err.status === 401) return { title: 'ConnectWise did not confirm who you are', detail: err.message };
    if (err.status === 503) return { title: 'ConnectWise is not answering', detail: err.message };
    return { title: 'Could not start', detail: err.message };
  }
  return { title: 'Could not connect to ConnectWise', detail: err instanceof Error ? err.message : String(err) };
}

/**
 * Reads the config, opens the bridge and signs in — at once, before the first render (issue 12: the
 * sign-in is the first paint's critical path). `first`: the GET paths the surface reads first, answered
 * with the sign-in (pod/lib/session.ts).
 */
function startPod(first: readonly string[] | undefined): { started: Promise<PodContext>; dispose(): void } {
  let bridge: HostedBridge | undefined;
  const started = (async () => {
    const config = readPodConfig();
    bridge = createHostedBridge({ cwOrigin: config.cwOrigin });
    const session = await startPodSession(bridge, config, first);
    return { config, bridge, session, api: createApi(config, session) };
  })();
  started.catch(() => undefined); // handled by the Shell once it mounts
  return { started, dispose: () => bridge?.dispose() };
}

function Shell({ title, surface, start }: { title: string; surface: (ctx: PodContext) => ComponentChildren; start: ReturnType<typeof startPod> }) {
  const [state, setState] = useState<State>({ phase: 'starting' });
  useEffect(() => {
    start.started.then(
      (ctx) => setState({ phase: 'ready', ctx }),
      (err: unknown) => setState({ phase: 'failed', ...describeStartError(err) }),
    );
    return () => start.dispose();
  }, [start]);

  if (state.phase === 'starting') {
    return (
      <div class="pod">
        <PodHeader title={title} />
        <main class="pod-body">
          <Loading text="Confirming who you are with ConnectWise…" />
        </main>
      </div>
    );
  }
  if (state.phase === 'failed') {
    return (
      <div class="pod">
        <PodHeader title={title} />
        <main class="pod-body">
          <MessageBox title={state.title}>{state.detail}</MessageBox>
        </main>
      </div>
    );
  }
  const { ctx } = state;
  return (
    <div class="pod">
      <PodHeader title={title} memberName={ctx.session.member.name} isAdmin={ctx.session.isAdmin} />
      <main class="pod-body">
        <FixOpenersProvider value={fixOpeners(ctx.session, ctx.bridge)}>{surface(ctx)}</FixOpenersProvider>
      </main>
    </div>
  );
}

/** `first`: the GET paths (as the surface's api calls name them) the surface reads for its first paint. */
export function bootPod(title: string, surface: (ctx: PodContext) => ComponentChildren, first?: readonly string[], root: HTMLElement | null = document.getElementById('app')): void {
  if (!root) throw new Error('pod page lacks #app');
  render(<Shell title={title} surface={surface} start={startPod(first)} />, root);
}
