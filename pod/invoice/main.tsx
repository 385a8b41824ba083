// Entry of the "Sync to Xero" toolbar-button dialog on the invoice screen.
import { bootPod } from '../lib/boot.js';
import { recordIdFromUrl } from '../lib/config.js';
import { InvoiceDialog } from './InvoiceDialog.js';
import { invoicePaths } from './sync-client.js';

// The invoice's summary, its sync view and the Xero banner come with the sign-in (issue 12, first paint).
const id = recordIdFromUrl();
bootPod('Sync to Xero', (ctx) => <InvoiceDialog ctx={ctx} />, id === undefined ? undefined : [invoicePaths.summary(id), invoicePaths.sync(id), invoicePaths.status]);
