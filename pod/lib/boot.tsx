// Boots one pod surface: the start (config, Hosted API bridge, sign-in —
// start.ts, begun by the entry before this UI code arrives, or here), then
// renders the surface with everything it needs. Failures on the way are shown in words.
import { render, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { PodApiError } from './http.js';
import { startPod, type PodContext, type PodStart } from './start.js';
import { FixOpenersProvider, fixOpeners } from './fix-link.js';
import { Loading, MessageBox, PodHeader } from './ui.js';
import './styles.css';

export type { PodContext } from './start.js';

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

function Shell({ title, surface, start }: { title: string; surface: (ctx: PodContext) => ComponentChildren; start: PodStart }) {
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

/**
 * `start`: the start the entry began (startPod, start.ts), or the GET paths (as the surface's api calls
 * name them) the surface reads for its first paint, to start with now.
 */
export function bootPod(title: string, surface: (ctx: PodContext) => ComponentChildren, start?: PodStart | readonly string[], root: HTMLElement | null = document.getElementById('app')): void {
  if (!root) throw new Error('pod page lacks #app');
  render(<Shell title={title} surface={surface} start={start && 'started' in start ? start : startPod(start)} />, root);
}
