// The full list, at full width in a window of ours opened by the batch pod:
// the record kinds' tabs (BatchScreen) with dates, customers, totals,
// readiness with reasons, selection, filters and paging. Signed in with the
// pod's session (window-session.ts); opened any other way it says where to
// open it from.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { readPodConfig } from '../lib/config.js';
import { createApi, type Api } from '../lib/api.js';
import type { PodSession } from '../lib/session.js';
import { describeStartError } from '../lib/boot.js';
import { Loading, MessageBox, PodHeader } from '../lib/ui.js';
import { BatchScreen } from './BatchScreen.js';
import { sessionFromOpener } from './opener-session.js';
import { FixOpenersProvider, fixOpeners } from '../lib/fix-link.js';
import '../lib/styles.css';

type State = { phase: 'starting' } | { phase: 'failed'; title: string; detail: string } | { phase: 'ready'; session: PodSession; api: Api };

const TITLE = 'Accounting batch · full list';

function ListWindow() {
  const [state, setState] = useState<State>({ phase: 'starting' });
  useEffect(() => {
    (async () => {
      const config = readPodConfig();
      const session = await sessionFromOpener();
      setState({ phase: 'ready', session, api: createApi(config, session) });
    })().catch((err: unknown) => setState({ phase: 'failed', ...describeStartError(err) }));
  }, []);
  return (
    <div class="pod pod-window">
      <PodHeader title={TITLE} {...(state.phase === 'ready' ? { memberName: state.session.member.name, isAdmin: state.session.isAdmin } : {})} />
      <main class="pod-body">
        {state.phase === 'starting' ? <Loading text="Signing in through the CW–Xero Sync pod…" /> : null}
        {state.phase === 'failed' ? <MessageBox title={state.title}>{state.detail}</MessageBox> : null}
        {state.phase === 'ready' ? (
          <FixOpenersProvider value={fixOpeners(state.session)}>
            <BatchScreen ctx={{ api: state.api }} />
          </FixOpenersProvider>
        ) : null}
      </main>
    </div>
  );
}

export function bootListWindow(root: HTMLElement | null = document.getElementById('app')): void {
  if (!root) throw new Error('pod page lacks #app');
  document.title = `CW–Xero Sync · ${TITLE}`;
  render(<ListWindow />, root);
}
