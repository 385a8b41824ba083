// Entry of the "Sync to Xero" toolbar-button dialog on the invoice screen. First
// thing, the handshake with ConnectWise and the sign-in (start.ts) — the
// invoice's summary, its sync view and the Xero banner come with the sign-in
// (issue 12, first paint) — while the dialog's UI (app.tsx, preloaded by the
// page) arrives.
import { loadSurface, startPod } from '../lib/start.js';
import { recordIdFromUrl } from '../lib/config.js';
import { invoicePaths } from './paths.js';
import { prepareDateFormat } from '../lib/dates.js';

const id = recordIdFromUrl();
const start = startPod(id === undefined ? undefined : [invoicePaths.summary(id), invoicePaths.sync(id), invoicePaths.status]);
loadSurface(() => import('./app.js').then((m) => m.showInvoiceDialog(start)), start);
// The summary's dates need the browser's locale data, which a renderer loads on its first Intl formatter
// (30–60 ms cold): loaded while our server answers the sign-in, not between its answer and the paint.
void start.signingIn.then(() => setTimeout(prepareDateFormat, 0));
