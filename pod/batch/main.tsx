// Entry of the pod on the accounting batch screen: the compact month-end pod
// in ConnectWise's panel, or (view=list, in a window the pod opened) the full
// list, loaded only when asked for so the pod stays light.
import { bootPod } from '../lib/boot.js';
import { BatchPod } from './BatchPod.js';

if (new URLSearchParams(location.search).get('view') === 'list') {
  void import('./list-window.js').then((m) => m.bootListWindow());
} else {
  bootPod('Accounting batch', (ctx) => <BatchPod ctx={ctx} />);
}
