// Entry of the pod on the purchase order screen.
import { bootPod } from '../lib/boot.js';
import { RecordPlaceholder } from '../lib/record-placeholder.js';

bootPod('Purchase order', (ctx) => (
  <RecordPlaceholder ctx={ctx} recordLabel="Purchase order" coming="Pushing this purchase order to Xero as a bill is coming soon." />
));
