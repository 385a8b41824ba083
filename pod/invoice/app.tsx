// The "Sync to Xero" dialog's UI, booted on the start its entry began (main.tsx).
import { bootPod } from '../lib/boot.js';
import type { PodStart } from '../lib/start.js';
import { InvoiceDialog } from './InvoiceDialog.js';

export function showInvoiceDialog(start: PodStart): void {
  bootPod('Sync to Xero', (ctx) => <InvoiceDialog ctx={ctx} />, start);
}
