// Entry of the "Sync to Xero" toolbar-button dialog on the invoice screen.
import { bootPod } from '../lib/boot.js';
import { InvoiceDialog } from './InvoiceDialog.js';

bootPod('Sync to Xero', (ctx) => <InvoiceDialog ctx={ctx} />);
