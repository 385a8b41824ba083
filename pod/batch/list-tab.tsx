// The full list as the accounting batch screen's full-width tab (view=list inside ConnectWise), booted on the start its entry began (main.tsx).
import { bootPod } from '../lib/boot.js';
import type { PodStart } from '../lib/start.js';
import { BatchScreen } from './BatchScreen.js';

export function showListTab(start: PodStart): void {
  bootPod('Accounting batch · full list', (ctx) => <BatchScreen ctx={ctx} />, start);
}
