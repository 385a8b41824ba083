// The settings in a window of ours, opened by a "Fix in" link from another
// pod (pod/lib/fix-link.tsx): signed in with that pod's session, outside
// ConnectWise's frame (no Hosted API here), scrolled to the section the
// fragment names (#invoices-tax) with that section highlighted.
// Opened by the first-run page (setup=1) it shows the setup's last steps
// instead (SetupScreen: Connect to Xero, the proposed mappings), signed in
// with the page's setup session, lent the same way.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { readPodConfig } from '../lib/config.js';
import { createApi } from '../lib/api.js';
import { describeStartError, type PodContext } from '../lib/boot.js';
import { Loading, MessageBox, PodHeader } from '../lib/ui.js';
import { HostedBridgeError, type HostedBridge } from '../bridge/index.js';
import { sessionFromOpener } from '../batch/opener-session.js';
import { PodApiError } from '../lib/http.js';
import { SettingsScreen } from './SettingsScreen.js';
import { focusSection } from './section-focus.js';
import { SETTINGS_POD_TITLE } from '../../shared/settings-sections.js';
import '../lib/styles.css';

const SETUP = new URLSearchParams(location.search).get('setup') === '1';

type State = { phase: 'starting' } | { phase: 'failed'; title: string; detail: string } | { phase: 'ready'; ctx: PodContext };

/** No ConnectWise around this window: whatever asks the Hosted API is told so. */
function noBridge(): HostedBridge {
  const no = () => Promise.reject(new HostedBridgeError('This window is not inside ConnectWise.'));
  return { ready: Promise.resolve(), getMemberAuthentication: no, onLoad: () => () => undefined, onBeforeSave: () => () => undefined, onBeforeBack: () => () => undefined, refreshScreen: no, setDirty: no, openScreen: no, frameId: undefined, dispose: () => undefined };
}

function SettingsWindow() {
  const [state, setState] = useState<State>({ phase: 'starting' });
  const [Setup, setSetup] = useState<typeof import('./SetupScreen.js').SetupScreen | null>(null);
  useEffect(() => {
    if (SETUP) void import('./SetupScreen.js').then((m) => setSetup(() => m.SetupScreen));
  }, []);
  useEffect(() => {
    (async () => {
      const config = readPodConfig();
      const session = await sessionFromOpener().catch((e: unknown) => {
        // Opened by the first-run page: say which page is gone (the window's words name the batch pod).
        if (SETUP && e instanceof PodApiError && e.code === 'no_opener') throw new PodApiError('The first-run page that opened this window is closed. Finish in ConnectWise: any accounting batch, its CW–Xero Sync settings pod.', 401, 'no_opener');
        throw e;
      });
      setState({ phase: 'ready', ctx: { config, session, bridge: noBridge(), api: createApi(config, session) } });
    })().catch((err: unknown) => setState({ phase: 'failed', ...describeStartError(err) }));
  }, []);
  useEffect(() => {
    if (state.phase !== 'ready') return;
    if (SETUP) return;
    return focusSection(location.hash.slice(1));
  }, [state.phase]);
  return (
    <div class="pod pod-window">
      <PodHeader title={SETUP ? 'Connect to Xero and mappings' : 'Settings'} {...(state.phase === 'ready' ? { memberName: state.ctx.session.member.name, isAdmin: state.ctx.session.isAdmin } : {})} />
      <main class="pod-body">
        {state.phase === 'starting' ? <Loading text={SETUP ? 'Signing in through the first-run page…' : 'Signing in through the CW–Xero Sync pod…'} /> : null}
        {state.phase === 'failed' ? <MessageBox title={state.title}>{state.detail}</MessageBox> : null}
        {state.phase === 'ready' && !SETUP ? <SettingsScreen ctx={state.ctx} /> : null}
        {state.phase === 'ready' && SETUP ? Setup ? <Setup ctx={state.ctx} /> : <Loading text="Loading…" /> : null}
      </main>
    </div>
  );
}

export function bootSettingsWindow(root: HTMLElement | null = document.getElementById('app')): void {
  if (!root) throw new Error('pod page lacks #app');
  document.title = SETTINGS_POD_TITLE;
  render(<SettingsWindow />, root);
}
