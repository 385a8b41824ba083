// Entry of the pod on the accounting batch screen: the compact month-end pod
// in ConnectWise's panel, or (view=list, in a window the pod opened) the full
// list, loaded only when asked for so the pod stays light; hosted by ConnectWise
// with view=list (the installed full-width tab), that list inside ConnectWise.
// Hosted by ConnectWise, the handshake and the sign-in start first thing
// (start.ts), while the UI arrives.
import { loadSurface, startPod } from '../lib/start.js';
import { batchPaths } from './batch-client.js';

if (new URLSearchParams(location.search).get('view') === 'list' && window.parent === window) {
  loadSurface(() => import('./list-window.js').then((m) => m.bootListWindow()));
} else if (new URLSearchParams(location.search).get('view') === 'list') {
  // Installed as the accounting batch screen's full-width tab: the same list, signed in as any pod.
  const start = startPod();
  loadSurface(() => import('./list-tab.js').then((m) => m.showListTab(start)), start);
} else {
  // The invoices' month-end counts and each kind's latest run come with the sign-in (issue 12, first paint; the
  // other kinds' counts are read right after it, BatchPod); the pod's UI is app.tsx, preloaded by the page.
  const start = startPod([batchPaths.summary({}, 'invoice'), batchPaths.latest('invoice'), batchPaths.latest('expense'), batchPaths.latest('procurement')]);
  loadSurface(() => import('./app.js').then((m) => m.showBatchPod(start)), start);
}
