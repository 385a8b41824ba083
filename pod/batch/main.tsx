// Entry of the pod on the accounting batch screen.
import { bootPod } from '../lib/boot.js';
import { RecordPlaceholder } from '../lib/record-placeholder.js';

bootPod('Accounting batch', (ctx) => (
  <RecordPlaceholder ctx={ctx} recordLabel="Batch" coming="Bulk sync of unposted invoices to Xero is coming soon." />
));
