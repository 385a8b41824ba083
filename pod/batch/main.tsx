// Entry of the pod on the accounting batch screen: the compact month-end pod
// in ConnectWise's panel, or (view=list, in a window the pod opened) the full
// list, loaded only when asked for so the pod stays light; hosted by ConnectWise
// with view=list (the installed full-width tab), that list inside ConnectWise.
import { bootPod } from '../lib/boot.js';
import { BatchPod } from './BatchPod.js';
import { batchPaths } from './batch-client.js';

if (new URLSearchParams(location.search).get('view') === 'list' && window.parent === window) {
  void import('./list-window.js').then((m) => m.bootListWindow());
} else if (new URLSearchParams(location.search).get('view') === 'list') {
  // Installed as the accounting batch screen's full-width tab: the same list, signed in as any pod.
  void import('./BatchScreen.js').then((m) => bootPod('Accounting batch · full list', (ctx) => <m.BatchScreen ctx={ctx} />));
} else {
  // The month-end counts and each kind's latest run come with the sign-in (issue 12, first paint).
  bootPod('Accounting batch', (ctx) => <BatchPod ctx={ctx} />, [batchPaths.summary(), batchPaths.latest('invoice'), batchPaths.latest('expense'), batchPaths.latest('procurement')]);
}
