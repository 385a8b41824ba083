// The month-end pod's UI, booted on the start its entry began (main.tsx).
import { bootPod } from '../lib/boot.js';
import type { PodStart } from '../lib/start.js';
import { BatchPod } from './BatchPod.js';

export function showBatchPod(start: PodStart): void {
  bootPod('Accounting batch', (ctx) => <BatchPod ctx={ctx} />, start);
}
