// Entry of the pod on the accounting batch screen.
import { bootPod } from '../lib/boot.js';
import { BatchScreen } from './BatchScreen.js';

bootPod('Accounting batch', (ctx) => <BatchScreen ctx={ctx} />);
